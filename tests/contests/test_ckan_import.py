"""Importing open datasets from a CKAN catalog's Action API (contests.ckan,
contests.services.import_dataset), on recorded responses served by a stand-in catalog.

Messages are checked in English (translation.override): the Japanese ones come from the
catalogue, and what matters here is which message each failure gets.
"""

import gzip
import time
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.utils import timezone, translation

from accounts import services as account_services
from accounts.models import Role
from contests import ckan
from contests.ckan import CatalogError, PackageReference, parse_package_reference
from contests.models import Catalog, Dataset, Resource
from contests.services import import_dataset, search_catalog
from core.errors import NotAllowed
from core.models import ActivityLog
from tests.accounts.factories import UserFactory
from tests.servers import free_port

from .catalog import recorded

pytestmark = pytest.mark.django_db

PACKAGE = "t131083d0000000021"
CSV, XLSX, PDF = (f"0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0{n}" for n in (1, 2, 3))


def page(catalog, name=PACKAGE) -> str:
    return f"{catalog.url}/dataset/{name}"


def package_show(changes=None) -> dict:
    """The recorded package_show answer, changed by `changes(package)` if given."""
    answer = recorded("package_show.json")
    if changes:
        changes(answer["result"])
    return answer


def counts() -> tuple[int, int, int, int]:
    return (
        Catalog.objects.count(),
        Dataset.objects.count(),
        Resource.objects.count(),
        ActivityLog.objects.filter(action__startswith="contests.").count(),
    )


def snapshot(dataset: Dataset) -> tuple:
    dataset.refresh_from_db()
    resources = list(dataset.resources.values_list("pk", "ckan_id", "name", "size", "url"))
    return dataset.title, dataset.imported_at, dataset.tags, resources


def refused(code: str, call, *args, **kwargs) -> CatalogError:
    with translation.override("en"), pytest.raises(CatalogError) as error:
        call(*args, **kwargs)
    assert error.value.code == code, error.value.message
    return error.value


# --- Importing --------------------------------------------------------------------------


def test_a_dataset_page_imports_the_package_its_resources_and_its_catalog(catalog, organizer):
    # given a Tokyo-style catalog answering package_show
    catalog.answer("package_show", "package_show.json")

    # when an organizer pastes the dataset's page
    dataset = import_dataset(organizer, page(catalog))

    # then the package is stored with its catalog, which was new
    assert dataset.catalog.base_url == catalog.url
    assert dataset.catalog.name == catalog.url.removeprefix("http://")
    assert dataset.ckan_id == PACKAGE
    assert dataset.name == PACKAGE
    assert dataset.title == "江東区 町丁別世帯数及び人口"
    assert dataset.notes.startswith("江東区の町丁別の世帯数")
    assert dataset.publisher == "江東区"
    assert dataset.publisher_name == "t131083"
    assert dataset.licence_id == "CC-BY-4.0"
    assert dataset.licence_title == "クリエイティブ・コモンズ 表示 4.0 国際"
    assert dataset.licence_url == "https://creativecommons.org/licenses/by/4.0/deed.ja"
    assert dataset.tags == ["人口", "世帯数", "町丁別"]
    assert dataset.source_url == page(catalog)
    assert dataset.imported_at is not None
    # CKAN's "2024-03-01T02:03:04.123456" has no zone: it is UTC, 11:03 in Tokyo
    dataset.refresh_from_db()
    assert dataset.metadata_modified == datetime(2024, 3, 1, 2, 3, 4, 123456, tzinfo=UTC)
    assert timezone.localtime(dataset.metadata_modified).strftime("%H:%M") == "11:03"

    # and its three resources in the catalog's order, one of them without a size
    csv, xlsx, pdf = dataset.resources.all()
    assert (csv.ckan_id, csv.format, csv.size, csv.position) == (CSV, "CSV", 48213, 0)
    assert csv.name == "町丁別世帯数及び人口（令和6年3月1日現在）"
    assert csv.url == "https://www.city.koto.lg.jp/opendata/jinko/r0603_chocho.csv"
    assert csv.last_modified == datetime(2024, 3, 1, 2, 0, tzinfo=UTC)
    assert (xlsx.ckan_id, xlsx.format, xlsx.size) == (XLSX, "XLSX", 61440)  # "61440" in JSON
    assert xlsx.last_modified == datetime(2024, 3, 1, 2, 0, 0, 500000, tzinfo=UTC)
    assert (pdf.ckan_id, pdf.format, pdf.size, pdf.last_modified) == (PDF, "PDF", None, None)
    # a Japanese file name becomes a link any browser or client can follow
    assert pdf.url == (
        "https://www.city.koto.lg.jp/opendata/jinko/"
        "%E9%A0%85%E7%9B%AE%E5%AE%9A%E7%BE%A9%E6%9B%B8.pdf"
    )

    # and the catalog was asked once, politely, for that package
    (request,) = catalog.requests
    assert (request.path, request.query) == ("/api/3/action/package_show", {"id": PACKAGE})
    assert request.headers["User-Agent"].startswith("kankei-jinkou-contests/")

    # and the import is in the activity log
    entry = ActivityLog.objects.get(action="contests.dataset_imported")
    assert (entry.actor, entry.target) == (organizer, dataset)
    assert entry.data["resources_added"] == 3
    assert ActivityLog.objects.filter(action="contests.catalog_added").count() == 1


