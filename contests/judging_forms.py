"""Forms of judging and results: rounds, criteria, judges, score sheets, ties, winners.

Moments are typed as a date and a time in two boxes (each with its own label), read as
Japan time.
"""

from datetime import datetime

from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from core.japan_time import TOKYO, in_tokyo

from .models import JudgeScope, RoundKind


def _date(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _time(label):
    return forms.TimeField(
        label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class MomentsForm(forms.Form):
    """A form with pairs `<name>_date` / `<name>_time`; `moment(name)` reads one."""

    moments: tuple[str, ...] = ()

    def moment(self, name: str) -> datetime | None:
        day, time = self.cleaned_data.get(f"{name}_date"), self.cleaned_data.get(f"{name}_time")
        if day is None or time is None:
            return None
        return datetime.combine(day, time, tzinfo=TOKYO)

    @classmethod
    def initial_for(cls, **moments) -> dict:
        initial = {}
        for name, value in moments.items():
            if value is not None:
                local = in_tokyo(value)
                initial[f"{name}_date"], initial[f"{name}_time"] = local.date(), local.time()
        return initial

    def add_moment_errors(self, error) -> None:
        """A service's ValidationError about `opens_at` goes to the `opens_date` box."""
        from core.feedback import add_form_errors

        errors = getattr(error, "error_dict", None)
        if errors is not None:
            for name in self.moments:
                if f"{name}_at" in errors:
                    self.add_error(f"{name}_date", errors.pop(f"{name}_at"))
        if errors is None or errors:
            add_form_errors(self, error)


class RoundForm(MomentsForm):
    moments = ("opens", "closes")
    kind = forms.ChoiceField(label=_("Round"), choices=RoundKind.choices)
    opens_date = _date(_("Scoring opens: date (Japan time)"))
    opens_time = _time(_("Scoring opens: time (Japan time)"))
    closes_date = _date(_("Scoring closes: date (Japan time)"))
    closes_time = _time(_("Scoring closes: time (Japan time)"))
    judges_per_entry = forms.IntegerField(
        label=_("Judges per entry"),
        min_value=1,
        max_value=10,
        initial=2,
        help_text=_("The automatic assignment gives every entry at least this many judges."),
    )


class VotingForm(MomentsForm):
    moments = ("opens", "closes")
    opens_date = _date(_("Voting opens: date (Japan time)"))
    opens_time = _time(_("Voting opens: time (Japan time)"))
    closes_date = _date(_("Voting closes: date (Japan time)"))
    closes_time = _time(_("Voting closes: time (Japan time)"))


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=60, required=False)
    description = forms.CharField(
        label=_("What the judges look for"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.IntegerField(label=_("Weight"), min_value=1, max_value=100, initial=1)
    scale_max = forms.IntegerField(
        label=_("Highest score"),
        min_value=2,
        max_value=10,
        initial=5,
        help_text=_("Judges score from 1 to this."),
    )


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2, max_num=10, absolute_max=10)


class LadderForm(forms.Form):
    """Up to four steps, in order."""

    STEPS = 4

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, self.STEPS + 1):
            self.fields[f"step_{number}"] = forms.ChoiceField(
                label=_("Step %(n)d") % {"n": number},
                choices=[("", _("(none)")), *choices],
                required=False,
            )

    def steps(self) -> list[str]:
        return [self.cleaned_data.get(f"step_{n}") for n in range(1, self.STEPS + 1)]


class JudgeForm(forms.Form):
    email = forms.EmailField(
        label=_("The judge's e-mail address"),
        help_text=_("The address of their account on this site."),
    )
    scope = forms.ChoiceField(
        label=_("Scores"),
        choices=JudgeScope.choices,
        initial=JudgeScope.POOL,
        widget=forms.RadioSelect,
    )
    group = forms.ModelChoiceField(
        label=_("Group"), queryset=None, required=False, empty_label=_("(none)")
    )

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = round.groups.all() if round is not None else None


class GroupForm(forms.Form):
    name = forms.CharField(
        label=_("Group name"),
        max_length=60,
        help_text=_("For example 「Aテーブル」 or 「学生部門」."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ScoreSheetForm(forms.Form):
    """One radio group and one comment per criterion, then the overall comment."""

    def __init__(self, *args, criteria=(), assignment=None, **kwargs):
        initial = {}
        if assignment is not None:
            for score in assignment.scores.all():
                initial[f"criterion_{score.criterion_id}"] = str(score.value)
                initial[f"comment_{score.criterion_id}"] = score.comment
            initial["comment"] = assignment.comment
            initial["private_note"] = assignment.private_note
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.ChoiceField(
                label=_("%(name)s (weight %(weight)d)")
                % {"name": criterion.name, "weight": criterion.weight},
                choices=[(str(value), str(value)) for value in criterion.scale],
                widget=forms.RadioSelect(attrs={"class": "scale"}),
                required=False,
                # The field template prints help text as HTML: the organizer's words
                # are escaped here.
                help_text=format_html(
                    "{}{}{}",
                    criterion.description,
                    mark_safe("<br>") if criterion.description else "",
                    _("1 = lowest, %(max)d = highest.") % {"max": criterion.scale_max},
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on 「%(name)s」") % {"name": criterion.name},
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields["comment"] = forms.CharField(
            label=_("Overall comment for the team"),
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("The team reads it with the scores once the results are published."),
        )
        self.fields["private_note"] = forms.CharField(
            label=_("Note for the organizers only"),
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [
            (criterion, self[f"criterion_{criterion.pk}"], self[f"comment_{criterion.pk}"])
            for criterion in self.criteria
        ]

    def scores(self) -> dict:
        return {
            criterion.pk: (
                self.cleaned_data.get(f"criterion_{criterion.pk}") or None,
                self.cleaned_data.get(f"comment_{criterion.pk}", ""),
            )
            for criterion in self.criteria
        }
