from django import forms
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Ward

from .models import (
    HoursLog,
    Organization,
    ResidentProfile,
    Review,
    SkillCategory,
    SkillLevel,
    Task,
)
from .models.profiles import LANGUAGE_CHOICES
from .services.organizations import corporate_number_taken
from .validators import (
    CORPORATE_NUMBER_TAKEN,
    CORPORATE_NUMBER_WITHOUT_CORPORATION,
    HOURS_PER_WEEK_MESSAGE,
    MAX_VOLUNTEER_HOURS_PER_WEEK,
    latest_apply_deadline,
    normalize_corporate_number,
    normalize_phone_number,
    validate_apply_deadline,
    validate_corporate_number,
    validate_phone_number,
)


class CountedBoundField(BoundField):
    """A text box with a character counter (includes/field.html renders it, and
    frontend/js/character-counter.js keeps it up to date); the box is described by it."""

    @property
    def max_chars(self):
        return self.field.max_length

    @property
    def counter_id(self):
        return f"{self.auto_id}_counter" if self.auto_id else ""

    @property
    def aria_describedby(self):
        ids = super().aria_describedby
        if ids is None:  # set on the widget by hand: leave it alone
            return None
        return " ".join(filter(None, [ids, self.counter_id]))


class CodePointLengthMixin:
    """No maxlength attribute on text boxes: browsers count it in UTF-16 code units, so an
    emoji or a kanji such as 𠮷 counts twice and a valid title is cut short, while the
    server (max_length) counts code points. The server's count is the rule; a counter
    shows it as the person types. Fields in `no_character_counter` get no counter."""

    no_character_counter = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and isinstance(
                field.widget, (forms.TextInput, forms.Textarea)
            ):
                field.widget.attrs.pop("maxlength", None)
                if field.max_length and name not in self.no_character_counter:
                    field.bound_field_class = CountedBoundField


class CorporateNumberField(forms.CharField):
    """A 法人番号 as people type it: full-width digits, hyphens and spaces are fine."""

    default_validators = [validate_corporate_number]

    def __init__(self, *, max_length=None, **kwargs):
        # No max_length: a hyphenated number is longer, and the validator's one error
        # already says how many digits there are.
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_corporate_number(super().to_python(value))


class PhoneNumberField(forms.CharField):
    """A phone number in Japan, half-width, as the person spaced or hyphenated it."""

    default_validators = [validate_phone_number]

    def __init__(self, *, max_length=None, **kwargs):
        # The model's max_length still applies, after this field's one clear error.
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_phone_number(super().to_python(value))