def test_an_id_is_imported_from_the_catalog_chosen(catalog, organizer):
    # given a catalog the platform knows, added with its API's address
    known = Catalog.objects.create(
        name="東京都オープンデータカタログサイト", base_url=f"{catalog.url}/api/3/action/"
    )
    catalog.answer("package_show", "package_show.json")

    # when an organizer gives the package id and that catalog
    dataset = import_dataset(organizer, f"  {PACKAGE} ", catalog=known)

    # then it lands there, and no other catalog is added
    assert dataset.catalog == known
    assert known.base_url == catalog.url
    assert dataset.source_url == page(catalog)
    assert Catalog.objects.count() == 1
    assert catalog.asked("package_show")[0].query == {"id": PACKAGE}


def test_an_id_without_a_catalog_is_refused_before_asking(catalog, organizer):
    error = refused("bad_url", import_dataset, organizer, PACKAGE)

    assert "Choose the catalog" in error.message
    assert catalog.requests == []
    assert counts() == (0, 0, 0, 0)


def test_a_page_on_another_catalog_than_the_one_chosen_is_refused(catalog, organizer):
    known = Catalog.objects.create(
        name="港区オープンデータ", base_url="https://opendata.example.jp"
    )

    error = refused("bad_url", import_dataset, organizer, page(catalog), catalog=known)

    assert "港区オープンデータ" in error.message
    assert catalog.requests == []


