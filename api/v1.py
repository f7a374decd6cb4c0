"""Version 1 of the public read API: /api/v1/ (OpenAPI at /api/v1/openapi.json).

Read-only (GET), no log-in, no personal data; CORS is open for GET (settings
CORS_URLS_REGEX). Rows are chosen by the same code as the site's pages (api.queries).
The language of names and texts follows Accept-Language (Japanese by default).
"""

from typing import Literal

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_noop as N_
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.renderers import JSONRenderer

from contests.models import ContestState, Theme
from core.models import Ward
from core.wards import read_wards_csv
from marketplace.filters import HOURS_CHOICES, POSTED_CHOICES, SORT_CHOICES
from marketplace.models import SkillCategory

from . import queries
from . import serializers as out
from .kpi import KpiTable, kpi_table
from .language import in_request_language
from .pagination import PageParams, page_of
from .schemas import (
    CategoryOut,
    ContestDetailOut,
    ContestList,
    DatasetDetailOut,
    DatasetList,
    ErrorOut,
    TaskDetailOut,
    TaskList,
    ThemeOut,
    ValidationErrorOut,
    WardOut,
)
from .throttling import ClientRateThrottle

VERSION = "1.0.0"
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}

DESCRIPTION = N_(
    "Open data of the Tokyo Special Wards Skills Board, for ward systems and civic "
    "developers: open pro-bono tasks, civic-tech contests, the open datasets they use, "
    "and the reference lists to filter them (wards, skill categories, contest themes). "
    "Read-only and without log-in; no personal data. Lists are paged with limit and "
    "offset and say how many rows match. Names and texts follow Accept-Language "
    "(Japanese by default; ward and category names come in both languages). At most "
    "60 requests a minute per address: beyond that the answer is 429 with Retry-After. "
    "The data is licensed under CC BY 4.0."
)

# The 23 codes, from the reference file the wards are loaded from: an enum in the schema.
WardCode = Literal[tuple(row["code"] for row in read_wards_csv())]  # type: ignore[valid-type]


class ReadableJSONRenderer(JSONRenderer):
    # Japanese as UTF-8 rather than \u escapes: the same JSON, readable with curl.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=ReadableJSONRenderer(),
    title="Tokyo Special Wards Skills Board — public API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,  # our own page (api.docs): Swagger UI would load from a CDN
    throttle=[ClientRateThrottle()],
    servers=[{"url": settings.SITE_URL, "description": "This site"}],
    openapi_extra={"info": {"license": LICENCE}},
)

# Before validation, so the 422 and 404 answers are in the same language too.
api.add_decorator(in_request_language, mode="view")

ERRORS = {
    422: ValidationErrorOut,
    429: ErrorOut,
}


def _not_found():
    raise Http404


# --- Reference lists -------------------------------------------------------------------


@api.get(
    "/wards",
    response={200: list[WardOut], **ERRORS},
    tags=["reference"],
    operation_id="listWards",
    summary=N_("The 23 special wards"),
    description=N_("Every ward with its local government code, in code order."),
)
def list_wards(request):
    return [out.ward(ward) for ward in Ward.objects.order_by("code")]


@api.get(
    "/categories",
    response={200: list[CategoryOut], **ERRORS},
    tags=["reference"],
    operation_id="listCategories",
    summary=N_("Skill categories"),
    description=N_("The categories tasks are filed under and ask for, in the board's order."),
)
def list_categories(request):
    return [out.category(c) for c in SkillCategory.objects.order_by("sort_order", "id")]


@api.get(
    "/themes",
    response={200: list[ThemeOut], **ERRORS},
    tags=["reference"],
    operation_id="listThemes",
    summary=N_("Contest themes"),
    description=N_("What contests are about, to filter contests by theme."),
)
def list_themes(request):
    return [out.theme(t) for t in Theme.objects.order_by("name", "pk")]


# --- Tasks -----------------------------------------------------------------------------


class TaskFilters(PageParams):
    ward: WardCode = Field(None, description=N_("Ward of the task (local government code)."))
    category: str = Field(
        None,
        pattern=r"^[-a-z0-9_]{1,40}$",
        description=N_("Category code (see /categories)."),
    )
    skill: str = Field(
        None,
        pattern=r"^[-a-z0-9_]{1,40}$",
        description=N_("A skill wanted, by category code (see /categories)."),
    )
    remote: bool = Field(None, description=N_("true: only tasks that can be done remotely."))
    hours: Literal[tuple(v for v, _label in HOURS_CHOICES)] = Field(  # type: ignore[valid-type]
        None, description=N_("At most this many hours a week (2, 5 or 10).")
    )
    posted: Literal[tuple(v for v, _label in POSTED_CHOICES)] = Field(  # type: ignore[valid-type]
        None, description=N_("Posted in the last 7 or 30 days.")
    )
    q: str = Field(
        None,
        max_length=100,
        description=N_("Keywords, as the board's keyword box understands them (Japanese-aware)."),
    )
    sort: Literal[tuple(v for v, _label in SORT_CHOICES)] = Field(  # type: ignore[valid-type]
        "new",
        description=N_(
            "new (newest first), deadline (deadline soonest) or applicants (fewest first)."
        ),
    )


