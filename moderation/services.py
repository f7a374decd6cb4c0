"""Every change to reports and blocks goes through this module."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core.activity import log_action

from . import reportables
from .models import Block, Report, ReportStatus

HANDLED = (ReportStatus.RESOLVED, ReportStatus.DISMISSED)


# --- Reports ----------------------------------------------------------------------------


@transaction.atomic
def report(user, target, *, reason: str, details: str = "") -> Report:
    """`user` reports `target` (anything registered in moderation.reportables)."""
    policy.check(user, "moderation.report")
    kind = reportables.for_object(target)
    if kind is None:
        raise TypeError(f"{type(target).__name__} is not registered as reportable")
    entry = Report(
        reporter=user,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        ward_id=kind.ward_id(target),
        reason=reason,
        details=details.strip(),
    )
    entry.full_clean()
    entry.save()
    log_action(user, "moderation.reported", entry)
    return entry


@transaction.atomic
def handle_report(moderator, entry: Report, *, status: str, resolution: str) -> Report:
    """A moderator of the report's ward closes it: action taken, or none needed."""
    policy.check(moderator, "moderation.handle_report", entry)
    if status not in HANDLED:
        raise ValidationError({"status": _("Choose what was done.")})
    entry = Report.objects.select_for_update().get(pk=entry.pk)
    entry.status = status
    entry.resolution = resolution.strip()
    entry.handled_by = moderator
    entry.handled_at = timezone.now()
    entry.save()
    log_action(moderator, "moderation.report_handled", entry, status=status)
    return entry


def open_reports_about(model, ids):
    """Open reports about the `model` objects whose pk is in `ids` (a list or a query)."""
    return Report.objects.filter(
        target_type=ContentType.objects.get_for_model(model),
        target_id__in=ids,
        status=ReportStatus.OPEN,
    )


def report_queue(moderator):
    """The reports (any status) this moderator may handle, oldest first."""
    return policy.scope(
        moderator,
        "moderation.handle_report",
        Report.objects.select_related("reporter", "target_type", "handled_by", "ward").order_by(
            "created_at", "id"
        ),
    )


# --- Blocks -----------------------------------------------------------------------------


@transaction.atomic
def block_user(user, other) -> Block:
    policy.check(user, "moderation.block")
    if user.pk == other.pk:
        raise ValidationError(_("You cannot block yourself."))
    block, created = Block.objects.get_or_create(blocker=user, blocked=other)
    if created:
        log_action(user, "moderation.blocked", other)
    return block


@transaction.atomic
def unblock_user(user, other) -> None:
    deleted, _details = Block.objects.filter(blocker=user, blocked=other).delete()
    if deleted:
        log_action(user, "moderation.unblocked", other)


def blocked_ids(user) -> set[int]:
    """Whom `user` has blocked."""
    return set(Block.objects.filter(blocker=user).values_list("blocked_id", flat=True))


def blockers_between(user, others) -> set[int]:
    """Who blocked whom between `user` and `others` (users, ids or a query of ids): the
    ids of the blockers, `user.pk` among them if `user` blocked one of the others."""
    return set(
        Block.objects.filter(
            Q(blocker=user, blocked__in=others) | Q(blocker__in=others, blocked=user)
        ).values_list("blocker_id", flat=True)
    )


def is_blocked_between(user, others) -> bool:
    """Whether `user` blocked, or was blocked by, any of `others`."""
    return bool(blockers_between(user, others))
