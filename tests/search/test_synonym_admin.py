"""Editors and moderators keep the synonyms in the Wagtail admin; residents cannot."""

import pytest
from django.urls import reverse

from accounts.models import Role
from accounts.services import grant_role
from search.backends.base import SearchQuery, get_backend
from search.models import Synonym
from tests.accounts.factories import UserFactory, with_second_factor

pytestmark = pytest.mark.django_db


def staff(role):
    user = UserFactory()
    grant_role(user, role)
    return with_second_factor(user)


def test_the_starter_set_covers_the_boards_words():
    words = {term for group in Synonym.objects.all() for term in group.term_list()}
    for typed in ("HP", "ホームページ", "パワポ", "PowerPoint", "帳簿", "経理", "会計", "インスタ"):
        assert typed in words


@pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR])
def test_an_editor_or_moderator_adds_a_group_in_the_admin_and_search_uses_it(
    client, role, django_capture_on_commit_callbacks, settings
):
    from tests.marketplace import factories as f

    settings.SEARCH_BACKEND = "search.backends.embedded.EmbeddedBackend"
    shop = f.organization(name="かっぱ橋本通り商店会")
    with django_capture_on_commit_callbacks(execute=True):
        f.task(shop, title="マスコットの着ぐるみを作りたい")
    from .test_contract import _index

    _index(shop, *shop.tasks.all())
    client.force_login(staff(role))

    listing = client.get(reverse("wagtailsnippets_search_synonym:list"))
    assert listing.status_code == 200
    assert "HP / ホームページ" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("wagtailsnippets_search_synonym:add"),
            {"terms": "ゆるキャラ、マスコット", "note": "区の催し"},
        )
    assert response.status_code == 302
    assert Synonym.objects.filter(note="区の催し").exists()

    found = get_backend().search(SearchQuery(text="ゆるキャラ", kinds=["task"]))
    assert [hit.title for hit in found.hits] == ["マスコットの着ぐるみを作りたい"]


def test_a_resident_cannot_open_the_synonyms(client):
    client.force_login(UserFactory())
    response = client.get(reverse("wagtailsnippets_search_synonym:list"))
    assert response.status_code in (302, 403)
