import uuid

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .attachments import MAX_ATTACHMENTS


def _files_help() -> str:
    # Lazy as a whole: "%" on a lazy string would translate it once, at import.
    return gettext("Images (JPEG, PNG, GIF, WebP) or PDF, up to %(n)d files of 5 MB each.") % {
        "n": MAX_ATTACHMENTS
    }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by messaging.attachments in the service."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField(
        label=_("Attach files"),
        required=False,
        help_text=lazy(_files_help, str)(),
        widget=MultipleFileInput(
            attrs={"accept": "image/jpeg,image/png,image/gif,image/webp,application/pdf"}
        ),
    )
    share_contact = forms.BooleanField(
        label=_("Share my contact details"),
        required=False,
        help_text=_(
            "Before a match, your e-mail address and phone number stay private. Tick this "
            "only if you want to give them in this message."
        ),
    )
    # A fresh id per rendered form: submitting the same form twice stores one message.
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
