"""Tasks: drafts, publishing, and the end of taking applications."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from core.activity import log_action
from search.index import update_on_commit as reindex_on_commit

from .. import notifications
from ..models import MatchStatus, Organization, Task, TaskStatus
from ..validators import validate_apply_deadline
from .applications import end_pending_applications
from .lifecycles import change_task_status

EDITABLE = (TaskStatus.DRAFT, TaskStatus.PENDING_REVIEW, TaskStatus.OPEN)


def _check_deadline(task: Task) -> None:
    try:
        validate_apply_deadline(task.apply_deadline)
    except ValidationError as error:
        raise ValidationError({"apply_deadline": error}) from None


def _validate_task(task: Task) -> None:
    task.full_clean(exclude=["organization", "created_by"])
    _check_deadline(task)


def _lock(task: Task) -> Task:
    return Task.objects.select_for_update().select_related("organization").get(pk=task.pk)


@transaction.atomic
def create_task(user: User, organization: Organization, *, skills=(), tags=(), **fields) -> Task:
    """Save a draft task for `organization`; publish_task() puts it on the board."""
    policy.check(user, "marketplace.manage_organization", organization)
    task = Task(organization=organization, created_by=user, status=TaskStatus.DRAFT, **fields)
    _validate_task(task)
    task.save()
    task.skills.set(skills)
    task.tags.set(list(tags))
    log_action(user, "marketplace.task_created", task)
    return task


@transaction.atomic
def update_task(user: User, task: Task, *, skills=None, tags=None, **fields) -> Task:
    policy.check(user, "marketplace.manage_task", task)
    if task.status not in EDITABLE:
        raise ValidationError(_("A task can be edited only until it is matched."))
    for name, value in fields.items():
        setattr(task, name, value)
    _validate_task(task)
    task.save()
    if skills is not None:
        task.skills.set(skills)
    if tags is not None:
        task.tags.set(list(tags))
    log_action(user, "marketplace.task_updated", task, fields=sorted(fields))
    reindex_on_commit(task)
    return task


@transaction.atomic
def publish_task(user: User, task: Task) -> Task:
    """Draft → open, or → waiting for verification while the organization is unverified."""
    policy.check(user, "marketplace.manage_task", task)
    task = _lock(task)
    _check_deadline(task)
    target = TaskStatus.OPEN if task.organization.is_verified else TaskStatus.PENDING_REVIEW
    return change_task_status(task, target, user)


@transaction.atomic
def close_task(user: User, task: Task) -> Task:
    """Stop taking applications. Pending ones are declined with a note to each applicant."""
    policy.check(user, "marketplace.manage_task", task)
    task = _lock(task)
    target = TaskStatus.MATCHED if task.matches.exists() else TaskStatus.CLOSED
    change_task_status(task, target, user)
    end_pending_applications(task, user, _("The organization stopped taking applications."))
    return task


@transaction.atomic
def cancel_task(user: User, task: Task) -> Task:
    policy.check(user, "marketplace.manage_task", task)
    task = _lock(task)
    change_task_status(task, TaskStatus.CANCELLED, user)
    end_pending_applications(task, user, _("The task was cancelled."))
    for match in task.matches.filter(
        status__in=[MatchStatus.ACTIVE, MatchStatus.COMPLETION_REQUESTED]
    ):
        match.status = MatchStatus.CANCELLED
        match.save(update_fields=["status"])
        notifications.notify(match.resident, "task_cancelled", task=task)
    return task


@transaction.atomic
def start_task(user: User, task: Task) -> Task:
    """The organization says work has begun with the matched people."""
    policy.check(user, "marketplace.manage_task", task)
    task = _lock(task)
    if not task.matches.exists():
        raise ValidationError(_("Accept at least one person before starting."))
    change_task_status(task, TaskStatus.IN_PROGRESS, user)
    end_pending_applications(task, user, _("The organization has found its volunteers."))
    return task


@transaction.atomic
def expire_tasks(today=None) -> int:
    """Open tasks past their deadline: expired if nobody matched, else matched."""
    today = today or timezone.localdate()
    count = 0
    for task in Task.objects.select_for_update().filter(
        status=TaskStatus.OPEN, apply_deadline__lt=today
    ):
        target = TaskStatus.MATCHED if task.matches.exists() else TaskStatus.EXPIRED
        change_task_status(task, target, None, reason="deadline")
        end_pending_applications(task, None, _("The deadline to apply has passed."))
        count += 1
    return count
