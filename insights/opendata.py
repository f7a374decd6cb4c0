"""The KPI figures as open data: CSV (UTF-8 with BOM, for Japanese Excel) and JSON, under
CC BY 4.0, described by a Frictionless table schema, with small cells suppressed.

Public API (the `api` app calls these; keep the names):

- `published_rows(fiscal_year=None) -> list[dict]`: one row per ward and year plus the
  23 wards' total, already suppressed: a hidden cell is None and its field name is in
  the row's "suppressed" list (the CSV writes "X" there). `fiscal_year=None`: every year.
- `published_dataset_rows(fiscal_year=None) -> list[dict]`: submissions per dataset.
- `TABLE_SCHEMA`: the Frictionless table schema of the rows (and of the CSV).

A running year is published up to the end of the last full month (Japan time), never up
to today: figures that changed every day could be compared day by day to single out one
person's match.
"""

import csv
import io
import json
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from core.japan_time import TOKYO, in_tokyo

from . import figures
from .suppression import THRESHOLD, Table, suppress

LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION_JA = "出典：特別区 関係人口・シビックテック KPIオープンデータ"
ATTRIBUTION_EN = "Source: Tokyo Special Wards Skills Board, KPI open data"
SUPPRESSED = "X"  # what a hidden cell reads in the CSV (秘匿)
ALL_WARDS = "all"  # the total row's key in the suppression table

_COUNT_TITLES = {
    "registered_users": ("Registered users at the end of the period", "登録者数（期末）"),
    "residents": (
        "Residents with a skills profile, by the ward they live in",
        "登録者数のうち区民（住んでいる区）",
    ),
    "organization_members": (
        "Organization members without a profile, by their organization's ward",
        "登録者数のうち団体メンバー（団体の所在区）",
    ),
    "matches": ("Matches made, in the ward of the task", "マッチング成立件数（募集の区）"),
    "cross_ward_matches": ("Matches across ward borders", "区をまたぐマッチング件数"),
    "same_ward_matches": ("Matches within one ward", "同じ区内のマッチング件数"),
    "completed_matches": ("Matches completed", "完了したマッチング件数"),
    "cancelled_matches": ("Matches cancelled", "中止したマッチング件数"),
    "ongoing_matches": ("Matches still ongoing", "活動中のマッチング件数"),
    "volunteers_with_verified_hours": (
        "Residents with verified hours in the period",
        "確認済み活動時間のある区民の数",
    ),
    "contest_teams": ("Contest teams entered", "応募チーム数"),
    "contest_entrants": ("Contest team members (one per team joined)", "応募者数（チームごと）"),
    "contest_submissions": ("Contest submissions", "提出作品数"),
}


def _field(name, type_, title_en, title_ja, description, **constraints):
    field = {
        "name": name,
        "type": type_,
        "title": f"{title_ja} / {title_en}",
        "description": description,
    }
    if constraints:
        field["constraints"] = constraints
    return field


TABLE_SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "title": "特別区 関係人口マッチング・シビックテック KPI / Tokyo special wards' skills board KPIs",
    "description": (
        "One row per fiscal year (年度: April to March, Japan time) and ward, and one for the "
        "23 wards together (ward_code empty). Counts of people below "
        f"{THRESHOLD} are suppressed (primary suppression), and further cells where a "
        "hidden one could otherwise be worked out from the totals (secondary suppression); "
        f"a suppressed cell reads {SUPPRESSED!r}. An empty cell is not applicable (a rate "
        "with nothing to divide by). Licence: CC BY 4.0."
    ),
    "missingValues": ["", SUPPRESSED],
    "fields": [
        _field(
            "fiscal_year",
            "integer",
            "Fiscal year (April to March)",
            "年度（4月〜翌年3月）",
            "2026 is April 2026 to March 2027.",
            required=True,
            minimum=2000,
        ),
        _field(
            "period_start", "date", "First day counted", "集計開始日", "Japan time.", required=True
        ),
        _field(
            "period_end",
            "date",
            "Last day counted",
            "集計終了日",
            "The year's last day, or the last day of the last full month of a running year.",
            required=True,
        ),
        _field(
            "ward_code",
            "string",
            "Local government code",
            "全国地方公共団体コード",
            "Six digits with the check digit; empty in the row of the 23 wards together.",
            pattern=r"\d{6}",
        ),
        _field(
            "ward_name_ja",
            "string",
            "Ward",
            "区名",
            "特別区計: the 23 wards together.",
            required=True,
        ),
        _field("ward_name_en", "string", "Ward (English)", "区名（英語）", "", required=True),
        *(
            _field(
                name,
                "integer",
                title_en,
                title_ja,
                "A count of people or of what people did; suppressed below "
                f"{THRESHOLD} (or to protect a suppressed cell).",
                minimum=0,
            )
            for name, (title_en, title_ja) in _COUNT_TITLES.items()
        ),
        _field(
            "verified_hours",
            "number",
            "Hours confirmed by the organizations",
            "確認済み活動時間（時間）",
            "By the day worked, in the task's ward; suppressed with the number of residents "
            "who logged them.",
            minimum=0,
        ),
        _field(
            "cross_ward_share",
            "number",
            "Share of matches across ward borders",
            "区をまたぐマッチングの割合",
            "cross_ward_matches / matches (0 to 1); shown when both are.",
            minimum=0,
            maximum=1,
        ),
        _field(
            "completion_rate",
            "number",
            "Completion rate of the matches that have ended",
            "完了率",
            "completed / (completed + cancelled) (0 to 1); shown when both are.",
            minimum=0,
            maximum=1,
        ),
        _field(
            "median_days_to_match",
            "number",
            "Days from posting to match (median)",
            "掲載からマッチングまでの日数（中央値）",
            "Whole days from the task's publication to the match, the median over the "
            "period's matches; shown when the matches are.",
            minimum=0,
        ),
    ],
}
FIELD_NAMES = [field["name"] for field in TABLE_SCHEMA["fields"]]

