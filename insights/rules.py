"""Who may read the wards' KPIs: this app's rows of the policy table (accounts.policy).

The dashboard shows unsuppressed figures, so it is for ward administrators (the
moderator role) of the ward, all-ward moderators and superusers. Another ward's view
answers 404 (NotFound), like any object outside one's wards. The open data (suppressed)
needs no rule: it is public.
"""

from accounts import policy
from accounts.models import Role
from accounts.policy import role, role_everywhere, role_in_ward, superuser

policy.register(
    {
        # Any KPI page at all (the entry to the dashboard; which wards is the next rows').
        "insights.open_dashboard": superuser | role(Role.MODERATOR),
        # One ward's figures (object: the core.Ward itself).
        "insights.view_ward_kpis": superuser | role_in_ward(Role.MODERATOR, ward=None),
        # Every ward side by side, and the 23 wards' total.
        "insights.view_all_kpis": superuser | role_everywhere(Role.MODERATOR),
    }
)
