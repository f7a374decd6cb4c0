import pytest

from search.index import reindex_now
from tests.marketplace import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(search_backend):
    org = f.organization()
    task = f.task(org, title="会計ソフトの導入", category=f.skill("accounting"))
    other = f.task(f.organization(name="砂町", ward_code="131083"), title="会計の相談")
    profile = f.resident(display_name="経理 花子").resident_profile
    reindex_now(
        [("task", task.pk), ("task", other.pk), ("organization", org.pk), ("profile", profile.pk)]
    )
    return task


def test_search_page_shows_highlighted_results_and_facets(client, indexed):
    html = client.get("/search/", {"q": "会計"}).content.decode()
    assert "<mark>会計</mark>ソフトの導入" in html
    assert "2件が見つかりました" in html
    assert "台東区" in html and "江東区" in html  # ward facet with both wards


def test_facet_link_narrows_the_results(client, indexed):
    html = client.get("/search/", {"q": "会計", "ward": f.ward("131083").pk}).content.decode()
    assert "<mark>会計</mark>の相談" in html and "ソフトの導入" not in html


def test_search_never_shows_contact_details(client, indexed):
    html = client.get("/search/", {"q": "会計"}).content.decode()
    assert indexed.organization.contact_email not in html
    assert "@example.jp" not in html


def test_empty_results_say_what_to_do(client, indexed):
    html = client.get("/search/", {"q": "存在しない言葉"}).content.decode()
    assert "見つかりませんでした" in html


def test_suggest_returns_titles_as_json(client, indexed):
    data = client.get("/search/suggest/", {"q": "会計"}).json()
    assert "会計ソフトの導入" in data["suggestions"]


def test_search_page_without_a_query_is_a_plain_form(client, search_backend):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'type="search"' in response.content.decode()


def test_profiles_are_searchable_only_by_verified_organizations(client, indexed):
    assert "経理 花子" not in client.get("/search/", {"q": "デザイナー"}).content.decode()
    assert "経理 花子" not in client.get("/search/", {"kind": "profile"}).content.decode()
    client.force_login(indexed.organization.memberships.get().user)
    assert "経理 花子" in client.get("/search/", {"q": "デザイナー"}).content.decode()


def test_the_kind_facet_never_counts_profiles_for_the_public(client, indexed):
    # 経理 matches the accountant's profile; someone who may not search profiles sees
    # neither her nor how many profiles matched.
    html = client.get("/search/", {"q": "経理"}).content.decode()
    assert "経理 花子" not in html
    assert "kind=profile" not in html and ">profile <" not in html
    client.force_login(indexed.organization.memberships.get().user)
    assert "kind=profile" in client.get("/search/", {"q": "経理"}).content.decode()
