"""Organizations: registration, corrections, and verification by a moderator of their ward."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts import services as account_services
from accounts.models import Role, User
from core.activity import log_action
from search.index import update_on_commit as reindex_on_commit

from .. import notifications
from ..models import Membership, MembershipRole, Organization, TaskStatus, VerificationStatus
from ..validators import (
    CORPORATE_NUMBER_TAKEN,
    CORPORATE_NUMBER_WITHOUT_CORPORATION,
    normalize_corporate_number,
    normalize_phone_number,
    validate_corporate_number,
)
from .lifecycles import change_task_status


def corporate_number_taken(number: str, organization: Organization | None = None) -> bool:
    """Whether another organization already has this (normalised) corporate number."""
    others = Organization.objects.filter(corporate_number=number)
    if organization is not None and organization.pk:
        others = others.exclude(pk=organization.pk)
    return bool(number) and others.exists()


def _taken_error() -> ValidationError:
    return ValidationError({"corporate_number": ValidationError(CORPORATE_NUMBER_TAKEN, "taken")})


def _check_details(organization: Organization) -> None:
    """Normalise what people type, then one clear error per problem with the number."""
    organization.corporate_number = normalize_corporate_number(organization.corporate_number)
    organization.contact_phone = normalize_phone_number(organization.contact_phone)
    number = organization.corporate_number
    if organization.is_corporation and not number:
        raise ValidationError(
            {
                "corporate_number": ValidationError(
                    _("Corporations must give their corporate number."), "required"
                )
            }
        )
    if number and not organization.is_corporation:
        # Dropping it silently would lose what the person typed.
        raise ValidationError(
            {
                "corporate_number": ValidationError(
                    CORPORATE_NUMBER_WITHOUT_CORPORATION, "not_corporation"
                )
            }
        )
    if number:
        try:
            validate_corporate_number(number)
        except ValidationError as error:
            raise ValidationError({"corporate_number": error}) from None
        if corporate_number_taken(number, organization):
            raise _taken_error()


def _save(organization: Organization) -> None:
    # Two registrations of one number at once both pass the check; the database's
    # unique_corporate_number refuses the second, which gets the same error, not a 500.
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:
        if "corporate_number" in str(error):
            raise _taken_error() from error
        raise


@transaction.atomic
def register_organization(user: User, **fields) -> Organization:
    """Register an organization with `user` as its owner. It waits for a moderator."""
    policy.check(user, "marketplace.register_organization")
    organization = Organization(status=VerificationStatus.PENDING, **fields)
    _check_details(organization)
    organization.full_clean()
    _save(organization)
    Membership.objects.create(organization=organization, user=user, role=MembershipRole.OWNER)
    account_services.grant_role(user, Role.ORGANIZATION_MEMBER)
    log_action(user, "marketplace.organization_registered", organization)
    for moderator in moderators_for(organization):
        notifications.notify(moderator, "organization_to_verify", organization=organization)
    return organization


def moderators_for(organization: Organization):
    """The moderators of the organization's ward, and those of every ward."""
    return policy.holders(Role.MODERATOR, ward=organization.ward)


@transaction.atomic
def update_organization(user: User, organization: Organization, **fields) -> Organization:
    policy.check(user, "marketplace.edit_organization", organization)
    for name, value in fields.items():
        setattr(organization, name, value)
    _check_details(organization)
    organization.full_clean()
    if organization.status == VerificationStatus.REFUSED:
        # Corrected details go back to the moderators.
        organization.status = VerificationStatus.PENDING
    _save(organization)
    log_action(user, "marketplace.organization_updated", organization, fields=sorted(fields))
    reindex_on_commit(organization, *organization.tasks.all())
    return organization


@transaction.atomic
def verify_organization(moderator: User, organization: Organization) -> Organization:
    """A moderator of its ward verifies the organization; its tasks waiting for that go public."""
    policy.check(moderator, "marketplace.verify_organization", organization)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.status = VerificationStatus.VERIFIED
    organization.status_reason = ""
    organization.verified_at = timezone.now()
    organization.verified_by = moderator
    organization.save()
    log_action(moderator, "marketplace.organization_verified", organization)
    reindex_on_commit(organization)
    for task in organization.tasks.filter(status=TaskStatus.PENDING_REVIEW):
        change_task_status(task, TaskStatus.OPEN, moderator)
    notifications.notify_members(organization, "organization_verified")
    return organization


@transaction.atomic
def refuse_organization(moderator: User, organization: Organization, reason: str) -> Organization:
    policy.check(moderator, "marketplace.verify_organization", organization)
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the organization why, so it can correct it.")})
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.status = VerificationStatus.REFUSED
    organization.status_reason = reason.strip()
    organization.verified_at = None
    organization.save()
    log_action(moderator, "marketplace.organization_refused", organization, reason=reason)
    reindex_on_commit(organization)
    notifications.notify_members(organization, "organization_refused")
    return organization


def organization_queue(moderator: User):
    """The organizations (any status) this moderator may verify, oldest first."""
    return policy.scope(
        moderator,
        "marketplace.verify_organization",
        Organization.objects.select_related("ward")
        .prefetch_related("memberships__user")
        .order_by("created_at", "id"),
    )
