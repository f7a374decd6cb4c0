"""Personal data (個人情報保護法): what each app holds about a person, to hand over and to erase.

Every app that stores something about a person registers a section in its own
`<app>/personal_data.py` (found by autodiscovery):

    @personal_data.register
    class BoardData(PersonalDataSection):
        key = "board"
        label = _("Matching board")
        def export(self, user): ...          # JSON-able: what the download contains
        def erase(self, user, answers): ...  # called when the account is closed
        def consequences(self, user): ...    # what closing will do, in words
        def blockers(self, user): ...        # why it cannot be closed yet
        def questions(self, user): ...       # choices to make first (who takes over)

The data download (accounts.data_export) puts each section's export under its key; closing
an account (accounts.closing) shows every section's consequences, blockers and questions,
then calls every section's erase in `order`, in one transaction. The account itself is
the last one (AccountData below): the others still find the person as they were.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.registry import Registry

SECTIONS = Registry("personal data section", discover="personal_data")


@dataclass(frozen=True)
class Consequence:
    """One thing closing the account does: erases something (kept=False) or leaves it,
    without the person's name (kept=True)."""

    text: str
    kept: bool = False


@dataclass(frozen=True)
class Question:
    """A choice the person makes before closing (who takes over an organization, say).
    `name` is unique across sections; the answer reaches `erase` as answers[name]."""

    name: str
    label: str
    choices: list[tuple[str, str]] = field(default_factory=list)
    help_text: str = ""


class PersonalDataSection(ABC):
    key: str = ""  # the key of this section in the download
    label = ""  # a heading, in words (a lazy translation)
    order: int = 100  # erase order: lower first

    @abstractmethod
    def export(self, user):
        """Everything this app holds about `user`, JSON-able (see `iso`). Nothing
        private about anyone else: another person appears by what the platform shows
        (an organization's name, a display name), never by their contact details."""

    @abstractmethod
    def erase(self, user, answers: dict) -> dict:
        """Erase or anonymise what this app holds about `user`, through its own
        services, inside the caller's transaction. Returns counts for the log (never
        personal data). May raise ValidationError (an answer no longer valid)."""

    def consequences(self, user) -> list[Consequence]:
        return []

    def blockers(self, user) -> list[str]:
        """Why the account cannot be closed now, in words the person can act on."""
        return []

    def questions(self, user) -> list[Question]:
        return []


def register(cls: type[PersonalDataSection]) -> type[PersonalDataSection]:
    if not cls.key:
        raise TypeError(f"{cls!r} must set `key`")
    SECTIONS.register(cls.key, cls())
    return cls


def sections() -> list[PersonalDataSection]:
    return sorted(SECTIONS.values(), key=lambda section: (section.order, section.key))


def iso(moment) -> str | None:
    """A date-time in Japan time (the site's), as ISO 8601; dates as they are."""
    if moment is None:
        return None
    if hasattr(moment, "tzinfo") and timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.isoformat()


# --- The account itself ----------------------------------------------------------------


@register
class AccountData(PersonalDataSection):
    key = "account"
    label = _("Account")
    order = 1000  # last: the other sections erase while the account is still as it was

    def export(self, user):
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        from core.models import ActivityLog

        from .models import ConsentRecord, RoleAssignment

        return {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "message_emails": user.message_emails,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
            "email_addresses": [
                {"email": row.email, "verified": row.verified, "primary": row.primary}
                for row in EmailAddress.objects.filter(user=user).order_by("id")
            ],
            # Which kinds of second factor are on, never their secrets.
            "two_factor": [
                {
                    "type": row.type,
                    "created_at": iso(row.created_at),
                    "last_used_at": iso(row.last_used_at),
                }
                for row in Authenticator.objects.filter(user=user).order_by("id")
            ],
            "roles": [
                {
                    "role": row.role,
                    "label": str(row.get_role_display()),
                    "ward": row.ward.name if row.ward_id else None,
                    "since": iso(row.created_at),
                }
                for row in RoleAssignment.objects.filter(user=user).select_related("ward")
            ],
            "consents": [
                {
                    "purpose": row.purpose,
                    "label": str(row.get_purpose_display()),
                    "version": row.version,
                    "granted_at": iso(row.granted_at),
                    "withdrawn_at": iso(row.withdrawn_at),
                }
                for row in ConsentRecord.objects.filter(user=user).order_by("granted_at", "id")
            ],
            # What they did, when: the log's action names only (its other fields may
            # be about other people).
            "activity": [
                {"action": action, "at": iso(at)}
                for action, at in ActivityLog.objects.filter(actor=user)
                .order_by("created_at", "id")
                .values_list("action", "created_at")
            ],
            "data_exports": [
                {"requested_at": iso(row.created_at), "status": row.status}
                for row in user.data_exports.order_by("created_at", "id")
            ],
        }

    def consequences(self, user):
        return [
            Consequence(
                _(
                    "Your e-mail address, display name, password, language and e-mail "
                    "settings are erased. You can no longer log in."
                )
            ),
            Consequence(_("Your two-factor authentication settings and roles are deleted.")),
            Consequence(_("What you agreed to, with its history, is deleted.")),
            Consequence(_("Copies of your data prepared for download are deleted.")),
        ]

    def blockers(self, user):
        if user.is_staff or user.is_superuser:
            return [
                _(
                    "Accounts with access to the administration cannot be closed here. "
                    "Ask another administrator to remove that access first."
                )
            ]
        return []

    def erase(self, user, answers):
        from allauth.account.models import EmailAddress
        from allauth.mfa.models import Authenticator

        from . import policy
        from .models import ConsentRecord, MessageEmails, RoleAssignment
        from .services import _end_sessions, sync_groups

        counts = {
            "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
            "authenticators": Authenticator.objects.filter(user=user).delete()[0],
            "roles": RoleAssignment.objects.filter(user=user).delete()[0],
            "consents": ConsentRecord.objects.filter(user=user).delete()[0],
        }
        if apps.is_installed("allauth.socialaccount"):
            from allauth.socialaccount.models import SocialAccount

            counts["social_accounts"] = SocialAccount.objects.filter(user=user).delete()[0]
        if apps.is_installed("wagtail.users"):
            # The CMS admin's profile (its avatar is a photo of the person, perhaps).
            from wagtail.users.models import UserProfile

            for profile in UserProfile.objects.filter(user=user):
                if profile.avatar:
                    profile.avatar.delete(save=False)
                profile.delete()
        exports = list(user.data_exports.all())
        for export in exports:
            if export.file:
                export.file.delete(save=False)
        counts["data_exports"] = user.data_exports.all().delete()[0]
        policy.forget(user)
        sync_groups(user)

        user.email = f"deleted-{user.pk}@invalid"  # unique and undeliverable (RFC 2606)
        user.display_name = ""
        user.first_name = user.last_name = ""
        user.set_unusable_password()
        user.is_active = user.is_staff = user.is_superuser = False
        user.language = settings.LANGUAGE_CODE
        user.message_emails = MessageEmails.NEVER
        user.save()
        counts["sessions"] = _end_sessions(user)
        return counts