def test_importing_again_updates_the_same_dataset_and_replaces_its_resources(catalog, organizer):
    # given an imported dataset
    catalog.answer("package_show", "package_show.json")
    dataset = import_dataset(organizer, page(catalog))
    rows = dict(dataset.resources.values_list("ckan_id", "pk"))

    # and the ward then publishes April's figures: a new title, a bigger CSV, the Excel
    # file replaced by a JSON API, the definitions PDF unchanged
    def april(package):
        package["title"] = "江東区 町丁別世帯数及び人口（毎月更新）"
        package["metadata_modified"] = "2024-04-01T01:00:00.000001"
        package["tags"].append({"name": "オープンデータ"})
        csv, _xlsx, pdf = package["resources"]
        csv["size"] = 48999
        csv["last_modified"] = "2024-04-01T00:59:00"
        api = {**csv, "id": "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c01", "format": "JSON"}
        api |= {"name": "町丁別人口 API", "url": "https://api.example.jp/koto/jinko", "size": None}
        package["resources"] = [csv, api, pdf]

    catalog.answer("package_show", package_show(april))

    # when it is imported again
    again = import_dataset(organizer, page(catalog))

    # then it is the same row (links to it stay), brought up to date
    assert again.pk == dataset.pk
    again.refresh_from_db()
    assert again.title == "江東区 町丁別世帯数及び人口（毎月更新）"
    assert again.metadata_modified == datetime(2024, 4, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert again.tags == ["人口", "世帯数", "町丁別", "オープンデータ"]
    # and the resources follow the catalog: updated in place, added, dropped
    csv, api, pdf = again.resources.all()
    assert (csv.pk, csv.size, csv.position) == (rows[CSV], 48999, 0)
    assert csv.last_modified == datetime(2024, 4, 1, 0, 59, tzinfo=UTC)
    assert (api.format, api.size, api.position) == ("JSON", None, 1)
    assert api.pk not in rows.values()
    assert (pdf.pk, pdf.position) == (rows[PDF], 2)
    assert not Resource.objects.filter(ckan_id=XLSX).exists()
    assert counts()[:3] == (1, 1, 3)
    entry = ActivityLog.objects.get(action="contests.dataset_updated")
    assert (entry.data["resources_added"], entry.data["resources_updated"]) == (1, 2)
    assert entry.data["resources_removed"] == 1


def test_a_renamed_package_updates_the_same_dataset(catalog, organizer):
    # given an imported dataset whose name the ward later changed (the id stays)
    catalog.answer("package_show", "package_show.json")
    dataset = import_dataset(organizer, page(catalog))
    catalog.answer(
        "package_show", package_show(lambda package: package.update(name="koto-chocho-jinko"))
    )

    # when it is imported from its new page
    again = import_dataset(organizer, page(catalog, "koto-chocho-jinko"))

    # then the same dataset has the new name and page
    assert again.pk == dataset.pk
    assert again.source_url == page(catalog, "koto-chocho-jinko")
    assert Dataset.objects.count() == 1


# --- Failures: a clear message, nothing written ----------------------------------------

VALIDATION_ERROR = {
    "help": "https://catalog.data.metro.tokyo.lg.jp/api/3/action/help_show?name=package_show",
    "success": False,
    "error": {"__type": "Validation Error", "id": ["Missing value"]},
}


def _without_modified(package):
    del package["metadata_modified"]


def _dates_in_words(package):
    package["resources"][1]["last_modified"] = "令和6年3月1日"


@pytest.mark.parametrize(
    ("body", "reply", "code", "message"),
    [
        ("not_found.json", {"status": 404}, "not_found", f"has no dataset “{PACKAGE}”"),
        ("authorization_error.json", {"status": 403}, "refused", "Access denied: User"),
        (VALIDATION_ERROR, {"status": 409}, "refused", "refused the request: id: Missing value"),
        ("malformed.json", {}, "malformed", "did not answer with CKAN data"),
        (b"[]", {}, "malformed", "did not answer with CKAN data"),
        ({"success": True, "result": []}, {}, "malformed", "did not answer with CKAN data"),
        (package_show(_without_modified), {}, "malformed", "no usable “metadata_modified”"),
        (package_show(_dates_in_words), {}, "malformed", "“resources.last_modified”"),
        (
            b"<html><body>502 Bad Gateway</body></html>",
            {"status": 502, "content_type": "text/html"},
            "unreachable",
            "could not be reached",
        ),
    ],
    ids=[
        "404",
        "authorization",
        "validation",
        "malformed-json",
        "not-an-envelope",
        "result-not-a-package",
        "missing-timestamp",
        "unreadable-timestamp",
        "gateway-error",
    ],
)
def test_a_failing_catalog_gives_a_clear_message_and_writes_nothing(
    catalog, organizer, body, reply, code, message
):
    # given a catalog failing that way
    catalog.answer("package_show", body, **reply)

    # when an organizer imports from it, then the error says what happened...
    error = refused(code, import_dataset, organizer, page(catalog))
    assert message in error.message
    # ...and not even the catalog was added
    assert counts() == (0, 0, 0, 0)

    # given the dataset imported while the catalog was well
    catalog.answer("package_show", "package_show.json")
    dataset = import_dataset(organizer, page(catalog))
    before, rows = snapshot(dataset), counts()

    # when importing again meets the failure, then the stored dataset is as it was
    catalog.answer("package_show", body, **reply)
    refused(code, import_dataset, organizer, page(catalog))
    assert snapshot(dataset) == before
    assert counts() == rows


def test_an_address_that_answers_no_ckan_says_so(catalog, organizer):
    # a web site, but nothing at /api/3/action/ (the stand-in's 404 page)
    error = refused("not_found", import_dataset, organizer, page(catalog))

    assert (
        error.message == f"No CKAN catalog answers at {catalog.url}. Check the catalog's address."
    )
    assert counts() == (0, 0, 0, 0)


def test_a_resource_with_an_unusable_link_refuses_the_whole_dataset(catalog, organizer):
    # given a dataset imported once
    catalog.answer("package_show", "package_show.json")
    dataset = import_dataset(organizer, page(catalog))
    before, rows = snapshot(dataset), counts()

    # and a new version whose first resources are fine but whose last links to script
    def scripted(package):
        package["title"] = "書き換えられたタイトル"
        package["resources"][0]["size"] = 1
        package["resources"][2]["url"] = "javascript:alert(document.cookie)"

    catalog.answer("package_show", package_show(scripted))

    # when it is imported, then the error names the resource and its link
    error = refused("malformed", import_dataset, organizer, page(catalog))
    assert "“データ項目定義書” links to “javascript:alert(document.cookie)”" in error.message

    # and nothing of the new version was stored, not even its first resources
    assert snapshot(dataset) == before
    assert counts() == rows


def test_a_failure_while_writing_rolls_back_the_whole_import(catalog, organizer, monkeypatch):
    # given a dataset imported once, and a new version of it
    catalog.answer("package_show", "package_show.json")
    dataset = import_dataset(organizer, page(catalog))
    before, rows = snapshot(dataset), counts()
    catalog.answer(
        "package_show", package_show(lambda package: package.update(title="新しいタイトル"))
    )

    # and a database that fails on the second resource
    saved = []
    real_save = Resource.save

    def failing_save(self, *args, **kwargs):
        saved.append(self.ckan_id)
        if len(saved) == 2:
            raise DatabaseError("disk I/O error")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Resource, "save", failing_save)

    # when it is imported again
    with pytest.raises(DatabaseError):
        import_dataset(organizer, page(catalog))

    # then the dataset and its first resource are as they were before
    assert snapshot(dataset) == before
    assert counts() == rows


