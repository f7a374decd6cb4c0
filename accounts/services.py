"""Every change to accounts, roles and consents goes through here."""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action

from .models import (
    WITHDRAWABLE_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
    Role,
    RoleAssignment,
    User,
)
from .signals import consent_changed

# Roles that work in the Wagtail admin get the Django group carrying its permissions.
# "Editors" and "Moderators" are the groups Wagtail itself creates: editors draft pages
# and submit them for moderation, moderators publish.
ROLE_GROUPS = {
    Role.EDITOR: "Editors",
    Role.MODERATOR: "Moderators",
    Role.CONTEST_ORGANIZER: "Contest organizers",
}


def _can_manage_roles(actor) -> bool:
    return actor is None or actor.is_superuser or actor.has_role(Role.MODERATOR)


@transaction.atomic
def grant_role(user: User, role: Role, *, ward=None, granted_by=None) -> RoleAssignment:
    """Give `user` the role (for one ward or all). Granting twice changes nothing.

    `granted_by=None` is the system itself (sign-up, seed data); a person granting a
    staff role must be a superuser or a moderator.
    """
    if role not in (Role.RESIDENT, Role.ORGANIZATION_MEMBER) and not _can_manage_roles(granted_by):
        raise PermissionDenied
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, ward=ward, defaults={"granted_by": granted_by}
    )
    if created:
        if group_name := ROLE_GROUPS.get(Role(role)):
            group, _created = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
        log_action(
            granted_by, "accounts.role_granted", user, role=role, ward=ward.code if ward else None
        )
    return assignment


@transaction.atomic
def revoke_role(user: User, role: Role, *, ward=None, revoked_by=None) -> None:
    if not _can_manage_roles(revoked_by):
        raise PermissionDenied
    deleted, _details = RoleAssignment.objects.filter(user=user, role=role, ward=ward).delete()
    if not deleted:
        return
    group_name = ROLE_GROUPS.get(Role(role))
    if group_name and not user.role_assignments.filter(role=role).exists():
        user.groups.remove(*Group.objects.filter(name=group_name))
    log_action(
        revoked_by, "accounts.role_revoked", user, role=role, ward=ward.code if ward else None
    )


def has_consent(user: User, purpose: ConsentPurpose) -> bool:
    return ConsentRecord.objects.filter(
        user=user, purpose=purpose, withdrawn_at__isnull=True
    ).exists()


def active_consents(user: User) -> set[str]:
    return set(
        ConsentRecord.objects.filter(user=user, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )


@transaction.atomic
def grant_consent(user: User, purpose: ConsentPurpose) -> ConsentRecord:
    """Record that `user` agrees to `purpose`. Agreeing again keeps the first record."""
    # Lock the user's row so two tabs agreeing at once cannot create two active records.
    User.objects.select_for_update().filter(pk=user.pk).first()
    record = ConsentRecord.objects.filter(
        user=user, purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if record:
        return record
    record = ConsentRecord.objects.create(user=user, purpose=purpose)
    log_action(user, "accounts.consent_granted", record, purpose=purpose)
    consent_changed.send(sender=ConsentRecord, user=user, purpose=purpose)
    return record


@transaction.atomic
def withdraw_consent(user: User, purpose: ConsentPurpose) -> None:
    """Withdraw a consent. Takes effect at once; the history stays for the user to see."""
    if purpose not in WITHDRAWABLE_PURPOSES:
        raise ValidationError(
            _("The terms of use cannot be withdrawn on their own. Close your account instead.")
        )
    records = ConsentRecord.objects.select_for_update().filter(
        user=user, purpose=purpose, withdrawn_at__isnull=True
    )
    for record in records:
        record.withdrawn_at = timezone.now()
        record.save(update_fields=["withdrawn_at"])
        log_action(user, "accounts.consent_withdrawn", record, purpose=purpose)
        consent_changed.send(sender=ConsentRecord, user=user, purpose=purpose)


@transaction.atomic
def complete_signup(user: User, *, display_name: str, language: str, recommendations: bool) -> None:
    """What sign-up records beyond the e-mail and password: name, language, consents.

    Everyone who signs up can offer their skills, so each new user is a resident; an
    organization membership adds the organization member role later.
    """
    user.display_name = display_name
    user.language = language
    user.save(update_fields=["display_name", "language"])
    grant_consent(user, ConsentPurpose.TERMS)
    if recommendations:
        grant_consent(user, ConsentPurpose.RECOMMENDATIONS)
    grant_role(user, Role.RESIDENT)
    log_action(user, "accounts.signed_up", user)


@transaction.atomic
def update_account(user: User, *, display_name: str, language: str, message_emails: str) -> None:
    user.display_name = display_name
    user.language = language
    user.message_emails = message_emails
    user.save(update_fields=["display_name", "language", "message_emails"])
    log_action(user, "accounts.updated", user)
