"""Every state change on the matching board goes through this module.

Each function checks permission, validates, writes in one transaction, logs the action
and queues its e-mails with transaction.on_commit (core.email.queue_email does that), so
nobody is told about a change that was rolled back.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import services as account_services
from accounts.models import ConsentPurpose, Role, User
from core.activity import log_action
from messaging import services as messaging
from messaging.models import MessageEvent
from search.index import update_on_commit as reindex_on_commit

from . import notifications
from .models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Block,
    HoursLog,
    Match,
    MatchStatus,
    Membership,
    MembershipRole,
    Organization,
    Report,
    ReportStatus,
    ResidentProfile,
    ResidentSkill,
    Review,
    Task,
    TaskStatus,
    VerificationStatus,
)
from .models.tasks import RESPONSE_WINDOW
from .permissions import is_member, is_moderator, is_owner

# Caps that keep anyone from waiting on too many open questions at once.
MAX_PENDING_PER_RESIDENT = 5
MAX_PENDING_PER_TASK = 30
# Reminder to whoever must answer, this long before an application expires.
REMINDER_BEFORE = timedelta(days=2)

# The task lifecycle: which status may follow which.
TASK_TRANSITIONS = {
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
}


# --- Organizations ---------------------------------------------------------------------


@transaction.atomic
def register_organization(user: User, **fields) -> Organization:
    """Register an organization with `user` as its owner. It waits for a moderator."""
    if not user.is_authenticated:
        raise PermissionDenied
    organization = Organization(status=VerificationStatus.PENDING, **fields)
    if organization.is_corporation and not organization.corporate_number:
        raise ValidationError(
            {"corporate_number": _("Corporations must give their corporate number.")}
        )
    if not organization.is_corporation:
        organization.corporate_number = ""
    organization.full_clean()
    organization.save()
    Membership.objects.create(organization=organization, user=user, role=MembershipRole.OWNER)
    account_services.grant_role(user, Role.ORGANIZATION_MEMBER)
    log_action(user, "marketplace.organization_registered", organization)
    for moderator in _moderators_for(organization):
        notifications.notify(moderator, "organization_to_verify", organization=organization)
    return organization


def _moderators_for(organization: Organization):
    from django.db.models import Q

    return User.objects.filter(
        Q(role_assignments__role=Role.MODERATOR)
        & (Q(role_assignments__ward__isnull=True) | Q(role_assignments__ward=organization.ward))
    ).distinct()


@transaction.atomic
def update_organization(user: User, organization: Organization, **fields) -> Organization:
    if not is_owner(user, organization):
        raise Http404
    for name, value in fields.items():
        setattr(organization, name, value)
    if organization.is_corporation and not organization.corporate_number:
        raise ValidationError(
            {"corporate_number": _("Corporations must give their corporate number.")}
        )
    organization.full_clean()
    if organization.status == VerificationStatus.REFUSED:
        # Corrected details go back to the moderators.
        organization.status = VerificationStatus.PENDING
    organization.save()
    log_action(user, "marketplace.organization_updated", organization, fields=sorted(fields))
    reindex_on_commit(organization, *organization.tasks.all())
    return organization


@transaction.atomic
def verify_organization(moderator: User, organization: Organization) -> Organization:
    """A moderator verifies the organization; its tasks waiting for that go public."""
    if not is_moderator(moderator, ward=organization.ward):
        raise PermissionDenied
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.status = VerificationStatus.VERIFIED
    organization.status_reason = ""
    organization.verified_at = timezone.now()
    organization.verified_by = moderator
    organization.save()
    log_action(moderator, "marketplace.organization_verified", organization)
    reindex_on_commit(organization)
    for task in organization.tasks.filter(status=TaskStatus.PENDING_REVIEW):
        _transition(task, TaskStatus.OPEN, moderator)
    notifications.notify_members(organization, "organization_verified")
    return organization


@transaction.atomic
def refuse_organization(moderator: User, organization: Organization, reason: str) -> Organization:
    if not is_moderator(moderator, ward=organization.ward):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Tell the organization why, so it can correct it.")})
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    organization.status = VerificationStatus.REFUSED
    organization.status_reason = reason.strip()
    organization.verified_at = None
    organization.save()
    log_action(moderator, "marketplace.organization_refused", organization, reason=reason)
    reindex_on_commit(organization)
    notifications.notify_members(organization, "organization_refused")
    return organization


# --- Resident profiles -----------------------------------------------------------------


@transaction.atomic
def save_resident_profile(
    user: User, *, skills: dict, discoverable: bool, tags=(), **fields
) -> ResidentProfile:
    """Create or update `user`'s profile. `skills` maps SkillCategory to a SkillLevel.

    Being discoverable is a consent (accounts.ConsentPurpose.PROFILE_DISCOVERABLE), so it
    shows, with its history, on the user's consent page too.
    """
    if not user.is_authenticated:
        raise PermissionDenied
    if not skills:
        raise ValidationError({"skills": _("Choose at least one skill.")})
    profile = ResidentProfile.objects.filter(user=user).first() or ResidentProfile(user=user)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    profile.skill_levels.exclude(category__in=list(skills)).delete()
    for category, level in skills.items():
        ResidentSkill.objects.update_or_create(
            profile=profile, category=category, defaults={"level": level}
        )
    profile.tags.set(list(tags))
    if discoverable:
        account_services.grant_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    else:
        account_services.withdraw_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)
    account_services.grant_role(user, Role.RESIDENT)
    log_action(user, "marketplace.profile_saved", profile)
    reindex_on_commit(profile)
    return profile


def is_discoverable(user: User) -> bool:
    return account_services.has_consent(user, ConsentPurpose.PROFILE_DISCOVERABLE)


# --- Tasks -----------------------------------------------------------------------------


def _transition(task: Task, new_status: TaskStatus, actor, **data) -> Task:
    """Move `task` to `new_status` if the lifecycle allows it. Call inside a transaction."""
    old_status = TaskStatus(task.status)
    if new_status not in TASK_TRANSITIONS[old_status]:
        raise ValidationError(
            _("A task cannot go from “%(old)s” to “%(new)s”.")
            % {"old": old_status.label, "new": TaskStatus(new_status).label}
        )
    task.status = new_status
    update = ["status", "updated_at"]
    if new_status == TaskStatus.OPEN and task.published_at is None:
        task.published_at = timezone.now()
        update.append("published_at")
    task.save(update_fields=update)
    log_action(actor, "marketplace.task_status", task, old=old_status, new=new_status, **data)
    reindex_on_commit(task)
    return task


def _check_member(user, organization):
    if not is_member(user, organization):
        raise Http404


@transaction.atomic
def create_task(user: User, organization: Organization, *, skills=(), tags=(), **fields) -> Task:
    """Save a draft task for `organization`; publish_task() puts it on the board."""
    _check_member(user, organization)
    task = Task(organization=organization, created_by=user, status=TaskStatus.DRAFT, **fields)
    _validate_task(task)
    task.save()
    task.skills.set(skills)
    task.tags.set(list(tags))
    log_action(user, "marketplace.task_created", task)
    return task


def _validate_task(task: Task) -> None:
    task.full_clean(exclude=["organization", "created_by"])
    if task.apply_deadline < timezone.localdate():
        raise ValidationError({"apply_deadline": _("The deadline cannot be in the past.")})


@transaction.atomic
def update_task(user: User, task: Task, *, skills=None, tags=None, **fields) -> Task:
    _check_member(user, task.organization)
    if task.status not in (TaskStatus.DRAFT, TaskStatus.PENDING_REVIEW, TaskStatus.OPEN):
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
    _check_member(user, task.organization)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.apply_deadline < timezone.localdate():
        raise ValidationError({"apply_deadline": _("The deadline cannot be in the past.")})
    target = TaskStatus.OPEN if task.organization.is_verified else TaskStatus.PENDING_REVIEW
    return _transition(task, target, user)


@transaction.atomic
def close_task(user: User, task: Task) -> Task:
    """Stop taking applications. Pending ones are declined with a note to each applicant."""
    _check_member(user, task.organization)
    task = Task.objects.select_for_update().get(pk=task.pk)
    target = TaskStatus.MATCHED if task.matches.exists() else TaskStatus.CLOSED
    _transition(task, target, user)
    _end_pending_applications(task, user, _("The organization stopped taking applications."))
    return task


@transaction.atomic
def cancel_task(user: User, task: Task) -> Task:
    _check_member(user, task.organization)
    task = Task.objects.select_for_update().get(pk=task.pk)
    _transition(task, TaskStatus.CANCELLED, user)
    _end_pending_applications(task, user, _("The task was cancelled."))
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
    _check_member(user, task.organization)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if not task.matches.exists():
        raise ValidationError(_("Accept at least one person before starting."))
    _transition(task, TaskStatus.IN_PROGRESS, user)
    _end_pending_applications(task, user, _("The organization has found its volunteers."))
    return task


def _end_pending_applications(task: Task, actor, reason: str) -> None:
    for application in task.applications.select_for_update().filter(
        status=ApplicationStatus.PENDING
    ):
        application.status = ApplicationStatus.DECLINED
        application.decided_at = timezone.now()
        application.decided_by = actor
        application.decision_message = reason
        application.save()
        log_action(actor, "marketplace.application_declined", application, automatic=True)
        messaging.post_event(application, MessageEvent.DECLINED, actor=actor)
        notifications.notify(application.resident, "application_declined", application=application)


@transaction.atomic
def expire_tasks(today=None) -> int:
    """Open tasks past their deadline: expired if nobody matched, else matched."""
    today = today or timezone.localdate()
    count = 0
    for task in Task.objects.select_for_update().filter(
        status=TaskStatus.OPEN, apply_deadline__lt=today
    ):
        target = TaskStatus.MATCHED if task.matches.exists() else TaskStatus.EXPIRED
        _transition(task, target, None, reason="deadline")
        _end_pending_applications(task, None, _("The deadline to apply has passed."))
        count += 1
    return count


# --- Applications and invitations ------------------------------------------------------


def _is_blocked(a: User, b: User) -> bool:
    return (
        Block.objects.filter(blocker=a, blocked=b).exists()
        or Block.objects.filter(blocker=b, blocked=a).exists()
    )


def _org_blocked(organization: Organization, resident: User) -> bool:
    member_ids = list(organization.memberships.values_list("user_id", flat=True))
    return Block.objects.filter(blocker_id__in=member_ids, blocked=resident).exists() or (
        Block.objects.filter(blocker=resident, blocked_id__in=member_ids).exists()
    )


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
    messaging.ensure_conversation(
        application, conversation_users(application), opening_from=by, opening=message
    )
    return application


def conversation_users(application: Application) -> list[User]:
    """Who talks about an application: the resident and every member of the organization."""
    members = User.objects.filter(memberships__organization_id=application.task.organization_id)
    return [application.resident, *members]


@transaction.atomic
def apply_to_task(user: User, task: Task, message: str) -> Application:
    """A resident applies with a message; the organization has RESPONSE_DAYS to answer."""
    if not user.is_authenticated:
        raise PermissionDenied
    task = Task.objects.select_for_update().select_related("organization").get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not taking applications."))
    if not ResidentProfile.objects.filter(user=user).exists():
        raise ValidationError(_("Create your skills profile before applying."))
    if is_member(user, task.organization):
        raise ValidationError(_("You cannot apply to your own organization's task."))
    if _org_blocked(task.organization, user):
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
    _check_member(user, task.organization)
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("Only open tasks can have invitations."))
    if not ResidentProfile.objects.filter(user=resident).exists() or not is_discoverable(resident):
        raise Http404  # a private profile is not there for organizations
    if _org_blocked(task.organization, resident) or is_member(resident, task.organization):
        raise ValidationError(_("You cannot invite this person."))
    if not message.strip():
        raise ValidationError({"message": _("Write a short message to the person you invite.")})
    application = _create_pending(task, resident, ApplicationKind.INVITATION, message, by=user)
    log_action(user, "marketplace.invited", application)
    notifications.notify(resident, "invitation_received", application=application)
    return application


def _decider_check(user: User, application: Application) -> None:
    """Applications are answered by the organization, invitations by the resident."""
    if application.kind == ApplicationKind.APPLICATION:
        _check_member(user, application.task.organization)
    elif application.resident_id != user.pk:
        raise Http404


def _lock_pending(application: Application) -> Application:
    application = (
        Application.objects.select_for_update()
        .select_related("task__organization__ward", "resident")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("This has already been answered."))
    return application


@transaction.atomic
def accept_application(user: User, application: Application) -> Match:
    """Accepting makes the match (マッチング成立), recording both wards."""
    _decider_check(user, application)
    application = _lock_pending(application)
    task = Task.objects.select_for_update().get(pk=application.task_id)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(_("This task is not taking new people."))
    profile = ResidentProfile.objects.filter(user=application.resident).first()
    if profile is None:
        raise ValidationError(_("The resident no longer has a skills profile."))
    application.status = ApplicationStatus.ACCEPTED
    application.decided_at = timezone.now()
    application.decided_by = user
    application.save()
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
    messaging.post_event(application, MessageEvent.MATCHED, actor=user)
    if task.matches.count() >= task.people_wanted:
        _transition(task, TaskStatus.MATCHED, user)
        _end_pending_applications(task, user, _("The organization has found its volunteers."))
    notifications.notify(application.resident, "match_made", match=match)
    notifications.notify_members(organization, "match_made_organization", match=match)
    return match


@transaction.atomic
def decline_application(user: User, application: Application, message: str = "") -> Application:
    _decider_check(user, application)
    application = _lock_pending(application)
    application.status = ApplicationStatus.DECLINED
    application.decided_at = timezone.now()
    application.decided_by = user
    application.decision_message = message.strip()
    application.save()
    log_action(user, "marketplace.application_declined", application)
    messaging.post_event(
        application,
        MessageEvent.DECLINED
        if application.kind == ApplicationKind.APPLICATION
        else MessageEvent.INVITATION_DECLINED,
        actor=user,
    )
    if application.kind == ApplicationKind.APPLICATION:
        notifications.notify(application.resident, "application_declined", application=application)
    else:
        notifications.notify_members(
            application.task.organization, "invitation_declined", application=application
        )
    return application


@transaction.atomic
def withdraw_application(user: User, application: Application) -> Application:
    """The side that asked takes it back: the resident an application, a member an invitation."""
    if application.kind == ApplicationKind.APPLICATION:
        if application.resident_id != user.pk:
            raise Http404
    else:
        _check_member(user, application.task.organization)
    application = _lock_pending(application)
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = timezone.now()
    application.decided_by = user
    application.save()
    log_action(user, "marketplace.application_withdrawn", application)
    messaging.post_event(application, MessageEvent.WITHDRAWN, actor=user)
    return application


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
        application.status = ApplicationStatus.EXPIRED
        application.decided_at = now
        application.save(update_fields=["status", "decided_at"])
        log_action(None, "marketplace.application_expired", application)
        messaging.post_event(application, MessageEvent.EXPIRED)
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


# --- Matches: completion, hours, reviews ------------------------------------------------


def access_match(user: User, match_id: int) -> Match:
    """The match, for its resident or a member of its organization; otherwise 404."""
    match = (
        Match.objects.select_related(
            "task", "organization", "resident", "resident_ward", "task_ward"
        )
        .filter(pk=match_id)
        .first()
    )
    if match is None or not (match.resident_id == user.pk or is_member(user, match.organization)):
        raise Http404
    return match


def _side(user: User, match: Match) -> str:
    if match.resident_id == user.pk:
        return "resident"
    if is_member(user, match.organization):
        return "organization"
    raise Http404


@transaction.atomic
def confirm_completion(user: User, match: Match) -> Match:
    """Each side confirms the work is done; the second confirmation completes the match."""
    side = _side(user, match)
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status not in (MatchStatus.ACTIVE, MatchStatus.COMPLETION_REQUESTED):
        raise ValidationError(_("This match is already closed."))
    now = timezone.now()
    if side == "resident":
        match.resident_confirmed_at = match.resident_confirmed_at or now
    else:
        match.organization_confirmed_at = match.organization_confirmed_at or now
    if match.resident_confirmed_at and match.organization_confirmed_at:
        match.status = MatchStatus.COMPLETED
        match.completed_at = now
    else:
        match.status = MatchStatus.COMPLETION_REQUESTED
    match.save()
    log_action(user, "marketplace.completion_confirmed", match, side=side)
    if match.status == MatchStatus.COMPLETION_REQUESTED:
        if side == "resident":
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
        _transition(task, TaskStatus.IN_PROGRESS, actor)
    if task.status == TaskStatus.IN_PROGRESS:
        _transition(task, TaskStatus.COMPLETED, actor)


@transaction.atomic
def log_hours(user: User, match: Match, *, date, hours, note: str) -> HoursLog:
    if match.resident_id != user.pk:
        raise Http404
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
    _check_member(user, entry.match.organization)
    entry = HoursLog.objects.select_for_update().get(pk=entry.pk)
    if entry.status != HoursLog.Status.SUBMITTED:
        raise ValidationError(_("These hours have already been answered."))
    entry.status = HoursLog.Status.CONFIRMED if confirm else HoursLog.Status.REJECTED
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save()
    log_action(user, "marketplace.hours_decided", entry, confirmed=confirm)
    return entry


@transaction.atomic
def leave_review(user: User, match: Match, *, rating: int, comment: str) -> Review:
    side = _side(user, match)
    if match.status != MatchStatus.COMPLETED:
        raise ValidationError(_("Reviews open once both sides have confirmed completion."))
    by_organization = side == "organization"
    if Review.objects.filter(match=match, by_organization=by_organization).exists():
        raise ValidationError(_("A review has already been left for this match."))
    review = Review(
        match=match,
        author=user,
        by_organization=by_organization,
        rating=rating,
        comment=comment.strip(),
    )
    review.full_clean()
    review.save()
    log_action(user, "marketplace.reviewed", review, rating=rating)
    return review


# --- Reports and blocks ----------------------------------------------------------------


@transaction.atomic
def report(user: User, target, *, reason: str, details: str = "") -> Report:
    from django.contrib.contenttypes.models import ContentType

    if not user.is_authenticated:
        raise PermissionDenied
    entry = Report(
        reporter=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        reason=reason,
        details=details.strip(),
    )
    entry.full_clean()
    entry.save()
    log_action(user, "marketplace.reported", entry)
    return entry


@transaction.atomic
def handle_report(
    moderator: User, entry: Report, *, status: ReportStatus, resolution: str
) -> Report:
    if not is_moderator(moderator):
        raise PermissionDenied
    entry.status = status
    entry.resolution = resolution
    entry.handled_by = moderator
    entry.handled_at = timezone.now()
    entry.save()
    log_action(moderator, "marketplace.report_handled", entry, status=status)
    return entry


@transaction.atomic
def block_user(user: User, other: User) -> Block:
    if user.pk == other.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, created = Block.objects.get_or_create(blocker=user, blocked=other)
    if created:
        log_action(user, "marketplace.blocked", other)
    return block


@transaction.atomic
def unblock_user(user: User, other: User) -> None:
    Block.objects.filter(blocker=user, blocked=other).delete()
