"""Sending e-mail: rendered in the recipient's language, delivered by a Celery task."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction

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
