"""Sending e-mail: rendered in the recipient's language, delivered by a Celery task."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email

# Sent for every e-mail `email_user` queues about something on the site, with the
# recipient, the template, the subject (in their language) and the page it points to.
# The notification centre (notifications.receivers) keeps each as an in-app notice, so no
# app has to tell two things apart; none of them needs to know the centre exists.
user_emailed = Signal()


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


def email_user(user, template: str, *, in_app: bool = True, **context) -> None:
    """Render `template` in the user's language (first line: subject) and queue it.

    `in_app=False` for e-mails that are not news about the site (a sign-in unlock link) or
    that already have their own place on it (new messages: the inbox's unread count).
    """
    if not user.is_active or not user.email:
        return
    with translation.override(user.language):
        text = render_to_string(template, {"user": user, **context})
    subject, _, body = text.strip().partition("\n")
    subject = subject.strip()
    prefix = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
    queue_email(EmailMessage(prefix + subject, body.strip() + "\n", to=[user.email]))
    if in_app:
        user_emailed.send(
            sender=None, user=user, template=template, subject=subject, link=site_link(body)
        )


def site_link(body: str) -> str:
    """The first address on this site in an e-mail's text, as a path ("" if none).

    Every e-mail ends with what to do next and the page to do it on; that page is where
    its in-app notice leads.
    """
    root = settings.SITE_URL.rstrip("/")
    for word in body.split():
        if word.startswith(root + "/"):
            return word[len(root) :]
    return ""
