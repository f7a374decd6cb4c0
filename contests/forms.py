"""The entrant's forms: entering a contest (with its eligibility questions), the team's
own small forms, and the submission with its screenshots.

The forms only read what was typed; the services decide (and refuse with reasons that
the views put back next to the fields).
"""

from django import forms
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core.models import Ward

from .models import Connection, Dataset, EligibilityArea, Licence, Submission
from .services import submissions as submission_services

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class CountedBoundField(BoundField):
    """A text box with a live character counter (includes/field.html shows it when
    `max_chars` and `counter_id` are set); the box is described by the counter."""

    @property
    def max_chars(self):
        return self.field.max_length

    @property
    def counter_id(self):
        return f"{self.auto_id}_counter" if self.auto_id else ""

    @property
    def aria_describedby(self):
        ids = super().aria_describedby
        if ids is None:
            return None
        return " ".join(filter(None, [ids, self.counter_id]))


class CountedForm:
    """No maxlength on text boxes: browsers count UTF-16 code units (an emoji or 𠮷 counts
    twice), the server counts characters. The counter shows the server's count."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_characters()

    def count_characters(self):
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and isinstance(
                field.widget, (forms.TextInput, forms.Textarea)
            ):
                field.widget.attrs.pop("maxlength", None)
                if field.max_length and not isinstance(field, forms.URLField):
                    field.bound_field_class = CountedBoundField


# --- Entering ---------------------------------------------------------------------------


class EligibilityForm(CountedForm, forms.Form):
    """The organizer's questions for this contest (none, for a contest open to anyone who
    is not asked whether they are a student)."""

    ELIGIBILITY_FIELDS = ("connection", "ward", "student")

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        if contest.eligibility_area != EligibilityArea.ANYONE:
            if contest.eligibility_area == EligibilityArea.WARD:
                question = _("How are you connected to %(ward)s?") % {"ward": contest.ward.name}
            else:
                question = _("How are you connected to the 23 special wards?")
            self.fields["connection"] = forms.ChoiceField(
                label=question,
                choices=Connection.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say how you are connected to the area.")},
            )
            self.fields["ward"] = forms.ChoiceField(
                label=_("Which ward"),
                # The service says why when it is missing: not needed for "none of these".
                required=False,
                choices=[("", _("Choose a ward"))]
                + [(ward.code, ward.name) for ward in Ward.objects.order_by("code")],
                help_text=_("The ward where you live, work or study."),
            )
        if contest.asks_student:
            self.fields["student"] = forms.ChoiceField(
                label=_("Are you a student?"),
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say whether you are a student.")},
            )
        self.count_characters()

    def eligibility_fields(self):
        return [self[name] for name in self.ELIGIBILITY_FIELDS if name in self.fields]

    def other_fields(self):
        return [
            field for field in self.visible_fields() if field.name not in self.ELIGIBILITY_FIELDS
        ]

    def answers(self) -> dict:
        data = self.cleaned_data
        answers = {}
        if "connection" in self.fields:
            answers["connection"] = data.get("connection") or ""
            answers["ward"] = data.get("ward") or ""
        if "student" in self.fields and data.get("student") in ("yes", "no"):
            answers["student"] = data["student"] == "yes"
        return answers


class TeamNameForm(CountedForm, forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=60,
        help_text=_("Shown on the contest page and on your entry."),
    )


class EnterForm(EligibilityForm):
    name = TeamNameForm.base_fields["name"]


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the person to invite"),
        help_text=_("They need an account on this site. They accept or decline on their page."),
    )


class ContributorForm(CountedForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    role = forms.CharField(
        label=_("What they did"),
        max_length=100,
        required=False,
        help_text=_("For example: 「データの整理」 or 「アイコンのデザイン」."),
    )


# --- The submission ---------------------------------------------------------------------


class WebAddressField(forms.URLField):
    """An address typed without a scheme is taken as https:// (the model still refuses
    anything but http and https)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class SubmissionForm(CountedForm, forms.ModelForm):
    """The entry, the datasets it uses, and its screenshots: those kept (alt text
    editable, a box to remove one) and new ones, each with its own description."""

    class Meta:
        model = Submission
        fields = [
            "title",
            "summary",
            "problem",
            "solution",
            "datasets",
            "repository_url",
            "demo_url",
            "video_url",
            "licence",
            "is_public",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 6}),
            "solution": forms.Textarea(attrs={"rows": 6}),
            "datasets": forms.CheckboxSelectMultiple,
        }
        field_classes = {
            "repository_url": WebAddressField,
            "demo_url": WebAddressField,
            "video_url": WebAddressField,
        }
        help_texts = {
            "repository_url": _("An address starting with https:// (GitHub, GitLab…)."),
            "demo_url": _("Where the judges can try it, starting with https://."),
            "video_url": _("A video showing it, starting with https://."),
        }

    def __init__(self, *args, team, submission=None, **kwargs):
        # A copy of its own: checking the form writes what was typed onto the instance.
        instance = Submission.objects.get(pk=submission.pk) if submission else Submission()
        super().__init__(*args, instance=instance, **kwargs)
        self.team = team
        contest = team.contest
        chosen = submission.datasets.values("pk") if submission and submission.pk else []
        self.fields["datasets"].queryset = (
            Dataset.objects.filter(Q(contest_links__contest=contest) | Q(pk__in=chosen))
            .distinct()
            .order_by("title")
        )
        self.fields["datasets"].help_text = _("The open datasets your entry uses.")
        self.fields["licence"].choices = [("", _("Choose a licence")), *Licence.choices]

        self.kept_screenshots = (
            list(submission.screenshots.filter(removed_at__isnull=True))
            if submission and submission.pk
            else []
        )
        for shot in self.kept_screenshots:
            self.fields[f"alt_{shot.pk}"] = forms.CharField(
                label=_("Description of this screenshot"),
                max_length=200,
                initial=shot.alt_text,
                error_messages={"required": _("Every screenshot needs a description.")},
            )
            self.fields[f"remove_{shot.pk}"] = forms.BooleanField(
                label=_("Remove this screenshot from the entry"), required=False
            )
        self.new_slots = max(0, submission_services.MAX_SCREENSHOTS - len(self.kept_screenshots))
        for index in range(self.new_slots):
            self.fields[f"new_{index}"] = forms.FileField(
                label=_("Screenshot %(n)d") % {"n": index + 1},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/png,image/jpeg,image/webp"}
                ),
                help_text=_("PNG, JPEG or WebP, up to %(limit)s.")
                % {"limit": filesizeformat(submission_services.MAX_SCREENSHOT_BYTES)},
            )
            self.fields[f"new_{index}_alt"] = forms.CharField(
                label=_("Description of screenshot %(n)d") % {"n": index + 1},
                max_length=200,
                required=False,
                help_text=_(
                    "Required with a picture: say what it shows, for people who cannot see it."
                ),
            )
        self.count_characters()

    read_only = False

    def make_read_only(self):
        """Shown, not saved: entries are closed (what was typed stays, to be copied)."""
        self.read_only = True
        for field in self.fields.values():
            # Not `disabled` on the field: that would show the stored value, not theirs.
            if isinstance(field.widget, (forms.TextInput, forms.Textarea)):
                field.widget.attrs["readonly"] = True
            else:
                field.widget.attrs["disabled"] = True

    # The template shows the entry's own fields, then the screenshots in their groups.
    def entry_fields(self):
        return [self[name] for name in self.Meta.fields]

    def screenshot_rows(self):
        return [
            (shot, self[f"alt_{shot.pk}"], self[f"remove_{shot.pk}"])
            for shot in self.kept_screenshots
        ]

    def upload_rows(self):
        return [(self[f"new_{i}"], self[f"new_{i}_alt"]) for i in range(self.new_slots)]

    def clean(self):
        data = super().clean()
        for index in range(self.new_slots):
            upload = data.get(f"new_{index}")
            alt = " ".join((data.get(f"new_{index}_alt") or "").split())
            if upload and not alt:
                self.add_error(
                    f"new_{index}_alt",
                    _("Describe what %(name)s shows, for people who cannot see it.")
                    % {"name": upload.name},
                )
            elif alt and not upload:
                self.add_error(f"new_{index}", _("Choose the picture this description is for."))
            if upload:
                try:
                    submission_services.check_screenshot(upload)
                except forms.ValidationError as error:
                    self.add_error(f"new_{index}", error)
        return data

    def submission_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in submission_services.FIELDS}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        removed = [shot.pk for shot in self.kept_screenshots if data.get(f"remove_{shot.pk}")]
        return {
            "datasets": list(data.get("datasets") or []),
            "remove_screenshots": removed,
            "alt_texts": {
                shot.pk: data.get(f"alt_{shot.pk}") or ""
                for shot in self.kept_screenshots
                if shot.pk not in removed
            },
            "add_screenshots": [
                (data[f"new_{i}"], data.get(f"new_{i}_alt") or "")
                for i in range(self.new_slots)
                if data.get(f"new_{i}")
            ],
        }
