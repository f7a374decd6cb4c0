"""Contests, public entries and open datasets are found by /search/, through the app's
own search documents (contests/search_documents.py), on the embedded backend."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from contests import services
from search.backends.base import SearchQuery, get_backend
from search.index import reindex_now

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend(settings):
    settings.SEARCH_BACKEND = "search.backends.embedded.EmbeddedBackend"
    backend = get_backend()
    backend.rebuild([])
    yield backend
    backend.rebuild([])


@pytest.fixture
def live(backend, django_capture_on_commit_callbacks):
    """A 江東区 contest about 放置自転車, published in the admin's way (indexed on publish),
    with a team that saved its entry publicly."""
    with django_capture_on_commit_callbacks(execute=True):
        page = f.contest()
        page.themes.set([f.theme("放置自転車対策", "bicycles")])
        page.save_revision().publish()
        team = f.team(page)
        submission = f.submit(team)
    return page, team, submission


def found(text, kind):
    results = get_backend().search(SearchQuery(text=text, kinds=[kind]))
    return [(hit.kind, hit.object_id) for hit in results.hits]


def test_a_live_contest_is_found_by_its_theme_on_the_search_page(client, live):
    page, _team, _submission = live

    response = client.get(reverse("search:search"), {"q": "放置自転車"})

    html = response.content.decode()
    assert page.title in html
    assert f'href="{page.url}"' in html
    assert 'value="contest"' in html  # its own choice in "what to search"
    hit = get_backend().search(SearchQuery(text="放置自転車対策", kinds=["contest"])).hits[0]
    assert (hit.object_id, hit.ward_id) == (page.pk, f.ward(f.KOTO).pk)


def test_a_contest_is_found_by_its_summary_and_its_ward(live):
    page, _team, _submission = live
    assert found("地域の課題", "contest") == [("contest", page.pk)]
    assert found("Koto", "contest") == [("contest", page.pk)]


def test_an_unpublished_contest_leaves_the_index(live, django_capture_on_commit_callbacks):
    page, _team, _submission = live
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()
    assert found("放置自転車", "contest") == []


def test_a_public_entry_is_found_by_its_problem_with_a_link_to_it(client, live):
    _page, _team, submission = live

    html = client.get(reverse("search:search"), {"q": "歩道をふさいで"}).content.decode()

    assert "駐輪ナビ" in html
    assert reverse("contests:submission_detail", args=[submission.pk]) in html


def test_a_private_entry_is_not_found(client, live, django_capture_on_commit_callbacks):
    page, _team, _submission = live
    with django_capture_on_commit_callbacks(execute=True):
        other = f.team(page, f.entrant(display_name="別の人"), name="チーム内緒")
        f.submit(other, title="内緒の地図", problem="秘密の課題です。", is_public=False)

    assert found("秘密の課題", "submission") == []
    html = client.get(reverse("search:search"), {"q": "秘密の課題"}).content.decode()
    assert "内緒の地図" not in html


def test_an_entry_made_private_disappears_after_its_save(live, django_capture_on_commit_callbacks):
    _page, team, submission = live
    assert found("歩道をふさいで", "submission") == [("submission", submission.pk)]

    with django_capture_on_commit_callbacks(execute=True):
        f.submit(team, is_public=False)

    assert found("歩道をふさいで", "submission") == []


def test_an_entry_of_an_unpublished_contest_is_not_indexed(live):
    page, _team, submission = live
    page.unpublish()

    reindex_now([("submission", submission.pk)])

    assert found("歩道をふさいで", "submission") == []


def test_an_entry_of_a_withdrawn_team_is_not_indexed(live):
    _page, team, submission = live
    services.leave_team(team.leader, team)  # the only member: the team is withdrawn

    reindex_now([("submission", submission.pk)])

    assert found("歩道をふさいで", "submission") == []


def test_a_dataset_is_found_by_its_notes_tags_and_publisher(client, backend):
    dataset = f.dataset()
    dataset.notes = "区内の自転車駐車場の位置と収容台数です。"
    dataset.publisher = "江東区 土木部"
    dataset.tags = ["シェアサイクル"]
    dataset.save()

    reindex_now([("dataset", dataset.pk)])

    for text in ("収容台数", "しぇあさいくる", "土木部"):
        assert found(text, "dataset") == [("dataset", dataset.pk)], text
    html = client.get(reverse("search:search"), {"q": "収容台数"}).content.decode()
    assert reverse("contests:dataset_detail", args=[dataset.pk]) in html


def test_search_rebuild_indexes_contests_entries_and_datasets(live, backend):
    page, _team, submission = live
    dataset = f.dataset()
    backend.rebuild([])

    call_command("search_rebuild", stdout=StringIO())

    assert found("放置自転車", "contest") == [("contest", page.pk)]
    assert found("歩道をふさいで", "submission") == [("submission", submission.pk)]
    assert found("自転車駐車場", "dataset") == [("dataset", dataset.pk)]


def test_search_rebuild_leaves_out_private_entries(
    live, backend, django_capture_on_commit_callbacks
):
    _page, team, _submission = live
    with django_capture_on_commit_callbacks(execute=True):
        f.submit(team, is_public=False)

    call_command("search_rebuild", stdout=StringIO())

    assert found("歩道をふさいで", "submission") == []
