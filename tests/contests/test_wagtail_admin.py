"""Contests in the Wagtail admin: an organizer writes their own ward's contests and
never sees another ward's; editors write every contest; open datasets are imported
from a CKAN catalog (the local stand-in) and chosen for a contest."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from contests.models import ContestPage, Dataset
from core.models import ActivityLog

from . import factories as f

pytestmark = pytest.mark.django_db

PACKAGE = "t131083d0000000021"


@pytest.fixture
def contests():
    return {
        "koto": f.contest(title="江東区 オープンデータ・チャレンジ 2027", slug="koto-2027"),
        "taito": f.contest(
            title="台東区 観光データ・ハッカソン", slug="taito-2027", ward_code=f.TAITO
        ),
    }


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def explorer_titles(client, parent):
    response = client.get(reverse("wagtailadmin_explore", args=[parent.pk]))
    assert response.status_code == 200
    return [page.title for page in response.context["pages"]]


def contest_form(ward_code=f.KOTO, **fields):
    """What the admin's add form posts for a new contest (publish)."""
    data = {
        "title": "江東区 バリアフリーマップ・チャレンジ",
        "slug": "koto-barrier-free",
        "ward": str(f.ward(ward_code).pk),
        "summary": "段差やスロープの情報を地図にまとめるアプリを募集します。",
        "body": streamfield([("paragraph", rich_text("<p>区のデータを使ってください。</p>"))]),
        "eligibility_area": "wards",
        "eligibility": "",
        "team_size_max": "5",
        "rules": rich_text("<p>応募は1チーム1作品です。</p>"),
        "prizes": inline_formset(
            [{"name": "最優秀賞", "amount": "300000", "winners": "1"}], initial=0
        ),
        "announced_at": "2027-01-10 10:00",
        "entry_opens_at": "2027-01-15 10:00",
        "entry_closes_at": "2027-02-15 23:59",
        "building_starts_at": "",
        "submission_deadline": "2027-03-01 23:59",
        "screening_at": "",
        "final_presentation_at": "",
        "results_at": "2027-03-20 15:00",
        "support_ends_at": "",
        "dataset_links": inline_formset([], initial=0),
        "comments": inline_formset([]),
        "action-publish": "action-publish",
    }
    data.update(fields)
    return nested_form_data(data)


def add_url():
    return reverse("wagtailadmin_pages:add", args=["contests", "contestpage", f.contest_index().pk])


# --- Ward scope -------------------------------------------------------------------------


def test_an_organizer_edits_their_wards_contest_and_not_another_wards(client, contests):
    client.force_login(f.organizer(f.KOTO))

    assert client.get(edit_url(contests["koto"])).status_code == 200
    assert client.get(edit_url(contests["taito"])).status_code == 404
    # nor any other admin page about it
    for name in ("delete", "unpublish", "history", "lock", "copy", "move", "usage"):
        url = reverse(f"wagtailadmin_pages:{name}", args=[contests["taito"].pk])
        assert client.get(url).status_code == 404, name


def test_the_explorer_leaves_out_other_wards_contests(client, contests):
    client.force_login(f.organizer(f.KOTO))

    titles = explorer_titles(client, f.contest_index())

    assert "江東区 オープンデータ・チャレンジ 2027" in titles
    assert "台東区 観光データ・ハッカソン" not in titles
    # and searching the whole tree from the explorer does not find it either
    response = client.get(
        reverse("wagtailadmin_explore", args=[f.contest_index().pk]),
        {"q": "ハッカソン", "search_all": "1"},
    )
    assert response.status_code == 200
    assert "台東区 観光データ・ハッカソン" not in response.content.decode()


def test_an_organizer_cannot_change_the_contest_index_page_itself(client, contests):
    client.force_login(f.organizer(f.KOTO))

    response = client.get(edit_url(f.contest_index()))

    assert response.status_code == 302  # Wagtail's "no permission", back to the dashboard
    assert response["Location"] == reverse("wagtailadmin_home")


def test_an_organizer_creates_and_publishes_a_contest_of_their_ward(client, contests):
    organizer = f.organizer(f.KOTO)
    client.force_login(organizer)
    form = client.get(add_url())
    assert form.status_code == 200
    # only their ward is offered
    assert list(form.context["form"].fields["ward"].queryset) == [f.ward(f.KOTO)]

    response = client.post(add_url(), contest_form())

    assert response.status_code == 302, response.context["form"].errors
    page = ContestPage.objects.get(slug="koto-barrier-free")
    assert page.live and page.ward == f.ward(f.KOTO)
    assert page.prizes.get().amount == 300_000
    assert page.owner == organizer
    assert client.get(edit_url(page)).status_code == 200


def test_a_forged_ward_is_refused_by_the_form(client, contests):
    client.force_login(f.organizer(f.KOTO))

    response = client.post(add_url(), contest_form(ward_code=f.TAITO))

    assert response.status_code == 200
    assert "ward" in response.context["form"].errors
    assert not ContestPage.objects.filter(slug="koto-barrier-free").exists()


def test_an_organizer_cannot_move_their_contest_to_another_ward_when_editing(client, contests):
    client.force_login(f.organizer(f.KOTO))
    page = contests["koto"]
    data = contest_form(
        title=page.title,
        slug=page.slug,
        ward_code=f.TAITO,
        prizes=inline_formset([], initial=0),
    )

    response = client.post(edit_url(page), data)

    assert response.status_code == 200
    assert "ward" in response.context["form"].errors
    page.refresh_from_db()
    assert page.ward == f.ward(f.KOTO)