DATASET_SCHEMA = {
    "$schema": "https://datapackage.org/profiles/2.0/tableschema.json",
    "title": "データセット別の提出作品数 / Contest submissions per open dataset",
    "missingValues": ["", SUPPRESSED],
    "fields": [
        _field("fiscal_year", "integer", "Fiscal year", "年度", "", required=True),
        _field("dataset_title", "string", "Dataset", "データセット", "", required=True),
        _field("publisher", "string", "Publisher", "公開者", ""),
        _field(
            "submissions",
            "integer",
            "Submissions that used it",
            "提出作品数",
            f"Suppressed below {THRESHOLD}. No total is published (an entry may use several "
            "datasets), so nothing can be worked out from one.",
            minimum=0,
        ),
    ],
}


# --- What is published -------------------------------------------------------------------


def published_until(now: datetime | None = None) -> datetime:
    """The start of the running month, Japan time: the running year's cut-off."""
    local = in_tokyo(now or timezone.now())
    return datetime(local.year, local.month, 1, tzinfo=TOKYO)


def suppression_table(year_figures: figures.Figures) -> Table:
    """The cells of one year's table and the sums a reader can see in it."""
    rows = [(row.ward.code, row) for row in year_figures.rows]
    everything = [*rows, (ALL_WARDS, year_figures.total)]
    values: dict = {}
    for key, row in everything:
        for name in figures.COUNTS:
            values[(key, name)] = row.counts[name]
        values[(key, "verified_hours")] = row.verified_hours
    table = Table(values=values)
    table.sensitive = {(key, name) for key, _row in everything for name in figures.COUNTS}
    for key, _row in everything:
        cell = lambda name, key=key: (key, name)  # noqa: E731
        table.equations += [
            (cell("registered_users"), (cell("residents"), cell("organization_members"))),
            (cell("matches"), (cell("cross_ward_matches"), cell("same_ward_matches"))),
            (
                cell("matches"),
                (cell("completed_matches"), cell("cancelled_matches"), cell("ongoing_matches")),
            ),
        ]
        table.links[cell("verified_hours")] = cell("volunteers_with_verified_hours")
    for name in (*figures.COUNTS, "verified_hours"):
        table.equations.append(((ALL_WARDS, name), tuple((key, name) for key, _row in rows)))
    return table


def _last_day(year_figures: figures.Figures):
    return (in_tokyo(year_figures.until) - timedelta(microseconds=1)).date()


