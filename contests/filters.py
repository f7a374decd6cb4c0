"""The contest index's filters: state (read off the clock), ward, theme, dataset."""

import django_filters
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Ward

from .models import ContestPage, ContestState, Dataset, Theme


def index_queryset(index_page=None):
    """Live contests in the active language, soonest deadline first, with what each card
    shows in the same few queries whatever the page size."""
    contests = ContestPage.objects.live().filter(locale__language_code__in=_languages())
    if index_page is not None:
        contests = contests.child_of(index_page)
    return (
        contests.select_related("ward")
        .prefetch_related("themes", "prizes")
        .annotate(team_count=Count("teams", filter=Q(teams__withdrawn_at__isnull=True)))
        .order_by("-submission_deadline", "pk")
    )


def _languages():
    from django.utils import translation

    return [translation.get_language() or "ja"]


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