def test_an_editor_edits_every_wards_contest(client, contests):
    client.force_login(f.editor())

    assert client.get(edit_url(contests["koto"])).status_code == 200
    assert client.get(edit_url(contests["taito"])).status_code == 200
    titles = explorer_titles(client, f.contest_index())
    assert {"江東区 オープンデータ・チャレンジ 2027", "台東区 観光データ・ハッカソン"} <= set(
        titles
    )


def test_a_resident_gets_no_admin(client, contests):
    client.force_login(f.entrant())

    response = client.get(edit_url(contests["koto"]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_permission_tester_says_no_about_another_wards_contest(contests):
    organizer = f.organizer(f.KOTO)

    mine = contests["koto"].permissions_for_user(organizer)
    theirs = contests["taito"].permissions_for_user(organizer)
    # as Wagtail asks through the base page class, too
    theirs_generic = Page.objects.get(pk=contests["taito"].pk).permissions_for_user(organizer)

    assert mine.can_edit() and mine.can_publish() and mine.can_unpublish()
    for tester in (theirs, theirs_generic):
        assert not tester.can_edit()
        assert not tester.can_publish()
        assert not tester.can_delete()
        assert not tester.can_unpublish()
        assert not tester.can_lock()


# --- Open datasets ----------------------------------------------------------------------


def import_url():
    return reverse("contests_dataset_import:index")


def test_an_organizer_imports_a_dataset_by_its_page_address(client, catalog):
    catalog.answer("package_show", "package_show.json")
    organizer = f.organizer(f.KOTO)
    client.force_login(organizer)
    assert import_url() in client.get(reverse("wagtailadmin_home")).content.decode()  # menu
    assert client.get(import_url()).status_code == 200

    response = client.post(
        import_url(), {"reference": f"{catalog.url}/dataset/{PACKAGE}"}, follow=True
    )

    dataset = Dataset.objects.get(ckan_id=PACKAGE)
    assert dataset.title == "江東区 町丁別世帯数及び人口"
    assert dataset.resources.count() == 3
    page = response.content.decode()
    assert "江東区 町丁別世帯数及び人口" in page  # the success message
    assert reverse(Dataset.snippet_viewset.get_url_name("inspect"), args=[dataset.pk]) in page
    assert ActivityLog.objects.filter(action="contests.dataset_imported", actor=organizer).exists()


def test_a_package_id_with_the_catalogs_address_imports_too(client, catalog):
    catalog.answer("package_show", "package_show.json")
    client.force_login(f.editor())

    response = client.post(import_url(), {"reference": PACKAGE, "catalog_url": catalog.url})

    assert response.status_code == 302
    assert Dataset.objects.get(ckan_id=PACKAGE).catalog.base_url == catalog.url


def test_a_catalog_error_is_shown_on_the_form_and_imports_nothing(client, catalog):
    catalog.answer("package_show", "not_found.json", status=404)
    client.force_login(f.organizer(f.KOTO))

    response = client.post(import_url(), {"reference": f"{catalog.url}/dataset/{PACKAGE}"})

    assert response.status_code == 200
    [message] = response.context["import_form"].errors["reference"]
    assert PACKAGE in message
    assert message in response.content.decode()
    assert not Dataset.objects.exists()


def test_searching_a_catalog_lists_hits_to_import(client, catalog):
    catalog.answer("package_search", "package_search.json")
    client.force_login(f.organizer(f.KOTO))

    response = client.get(
        import_url(), {"catalog": catalog.url, "q": "人口", "organization": "t131083"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "江東区 町丁別世帯数及び人口" in page and "江東区 年齢別人口" in page
    assert page.count('name="reference"') >= 3  # the form's box and one button per hit
    [asked] = catalog.asked("package_search")
    assert asked.query["q"] == "人口"


def test_only_dataset_curators_may_import(client, catalog):
    # given a moderator: in the admin, but not one who imports datasets
    from accounts import services as account_services
    from accounts.models import Role
    from tests.accounts.factories import UserFactory, with_second_factor

    moderator = UserFactory()
    account_services.grant_role(moderator, Role.MODERATOR)
    client.force_login(with_second_factor(moderator))

    response = client.post(import_url(), {"reference": f"{catalog.url}/dataset/{PACKAGE}"})

    assert response.status_code == 403
    assert catalog.requests == []
    assert not Dataset.objects.exists()
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert import_url() not in menu


def test_organizers_and_editors_find_datasets_in_the_snippet_listing(client):
    f.dataset()
    f.dataset("台東区 観光施設一覧", "taito-sightseeing")
    listing = reverse(Dataset.snippet_viewset.get_url_name("list"))
    chooser = reverse(Dataset.snippet_viewset.chooser_viewset.get_url_name("choose"))

    for user in (f.organizer(f.KOTO), f.editor()):
        client.force_login(user)
        response = client.get(listing, {"q": "自転車"})
        assert response.status_code == 200
        page = response.content.decode()
        assert "江東区 自転車駐車場一覧" in page and "台東区 観光施設一覧" not in page
        assert client.get(chooser).status_code == 200
