"""Which rows the API may show: the rows the site's own pages show, through their code.

- Tasks: the board's queryset and filters (marketplace.filters.board_queryset,
  TaskFilter), of verified organizations only. A task of an organization that was not
  verified is waiting (pending_review) and never on the board; a verification refused
  later leaves its open tasks on the board page, and the API does not show them.
- Contests: the contest index's queryset and filters (contests.filters.index_queryset,
  live_contests, ContestFilter), without pages behind a Wagtail view restriction
  (password, log-in), as search leaves them out.
- Datasets: every dataset, as the datasets page lists them (copies of public catalogs).
"""

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from contests.filters import ContestFilter, index_queryset, live_contests
from contests.models import ContestPage, Dataset, Resource, Theme
from core.models import Ward
from marketplace.filters import TaskFilter, board_queryset
from marketplace.models import SkillCategory, VerificationStatus


def _default_language() -> str:
    return settings.LANGUAGE_CODE[:2]


# --- Tasks -----------------------------------------------------------------------------


def public_tasks():
    """Every task anyone may read on the site (open, matched, in progress, completed)."""
    return board_queryset().filter(organization__status=VerificationStatus.VERIFIED)


def _pk(model, **lookup):
    return model.objects.filter(**lookup).values_list("pk", flat=True).first()


def open_tasks(filters: dict):
    """Open tasks as the board lists them for the same choices (its default: open,
    newest first). `filters` uses the API's names: ward, category and skill by code."""
    data = {}
    for name, model, field in (
        ("ward", Ward, "code"),
        ("category", SkillCategory, "code"),
        ("skill", SkillCategory, "code"),
    ):
        if filters.get(name) is not None:
            pk = _pk(model, **{field: filters[name]})
            if pk is None:
                return public_tasks().none()
            data[name] = str(pk)
    if filters.get("remote"):
        data["remote"] = "on"
    for name in ("hours", "posted"):
        if filters.get(name) is not None:
            data[name] = str(filters[name])
    if filters.get("q"):
        data["q"] = filters["q"]
    data["sort"] = filters.get("sort") or "new"
    filterset = TaskFilter(data, queryset=public_tasks())
    if not filterset.is_valid():
        return public_tasks().none()
    return filterset.qs.prefetch_related("skills", "organization__ward")


# --- Contests --------------------------------------------------------------------------


def contests(filters: dict):
    """Live, public contests in the response language, latest deadline first."""
    data = {}
    if filters.get("state"):
        data["state"] = filters["state"]
    for name, model, field in (("ward", Ward, "code"), ("theme", Theme, "slug")):
        if filters.get(name) is not None:
            pk = _pk(model, **{field: filters[name]})
            if pk is None:
                return ContestPage.objects.none()
            data[name] = str(pk)
    if filters.get("dataset") is not None:
        data["dataset"] = str(filters["dataset"])
    queryset = index_queryset().public().select_related("locale")
    filterset = ContestFilter(data, queryset=queryset)
    if not filterset.is_valid():
        # Unknown theme or dataset (or a dataset no contest uses): nothing matches.
        return ContestPage.objects.none()
    return filterset.qs


def canonical_ids(pages) -> dict:
    """translation_key → id of the default-language page: one id per contest, whatever
    the language it is read in."""
    keys = {page.translation_key for page in pages}
    return dict(
        ContestPage.objects.filter(
            translation_key__in=keys, locale__language_code=_default_language()
        ).values_list("translation_key", "pk")
    )


def contest(contest_id: int):
    """The contest with this id, in the response language; None when it is not public."""
    original = (
        ContestPage.objects.live()
        .public()
        .filter(pk=contest_id, locale__language_code=_default_language())
        .first()
    )
    if original is None:
        return None
    shown = (
        live_contests()
        .public()
        .filter(translation_key=original.translation_key)
        .select_related("ward", "locale")
        .prefetch_related("themes", "prizes")
        .first()
    )
    return shown or original


def contests_using(dataset) -> list[int]:
    return list(
        ContestPage.objects.live()
        .public()
        .filter(locale__language_code=_default_language(), dataset_links__dataset=dataset)
        .order_by("-submission_deadline", "pk")
        .values_list("pk", flat=True)
        .distinct()
    )


# --- Datasets --------------------------------------------------------------------------


def datasets(filters: dict):
    """Datasets in the datasets page's order (title, then id)."""
    queryset = Dataset.objects.select_related("catalog").prefetch_related("resources")
    if filters.get("format"):
        queryset = queryset.filter(
            Exists(
                Resource.objects.filter(
                    dataset=OuterRef("pk"), format__iexact=filters["format"].strip()
                )
            )
        )
    if filters.get("ward") is not None:
        ward = Ward.objects.filter(code=filters["ward"]).first()
        if ward is None:
            return queryset.none()
        used_by_ward = (
            ContestPage.objects.live()
            .public()
            .filter(ward=ward, dataset_links__dataset=OuterRef("pk"))
        )
        # A CKAN publisher reads 江東区 (or 東京都江東区); its CKAN name often carries the
        # ward's code (t131083).
        published_by_ward = (
            Q(publisher__contains=ward.name_ja)
            | Q(publisher_name__contains=ward.name_ja)
            | Q(publisher_name__contains=ward.code)
        )
        queryset = queryset.filter(published_by_ward | Exists(used_by_ward))
    return queryset.order_by("title", "pk")


def dataset(pk: int):
    return (
        Dataset.objects.select_related("catalog")
        .prefetch_related("resources")
        .filter(pk=pk)
        .first()
    )
