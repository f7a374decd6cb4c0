from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.models import BoardPage, HomePage
from marketplace import services
from marketplace.models import Task, WorkStyle

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    home = HomePage.objects.get(locale__language_code="ja")
    page = BoardPage(title="募集を探す", slug="board", per_page=10)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def titles(client, query=""):
    html = client.get("/board/" + query).content.decode()
    return {t.title for t in Task.objects.all() if t.title in html}


def test_board_lists_open_tasks_only(client, board):
    org = f.organization()
    f.task(org, title="公開中の募集")
    f.task(org, title="下書きの募集", publish=False)
    f.task(f.organization(verified=False, name="未確認"), title="確認待ちの募集")
    assert titles(client) == {"公開中の募集"}


def test_filters_narrow_the_list(client, board, django_capture_on_commit_callbacks):
    # committed, so the keyword search index has them too
    with django_capture_on_commit_callbacks(execute=True):
        taito = f.organization()
        koto = f.organization(name="砂町", ward_code="131083")
        f.task(taito, title="台東の在宅SNS", hours_per_week=2)
        f.task(
            koto,
            title="江東の現地撮影",
            category=f.skill("photo-video"),
            work_style=WorkStyle.ONSITE,
            hours_per_week=8,
        )
    ward = f.ward("131083").pk
    assert titles(client, f"?ward={ward}") == {"江東の現地撮影"}
    assert titles(client, f"?category={f.skill('photo-video').pk}") == {"江東の現地撮影"}
    assert titles(client, "?remote=on") == {"台東の在宅SNS"}
    assert titles(client, "?hours=5") == {"台東の在宅SNS"}
    assert titles(client, f"?skill={f.skill('design').pk}") == {"台東の在宅SNS", "江東の現地撮影"}
    assert titles(client, "?q=撮影") == {"江東の現地撮影"}
    assert titles(client, "?q=在宅ｓｎｓ") == {"台東の在宅SNS"}  # full width, lower case
    # the search syntax works on the board as in search: a phrase as written, a minus
    assert titles(client, '?q="台東の在宅"') == {"台東の在宅SNS"}
    assert titles(client, '?q="在宅 台東"') == set()  # both words, not so written
    assert titles(client, "?q=撮影 -江東") == set()


def test_status_and_posted_within(client, board):
    org = f.organization()
    old = f.task(org, title="古い募集")
    Task.objects.filter(pk=old.pk).update(published_at=timezone.now() - timedelta(days=40))
    f.task(org, title="新しい募集")
    matched = f.task(org, title="成立した募集")
    services.accept_application(
        org.memberships.get().user, services.apply_to_task(f.resident(), matched, "hi")
    )
    assert titles(client, "?posted=30") == {"新しい募集"}
    assert titles(client, "?status=matched") == {"成立した募集"}


def test_sort_orders(client, board):
    org = f.organization()
    soon = f.task(org, title="急ぎの募集", apply_deadline=timezone.localdate() + timedelta(days=2))
    popular = f.task(org, title="人気の募集")
    for _ in range(2):
        services.apply_to_task(f.resident(), popular, "応募")
    html = client.get("/board/?sort=deadline").content.decode()
    assert html.index(soon.title) < html.index(popular.title)
    html = client.get("/board/?sort=applicants").content.decode()
    assert html.index(soon.title) < html.index(popular.title)
    html = client.get("/board/").content.decode()  # newest first
    assert html.index(popular.title) < html.index(soon.title)


def test_pagination_and_empty_state(client, board):
    org = f.organization()
    for n in range(12):
        f.task(org, title=f"募集その{n:02d}")
    first = client.get("/board/").content.decode()
    second = client.get("/board/?page=2").content.decode()
    assert first.count("募集その") == 10 and second.count("募集その") == 2
    empty = client.get(f"/board/?ward={f.ward('131237').pk}")
    assert empty.status_code == 200
    assert "empty-state" in empty.content.decode()
    assert "募集その" not in empty.content.decode()


def _queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_board_queries_do_not_grow_with_rows(client, board):
    org = f.organization()
    for n in range(3):
        f.task(org, title=f"少ない{n}")
    few = _queries(client, "/board/")
    for n in range(7):
        f.task(f.organization(name=f"団体{n}"), title=f"多い{n}")
    assert _queries(client, "/board/") == few


def test_task_detail_queries_do_not_grow_with_skills_and_applications(client):
    org = f.organization()
    task = f.task(org)
    few = _queries(client, f"/tasks/{task.pk}/")
    services.update_task(
        org.memberships.get().user,
        task,
        skills=[f.skill(c) for c in ("web", "sns", "design", "it")],
    )
    for _ in range(3):
        services.apply_to_task(f.resident(), task, "応募")
    assert _queries(client, f"/tasks/{task.pk}/") == few
