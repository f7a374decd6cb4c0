"""The contest index's filters: state (read off the clock), ward, theme, dataset."""

import django_filters
from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import Ward

from .models import ContestPage, ContestState, Dataset, Team, Theme


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE)[:2]


def live_contests():
    """Live contests as the active language shows them: its own translation where one is
    live, else the default-language page (an English visitor still sees every contest)."""
    language, default = _language(), settings.LANGUAGE_CODE[:2]
    contests = ContestPage.objects.live()
    if language == default:
        return contests.filter(locale__language_code=default)
    translated = ContestPage.objects.live().filter(
        translation_key=OuterRef("translation_key"), locale__language_code=language
    )
    return contests.filter(
        Q(locale__language_code=language) | (Q(locale__language_code=default) & ~Exists(translated))
    )


def index_queryset(index_page=None):
    """Live contests in the active language, latest deadline first, with what each card
    shows in the same few queries whatever the page size."""
    contests = live_contests()
    if index_page is not None:
        contests = _under_index(contests, index_page)
    return _with_card_data(contests).order_by("-submission_deadline", "pk")


def _under_index(contests, index_page):
    """Children of the index in any of its languages: a contest not yet translated sits
    under the default-language index only, and the English index lists it too."""
    parent_path = Substr(OuterRef("path"), 1, index_page.depth * index_page.steplen)
    indexes = type(index_page).objects.filter(
        translation_key=index_page.translation_key, path=parent_path
    )
    return contests.filter(Exists(indexes), depth=index_page.depth + 1)


def _with_card_data(contests):
    return contests.select_related("ward").prefetch_related("themes", "prizes")


def with_team_counts(contests) -> list:
    """The contests (a page of them), each with `team_count`: one grouped query for the
    page, not a count over every team of every contest before the list is cut."""
    contests = list(contests)
    # By translation key: teams belong to the default-language page, and an English
    # translation shows the same count.
    counts = dict(
        Team.objects.filter(
            contest__translation_key__in=[contest.translation_key for contest in contests],
            withdrawn_at__isnull=True,
        )
        .values_list("contest__translation_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for contest in contests:
        contest.team_count = counts.get(contest.translation_key, 0)
    return contests


def open_contests(limit: int = 3, now=None):
    """Contests one can still enter or build for, the soonest next deadline first (the
    home page's list)."""
    now = now or timezone.now()
    contests = live_contests().filter(
        ContestState.q(ContestState.ENTRY_OPEN, now) | ContestState.q(ContestState.BUILDING, now)
    )
    return with_team_counts(
        _with_card_data(contests)
        .annotate(
            next_deadline_at=Case(
                When(entry_closes_at__gt=now, then="entry_closes_at"),
                default="submission_deadline",
            )
        )
        .order_by("next_deadline_at", "pk")[:limit]
    )


class ContestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=ContestState.choices, method="filter_state", empty_label=_("All")
    )
    ward = django_filters.ModelChoiceFilter(
        label=_("Ward"), queryset=Ward.objects.all(), empty_label=_("All wards")
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        field_name="themes",
        empty_label=_("All themes"),
    )
    dataset = django_filters.ModelChoiceFilter(
        label=_("Dataset"),
        queryset=Dataset.objects.filter(contest_links__isnull=False).distinct(),
        field_name="dataset_links__dataset",
        empty_label=_("All datasets"),
    )

    class Meta:
        model = ContestPage
        fields = ["state", "ward", "theme", "dataset"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(ContestState.q(value, timezone.now())) if value else queryset