@api.get(
    "/tasks",
    response={200: TaskList, **ERRORS},
    tags=["tasks"],
    operation_id="listTasks",
    summary=N_("Open tasks"),
    description=N_(
        "Tasks open for applications on the board, of verified organizations, filtered "
        "and sorted as on the board (newest first by default)."
    ),
)
def list_tasks(request, filters: Query[TaskFilters]):
    page, rows = page_of(queries.open_tasks(filters.dict()), filters)
    return {**page, "items": [out.task(request, t) for t in rows]}


@api.get(
    "/tasks/{task_id}",
    response={200: TaskDetailOut, 404: ErrorOut, **ERRORS},
    tags=["tasks"],
    operation_id="getTask",
    summary=N_("A task"),
    description=N_(
        "A task anyone can read on the site: open, matched, in progress or completed. "
        "Drafts and tasks waiting for verification answer 404."
    ),
)
def get_task(request, task_id: int = Path(..., ge=1, le=2**63 - 1)):
    task = queries.public_tasks().prefetch_related("skills", "tags").filter(pk=task_id).first()
    if task is None:
        _not_found()
    return out.task(request, task, detail=True)


# --- Contests --------------------------------------------------------------------------


class ContestFilters(PageParams):
    state: ContestState = Field(
        None, description=N_("upcoming, entry_open, building, judging or finished.")
    )
    ward: WardCode = Field(None, description=N_("Ward that runs the contest."))
    theme: str = Field(None, max_length=60, description=N_("Theme code (see /themes)."))
    dataset: int = Field(
        None, ge=1, le=2**63 - 1, description=N_("Only contests that use this dataset (its id).")
    )


def _contest_rows(pages) -> tuple[list, dict]:
    """The pages with their team counts, and each one's id in the default language."""
    from contests.filters import with_team_counts

    pages = with_team_counts(pages)
    ids = queries.canonical_ids(pages)
    return pages, ids


@api.get(
    "/contests",
    response={200: ContestList, **ERRORS},
    tags=["contests"],
    operation_id="listContests",
    summary=N_("Contests"),
    description=N_(
        "Published civic-tech contests, latest submission deadline first, as the "
        "contests page lists them."
    ),
)
def list_contests(request, filters: Query[ContestFilters]):
    page, rows = page_of(queries.contests(filters.dict()), filters)
    rows, ids = _contest_rows(rows)
    return {
        **page,
        "items": [
            out.contest(
                request,
                c,
                contest_id=ids.get(c.translation_key, c.pk),
                team_count=c.team_count,
            )
            for c in rows
        ],
    }


@api.get(
    "/contests/{contest_id}",
    response={200: ContestDetailOut, 404: ErrorOut, **ERRORS},
    tags=["contests"],
    operation_id="getContest",
    summary=N_("A contest"),
    description=N_("A published contest with its prizes and datasets; otherwise 404."),
)
def get_contest(request, contest_id: int = Path(..., ge=1, le=2**63 - 1)):
    page = queries.contest(contest_id)
    if page is None:
        _not_found()
    (page,), _ids = _contest_rows([page])
    return out.contest(
        request, page, contest_id=contest_id, team_count=page.team_count, detail=True
    )


# --- Datasets --------------------------------------------------------------------------


class DatasetFilters(PageParams):
    ward: WardCode = Field(
        None,
        description=N_(
            "Datasets the ward publishes (by publisher name) or uses in one of its contests."
        ),
    )
    format: str = Field(
        None,
        min_length=1,
        max_length=100,
        description=N_("Only datasets with a file in this format (CSV, JSON, …; any case)."),
    )


@api.get(
    "/datasets",
    response={200: DatasetList, **ERRORS},
    tags=["datasets"],
    operation_id="listDatasets",
    summary=N_("Open datasets"),
    description=N_("The open datasets imported from the wards' CKAN catalogs, by title."),
)
def list_datasets(request, filters: Query[DatasetFilters]):
    page, rows = page_of(queries.datasets(filters.dict()), filters)
    return {**page, "items": [out.dataset(request, d) for d in rows]}


@api.get(
    "/datasets/{dataset_id}",
    response={200: DatasetDetailOut, 404: ErrorOut, **ERRORS},
    tags=["datasets"],
    operation_id="getDataset",
    summary=N_("An open dataset"),
    description=N_("A dataset with its files and the contests that use it."),
)
def get_dataset(request, dataset_id: int = Path(..., ge=1, le=2**63 - 1)):
    dataset = queries.dataset(dataset_id)
    if dataset is None:
        _not_found()
    return out.dataset(request, dataset, detail=True, contests=queries.contests_using(dataset))


# --- KPI aggregates --------------------------------------------------------------------


class KpiFilters(Schema):
    fiscal_year: int = Field(
        None, ge=2000, le=2100, description=N_("Fiscal year (April to March); all years if absent.")
    )
    ward: WardCode = Field(
        None, description=N_("One ward's rows only (the 23 wards' total row has no code).")
    )


@api.get(
    "/kpi",
    response={200: KpiTable, **ERRORS},
    tags=["kpi"],
    operation_id="listKpi",
    summary=N_("KPI aggregates"),
    description=N_(
        "The policy's figures per fiscal year and ward, and for the 23 wards together: "
        "registered users, matches (across ward borders too), hours, contest entries. "
        "Small counts are suppressed (null, named in suppressed), as in the open data "
        "download."
    ),
)
def list_kpi(request, filters: Query[KpiFilters]):
    return kpi_table(filters.fiscal_year, filters.ward)
