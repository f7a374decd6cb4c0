from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Ward
from marketplace.models import SkillCategory

from .backends.base import SearchQuery

KIND_CHOICES = [
    ("", _("Everything")),
    ("task", _("Tasks")),
    ("organization", _("Organizations")),
    ("profile", _("Residents")),
    ("page", _("Pages")),
]
SORT_CHOICES = [
    ("relevance", _("Best match")),
    ("newest", _("Newest first")),
    ("deadline", _("Deadline soonest")),
]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search words"),
        max_length=100,
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "autocomplete": "off",
                "list": "search-suggestions",
                "enterkeyhint": "search",
            }
        ),
        help_text=_("Full-width, half-width, hiragana and katakana are all found."),
    )
    kind = forms.ChoiceField(label=_("What to search"), choices=KIND_CHOICES, required=False)
    ward = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.all(), required=False, empty_label=_("All wards")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=SkillCategory.objects.all(),
        required=False,
        empty_label=_("All categories"),
    )
    skill = forms.ModelChoiceField(
        label=_("Skill"),
        queryset=SkillCategory.objects.all(),
        required=False,
        empty_label=_("Any skill"),
    )
    remote = forms.BooleanField(label=_("Remote OK"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, allowed_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_kinds = list(allowed_kinds)
        self.fields["kind"].choices = [
            (value, label)
            for value, label in KIND_CHOICES
            if not value or value in self.allowed_kinds
        ]

    def has_criteria(self) -> bool:
        data = self.cleaned_data
        return bool(
            data.get("q")
            or data.get("kind")
            or data.get("ward")
            or data.get("category")
            or data.get("skill")
            or data.get("remote")
        )

    def to_query(self, page: int = 1) -> SearchQuery:
        data = self.cleaned_data
        return SearchQuery(
            text=data.get("q", ""),
            kinds=[data["kind"]] if data.get("kind") else self.allowed_kinds,
            ward=data["ward"].pk if data.get("ward") else None,
            category=data["category"].pk if data.get("category") else None,
            skill=data["skill"].pk if data.get("skill") else None,
            remote=True if data.get("remote") else None,
            sort=data.get("sort") or "relevance",
            page=page,
        )