class TagsField(forms.CharField):
    """Free tags typed as text, separated by commas (、 or ,)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "help_text", _("Optional. Separate with commas, for example: Instagram, Canva")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value) or ""
        tags = [t.strip() for t in value.replace("、", ",").split(",")]
        return [t[:50] for t in tags if t][:10]


class OrganizationForm(CodePointLengthMixin, forms.ModelForm):
    no_character_counter = ("contact_phone",)
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "ward",
            "address",
            "is_corporation",
            "corporate_number",
            "description",
            "website",
            "contact_email",
            "contact_phone",
        ]
        field_classes = {
            "corporate_number": CorporateNumberField,
            "contact_phone": PhoneNumberField,
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "corporate_number": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off"}
            ),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }
        help_texts = {
            "contact_email": _("Shown to volunteers only after a match."),
            "contact_phone": _("Optional. Shown to volunteers only after a match."),
        }

    def clean_corporate_number(self):
        number = self.cleaned_data["corporate_number"]
        if corporate_number_taken(number, self.instance):
            raise forms.ValidationError(CORPORATE_NUMBER_TAKEN, code="taken")
        return number

    def clean(self):
        cleaned = super().clean()
        if "corporate_number" in self.errors:
            return cleaned  # one error about the number is enough
        number = cleaned.get("corporate_number")
        if cleaned.get("is_corporation") and not number:
            self.add_error(
                "corporate_number",
                forms.ValidationError(
                    _("Corporations must give their corporate number."), code="required"
                ),
            )
        elif number and not cleaned.get("is_corporation"):
            self.add_error(
                "corporate_number",
                forms.ValidationError(CORPORATE_NUMBER_WITHOUT_CORPORATION, code="not_corporation"),
            )
        return cleaned


class ResidentProfileForm(CodePointLengthMixin, forms.ModelForm):
    hours_per_week = ResidentProfile._meta.get_field("hours_per_week").formfield(
        max_value=MAX_VOLUNTEER_HOURS_PER_WEEK,
        error_messages={"max_value": HOURS_PER_WEEK_MESSAGE},
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Your skills"),
        queryset=SkillCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one, then say how experienced you are below."),
    )
    professional = forms.ModelMultipleChoiceField(
        label=_("Skills you use professionally"),
        queryset=SkillCategory.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Of the skills above, the ones that are your job or were."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can work in"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    portfolio_links = forms.CharField(
        label=_("Portfolio links"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Optional. One address per line, up to five."),
    )
    tags = TagsField(label=_("Other skills (tags)"))
    discoverable = forms.BooleanField(
        label=_("Let verified organizations find my profile and invite me"),
        required=False,
        help_text=_(
            "Off by default. Your e-mail address is never shown; organizations see it only "
            "after you are matched. You can change this at any time."
        ),
    )

    class Meta:
        model = ResidentProfile
        fields = [
            "headline",
            "home_ward",
            "work_ward",
            "bio",
            "hours_per_week",
            "available_weekdays",
            "available_evenings",
            "available_weekends",
            "work_style",
            "languages",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, discoverable=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_ward"].queryset = Ward.objects.all()
        self.fields["work_ward"].queryset = Ward.objects.all()
        self.fields["discoverable"].initial = discoverable
        if self.instance.pk:
            levels = {s.category_id: s.level for s in self.instance.skill_levels.all()}
            self.fields["skills"].initial = list(levels)
            self.fields["professional"].initial = [
                c for c, level in levels.items() if level == SkillLevel.PROFESSIONAL
            ]
            self.fields["portfolio_links"].initial = "\n".join(self.instance.portfolio_links)
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_portfolio_links(self):
        validator = forms.URLField(assume_scheme="https")
        links = [line.strip() for line in self.cleaned_data["portfolio_links"].splitlines()]
        links = [link for link in links if link]
        if len(links) > 5:
            raise forms.ValidationError(_("Up to five links."))
        return [validator.clean(link) for link in links]

    def skill_levels(self) -> dict:
        professional = set(self.cleaned_data.get("professional") or [])
        return {
            category: SkillLevel.PROFESSIONAL
            if category in professional
            else SkillLevel.EXPERIENCED
            for category in self.cleaned_data["skills"]
        }

    def profile_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["portfolio_links"] = self.cleaned_data["portfolio_links"]
        return data


class TaskForm(CodePointLengthMixin, forms.ModelForm):
    tags = TagsField(label=_("Tags"))

    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "category",
            "skills",
            "ward",
            "work_style",
            "hours_per_week",
            "duration_weeks",
            "deliverable",
            "apply_deadline",
            "people_wanted",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "deliverable": forms.Textarea(attrs={"rows": 3}),
            "skills": forms.CheckboxSelectMultiple,
            "apply_deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ward"].queryset = Ward.objects.all()
        # The date picker offers only dates the server takes (the form is novalidate).
        today = timezone.localdate()
        self.fields["apply_deadline"].widget.attrs.update(
            min=today.isoformat(), max=latest_apply_deadline(today).isoformat()
        )
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_apply_deadline(self):
        deadline = self.cleaned_data["apply_deadline"]
        validate_apply_deadline(deadline)
        return deadline

    def task_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "skills"}


class MessageForm(CodePointLengthMixin, forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you can do and when. Do not include contact details yet."),
    )


class DecisionForm(CodePointLengthMixin, forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HoursForm(CodePointLengthMixin, forms.ModelForm):
    class Meta:
        model = HoursLog
        fields = ["date", "hours", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ReviewForm(CodePointLengthMixin, forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        widget=forms.RadioSelect,
        # Stars for the eye, the number for screen readers and everyone else.
        choices=[(n, f"{'★' * n} {n}") for n in range(5, 0, -1)],
    )

    class Meta:
        model = Review
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 4})}
