"""The board's filters and sort orders (django-filter), shared by the board page and tests."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import ConsentPurpose, ConsentRecord
from core.models import Ward

from .models import ResidentProfile, SkillCategory, Task, TaskStatus, WorkStyle
from .models.tasks import PUBLIC_STATUSES

HOURS_CHOICES = [
    ("2", _("Up to 2 hours a week")),
    ("5", _("Up to 5 hours a week")),
    ("10", _("Up to 10 hours a week")),
]
POSTED_CHOICES = [
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
]
SORT_CHOICES = [
    ("new", _("Newest first")),
    ("deadline", _("Deadline soonest")),
    ("applicants", _("Fewest applicants")),
]
SORT_ORDERS = {
    "new": ["-published_at", "-id"],
    "deadline": ["apply_deadline", "-id"],
    "applicants": ["application_count", "-published_at", "-id"],
}


def filter_remote(queryset, name, value):
    """Remote OK: tasks or people that take remote work (WorkStyle.remote_ok)."""
    if value:
        return queryset.filter(work_style__in=WorkStyle.remote_ok())
    return queryset


class TaskFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Keywords"), method="filter_keywords")
    ward = django_filters.ModelChoiceFilter(
        label=_("Ward"), queryset=Ward.objects.all(), empty_label=_("All wards")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=SkillCategory.objects.all(), empty_label=_("All categories")
    )
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill wanted"),
        queryset=SkillCategory.objects.all(),
        field_name="skills",
        empty_label=_("Any skill"),
    )
    remote = django_filters.BooleanFilter(
        label=_("Remote OK"),
        method=filter_remote,
        widget=forms.CheckboxInput,
    )
    hours = django_filters.ChoiceFilter(
        label=_("Hours"), choices=HOURS_CHOICES, method="filter_hours", empty_label=_("Any")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(s.value, s.label) for s in PUBLIC_STATUSES],
        method="filter_status",
        empty_label=_("Open for applications"),
    )
    posted = django_filters.ChoiceFilter(
        label=_("Posted"), choices=POSTED_CHOICES, method="filter_posted", empty_label=_("Any time")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Task
        fields = ["q", "ward", "category", "skill", "remote", "hours", "status", "posted", "sort"]

    def __init__(self, data=None, *args, **kwargs):
        # Unfiltered, the board shows open tasks, newest first.
        data = data.copy() if data is not None else {}
        data.setdefault("sort", "new")
        super().__init__(data, *args, **kwargs)

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=TaskStatus.OPEN)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORT_ORDERS["new"])
        return queryset

    def filter_keywords(self, queryset, name, value):
        # The search index understands Japanese (width, kana, two-character words).
        from search.backends.base import get_backend

        return queryset.filter(pk__in=get_backend().matching_ids(value, "task"))

    def filter_hours(self, queryset, name, value):
        return queryset.filter(hours_per_week__lte=int(value))

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_posted(self, queryset, name, value):
        return queryset.filter(published_at__gte=timezone.now() - timedelta(days=int(value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS.get(value, SORT_ORDERS["new"]))


def board_queryset():
    return Task.objects.filter(status__in=PUBLIC_STATUSES).select_related(
        "organization", "ward", "category"
    )


def discoverable_profiles():
    """Profiles whose owners currently consent to being found, and nothing else."""
    consent = ConsentRecord.objects.filter(
        user=OuterRef("user"),
        purpose=ConsentPurpose.PROFILE_DISCOVERABLE,
        withdrawn_at__isnull=True,
    )
    return (
        ResidentProfile.objects.filter(Exists(consent), user__is_active=True)
        .select_related("user", "home_ward", "work_ward")
        .order_by("-updated_at", "-id")
    )


class ResidentFilter(django_filters.FilterSet):
    skill = django_filters.ModelChoiceFilter(
        label=_("Skill"),
        queryset=SkillCategory.objects.all(),
        field_name="skills",
        empty_label=_("Any skill"),
    )
    ward = django_filters.ModelChoiceFilter(
        label=_("Ward they live in"),
        queryset=Ward.objects.all(),
        field_name="home_ward",
        empty_label=_("All wards"),
    )
    remote = django_filters.BooleanFilter(
        label=_("Can work remotely"), method=filter_remote, widget=forms.CheckboxInput
    )

    class Meta:
        model = ResidentProfile
        fields = ["skill", "ward", "remote"]
