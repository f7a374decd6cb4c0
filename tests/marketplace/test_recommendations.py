"""プッシュ型 recommendations on hand-made cases: what a resident and an organization see."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.translation import override

from core.errors import NotFound
from marketplace import services
from marketplace.models import Task, WorkStyle
from tests.accounts.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _titles(recommendations):
    return [r.item.title for r in recommendations]


def _names(recommendations):
    return [r.item.user.display_name for r in recommendations]


@pytest.fixture
def shop():
    return f.organization()  # 台東区, verified


@pytest.fixture
def designer():
    # 世田谷区, SNS運用 and デザイン as a professional, 3 hours a week, remote
    return f.resident(display_name="デザイナー 花子")


def _member(org):
    return org.memberships.first().user


# --- Tasks for a resident --------------------------------------------------------------


def test_the_obvious_fit_comes_first_and_a_task_without_her_skills_not_at_all(shop, designer):
    accounting = f.task(
        shop, title="会計ソフトの導入", category=f.skill("accounting"), skills=["accounting"]
    )
    long_hours = f.task(shop, title="毎日のSNS投稿", hours_per_week=15)
    fit = f.task(shop, title="SNSでの情報発信を手伝ってほしい", hours_per_week=3)

    titles = _titles(services.tasks_for(designer))

    assert titles[0] == fit.title
    assert long_hours.title in titles
    assert accounting.title not in titles


def test_the_reasons_name_the_skills_the_hours_and_remote_work(shop, designer):
    f.task(shop, title="SNSでの情報発信を手伝ってほしい", hours_per_week=3)

    with override("ja"):
        (first,) = services.tasks_for(designer)
    assert "スキル『SNS運用』が一致" in first.reasons
    assert "スキル『デザイン』が一致" in first.reasons
    assert "週3時間の希望に合う" in first.reasons
    assert "在宅可" in first.reasons
    with override("en"):
        (first,) = services.tasks_for(designer)
    assert "Skill “Social media” matches" in first.reasons


def test_on_site_work_is_not_offered_to_someone_who_only_works_remotely(shop, designer):
    f.task(shop, title="店頭での撮影", work_style=WorkStyle.ONSITE)
    assert services.tasks_for(designer) == []


def test_a_task_in_her_own_ward_says_so_and_ranks_above_the_same_task_elsewhere(designer):
    taito = f.organization()
    setagaya = f.organization(ward_code="131121", name="下北沢一番街商店街")
    f.task(taito, title="台東区のSNS")
    f.task(setagaya, title="世田谷区のSNS")

    with override("ja"):
        first, second = services.tasks_for(designer)
    assert (first.item.title, second.item.title) == ("世田谷区のSNS", "台東区のSNS")
    assert "世田谷区の募集" in first.reasons


def test_a_new_task_gets_its_share_and_a_crowded_one_stops_being_offered(shop, designer):
    old = f.task(shop, title="前からある募集")
    Task.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=30))
    new = f.task(shop, title="新しい募集")
    crowded = f.task(shop, title="応募が多い募集")
    for n in range(5):
        services.apply_to_task(f.resident(display_name=f"応募者 {n}"), crowded, "参加したいです。")

    with override("ja"):
        recommendations = services.tasks_for(designer)
    assert _titles(recommendations) == [new.title, old.title]
    assert "新着" in recommendations[0].reasons


def test_nothing_she_already_applied_to_and_nothing_without_skills(shop, designer):
    task = f.task(shop, title="SNSでの情報発信を手伝ってほしい")
    services.apply_to_task(designer, task, "お手伝いしたいです。")
    assert services.tasks_for(designer) == []
    assert services.tasks_for(UserFactory()) == []  # no profile yet


# --- Residents for a task ---------------------------------------------------------------


def test_residents_who_fit_are_suggested_and_a_private_profile_never(shop, designer):
    task = f.task(shop, title="SNSでの情報発信を手伝ってほしい")
    f.resident(display_name="非公開 太郎", discoverable=False)
    f.resident(display_name="会計士 次郎", skills=("accounting",))

    with override("ja"):
        recommendations = services.residents_for(_member(shop), task)
    assert _names(recommendations) == ["デザイナー 花子"]
    assert "スキル『SNS運用』が一致" in recommendations[0].reasons


def test_a_busy_resident_moves_down(shop):
    task = f.task(shop, title="SNSでの情報発信を手伝ってほしい")
    busy = f.resident(display_name="忙しい 一郎")
    free = f.resident(display_name="余裕 二郎")
    # 一郎 is already working on another task, and has an invitation waiting
    other = f.task(shop, title="別の募集")
    application = services.apply_to_task(busy, other, "やります。")
    services.accept_application(_member(shop), application)
    third = f.task(shop, title="三つ目の募集")
    services.invite_resident(_member(shop), third, busy, "いかがですか。")

    assert _names(services.residents_for(_member(shop), task)) == [
        free.display_name,
        busy.display_name,
    ]


def test_only_members_of_the_verified_organization_get_suggestions(shop, designer):
    task = f.task(shop)
    with pytest.raises(NotFound):
        services.residents_for(UserFactory(), task)
    other = f.organization(name="別の商店街")
    with pytest.raises(NotFound):
        services.residents_for(_member(other), task)
    unverified = f.organization(verified=False, name="確認待ちの団体")
    with pytest.raises(NotFound):
        services.residents_for(_member(unverified), f.task(unverified, publish=False))


# --- On the pages ------------------------------------------------------------------------


def test_my_page_and_the_page_of_recommendations_show_the_task_and_why(client, shop, designer):
    task = f.task(shop, title="SNSでの情報発信を手伝ってほしい")
    client.force_login(designer)

    for url in ("/dashboard/", "/tasks/for-you/"):
        html = client.get(url).content.decode()
        assert "あなたに合う募集" in html
        assert f'href="/tasks/{task.pk}/"' in html
        assert "スキル『SNS運用』が一致" in html
    english = client.get("/en/tasks/for-you/").content.decode()
    assert "Tasks that fit you" in english and "Skill “Social media” matches" in english


def test_without_a_profile_the_page_says_what_to_do(client):
    client.force_login(UserFactory())
    html = client.get("/tasks/for-you/").content.decode()
    assert "スキルプロフィールを作成すると、あなたに合う募集が表示されます。" in html


def test_the_applications_page_suggests_residents_to_the_organization(client, shop, designer):
    task = f.task(shop, title="SNSでの情報発信を手伝ってほしい")
    client.force_login(_member(shop))

    html = client.get(f"/tasks/{task.pk}/applications/").content.decode()

    assert "この募集に合いそうな方" in html
    assert f'href="/residents/{designer.pk}/"' in html
    assert "週3時間の希望に合う" in html