def test_a_catalog_that_does_not_answer_in_time(catalog, organizer, monkeypatch):
    # given a catalog that takes 5 s to start answering, and a 0.3 s read time-out
    monkeypatch.setattr(ckan, "READ_TIMEOUT", 0.3)
    catalog.answer("package_show", "package_show.json", delay=5)

    # when an organizer imports from it
    started = time.monotonic()
    error = refused("timeout", import_dataset, organizer, page(catalog))

    # then they hear so soon after the time-out, and nothing was written
    assert time.monotonic() - started < 3
    assert "did not answer in time" in error.message
    assert counts() == (0, 0, 0, 0)


def test_a_catalog_that_stops_halfway_times_out(catalog, organizer, monkeypatch):
    monkeypatch.setattr(ckan, "READ_TIMEOUT", 0.3)
    catalog.answer("package_show", "package_show.json", stall_after=200)

    refused("timeout", import_dataset, organizer, page(catalog))

    assert counts() == (0, 0, 0, 0)


def test_a_catalog_dripping_its_answer_meets_the_deadline(catalog, organizer, monkeypatch):
    # each byte comes well within the read time-out, the whole would take a minute
    monkeypatch.setattr(ckan, "DEADLINE", 0.5)
    catalog.answer("package_show", "package_show.json", drip=0.01)

    started = time.monotonic()
    refused("timeout", import_dataset, organizer, page(catalog))

    assert time.monotonic() - started < 3
    assert counts() == (0, 0, 0, 0)


