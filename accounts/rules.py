"""Who may change accounts and roles. The rows of the policy table for this app."""

from . import policy
from .models import Role
from .policy import role_in_ward, superuser

policy.register(
    {
        # Object: the assignment being granted or revoked (its ward; empty = all wards).
        # A ward moderator hands out roles for their ward only.
        "accounts.manage_roles": superuser | role_in_ward(Role.MODERATOR),
        "accounts.manage_users": superuser,
    }
)
