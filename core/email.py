"""Sending e-mail: rendered in the recipient's language, delivered by a Celery task."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def queue_email(message: EmailMessage) -> None:
    """Hand a rendered message to the mail task once the current transaction commits.

    Waiting for the commit means nobody is told about something that was rolled back.
    """
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((c for c, mime in message.alternatives if mime == "text/html"), None)
    payload = {
        "subject": str(message.subject),
        "body": message.body,
        "to": list(message.to),
        "html": html,
        "from_email": message.from_email,
        "headers": dict(message.extra_headers),
    }
    transaction.on_commit(lambda: send_email.delay(**payload))


def email_user(user, template: str, **context) -> None:
    """Render `template` in the user's language (first line: subject) and queue it."""
    if not user.is_active or not user.email:
        return
    with translation.override(user.language):
        text = render_to_string(template, {"user": user, **context})
    subject, _, body = text.strip().partition("\n")
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    queue_email(EmailMessage(prefix + subject.strip(), body.strip() + "\n", to=[user.email]))