def _rows_for_year(year_figures: figures.Figures) -> list[dict]:
    table = suppression_table(year_figures)
    hidden = suppress(table)
    out = []
    rows = [(row.ward.code, row) for row in year_figures.rows]
    for key, row in [*rows, (ALL_WARDS, year_figures.total)]:
        shown = lambda name, key=key: (key, name) not in hidden  # noqa: E731
        record = {
            "fiscal_year": year_figures.fiscal_year,
            "period_start": year_figures.start.date(),
            "period_end": _last_day(year_figures),
            "ward_code": None if row.ward is None else row.ward.code,
            "ward_name_ja": "特別区計" if row.ward is None else row.ward.name_ja,
            "ward_name_en": "All 23 wards" if row.ward is None else f"{row.ward.name_en} City",
        }
        suppressed = []
        for name in (*figures.COUNTS, "verified_hours"):
            value = row.verified_hours if name == "verified_hours" else row.counts[name]
            if shown(name):
                record[name] = float(value) if isinstance(value, Decimal) else value
            else:
                record[name] = None
                suppressed.append(name)
        matches = row.counts["matches"]
        record["cross_ward_share"] = (
            round(row.cross_ward_share, 3)
            if matches and shown("matches") and shown("cross_ward_matches")
            else None
        )
        record["completion_rate"] = (
            round(row.completion_rate, 3)
            if row.completion_rate is not None
            and shown("completed_matches")
            and shown("cancelled_matches")
            else None
        )
        record["median_days_to_match"] = (
            row.median_days_to_match if matches and shown("matches") else None
        )
        for name in ("cross_ward_share", "completion_rate", "median_days_to_match"):
            if record[name] is None and name_depends_on_hidden(name, shown):
                suppressed.append(name)
        record["suppressed"] = suppressed
        out.append(record)
    return out


def name_depends_on_hidden(name: str, shown) -> bool:
    """Whether a derived figure is empty because what it is made of is suppressed."""
    needs = {
        "cross_ward_share": ("matches", "cross_ward_matches"),
        "completion_rate": ("completed_matches", "cancelled_matches"),
        "median_days_to_match": ("matches",),
    }[name]
    return not all(shown(part) for part in needs)


def _years(fiscal_year: int | None, until: datetime) -> list[int]:
    if fiscal_year is not None:
        return [fiscal_year]
    years = figures.available_fiscal_years(until)
    # A running year with no full month yet has nothing to publish.
    return sorted(y for y in years if figures.fiscal_year_start(y) < until)


def _year_figures(year: int, until: datetime) -> figures.Figures:
    return figures.compute(year, until=until)


def _cached(kind: str, fiscal_year: int | None, build):
    until = published_until()
    key = f"insights:opendata:{kind}:{fiscal_year}:{until:%Y%m}"
    found = cache.get(key)
    if found is None:
        found = build(until)
        cache.set(key, found, 60 * 60)
    return found


def published_rows(fiscal_year: int | None = None) -> list[dict]:
    """The published ward table, suppressed, oldest year first, the total last in each."""

    def build(until):
        return [
            row
            for year in _years(fiscal_year, until)
            for row in _rows_for_year(_year_figures(year, until))
        ]

    return _cached("wards", fiscal_year, build)


def published_dataset_rows(fiscal_year: int | None = None) -> list[dict]:
    """Submissions per dataset, each cell on its own (no total), below 10 suppressed."""

    def build(until):
        out = []
        for year in _years(fiscal_year, until):
            for item in _year_figures(year, until).datasets:
                hidden = 0 < item["submissions"] < THRESHOLD
                out.append(
                    {
                        "fiscal_year": year,
                        "dataset_title": item["title"],
                        "publisher": item["publisher"] or None,
                        "submissions": None if hidden else item["submissions"],
                        "suppressed": ["submissions"] if hidden else [],
                    }
                )
        return out

    return _cached("datasets", fiscal_year, build)


# --- Formats ---------------------------------------------------------------------------


def _csv_cell(row: dict, name: str):
    if name in row["suppressed"]:
        return SUPPRESSED
    value = row[name]
    return "" if value is None else value


def to_csv(rows: list[dict], schema: dict = TABLE_SCHEMA) -> bytes:
    """UTF-8 with a BOM (Japanese Excel reads it as UTF-8), CRLF line ends, the schema's
    field names as the header."""
    names = [field["name"] for field in schema["fields"]]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row, name) for name in names])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_json(rows: list[dict], dataset_rows: list[dict], *, schema_url: str = "") -> bytes:
    document = {
        "title": TABLE_SCHEMA["title"],
        "licence": LICENCE,
        "attribution": {"ja": ATTRIBUTION_JA, "en": ATTRIBUTION_EN},
        "schema": schema_url,
        "published_until": published_until().date(),
        "suppression": {
            "threshold": THRESHOLD,
            "rule": TABLE_SCHEMA["description"],
        },
        "rows": rows,
        "submissions_per_dataset": dataset_rows,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()
