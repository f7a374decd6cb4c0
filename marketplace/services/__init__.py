"""Every state change on the matching board goes through this package, one module per
concern. Each function checks permission (accounts.policy), validates, writes in one
transaction, logs the action and queues its e-mails with transaction.on_commit, so
nobody is told about a change that was rolled back. Refusals are core.errors (NotFound,
NotAllowed, Conflict) or ValidationError for input; no service speaks HTTP.

Reports and blocks are moderation's (moderation.services).
"""

from .applications import (
    MAX_PENDING_PER_RESIDENT,
    MAX_PENDING_PER_TASK,
    REMINDER_BEFORE,
    accept_application,
    apply_to_task,
    decline_application,
    end_pending_applications,
    expire_applications,
    invite_resident,
    open_application_conversation,
    send_response_reminders,
    withdraw_application,
)
from .lifecycles import APPLICATION_LIFECYCLE, TASK_LIFECYCLE, change_task_status
from .matches import access_match, confirm_completion, decide_hours, log_hours, side
from .organizations import (
    moderators_for,
    organization_queue,
    refuse_organization,
    register_organization,
    update_organization,
    verify_organization,
)
from .profiles import is_discoverable, save_resident_profile
from .recommendations import Recommendation, new_tasks_for, residents_for, tasks_for
from .reviews import leave_review
from .tasks import (
    cancel_task,
    close_task,
    create_task,
    expire_tasks,
    publish_task,
    start_task,
    update_task,
)

__all__ = [
    "APPLICATION_LIFECYCLE",
    "MAX_PENDING_PER_RESIDENT",
    "MAX_PENDING_PER_TASK",
    "REMINDER_BEFORE",
    "TASK_LIFECYCLE",
    "Recommendation",
    "accept_application",
    "access_match",
    "apply_to_task",
    "cancel_task",
    "change_task_status",
    "close_task",
    "confirm_completion",
    "create_task",
    "decide_hours",
    "decline_application",
    "end_pending_applications",
    "expire_applications",
    "expire_tasks",
    "invite_resident",
    "is_discoverable",
    "leave_review",
    "log_hours",
    "moderators_for",
    "new_tasks_for",
    "open_application_conversation",
    "organization_queue",
    "publish_task",
    "refuse_organization",
    "register_organization",
    "residents_for",
    "save_resident_profile",
    "send_response_reminders",
    "side",
    "start_task",
    "tasks_for",
    "update_organization",
    "update_task",
    "verify_organization",
    "withdraw_application",
]
