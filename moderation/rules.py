"""Who may do what in moderation. Reports carry their ward (see models.Report)."""

from accounts import policy
from accounts.models import Role
from accounts.policy import role, role_in_ward, signed_in, superuser

policy.register(
    {
        "moderation.report": signed_in,
        "moderation.block": signed_in,
        # The queue is shown to every moderator; what is in it is scoped by the next row.
        "moderation.view_report_queue": superuser | role(Role.MODERATOR),
        # Object: the report. A 台東区 moderator handles 台東区's reports only.
        "moderation.handle_report": superuser | role_in_ward(Role.MODERATOR),
    }
)
