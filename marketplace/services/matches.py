"""Matches: completion confirmed by both sides, and the hours the resident gave."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from core.activity import log_action
from core.errors import NotFound

from .. import notifications
from ..models import HoursLog, Match, MatchStatus, Task, TaskStatus
from .lifecycles import change_task_status


def access_match(user: User, match_id: int) -> Match:
    """The match, for its resident or a member of its organization; otherwise NotFound."""
    return policy.access(
        user,
        "marketplace.view_match",
        Match.objects.select_related(
            "task", "organization", "resident", "resident_ward", "task_ward"
        ),
        pk=match_id,
    )


def side(user: User, match: Match) -> str:
    """Which side of the match `user` is on: "resident" or "organization"."""
    if match.resident_id == user.pk:
        return "resident"
    if policy.can(user, "marketplace.view_match", match):
        return "organization"
    raise NotFound


@transaction.atomic
def confirm_completion(user: User, match: Match) -> Match:
    """Each side confirms the work is done; the second confirmation completes the match."""
    who = side(user, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in (MatchStatus.ACTIVE, MatchStatus.COMPLETION_REQUESTED):
        raise ValidationError(_("This match is already closed."))
    now = timezone.now()
    if who == "resident":
        match.resident_confirmed_at = match.resident_confirmed_at or now
    else:
        match.organization_confirmed_at = match.organization_confirmed_at or now
    if match.resident_confirmed_at and match.organization_confirmed_at:
        match.status = MatchStatus.COMPLETED
        match.completed_at = now
    else:
        match.status = MatchStatus.COMPLETION_REQUESTED
    match.save()
    log_action(user, "marketplace.completion_confirmed", match, side=who)
    if match.status == MatchStatus.COMPLETION_REQUESTED:
        if who == "resident":
            notifications.notify_members(match.organization, "completion_requested", match=match)
        else:
            notifications.notify(match.resident, "completion_requested", match=match)
    else:
        _complete_task_if_done(match.task, user)
        notifications.notify(match.resident, "match_completed", match=match)
        notifications.notify_members(match.organization, "match_completed", match=match)
    return match


def _complete_task_if_done(task: Task, actor) -> None:
    task = Task.objects.select_for_update().get(pk=task.pk)
    open_matches = task.matches.exclude(status__in=[MatchStatus.COMPLETED, MatchStatus.CANCELLED])
    if open_matches.exists():
        return
    if task.status in (TaskStatus.OPEN, TaskStatus.MATCHED):
        change_task_status(task, TaskStatus.IN_PROGRESS, actor)
    if task.status == TaskStatus.IN_PROGRESS:
        change_task_status(task, TaskStatus.COMPLETED, actor)


@transaction.atomic
def log_hours(user: User, match: Match, *, date, hours, note: str) -> HoursLog:
    policy.check(user, "marketplace.log_hours", match)
    if match.status == MatchStatus.CANCELLED:
        raise ValidationError(_("Hours cannot be logged on a cancelled match."))
    if date > timezone.localdate():
        raise ValidationError({"date": _("The date cannot be in the future.")})
    if date < timezone.localtime(match.created_at).date():
        raise ValidationError({"date": _("The date cannot be before the match was made.")})
    entry = HoursLog(match=match, date=date, hours=hours, note=note.strip())
    entry.full_clean()
    entry.save()
    log_action(user, "marketplace.hours_logged", entry, hours=str(hours))
    notifications.notify_members(match.organization, "hours_logged", match=match, entry=entry)
    return entry


@transaction.atomic
def decide_hours(user: User, entry: HoursLog, *, confirm: bool) -> HoursLog:
    policy.check(user, "marketplace.decide_hours", entry)
    entry = HoursLog.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HoursLog.Status.SUBMITTED:
        raise ValidationError(_("These hours have already been answered."))
    entry.status = HoursLog.Status.CONFIRMED if confirm else HoursLog.Status.REJECTED
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save()
    log_action(user, "marketplace.hours_decided", entry, confirmed=confirm)
    return entry
