from django import forms
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


class OrganizationForm(forms.ModelForm):
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
        # Full-width digits and hyphens are common when copying from documents.
        value = self.cleaned_data.get("corporate_number", "")
        table = str.maketrans("０１２３４５６７８９", "0123456789")
        return value.translate(table).replace("-", "").replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_corporation") and not cleaned.get("corporate_number"):
            self.add_error("corporate_number", _("Corporations must give their corporate number."))
        return cleaned


class ResidentProfileForm(forms.ModelForm):
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


class TaskForm(forms.ModelForm):
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
        if self.instance.pk:
            self.fields["tags"].initial = ", ".join(t.name for t in self.instance.tags.all())

    def clean_apply_deadline(self):
        deadline = self.cleaned_data["apply_deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def task_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "skills"}


class MessageForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what you can do and when. Do not include contact details yet."),
    )


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HoursForm(forms.ModelForm):
    class Meta:
        model = HoursLog
        fields = ["date", "hours", "note"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ReviewForm(forms.ModelForm):
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
