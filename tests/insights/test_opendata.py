"""The open data: CSV for Japanese Excel, JSON, the table schema, and small cells hidden."""

import csv
import io
import json
from datetime import timedelta

import pytest
from frictionless import Resource, Schema, validate

from insights import figures, opendata
from insights.suppression import determined_cells, exposed_equations, suppress
from marketplace.models import Match
from tests.insights.conftest import TAITO

pytestmark = pytest.mark.django_db


@pytest.fixture
def last_month(board):
    """The board's matches moved to before this month: the open data counts full months
    (on 1 April that is last fiscal year's March: "year" says which)."""
    earlier = opendata.published_until() - timedelta(days=2)
    Match.objects.update(created_at=earlier)
    return {**board, "year": figures.fiscal_year_of(earlier)}


def _csv_rows(client, url="/kpi/open-data/kpi_wards.csv"):
    response = client.get(url)
    body = response.content
    return response, body, list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_starts_with_a_bom_and_parses(client, last_month):
    response, body, rows = _csv_rows(client)

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbf")
    assert list(rows[0]) == opendata.FIELD_NAMES
    this_year = [row for row in rows if row["fiscal_year"] == str(last_month["year"])]
    assert len(this_year) == 24  # 23 wards and their total
    assert this_year[-1]["ward_name_ja"] == "特別区計"


def test_small_counts_read_x_in_the_csv(client, last_month):
    # given: 台東区 has 2 matches this year, well under 10
    _response, _body, rows = _csv_rows(client)
    this_year = [row for row in rows if row["fiscal_year"] == str(last_month["year"])]
    taito = next(row for row in this_year if row["ward_code"] == TAITO)

    # then: hidden, and so is the 23 wards' total (only 台東区 has matches: the total
    # would give it away)
    assert taito["matches"] == "X"
    assert this_year[-1]["matches"] == "X"
    assert taito["cross_ward_share"] == "X"  # nothing shown that is made of hidden cells
    # Zero is shown.
    setagaya = next(row for row in this_year if row["ward_code"] == "131121")
    assert setagaya["matches"] == "0"


def test_the_csv_validates_against_its_table_schema(client, last_month, tmp_path):
    _response, body, _rows = _csv_rows(client)
    schema = client.get("/kpi/open-data/kpi_wards.schema.json").json()
    assert schema == json.loads(json.dumps(opendata.TABLE_SCHEMA))

    path = tmp_path / "kpi_wards.csv"
    path.write_bytes(body)  # as downloaded, BOM included
    report = validate(
        Resource(path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    )

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_dataset_csv_validates_against_its_schema(client, last_month, tmp_path):
    _response, body, _rows = _csv_rows(client, "/kpi/open-data/kpi_submissions_per_dataset.csv")
    schema = client.get("/kpi/open-data/kpi_submissions_per_dataset.schema.json").json()

    path = tmp_path / "kpi_submissions_per_dataset.csv"
    path.write_bytes(body)
    report = validate(
        Resource(path=path.name, basepath=str(tmp_path), schema=Schema.from_descriptor(schema))
    )

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_json_has_the_licence_and_the_same_rows(client, last_month):
    document = client.get("/kpi/open-data/kpi_wards.json").json()

    assert document["licence"]["name"] == "CC-BY-4.0"
    assert document["attribution"]["ja"].startswith("出典")
    assert document["schema"].endswith("/kpi/open-data/kpi_wards.schema.json")
    taito = next(
        row
        for row in document["rows"]
        if row["ward_code"] == TAITO and row["fiscal_year"] == last_month["year"]
    )
    assert taito["matches"] is None and "matches" in taito["suppressed"]


def test_published_rows_for_the_api(last_month):
    rows = opendata.published_rows(last_month["year"])

    assert len(rows) == 24
    assert set(opendata.FIELD_NAMES) | {"suppressed"} == set(rows[0])


def test_no_suppressed_cell_can_be_recovered_from_the_published_totals(last_month):
    # given: the year's real figures, as the open data publishes them
    year = figures.compute(last_month["year"], until=opendata.published_until())
    table = opendata.suppression_table(year)
    hidden = suppress(table)
    rows = opendata.published_rows(year.fiscal_year)

    # then: what the rows hide is exactly the engine's choice...
    published_hidden = {
        (row["ward_code"] or opendata.ALL_WARDS, name)
        for row in rows
        for name in row["suppressed"]
        if (row["ward_code"] or opendata.ALL_WARDS, name) in table.values
    }
    assert published_hidden == hidden
    # ...every total has zero or at least two hidden cells...
    assert not exposed_equations(table, hidden)
    # ...and no combination of the published cells and totals pins a hidden one down.
    assert not determined_cells(table, hidden)


def test_the_running_month_is_not_published(client, board, wards):
    # given: the board's matches were made today (this month)

    rows = opendata.published_rows(figures.fiscal_year_of())

    # then: they are not in the open data yet
    if rows:
        assert rows[-1]["matches"] == 0


def test_the_open_data_page_explains_licence_columns_and_suppression(client, wards):
    page = client.get("/kpi/open-data/").content.decode()

    assert "CC BY 4.0" in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    assert "median_days_to_match" in page
    assert "出典" in page


def test_the_open_data_page_in_english(client, wards):
    page = client.get("/en/kpi/open-data/").content.decode()

    assert 'lang="en"' in page
    assert "Open data: the wards' KPIs" in page
    assert "Source: Tokyo Special Wards Skills Board" in page
