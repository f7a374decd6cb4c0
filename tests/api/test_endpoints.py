"""The public API answers what the site's pages show, and nothing more."""

import json

import pytest
from django.test import override_settings

from .conftest import (
    APPLICATION_MESSAGE,
    LEADER_EMAIL,
    OWNER_EMAIL,
    RESIDENT_EMAIL,
    RESIDENT_NAME,
)

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


# --- Tasks -----------------------------------------------------------------------------


def test_tasks_list_only_open_tasks_of_verified_organizations(scene, api_get):
    # when
    response = api_get("/tasks")
    # then
    assert titles(response) == {scene.open_task.title, scene.onsite_task.title}
    assert response.json()["count"] == 2


@pytest.mark.parametrize("which", ["draft_task", "waiting_task", "refused_task"])
def test_a_task_that_is_not_public_answers_404(scene, api_get, which):
    assert api_get(f"/tasks/{getattr(scene, which).pk}").status_code == 404


def test_a_public_task_has_its_details(scene, api_get):
    # when
    data = api_get(f"/tasks/{scene.open_task.pk}").json()
    # then
    assert data["title"] == scene.open_task.title
    assert data["organization"]["name"] == scene.organization.name
    assert data["ward"] == {
        "code": "131067",
        "name": "台東区",
        "name_ja": "台東区",
        "name_kana": "たいとうく",
        "name_en": "Taito",
    }
    assert data["remote_ok"] is True
    assert {s["code"] for s in data["skills"]} == {"sns", "design"}
    assert data["url"].endswith(f"/tasks/{scene.open_task.pk}/")


def test_task_filters_work_as_on_the_board(scene, api_get):
    open_title, onsite_title = scene.open_task.title, scene.onsite_task.title
    assert titles(api_get("/tasks?ward=131083")) == {onsite_title}
    assert titles(api_get("/tasks?category=photo-video")) == {onsite_title}
    assert titles(api_get("/tasks?skill=design")) == {open_title}
    assert titles(api_get("/tasks?remote=true")) == {open_title}
    assert titles(api_get("/tasks?hours=5")) == {open_title}
    assert titles(api_get("/tasks?posted=7")) == {open_title, onsite_title}
    assert titles(api_get("/tasks?q=撮影")) == {onsite_title}
    # a code nobody has matches nothing, rather than being ignored
    assert titles(api_get("/tasks?category=no-such-category")) == set()


def test_task_filters_refuse_what_is_not_a_choice(scene, api_get):
    for query in ("ward=999999", "hours=3", "sort=random", "limit=0", "limit=101", "offset=-1"):
        response = api_get(f"/tasks?{query}")
        assert response.status_code == 422, query
        assert response.json()["detail"]


def test_task_pages_are_stable_and_counted(scene, api_get):
    # when
    first = api_get("/tasks?limit=1").json()
    second = api_get("/tasks?limit=1&offset=1").json()
    beyond = api_get("/tasks?limit=1&offset=2").json()
    # then: newest first, as the board, with the same total on every page
    assert first["count"] == second["count"] == beyond["count"] == 2
    assert [first["items"][0]["title"], second["items"][0]["title"]] == [
        scene.onsite_task.title,
        scene.open_task.title,
    ]
    assert beyond["items"] == []
    assert (first["limit"], second["offset"]) == (1, 1)