def test_a_catalog_nobody_answers_at_is_unreachable(organizer):
    error = refused(
        "unreachable", import_dataset, organizer, f"http://127.0.0.1:{free_port()}/dataset/x1"
    )

    assert "could not be reached" in error.message
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("compressed", [False, True], ids=["declared", "gzip-bomb"])
def test_an_answer_over_the_size_cap_is_refused(catalog, organizer, monkeypatch, compressed):
    monkeypatch.setattr(ckan, "MAX_RESPONSE_BYTES", 1024 * 1024)
    body = b'{"success": true, "result": {}' + b" " * (2 * 1024 * 1024) + b"}"
    if compressed:
        # a few kilobytes on the wire, two megabytes once unpacked
        catalog.answer("package_show", gzip.compress(body), headers={"Content-Encoding": "gzip"})
    else:
        catalog.answer("package_show", body)

    error = refused("malformed", import_dataset, organizer, page(catalog))

    assert "sent more than 1 MB" in error.message
    assert counts() == (0, 0, 0, 0)


def test_a_redirect_to_a_non_web_address_is_not_followed(catalog, organizer):
    catalog.answer("package_show", b"", status=302, headers={"Location": "file:///etc/passwd"})

    refused("bad_url", import_dataset, organizer, page(catalog))

    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/dataset/koto-jinko",
        "http://[::1]/dataset/koto-jinko",
        "http://10.0.0.5/dataset/koto-jinko",
    ],
)
def test_a_catalog_on_a_private_network_is_refused_unless_named(settings, organizer, address):
    settings.CKAN_PRIVATE_HOSTS = []

    error = refused("bad_url", import_dataset, organizer, address)

    assert "private network" in error.message
    assert counts() == (0, 0, 0, 0)


def test_a_public_catalog_cannot_forward_us_to_a_private_address(settings, catalog, organizer):
    catalog.answer(
        "package_show", b"", status=302, headers={"Location": "http://169.254.169.254/latest/"}
    )

    error = refused("bad_url", import_dataset, organizer, page(catalog))

    assert "private network" in error.message
    assert len(catalog.requests) == 1  # the metadata address was never asked


# --- What people paste ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        (PACKAGE, PackageReference(None, PACKAGE)),
        ("0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a01", PackageReference(None, CSV)),
        (
            f"https://catalog.data.metro.tokyo.lg.jp/dataset/{PACKAGE}",
            PackageReference("https://catalog.data.metro.tokyo.lg.jp", PACKAGE),
        ),
        (
            f"HTTPS://Catalog.Data.Metro.Tokyo.lg.jp/ja/dataset/{PACKAGE}/resource/{CSV}?x=1#top",
            PackageReference("https://catalog.data.metro.tokyo.lg.jp", PACKAGE),
        ),
        (
            "https://opendata.example.jp/ckan/dataset/edit/koto-jinko/",
            PackageReference("https://opendata.example.jp/ckan", "koto-jinko"),
        ),
        (
            "http://127.0.0.1:5000/api/3/action/package_show?id=koto-jinko",
            PackageReference("http://127.0.0.1:5000", "koto-jinko"),
        ),
    ],
)
def test_a_dataset_page_names_its_catalog_and_package(pasted, expected):
    assert parse_package_reference(pasted) == expected


@pytest.mark.parametrize(
    "pasted",
    [
        "",
        "江東区の人口",
        "ftp://catalog.example.jp/dataset/koto-jinko",
        "javascript:alert(1)//dataset/x1",
        "https://catalog.example.jp/about",
        "https://catalog.example.jp/dataset/",
        "https://catalog.example.jp/dataset/%E4%BA%BA%E5%8F%A3",
        "https:///dataset/koto-jinko",
        "https://catalog.example.jp:port/dataset/koto-jinko",
        "https://admin:secret@catalog.example.jp/dataset/koto-jinko",
    ],
)
def test_what_is_no_dataset_address_is_refused_before_asking(organizer, pasted):
    refused("bad_url", import_dataset, organizer, pasted)

    assert counts() == (0, 0, 0, 0)


