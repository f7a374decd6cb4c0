"""Who may change accounts and roles. The rows of the policy table for this app."""

from . import policy
from .models import Role
from .policy import Rule, role, role_in_ward, superuser

# A staff flag on the account (Django admin access), whatever roles it holds.
staff_flag = Rule(lambda user, obj: user.is_staff, "a staff account")

policy.register(
    {
        # Object: the assignment being granted or revoked (its ward; empty = all wards).
        # A ward moderator hands out roles for their ward only.
        "accounts.manage_roles": superuser | role_in_ward(Role.MODERATOR),
        "accounts.manage_users": superuser,
        # Who may not work on a password alone (accounts.two_factor enforces it).
        "accounts.needs_two_factor": superuser
        | staff_flag
        | role(Role.MODERATOR)
        | role(Role.EDITOR)
        | role(Role.CONTEST_ORGANIZER)
        | role(Role.JUDGE),
    }
)
