"""E-mail digests: what each subscriber hears about, once per period, in their language,
and leaving them from the e-mail without signing in (RFC 8058)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from marketplace.models import WorkStyle
from notifications import digests, services
from notifications.models import DigestDelivery, DigestSettings, Frequency
from notifications.tasks import send_digests
from tests.accounts.factories import UserFactory
from tests.contests import factories as cf
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db

TASKS = "marketplace.new_tasks"
CONTESTS = "contests.new_contests"
DEADLINES = "contests.deadlines"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Run the daily (or weekly) digests as beat would, the mails sent at commit."""

    def run(frequency="daily"):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            send_digests(frequency)
        return list(mail.outbox)

    return run


@pytest.fixture
def designer():
    # 世田谷区, SNS運用 and デザイン, 3 hours a week, remote; wants the daily digest
    user = f.resident(display_name="デザイナー 花子", email="hanako@example.jp")
    services.choose_digest(user, Frequency.DAILY, [TASKS, CONTESTS, DEADLINES])
    return user


def _digest_for(messages, user):
    found = [m for m in messages if m.to == [user.email]]
    assert len(found) <= 1
    return found[0] if found else None


def test_a_new_sns_task_reaches_the_designer_with_why_and_the_link(send, designer):
    shop = f.organization()
    task = f.task(shop, title="商店街のInstagram運用")
    f.task(shop, title="経理の手伝い", category=f.skill("accounting"), skills=("accounting",))

    digest = _digest_for(send(), designer)

    assert digest is not None
    assert "毎日のお知らせ" in digest.subject
    assert "商店街のInstagram運用" in digest.body
    assert "経理の手伝い" not in digest.body  # not her skills
    assert reverse("marketplace:task_detail", args=[task.pk]) in digest.body
    assert "スキル『SNS運用』が一致" in digest.body
    assert "在宅可" in digest.body


def test_every_digest_can_be_left_in_one_click(send, designer):
    f.task(f.organization())
    digest = _digest_for(send(), designer)
    link = digest.extra_headers["List-Unsubscribe"]
    assert link.startswith("<http") and link.endswith(">")
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link[1:-1] in digest.body


def test_a_period_is_sent_once_even_when_the_run_repeats(send, designer):
    f.task(f.organization())
    assert _digest_for(send(), designer) is not None
    assert _digest_for(send(), designer) is None
    assert DigestDelivery.objects.filter(user=designer).count() == 1


def test_nothing_new_no_e_mail_and_nobody_who_did_not_choose_it(send, designer):
    assert send() == []  # nothing posted
    other = f.resident(email="other@example.jp")  # never chose a digest
    f.task(f.organization())
    sent = send()
    assert _digest_for(sent, designer) is not None
    assert _digest_for(sent, other) is None


def test_weekly_readers_get_nothing_from_the_daily_run(send, designer):
    services.choose_digest(designer, Frequency.WEEKLY, [TASKS])
    f.task(f.organization())
    assert _digest_for(send("daily"), designer) is None
    assert _digest_for(send("weekly"), designer) is not None


def test_a_topic_left_out_is_not_in_the_digest(send, designer):
    services.choose_digest(designer, Frequency.DAILY, [CONTESTS])
    f.task(f.organization())
    assert _digest_for(send(), designer) is None


def test_tasks_already_applied_to_and_old_tasks_are_left_out(send, designer):
    from marketplace import services as board

    shop = f.organization()
    applied = f.task(shop, title="もう応募した募集")
    board.apply_to_task(designer, applied, "やります")
    old = f.task(shop, title="先月の募集")
    type(old).objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=3))
    assert _digest_for(send(), designer) is None


def test_on_site_work_elsewhere_is_not_sent_to_someone_who_only_works_remotely(send, designer):
    f.task(f.organization(), title="店頭での撮影", work_style=WorkStyle.ONSITE)
    assert _digest_for(send(), designer) is None


