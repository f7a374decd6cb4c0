"""Every change to accounts, roles and consents goes through here."""

from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.activity import log_action
from core.errors import NotAllowed

from . import policy
from .models import (
    WITHDRAWABLE_PURPOSES,
    ConsentPurpose,
    ConsentRecord,
    Role,
    RoleAssignment,
    User,
)
from .signals import consent_changed, user_active_changed

# Roles that work in the Wagtail admin get the Django group carrying its permissions.
# "Editors" and "Moderators" are the groups Wagtail itself creates: editors draft pages
# and submit them for moderation, moderators publish.
ROLE_GROUPS = {
    Role.EDITOR: "Editors",
    Role.MODERATOR: "Moderators",
    Role.CONTEST_ORGANIZER: "Contest organizers",
}


def _check_can_manage_roles(actor, ward) -> None:
    """`actor=None` is the system itself (sign-up, seed data, a management command)."""
    if actor is None:
        return
    assignment = SimpleNamespace(ward_id=ward.pk if ward is not None else None)
    if not policy.can(actor, "accounts.manage_roles", assignment):
        raise NotAllowed


@transaction.atomic
def grant_role(user: User, role: Role, *, ward=None, granted_by=None) -> RoleAssignment:
    """Give `user` the role (for one ward or all). Granting twice changes nothing.

    `granted_by=None` is the system itself (sign-up, seed data); a person granting a
    staff role must be a superuser or a moderator.
    """
    if role not in (Role.RESIDENT, Role.ORGANIZATION_MEMBER):
        _check_can_manage_roles(granted_by, ward)
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, ward=ward, defaults={"granted_by": granted_by}
    )
    if created:
        policy.forget(user)
        sync_groups(user)
        log_action(
            granted_by, "accounts.role_granted", user, role=role, ward=ward.code if ward else None
        )
    return assignment


@transaction.atomic
def revoke_role(user: User, role: Role, *, ward=None, revoked_by=None) -> None:
    _check_can_manage_roles(revoked_by, ward)
    deleted, _details = RoleAssignment.objects.filter(user=user, role=role, ward=ward).delete()
    if not deleted:
        return
    policy.forget(user)
    sync_groups(user)
    log_action(
        revoked_by, "accounts.role_revoked", user, role=role, ward=ward.code if ward else None
    )


@transaction.atomic
def sync_groups(user: User) -> None:
    """Make the user's Django groups exactly the ones their role assignments give
    (ROLE_GROUPS): add the missing ones and remove every other.

    Groups are derived from roles only. A group no role gives, one added by hand in an
    admin say, is removed as well: to give someone a group, grant them its role.
    grant_role and revoke_role call this; call it after changing roles any other way.
    """
    held = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True))
    names = sorted({ROLE_GROUPS[role] for role in held if role in ROLE_GROUPS})
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])
    # ModelBackend keeps the permissions it read on the user object.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def _end_sessions(user: User) -> int:
    """Sign `user` out everywhere by deleting their sessions; how many there were.

    Sessions are not indexed by user, so this reads every unexpired one. The database
    backends (`db`, `cached_db`: Django's default, and this site's) can be listed; with a
    cache-only or signed-cookie backend nothing can, and it ends none. Either way an
    inactive user is nobody at their next request: the authentication backends refuse
    inactive users when they load the user of a session.
    """
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0
    sessions = store_class.get_model_class().objects.filter(expire_date__gt=timezone.now())
    ended = 0
    for session in sessions.iterator():
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            # Through the store, so `cached_db` forgets its cached copy too.
            store_class(session.session_key).delete()
            ended += 1
    return ended


@transaction.atomic
def set_active(actor: User, user: User, active: bool, *, reason: str = "") -> None:
    """Deactivate (`active=False`) or reactivate `user`. Setting what is already set
    changes nothing.

    Deactivating signs them out everywhere at once and, through `user_active_changed`,
    tells the other apps (search takes their profile out). Roles, consents and data stay:
    reactivating gives everything back. Only those who manage users may; nobody may
    deactivate themselves.
    """
    policy.check(actor, "accounts.manage_users")
    if not active and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."), code="deactivate_self")
    stored = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = active
    if stored.is_active == active:
        return
    user.save(update_fields=["is_active"])
    if active:
        log_action(actor, "accounts.reactivated", user, reason=reason)
    else:
        ended = _end_sessions(user)
        log_action(actor, "accounts.deactivated", user, reason=reason, sessions_ended=ended)
    user_active_changed.send(sender=User, user=user, active=active)


@transaction.atomic
def set_staff_flags(actor: User, user: User, *, is_staff: bool, is_superuser: bool) -> None:
    """Set whether `user` may use the Django admin (`is_staff`) and holds every
    permission (`is_superuser`). Only those who manage users may; a superuser cannot
    give up their own superuser status (another superuser has to take it)."""
    policy.check(actor, "accounts.manage_users")
    if actor.pk == user.pk and not is_superuser:
        raise ValidationError(
            _("You cannot remove your own superuser status."), code="unsuperuser_self"
        )
    stored = User.objects.select_for_update().get(pk=user.pk)
    wanted = {"is_staff": bool(is_staff), "is_superuser": bool(is_superuser)}
    changed = {name: value for name, value in wanted.items() if getattr(stored, name) != value}
    for name, value in wanted.items():
        setattr(user, name, value)
    if not changed:
        return
    user.save(update_fields=list(changed))
    log_action(actor, "accounts.staff_flags_changed", user, **changed)


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
