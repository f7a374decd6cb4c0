"""E-mails the board sends, each in its recipient's language, queued after commit."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.email import queue_email

from .models import Membership, Organization


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def url_for(user: User, viewname: str, *args) -> str:
    """An absolute URL in the recipient's language (English pages live under /en/)."""
    with translation.override(user.language):
        return absolute(reverse(viewname, args=args))


def notify(user: User, template: str, **context) -> None:
    """Render marketplace/email/<template>.txt (first line: subject) and queue it."""
    if not user.is_active or not user.email:
        return
    with translation.override(user.language):
        text = render_to_string(f"marketplace/email/{template}.txt", {"user": user, **context})
    subject, _, body = text.strip().partition("\n")
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    queue_email(EmailMessage(prefix + subject.strip(), body.strip() + "\n", to=[user.email]))


def notify_members(organization: Organization, template: str, **context) -> None:
    members = User.objects.filter(
        pk__in=Membership.objects.filter(organization=organization).values("user")
    )
    for member in members:
        notify(member, template, organization=organization, **context)
