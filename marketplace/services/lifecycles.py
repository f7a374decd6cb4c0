"""The board's state machines: which status may follow which (core.lifecycle)."""

from django.utils import timezone

from core.lifecycle import Lifecycle
from search.index import update_on_commit as reindex_on_commit

from ..models import ApplicationStatus, Task, TaskStatus

TASK_LIFECYCLE = Lifecycle(
    "marketplace.task_status",
    {
        TaskStatus.DRAFT: {TaskStatus.PENDING_REVIEW, TaskStatus.OPEN, TaskStatus.CANCELLED},
        TaskStatus.PENDING_REVIEW: {TaskStatus.OPEN, TaskStatus.DRAFT, TaskStatus.CANCELLED},
        TaskStatus.OPEN: {
            TaskStatus.MATCHED,
            TaskStatus.CLOSED,
            TaskStatus.CANCELLED,
            TaskStatus.EXPIRED,
            TaskStatus.IN_PROGRESS,
        },
        TaskStatus.MATCHED: {TaskStatus.IN_PROGRESS, TaskStatus.OPEN, TaskStatus.CANCELLED},
        TaskStatus.IN_PROGRESS: {TaskStatus.COMPLETED, TaskStatus.CANCELLED},
        TaskStatus.COMPLETED: set(),
        TaskStatus.CLOSED: set(),
        TaskStatus.CANCELLED: set(),
        TaskStatus.EXPIRED: set(),
    },
)

# An application or invitation is answered once: every answer ends it.
APPLICATION_LIFECYCLE = Lifecycle(
    "marketplace.application_status",
    {
        ApplicationStatus.PENDING: {
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.WITHDRAWN,
            ApplicationStatus.EXPIRED,
        },
        ApplicationStatus.ACCEPTED: set(),
        ApplicationStatus.DECLINED: set(),
        ApplicationStatus.WITHDRAWN: set(),
        ApplicationStatus.EXPIRED: set(),
    },
)


def change_task_status(task: Task, new: TaskStatus, actor, **data) -> Task:
    """Move `task` along TASK_LIFECYCLE (published the first time it opens) and reindex
    it. Call inside a transaction, holding the task's row lock."""
    fields = {}
    if new == TaskStatus.OPEN and task.published_at is None:
        fields["published_at"] = timezone.now()
    TASK_LIFECYCLE.change(task, new, actor, fields=fields, **data)
    reindex_on_commit(task)
    return task
