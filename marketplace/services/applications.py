"""Applications and invitations: asked within caps, answered once, in a conversation.

Every answer (accepted, declined, withdrawn, expired) goes through `_answer`: the
lifecycle change with who and when, its activity log entry, and the event in the
conversation. What differs between answers (the match, who is told) stays in each
service.
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from accounts.models import User
from core.activity import log_action
from core.errors import Conflict, NotFound
from messaging import services as messaging
from moderation.services import is_blocked_between

from .. import conversation_subjects as events
from .. import notifications
from ..models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Match,
    ResidentProfile,
    Task,
    TaskStatus,
)
from ..models.tasks import RESPONSE_WINDOW
from .lifecycles import APPLICATION_LIFECYCLE, change_task_status
from .profiles import is_discoverable

# Caps that keep anyone from waiting on too many open questions at once.
MAX_PENDING_PER_RESIDENT = 5
MAX_PENDING_PER_TASK = 30
# Reminder to whoever must answer, this long before an application expires.
REMINDER_BEFORE = timedelta(days=2)


def _is_member(user, organization) -> bool:
    return policy.can(user, "marketplace.manage_organization", organization)


def _blocked(organization, resident) -> bool:
    """Whether the resident and any member of the organization blocked each other."""
    members = organization.memberships.values("user_id")
    return is_blocked_between(resident, members)


def _check_caps(task: Task, resident: User) -> None:
    pending = Application.objects.filter(status=ApplicationStatus.PENDING)
    if pending.filter(resident=resident).count() >= MAX_PENDING_PER_RESIDENT:
        raise ValidationError(
            _(
                "You already have %(n)d applications or invitations waiting for an answer. "
                "Wait for an answer or withdraw one first."
            )
            % {"n": MAX_PENDING_PER_RESIDENT}
        )
    if pending.filter(task=task).count() >= MAX_PENDING_PER_TASK:
        raise ValidationError(
            _("This task has as many applications as it can review. Please try again later.")
        )
    if pending.filter(task=task, resident=resident).exists():
        raise ValidationError(
            _("There is already an application for this task waiting for an answer.")
        )
    if Match.objects.filter(task=task, resident=resident).exists():
        raise ValidationError(_("You are already matched on this task."))


def _create_pending(task, resident, kind, message: str, *, by) -> Application:
    """A new application or invitation, within the caps, answered within RESPONSE_WINDOW."""
    _check_caps(task, resident)
    application = Application.objects.create(
        task=task,
        resident=resident,
        kind=kind,
        message=message.strip(),
        created_by=by,
        respond_by=timezone.now() + RESPONSE_WINDOW,
    )
    # The message opens the conversation between the resident and the organization.
    messaging.ensure_conversation(application, opening_from=by, opening=message)
    return application


@transaction.atomic
def apply_to_task(user: User, task: Task, message: str) -> Application:
    """A resident applies with a message; the organization has RESPONSE_DAYS to answer."""
    policy.check(user, "marketplace.apply")
    task = Task.objects.select_for_update().select_related("organization").get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not taking applications."))
    if not ResidentProfile.objects.filter(user=user).exists():
        raise ValidationError(_("Create your skills profile before applying."))
    if _is_member(user, task.organization):
        raise ValidationError(_("You cannot apply to your own organization's task."))
    if _blocked(task.organization, user):
        raise ValidationError(_("You cannot apply to this task."))
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to the organization.")})
    application = _create_pending(task, user, ApplicationKind.APPLICATION, message, by=user)
    Task.objects.filter(pk=task.pk).update(application_count=F("application_count") + 1)
    log_action(user, "marketplace.applied", application)
    notifications.notify_members(task.organization, "application_received", application=application)
    return application


@transaction.atomic
def invite_resident(user: User, task: Task, resident: User, message: str) -> Application:
    """An organization member invites a discoverable resident; the resident answers."""
    policy.check(user, "marketplace.manage_task", task)
    task = Task.objects.select_for_update().select_related("organization").get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("Only open tasks can have invitations."))
    if not ResidentProfile.objects.filter(user=resident).exists() or not is_discoverable(resident):
        raise NotFound  # a private profile is not there for organizations
    if _blocked(task.organization, resident) or _is_member(resident, task.organization):
        raise ValidationError(_("You cannot invite this person."))
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to the person you invite.")})
    application = _create_pending(task, resident, ApplicationKind.INVITATION, message, by=user)
    log_action(user, "marketplace.invited", application)
    notifications.notify(resident, "invitation_received", application=application)
    return application


def _lock_pending(application: Application) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("task__organization__ward", "resident")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.PENDING:
        raise Conflict(_("This has already been answered."))
    return application


def _answer(application, status, actor, *, event: str, message: str = "", now=None, **log):
    """The one way an application ends: status, who and when, log entry, conversation
    event. The caller holds the application's row lock."""
    APPLICATION_LIFECYCLE.change(
        application,
        status,
        actor,
        fields={
            "decided_at": now or timezone.now(),
            "decided_by": actor,
            "decision_message": message,
        },
        **log,
    )
    messaging.post_event(application, event, actor=actor)
    return application