def test_an_english_reader_gets_english_and_english_links(send):
    reader = f.resident(email="en@example.jp", language="en")
    services.choose_digest(reader, Frequency.DAILY, [TASKS])
    task = f.task(f.organization())
    digest = _digest_for(send(), reader)
    assert "Your daily digest" in digest.subject
    assert "matches" in digest.body and "Remote OK" in digest.body
    assert f"/en/tasks/{task.pk}/" in digest.body
    assert "/en/notifications/unsubscribe/" in digest.extra_headers["List-Unsubscribe"]


def test_a_new_contest_in_her_ward_comes_first_and_a_ward_only_contest_elsewhere_never(
    send, designer
):
    cf.contest(title="江東区 チャレンジ", ward_code=cf.KOTO, eligibility_area="ward")
    cf.contest(title="世田谷区 チャレンジ", ward_code="131121", eligibility_area="ward")
    cf.contest(title="23区 チャレンジ", ward_code=cf.KOTO)
    body = _digest_for(send(), designer).body
    assert "江東区 チャレンジ" not in body
    assert body.index("世田谷区 チャレンジ") < body.index("23区 チャレンジ")
    assert "世田谷区のコンテスト（あなたの区）" in body


def test_deadlines_coming_up_for_her_team(send, designer):
    contest = cf.contest(title="江東区 チャレンジ")
    cf.team(contest, leader=designer)
    now = timezone.now()
    type(contest).objects.filter(pk=contest.pk).update(
        first_published_at=now - timedelta(days=30),
        entry_opens_at=now - timedelta(days=30),
        entry_closes_at=now - timedelta(days=1),
        submission_deadline=now + timedelta(days=2),
    )
    body = _digest_for(send(), designer).body
    assert "江東区 チャレンジ" in body
    assert "チームの作品の提出締切" in body


# --- Leaving ---------------------------------------------------------------------------


def _unsubscribe_url(user, topic=services.ALL_TOPICS):
    return reverse("notifications:unsubscribe", args=[services.unsubscribe_token(user, topic)])


def test_one_click_unsubscribe_works_logged_out_as_mail_programs_post_it(client, designer):
    response = client.post(
        _unsubscribe_url(designer),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert DigestSettings.objects.get(user=designer).frequency == Frequency.NEVER


def test_opening_the_link_changes_nothing_until_the_button(client, designer):
    page = client.get(_unsubscribe_url(designer))
    assert page.status_code == 200
    assert "メールでのお知らせの配信をすべて停止しますか" in page.content.decode()
    assert DigestSettings.objects.get(user=designer).frequency == Frequency.DAILY


def test_leaving_one_topic_keeps_the_others(client, designer):
    client.post(_unsubscribe_url(designer, CONTESTS))
    settings = DigestSettings.objects.get(user=designer)
    assert settings.frequency == Frequency.DAILY
    assert CONTESTS not in settings.topics and TASKS in settings.topics


def test_a_forged_or_altered_link_is_not_found(client, designer):
    token = services.unsubscribe_token(designer)
    assert client.post(f"/notifications/unsubscribe/{token[:-2]}xx/").status_code == 404
    assert DigestSettings.objects.get(user=designer).frequency == Frequency.DAILY


# --- Settings --------------------------------------------------------------------------


def test_choosing_the_digest_on_the_settings_page(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert "あなたのスキルに合う新着の募集" in page
    response = client.post(reverse("notifications:settings"), {"frequency": "daily"})
    assert "1つ以上選んでください" in response.content.decode()
    assert not DigestSettings.objects.filter(user=user).exists()
    client.post(reverse("notifications:settings"), {"frequency": "weekly", "topics": [TASKS]})
    assert DigestSettings.objects.get(user=user).topics == [TASKS]


def test_the_period_is_the_tokyo_day_and_iso_week():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 12, 6, 22, 30, tzinfo=ZoneInfo("UTC"))  # Mon 7 Dec in Tokyo
    assert digests.period_of("daily", moment).key == "daily:2026-12-07"
    assert digests.period_of("weekly", moment).key == "weekly:2026-W50"
