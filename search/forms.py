from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Ward

from .backends.base import SearchQuery
from .documents import document_types
from .facets import vocabulary

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
        help_text=_(
            "Full-width, half-width, hiragana and katakana are all found. "
            "“…” in quotes finds the words as written; -word leaves a word out."
        ),
    )
    kind = forms.ChoiceField(label=_("What to search"), required=False)
    ward = forms.ModelChoiceField(
        label=_("Ward"), queryset=Ward.objects.all(), required=False, empty_label=_("All wards")
    )
    # Filled from the facet vocabularies the apps register (search.facets); a
    # vocabulary nobody registered leaves its field out.
    category = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    skill = forms.TypedChoiceField(coerce=int, required=False, empty_value=None)
    remote = forms.BooleanField(label=_("Remote OK"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)

    def __init__(self, *args, allowed_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.allowed_kinds = list(allowed_kinds)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (t.kind, t.label) for t in document_types() if t.kind in self.allowed_kinds
        ]
        for name in ("category", "skill"):
            words = vocabulary(name)
            if words is None:
                del self.fields[name]
                continue
            self.fields[name].label = words.label
            self.fields[name].choices = [("", words.empty_label), *words.choices()]

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
            category=data.get("category"),
            skill=data.get("skill"),
            remote=True if data.get("remote") else None,
            sort=data.get("sort") or "relevance",
            page=page,
        )
