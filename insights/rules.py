"""Who may read the wards' KPIs: this app's rows of the policy table (accounts.policy).

The dashboard shows unsuppressed figures, so it is for ward administrators (the
moderator role) of the ward, all-ward moderators and superusers. Another ward's view
answers 404 (NotFound), like any object outside one's wards. The open data (suppressed)
needs no rule: it is public.
"""

from django.db.models import Q

from accounts import policy
from accounts.models import Role
from accounts.policy import predicate, role, role_wards, superuser


def _moderated_wards(user):
    """None (every ward), the ward ids, or False (no moderator role)."""
    return role_wards(user).get(Role.MODERATOR, False)


def _ward_q(user):
    wards = _moderated_wards(user)
    if wards is False:
        return Q(pk__in=[])
    return Q(pk__isnull=False) if wards is None else Q(pk__in=wards)


@predicate("a moderator of the ward (or of all wards)", q=_ward_q)
def ward_moderator(user, ward):
    wards = _moderated_wards(user)
    return wards is not False and (wards is None or ward.pk in wards)


@predicate("a moderator of all wards", needs_object=False)
def all_ward_moderator(user, obj):
    return _moderated_wards(user) is None


policy.register(
    {
        # Any KPI page at all (the entry to the dashboard; which wards is the next rows').
        "insights.open_dashboard": superuser | role(Role.MODERATOR),
        # One ward's figures (object: the core.Ward).
        "insights.view_ward_kpis": superuser | ward_moderator,
        # Every ward side by side, and the 23 wards' total.
        "insights.view_all_kpis": superuser | all_ward_moderator,
    }
)
