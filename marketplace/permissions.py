"""Who may do what on the board. Loading helpers answer 404 for other people's objects."""

from django.http import Http404

from accounts.models import Role

from .models import Membership, MembershipRole, Organization


def is_moderator(user, ward=None) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.MODERATOR, ward=ward))


def membership(user, organization: Organization) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(organization=organization, user=user).first()


def is_member(user, organization: Organization) -> bool:
    return membership(user, organization) is not None


def is_owner(user, organization: Organization) -> bool:
    member = membership(user, organization)
    return member is not None and member.role == MembershipRole.OWNER


def access_organization(user, organization_id: int, *, owner=False) -> Organization:
    """The organization, if `user` belongs to it (as owner when asked); otherwise 404."""
    organization = Organization.objects.select_related("ward").filter(pk=organization_id).first()
    if organization is None:
        raise Http404
    allowed = is_owner(user, organization) if owner else is_member(user, organization)
    if not allowed:
        raise Http404
    return organization
