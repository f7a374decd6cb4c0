"""Who may do what on the board: this app's rows of the policy table (accounts.policy).

Read a row as "<action> is allowed to <who>", the object being what the action is about.
Another organization's or another ward's object answers 404: nothing leaks.
"""

from accounts import policy
from accounts.models import Role
from accounts.policy import attr, is_user, predicate, role, role_in_ward, signed_in, superuser

from .models import ApplicationKind, Membership, MembershipRole, Organization, VerificationStatus


def _organization(obj, path):
    return obj if path is None else attr(obj, path)


def member_of(path: str | None = "organization", *, owner: bool = False):
    """A member (or the owner) of the object's organization; `path=None`: the object is
    the organization."""
    prefix = "" if path is None else f"{path}__"

    def test(user, obj):
        organization = _organization(obj, path)
        if organization is None:
            return False
        members = Membership.objects.filter(organization=organization, user=user)
        if owner:
            members = members.filter(role=MembershipRole.OWNER)
        return members.exists()

    def q(user):
        from django.db.models import Q

        lookup = {f"{prefix}memberships__user": user}
        if owner:
            lookup[f"{prefix}memberships__role"] = MembershipRole.OWNER
        return Q(**lookup)

    who = "owner" if owner else "a member"
    where = "the organization" if path is None else "its organization"
    return predicate(f"{who} of {where}", q=q)(test)


@predicate("a member of a verified organization", needs_object=False)
def verified_member(user, obj):
    return Organization.objects.filter(
        memberships__user=user, status=VerificationStatus.VERIFIED
    ).exists()


@predicate(
    "the side that answers: the organization for an application, the resident for an invitation"
)
def answering_side(user, application):
    if application.kind == ApplicationKind.APPLICATION:
        return member_of("task__organization").test(user, application)
    return application.resident_id == user.pk


@predicate(
    "the side that asked: the resident for an application, the organization for an invitation"
)
def asking_side(user, application):
    if application.kind == ApplicationKind.APPLICATION:
        return application.resident_id == user.pk
    return member_of("task__organization").test(user, application)


ward_moderator = superuser | role_in_ward(Role.MODERATOR)

policy.register(
    {
        # Organizations (object: the organization)
        "marketplace.register_organization": signed_in,
        "marketplace.edit_organization": member_of(None, owner=True),
        "marketplace.manage_organization": member_of(None),
        "marketplace.view_unverified_organization": member_of(None) | ward_moderator,
        "marketplace.verify_organization": ward_moderator,
        "marketplace.view_organization_queue": superuser | role(Role.MODERATOR),
        # Residents' profiles
        "marketplace.save_profile": signed_in,
        "marketplace.find_residents": verified_member,
        # Tasks (object: the task)
        "marketplace.manage_task": member_of("organization"),
        "marketplace.apply": signed_in,
        # Applications and invitations (object: the application)
        "marketplace.view_application": is_user("resident") | member_of("task__organization"),
        "marketplace.answer_application": answering_side,
        "marketplace.withdraw_application": asking_side,
        # Matches (object: the match; for hours, the hours entry)
        "marketplace.view_match": is_user("resident") | member_of("organization"),
        "marketplace.log_hours": is_user("resident"),
        "marketplace.view_certificate": is_user("resident"),
        "marketplace.decide_hours": member_of("match__organization"),
    }
)
