"""The data download: a person asks for everything the platform holds about them.

`request_export` records the request and, after commit, hands it to the Celery task
(accounts.tasks.prepare_data_export), which calls `prepare`: every registered section
(accounts.personal_data) is written into one JSON file in the private storage, and the
person gets an e-mail with the link. The link works for its owner, signed in, until
DATA_EXPORT_LIFETIME has passed; then the file is deleted: on the next look at it
(`expire_if_due`), and by `delete_expired` (accounts.tasks.delete_expired_data_exports,
for the hourly beat schedule).
"""

import json
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.activity import log_action
from core.email import email_user
from core.errors import NotFound, RateLimited

from .models import DATA_EXPORT_LIFETIME, DataExport, User
from .personal_data import iso, sections

logger = logging.getLogger(__name__)

FORMAT = "tokyo-wards-skills-board/personal-data/1"
# Enough for anyone who lost a file; not enough to make the server write all day.
MAX_EXPORTS_PER_DAY = 5
# A request still "being prepared" after this long was lost (a worker died): it counts
# as failed and another can be asked for.
STALE_AFTER = timedelta(hours=1)

Status = DataExport.Status


def build(user: User) -> dict:
    """Everything about `user`, section by section, in their language and Japan time."""
    with translation.override(user.language):
        data = {
            "format": FORMAT,
            "generated_at": iso(timezone.now()),
            "sections": {section.key: str(section.label) for section in sections()},
        }
        for section in sections():
            data[section.key] = section.export(user)
    return data


def render(user: User) -> bytes:
    text = json.dumps(build(user), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    return text.encode("utf-8")


def _delete_file(export: DataExport) -> None:
    if export.file:
        export.file.delete(save=False)
    export.size = 0


def _expire(export: DataExport) -> None:
    _delete_file(export)
    export.status = Status.EXPIRED
    export.save(update_fields=["file", "size", "status"])


def _fail_if_stale(export: DataExport, now) -> None:
    if export.status == Status.PREPARING and export.created_at < now - STALE_AFTER:
        export.status = Status.FAILED
        export.save(update_fields=["status"])


@transaction.atomic
def request_export(user: User) -> DataExport:
    """Ask for a new copy. One is prepared at a time (asking again while it is returns
    that one); a new copy replaces the one before, whose file is deleted."""
    from .tasks import prepare_data_export

    # The user's row lock keeps two tabs from starting two at once.
    User.objects.select_for_update().filter(pk=user.pk).first()
    now = timezone.now()
    for export in user.data_exports.filter(status=Status.PREPARING):
        _fail_if_stale(export, now)
    current = user.data_exports.filter(status=Status.PREPARING).first()
    if current is not None:
        return current
    if user.data_exports.filter(created_at__gte=now - timedelta(days=1)).count() >= (
        MAX_EXPORTS_PER_DAY
    ):
        raise RateLimited(
            _("You have asked for your data many times today. Please try again tomorrow.")
        )
    for old in user.data_exports.filter(status=Status.READY):
        _expire(old)
    export = DataExport.objects.create(user=user)
    log_action(user, "accounts.data_export_requested", export)
    export_id = export.pk
    transaction.on_commit(lambda: prepare_data_export.delay(export_id))
    return export


def prepare(export_id: int) -> str:
    """Write the file and tell its owner. What the task runs; safe to run twice."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != Status.PREPARING:
        return "skipped"
    try:
        content = render(export.user)
    except Exception:
        logger.exception("data export %s could not be prepared", export_id)
        DataExport.objects.filter(pk=export_id, status=Status.PREPARING).update(
            status=Status.FAILED
        )
        return "failed"
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update().select_related("user").filter(pk=export_id)
        ).first()
        # Gone or answered meanwhile (the account was closed, another run got here).
        if export is None or export.status != Status.PREPARING:
            return "skipped"
        export.file.save("data.json", ContentFile(content), save=False)
        now = timezone.now()
        export.status = Status.READY
        export.size = len(content)
        export.ready_at = now
        export.expires_at = now + DATA_EXPORT_LIFETIME
        export.save()
        log_action(None, "accounts.data_export_ready", export, size=export.size)
        email_user(export.user, "accounts/email/data_export_ready.txt", export=export)
    return "ready"


def expire_if_due(export: DataExport | None) -> DataExport | None:
    """Past its time, the file is deleted the moment anyone looks."""
    if export is not None:
        if export.is_due_to_expire:
            with transaction.atomic():
                _expire(export)
        else:
            _fail_if_stale(export, timezone.now())
    return export


def latest_export(user: User) -> DataExport | None:
    """The newest request, for My page, expired first if its time has passed."""
    return expire_if_due(user.data_exports.order_by("-created_at", "-id").first())


def access_export(user: User, token: str) -> DataExport:
    """The export behind a link, for its owner only: anyone else is told nothing exists."""
    if not getattr(user, "is_authenticated", False) or not token:
        raise NotFound
    export = DataExport.objects.filter(token=token, user=user).first()
    if export is None:
        raise NotFound
    return expire_if_due(export)


@transaction.atomic
def record_download(user: User, export: DataExport) -> None:
    if export.downloaded_at is None:
        export.downloaded_at = timezone.now()
        export.save(update_fields=["downloaded_at"])
    log_action(user, "accounts.data_export_downloaded", export)


def delete_expired(now=None) -> int:
    """Delete the files of every copy past its time (hourly, Celery beat)."""
    now = now or timezone.now()
    count = 0
    for export in DataExport.objects.filter(status=Status.READY, expires_at__lte=now):
        with transaction.atomic():
            _expire(export)
        count += 1
    return count