def test_a_catalog_address_is_spelled_one_way():
    spellings = [
        "https://catalog.data.metro.tokyo.lg.jp",
        "HTTPS://Catalog.Data.Metro.Tokyo.lg.jp/",
        "https://catalog.data.metro.tokyo.lg.jp/api/3/action/",
        "https://catalog.data.metro.tokyo.lg.jp/api/3/action/package_show",
    ]
    assert {ckan.normalize_catalog_url(url) for url in spellings} == {
        "https://catalog.data.metro.tokyo.lg.jp"
    }


# --- Searching a catalog ----------------------------------------------------------------


def test_searching_a_catalog_lists_packages_to_pick_from(catalog, organizer):
    # given a catalog answering package_search, and one of its packages imported
    catalog.answer("package_search", "package_search.json")
    catalog.answer("package_show", "package_show.json")
    imported = import_dataset(organizer, page(catalog))

    # when an organizer searches it for 人口 in 江東区's datasets
    results = search_catalog(organizer, imported.catalog, "人口", "t131083")

    # then the catalog was asked for that, one page of 20
    (request,) = catalog.asked("package_search")
    assert request.query == {"q": "人口", "fq": "organization:t131083", "rows": "20", "start": "0"}
    # and the hits are light, with the count of all hits and what is imported already
    assert results.total == 2
    first, second = results
    assert (first.ckan_id, first.dataset_pk) == (PACKAGE, imported.pk)
    assert first.formats == ("CSV", "XLSX", "PDF")
    assert first.resource_count == 3
    assert (second.title, second.publisher, second.dataset_pk) == (
        "江東区 年齢別人口",
        "江東区",
        None,
    )
    assert second.licence_title == "クリエイティブ・コモンズ 表示 4.0 国際"
    assert second.metadata_modified == datetime(2024, 2, 1, 1, 30, 0, 654321, tzinfo=UTC)
    # and a hit's page is what import_dataset takes
    assert second.page_url == page(catalog, "t131083d0000000034")


def test_a_search_hit_that_cannot_be_read_is_left_out(catalog, organizer):
    answer = recorded("package_search.json")
    del answer["result"]["results"][0]["id"]
    catalog.answer("package_search", answer)

    results = search_catalog(organizer, catalog.url)

    assert [hit.ckan_id for hit in results] == ["t131083d0000000034"]
    assert results.total == 2
    assert "q" not in catalog.asked("package_search")[0].query  # CKAN's default: everything


def test_a_search_in_an_organization_that_cannot_exist_is_refused(catalog, organizer):
    with pytest.raises(ValidationError) as error:
        search_catalog(organizer, catalog.url, organization='t131083" OR *:*')

    assert "organization" in error.value.message_dict
    assert catalog.requests == []


def test_a_failing_search_gives_the_catalogs_reason(catalog, organizer):
    catalog.answer(
        "package_search",
        {"success": False, "error": {"__type": "Search Query Error", "message": "Invalid q"}},
        status=409,
    )

    error = refused("refused", search_catalog, organizer, catalog.url, "title:(")

    assert error.message.endswith("refused the request: Invalid q")


# --- Who may ---------------------------------------------------------------------------


def test_a_resident_may_neither_import_nor_search(catalog):
    resident = UserFactory()
    catalog.answer("package_show", "package_show.json")
    catalog.answer("package_search", "package_search.json")

    with pytest.raises(NotAllowed):
        import_dataset(resident, page(catalog))
    with pytest.raises(NotAllowed):
        search_catalog(resident, catalog.url, "人口")

    # and our server did not fetch anything for them
    assert catalog.requests == []
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize("who", ["organizer", "editor", "superuser"])
def test_organizers_editors_and_superusers_may_import(catalog, who):
    if who == "superuser":
        user = UserFactory(is_superuser=True, is_staff=True)
    else:
        user = UserFactory()
        account_services.grant_role(
            user, Role.CONTEST_ORGANIZER if who == "organizer" else Role.EDITOR
        )
    catalog.answer("package_show", "package_show.json")

    assert import_dataset(user, page(catalog)).ckan_id == PACKAGE
