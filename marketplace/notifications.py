"""E-mails the board sends, each in its recipient's language, queued after commit."""

from accounts.models import User
from core.email import email_user

from .models import Membership, Organization


def notify(user: User, template: str, **context) -> None:
    """Render marketplace/email/<template>.txt (first line: subject) and queue it."""
    email_user(user, f"marketplace/email/{template}.txt", **context)


def notify_members(organization: Organization, template: str, **context) -> None:
    members = User.objects.filter(
        pk__in=Membership.objects.filter(organization=organization).values("user")
    )
    for member in members:
        notify(member, template, organization=organization, **context)
