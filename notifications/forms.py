from django import forms
from django.utils.translation import gettext_lazy as _

from . import topics
from .models import Frequency


class DigestSettingsForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("E-mail digest"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_("Digests are sent at 7:00 Japan time, only when there is something new."),
    )
    topics = forms.MultipleChoiceField(
        label=_("What the digest tells you about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].choices = [(t.key, t.label) for t in topics.ordered()]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("frequency", Frequency.NEVER) != Frequency.NEVER and not cleaned.get(
            "topics"
        ):
            self.add_error("topics", _("Choose at least one topic, or choose “Never”."))
        return cleaned