@transaction.atomic
def accept_application(user: User, application: Application) -> Match:
    """Accepting makes the match (マッチング成立), recording both wards."""
    policy.check(user, "marketplace.answer_application", application)
    application = _lock_pending(application)
    task = Task.objects.select_for_update().get(pk=application.task_id)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not taking new people."))
    profile = ResidentProfile.objects.filter(user=application.resident).first()
    if profile is None:
        raise ValidationError(_("The resident no longer has a skills profile."))
    organization = task.organization
    match = Match.objects.create(
        task=task,
        organization=organization,
        resident=application.resident,
        application=application,
        resident_ward=profile.home_ward,
        organization_ward=organization.ward,
        task_ward=task.ward,
        cross_ward=profile.home_ward_id != task.ward_id,
    )
    log_action(user, "marketplace.matched", match, cross_ward=match.cross_ward)
    _answer(application, ApplicationStatus.ACCEPTED, user, event=events.MATCHED)
    if task.matches.count() >= task.people_wanted:
        change_task_status(task, TaskStatus.MATCHED, user)
        end_pending_applications(task, user, _("The organization has found its volunteers."))
    notifications.notify(application.resident, "match_made", match=match)
    notifications.notify_members(organization, "match_made_organization", match=match)
    return match


@transaction.atomic
def decline_application(user: User, application: Application, message: str = "") -> Application:
    policy.check(user, "marketplace.answer_application", application)
    application = _lock_pending(application)
    is_application = application.kind == ApplicationKind.APPLICATION
    _answer(
        application,
        ApplicationStatus.DECLINED,
        user,
        event=events.DECLINED if is_application else events.INVITATION_DECLINED,
        message=message.strip(),
    )
    if is_application:
        notifications.notify(application.resident, "application_declined", application=application)
    else:
        notifications.notify_members(
            application.task.organization, "invitation_declined", application=application
        )
    return application


@transaction.atomic
def withdraw_application(user: User, application: Application) -> Application:
    """The side that asked takes it back: the resident an application, a member an invitation."""
    policy.check(user, "marketplace.withdraw_application", application)
    application = _lock_pending(application)
    return _answer(application, ApplicationStatus.WITHDRAWN, user, event=events.WITHDRAWN)


def end_pending_applications(task: Task, actor, reason: str) -> None:
    """Decline what still waits on a task that stopped taking people, telling each."""
    for application in task.applications.select_for_update().filter(
        status=ApplicationStatus.PENDING
    ):
        _answer(
            application,
            ApplicationStatus.DECLINED,
            actor,
            event=events.DECLINED,
            message=reason,
            automatic=True,
        )
        notifications.notify(application.resident, "application_declined", application=application)


@transaction.atomic
def expire_applications(now=None) -> int:
    """Pending past their answer date: expired, and both sides are told."""
    now = now or timezone.now()
    due = (
        Application.objects.select_for_update()
        .select_related("task__organization")
        .filter(status=ApplicationStatus.PENDING, respond_by__lt=now)
    )
    count = 0
    for application in due:
        _answer(application, ApplicationStatus.EXPIRED, None, event=events.EXPIRED, now=now)
        notifications.notify(application.resident, "application_expired", application=application)
        notifications.notify_members(
            application.task.organization,
            "application_expired_organization",
            application=application,
        )
        count += 1
    return count


@transaction.atomic
def send_response_reminders(now=None) -> int:
    """Remind whoever must answer, once, when the answer date is near."""
    now = now or timezone.now()
    due = (
        Application.objects.select_for_update()
        .select_related("task__organization")
        .filter(
            status=ApplicationStatus.PENDING,
            reminded_at__isnull=True,
            respond_by__lte=now + REMINDER_BEFORE,
            respond_by__gte=now,
        )
    )
    count = 0
    for application in due:
        application.reminded_at = now
        application.save(update_fields=["reminded_at"])
        if application.kind == ApplicationKind.APPLICATION:
            notifications.notify_members(
                application.task.organization, "application_reminder", application=application
            )
        else:
            notifications.notify(
                application.resident, "invitation_reminder", application=application
            )
        count += 1
    return count


def open_application_conversation(user: User, application: Application):
    """The conversation about an application, for its resident or a member."""
    return messaging.open_conversation(user, application)