def test_tasks_list_in_a_fixed_number_of_queries(scene, api_get, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        api_get("/tasks?limit=100")


# --- Contests --------------------------------------------------------------------------


def test_contests_list_only_published_contests(scene, api_get):
    response = api_get("/contests")
    assert titles(response) == {scene.contest.title}
    item = response.json()["items"][0]
    assert item["id"] == scene.contest.pk
    assert item["state"] == "entry_open"
    assert item["team_count"] == 1
    assert item["total_prize_money_jpy"] == 500_000
    assert [t["slug"] for t in item["themes"]] == ["bicycles"]


def test_an_unpublished_contest_answers_404(scene, api_get):
    assert api_get(f"/contests/{scene.draft_contest.pk}").status_code == 404
    scene.contest.unpublish()
    assert api_get(f"/contests/{scene.contest.pk}").status_code == 404
    assert titles(api_get("/contests")) == set()


def test_a_contest_has_its_prizes_and_datasets(scene, api_get):
    data = api_get(f"/contests/{scene.contest.pk}").json()
    assert [(p["name"], p["amount_jpy"], p["winners"]) for p in data["prizes"]] == [
        ("最優秀賞", 300_000, 1),
        ("優秀賞", 100_000, 2),
    ]
    assert data["datasets"] == [scene.dataset.pk]
    assert data["eligibility_area"] == "wards"


def test_contest_filters(scene, api_get):
    title = scene.contest.title
    assert titles(api_get("/contests?state=entry_open")) == {title}
    assert titles(api_get("/contests?state=finished")) == set()
    assert titles(api_get("/contests?ward=131083")) == {title}
    assert titles(api_get("/contests?ward=131067")) == set()
    assert titles(api_get("/contests?theme=bicycles")) == {title}
    assert titles(api_get("/contests?theme=nothing")) == set()
    assert titles(api_get(f"/contests?dataset={scene.dataset.pk}")) == {title}
    assert titles(api_get(f"/contests?dataset={scene.other_dataset.pk}")) == set()


# --- Datasets --------------------------------------------------------------------------


def test_datasets_list_and_filters(scene, api_get):
    both = {scene.dataset.title, scene.other_dataset.title}
    assert titles(api_get("/datasets")) == both
    assert titles(api_get("/datasets?format=csv")) == {scene.dataset.title}
    assert titles(api_get("/datasets?format=JSON")) == {scene.other_dataset.title}
    # 足立区 publishes it; 江東区 uses the other in its contest (and publishes it)
    assert titles(api_get("/datasets?ward=131211")) == {scene.other_dataset.title}
    assert titles(api_get("/datasets?ward=131083")) == {scene.dataset.title}
    assert titles(api_get("/datasets?ward=131016")) == set()


def test_a_dataset_has_its_files_and_contests(scene, api_get):
    data = api_get(f"/datasets/{scene.dataset.pk}").json()
    assert [(r["format"], r["url"]) for r in data["resources"]] == [
        ("CSV", "https://catalog.example.jp/r1.csv")
    ]
    assert data["contests"] == [scene.contest.pk]
    assert api_get("/datasets/999999").status_code == 404


# --- Reference lists and language ------------------------------------------------------


def test_wards_are_the_23_with_their_codes(scene, api_get):
    wards = api_get("/wards").json()
    assert len(wards) == 23
    assert wards[0]["code"] == "131016" and wards[0]["name_en"] == "Chiyoda"


def test_categories_and_themes(scene, api_get):
    assert "sns" in {c["code"] for c in api_get("/categories").json()}
    assert [t["slug"] for t in api_get("/themes").json()] == ["bicycles"]


def test_accept_language_picks_the_language(scene, api_get):
    # given
    japanese = api_get("/wards").json()[0]
    # when
    english = api_get("/wards", HTTP_ACCEPT_LANGUAGE="en").json()[0]
    task = api_get(f"/tasks/{scene.open_task.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    # then
    assert japanese["name"] == "千代田区" and english["name"] == "Chiyoda"
    assert task["category"]["name"] == "Social media"
    assert task["url"].endswith(f"/en/tasks/{scene.open_task.pk}/")


# --- Privacy ---------------------------------------------------------------------------

PERSONAL_FIELDS = {
    "email",
    "contact_email",
    "contact_phone",
    "address",
    "display_name",
    "user",
    "user_id",
    "created_by",
    "resident",
    "members",
    "message",
    "corporate_number",
}


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_no_endpoint_answers_with_personal_data(scene, api_get):
    paths = [
        "/wards",
        "/categories",
        "/themes",
        "/tasks",
        f"/tasks/{scene.open_task.pk}",
        "/contests",
        f"/contests/{scene.contest.pk}",
        "/datasets",
        f"/datasets/{scene.dataset.pk}",
        "/kpi",
    ]
    personal = scene.personal_values()
    assert {OWNER_EMAIL, RESIDENT_EMAIL, LEADER_EMAIL, RESIDENT_NAME, APPLICATION_MESSAGE} <= set(
        personal
    )
    for path in paths:
        for language in ("ja", "en"):
            response = api_get(path, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, path
            text = response.content.decode()
            assert not _keys(json.loads(text)) & PERSONAL_FIELDS, path
            for value in personal:
                assert value not in text, (path, value)
    # the OpenAPI document names no personal field either
    schema = api_get("/openapi.json").json()
    assert not set(schema["components"]["schemas"]) & {"UserOut", "ResidentOut"}
    assert not _keys(schema["components"]["schemas"]) & (PERSONAL_FIELDS - {"user"})


# --- HTTP: CORS, methods, rate limit ---------------------------------------------------


def test_cors_is_open_for_get_from_any_origin(scene, api_get):
    response = api_get("/tasks", HTTP_ORIGIN="https://civic-app.example.org")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_cors_preflight_allows_get_only(client, scene):
    response = client.options(
        "/api/v1/tasks",
        HTTP_ORIGIN="https://civic-app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }


def test_the_api_is_read_only(client, scene):
    assert client.post("/api/v1/tasks", {}).status_code == 405


def test_other_site_pages_carry_no_cors_header(client, scene):
    response = client.get("/", HTTP_ORIGIN="https://civic-app.example.org")
    assert "Access-Control-Allow-Origin" not in response


@override_settings(API_RATE_LIMIT="3/min")
def test_rate_limit_answers_429_with_retry_after(scene, api_get):
    # given
    for _ in range(3):
        assert api_get("/wards").status_code == 200
    # when
    response = api_get("/wards", HTTP_ORIGIN="https://civic-app.example.org")
    # then
    assert response.status_code == 429
    assert response.json() == {"detail": "Too many requests."}
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"  # a browser app can read it
    # another address has its own allowance
    assert api_get("/wards", REMOTE_ADDR="192.0.2.10").status_code == 200


@override_settings(API_RATE_LIMIT="2/min", TRUSTED_PROXIES=[])
def test_rate_limit_is_not_dodged_with_x_forwarded_for(scene, api_get):
    for n in range(2):
        assert api_get("/wards", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code == 200
    assert api_get("/wards", HTTP_X_FORWARDED_FOR="198.51.100.99").status_code == 429


def test_default_rate_limit_is_60_a_minute(scene, api_get):
    for _ in range(60):
        assert api_get("/wards").status_code == 200
    assert api_get("/wards").status_code == 429


# --- OpenAPI document and docs page ----------------------------------------------------


def test_openapi_document_describes_the_api(scene, api_get):
    schema = api_get("/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] and schema["info"]["version"] == "1.0.0"
    assert schema["info"]["license"]["name"] == "CC BY 4.0"
    assert schema["servers"][0]["url"]
    assert {method for ops in schema["paths"].values() for method in ops} == {"get"}
    assert set(schema["paths"]) == {
        "/api/v1/wards",
        "/api/v1/categories",
        "/api/v1/themes",
        "/api/v1/tasks",
        "/api/v1/tasks/{task_id}",
        "/api/v1/contests",
        "/api/v1/contests/{contest_id}",
        "/api/v1/datasets",
        "/api/v1/datasets/{dataset_id}",
        "/api/v1/kpi",
    }


def test_docs_page_lists_every_operation_without_outside_scripts(scene, client):
    # when
    response = client.get("/api/v1/docs")
    # then
    assert response.status_code == 200
    html = response.content.decode()
    for operation_id in ("listTasks", "getTask", "listContests", "listDatasets", "listWards"):
        assert f'id="{operation_id}"' in html
    assert "/api/v1/openapi.json" in html
    assert "CC BY 4.0" in html
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # nothing inline: the CSP allows our own files only
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_docs_page_in_english(scene, client):
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


# --- KPI aggregates --------------------------------------------------------------------


def test_kpi_rows_are_insights_published_rows(scene, api_get, monkeypatch):
    # given: what insights publishes (already suppressed), for one year
    from insights import opendata

    rows = opendata.published_rows(None)
    # when
    data = api_get("/kpi").json()
    # then
    assert data["licence"] == "CC-BY-4.0"
    assert data["count"] == len(rows) == len(data["items"])
    for item in data["items"]:
        assert set(opendata.FIELD_NAMES) <= set(item)
        for name in item["suppressed"]:
            assert item[name] is None


def test_kpi_filters_by_ward_and_year(scene, api_get, monkeypatch):
    from insights import opendata

    def fake(fiscal_year=None):
        return [
            {
                "fiscal_year": 2026,
                "period_start": "2026-04-01",
                "period_end": "2026-11-30",
                "ward_code": code,
                "ward_name_ja": name,
                "ward_name_en": name,
                "suppressed": [],
            }
            for code, name in (("131067", "台東区"), (None, "特別区計"))
            if fiscal_year in (None, 2026)
        ]

    monkeypatch.setattr(opendata, "published_rows", fake)
    monkeypatch.setattr("api.kpi.published_rows", fake)
    assert [r["ward_code"] for r in api_get("/kpi").json()["items"]] == ["131067", None]
    assert [r["ward_code"] for r in api_get("/kpi?ward=131067").json()["items"]] == ["131067"]
    assert api_get("/kpi?fiscal_year=2025").json()["count"] == 0
    assert api_get("/kpi?fiscal_year=1999").status_code == 422
