from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import services
from .models import WITHDRAWABLE_PURPOSES, ConsentPurpose, User


class SignupDetailsForm(forms.Form):
    """The fields allauth's sign-up form adds to e-mail and password."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=50,
        help_text=_("Shown to others on the platform. A nickname is fine."),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    language = forms.ChoiceField(
        label=_("Language for e-mails"), choices=settings.LANGUAGES, initial="ja"
    )
    recommendations = forms.BooleanField(
        label=_("E-mail me new tasks and contests that fit my skills"),
        required=False,
        help_text=_("Optional. You can turn this off at any time on your profile page."),
    )
    agree_terms = forms.BooleanField(
        label=_("I agree to the terms of use and the privacy policy"),
        required=True,
        error_messages={"required": _("Please agree to the terms of use to sign up.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["language"].initial = (get_language() or "ja")[:2]
        self.fields["agree_terms"].help_text = format_html(
            _('Read the <a href="{}">terms of use</a> and the <a href="{}">privacy policy</a>.'),
            reverse("wagtail_serve", args=["terms/"]),
            reverse("wagtail_serve", args=["privacy/"]),
        )

    def signup(self, request, user):
        services.complete_signup(
            user,
            display_name=self.cleaned_data["display_name"],
            language=self.cleaned_data["language"],
            recommendations=self.cleaned_data["recommendations"],
        )


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "language", "message_emails"]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "message_emails": forms.RadioSelect,
        }


class ConsentChangeForm(forms.Form):
    purpose = forms.ChoiceField(choices=[(p.value, p.label) for p in WITHDRAWABLE_PURPOSES])
    action = forms.ChoiceField(choices=[("grant", "grant"), ("withdraw", "withdraw")])

    def purpose_value(self) -> ConsentPurpose:
        return ConsentPurpose(self.cleaned_data["purpose"])


class CloseAccountForm(forms.Form):
    """The choices closing asks for (accounts.closing.Plan.questions), then the person's
    confirmation that they understand it cannot be undone."""

    confirm = forms.BooleanField(
        label=_(
            "I understand that my account and the personal data listed above are deleted "
            "for good, and that this cannot be undone."
        ),
        required=True,
        error_messages={
            "required": _("Tick the box to confirm that you want to delete your account.")
        },
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.question_names = []
        fields = {}
        for question in questions:
            fields[question.name] = forms.ChoiceField(
                label=question.label,
                choices=question.choices,
                help_text=question.help_text,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose one.")},
            )
            self.question_names.append(question.name)
        # The questions first, the confirmation last.
        self.fields = {**fields, **self.fields}

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.question_names}
