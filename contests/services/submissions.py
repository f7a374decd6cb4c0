"""Submissions: saved until the deadline (to the second, on the server's clock), every
save an immutable version, extensions granted by the contest's organizer with a reason.

The deadline of a team is the contest's, or the latest extension granted to it.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from accounts import policy
from core.activity import log_action
from core.email import email_user
from core.errors import Conflict
from core.japan_time import format_tokyo
from messaging import services as messaging
from search.index import update_on_commit as reindex_on_commit

from .. import conversation_subjects as events
from ..models import (
    Dataset,
    DeadlineExtension,
    Screenshot,
    Submission,
    SubmissionVersion,
    Team,
    end_of_minute,
)

MAX_SCREENSHOTS = 5
MAX_SCREENSHOT_BYTES = 5 * 1024 * 1024
MAX_SCREENSHOT_PIXELS = 40_000_000  # 8K × 5K: larger is not a screenshot
# Pillow's name for each accepted format → the extension it is stored under.
SCREENSHOT_FORMATS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
# The fields a team writes, in the order a version keeps them.
FIELDS = [
    "title",
    "summary",
    "problem",
    "solution",
    "repository_url",
    "demo_url",
    "video_url",
    "licence",
    "is_public",
]


def team_deadline(team: Team):
    """Until when this team may save: the contest's deadline or its latest extension."""
    latest = team.extensions.order_by("-until").values_list("until", flat=True).first()
    deadline = team.contest.submission_deadline
    return max(deadline, latest) if latest is not None else deadline


def closed_message(team: Team) -> str:
    return _(
        "Entries closed at %(deadline)s. Saving is no longer possible; if something "
        "went wrong, write to the organizer."
    ) % {"deadline": format_tokyo(team_deadline(team))}


def check_screenshot(upload) -> tuple[str, int, int]:
    """(kind, width, height) of an accepted screenshot, judged by its content."""
    if upload.size > MAX_SCREENSHOT_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s.")
            % {"name": upload.name, "limit": filesizeformat(MAX_SCREENSHOT_BYTES)},
            code="too_large",
        )
    # Pillow reads the format from the content; the name and the browser's type are
    # whatever the sender says.
    not_a_picture = ValidationError(
        _("%(name)s is not a PNG, JPEG or WebP picture.") % {"name": upload.name},
        code="file_type",
    )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind, (width, height) = SCREENSHOT_FORMATS.get(image.format), image.size
            if kind is None:
                raise not_a_picture
            if width * height > MAX_SCREENSHOT_PIXELS:
                raise ValidationError(
                    _("%(name)s has too many pixels for a screenshot.") % {"name": upload.name},
                    code="too_large",
                )
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise not_a_picture from None
    finally:
        upload.seek(0)
    return kind, width, height


def _snapshot(submission: Submission) -> dict:
    data = {name: getattr(submission, name) for name in FIELDS}
    data["datasets"] = [
        {"id": dataset.pk, "title": dataset.title} for dataset in submission.datasets.order_by("pk")
    ]
    data["screenshots"] = [
        {"id": shot.pk, "alt_text": shot.alt_text, "file": shot.image.name}
        for shot in submission.screenshots.filter(removed_at__isnull=True)
    ]
    return data


@transaction.atomic
def save_submission(
    user,
    team: Team,
    fields: dict,
    *,
    datasets=(),
    add_screenshots=(),
    remove_screenshots=(),
    alt_texts=None,
    now=None,
) -> Submission:
    """Create or update the team's submission and keep the result as a new version.

    `add_screenshots`: (upload, alt text) pairs; `remove_screenshots`: screenshot ids;
    `alt_texts`: {screenshot id: new alt text}. The deadline is read once, at the start:
    a save that began in time is in time.
    """
    policy.check(user, "contests.edit_submission", team)
    now = now or timezone.now()
    # One save at a time per team, so version numbers never collide.
    team = Team.objects.select_for_update().select_related("contest").get(pk=team.pk)
    if team.withdrawn_at is not None:
        raise Conflict(_("This team was withdrawn from the contest."))
    deadline = team_deadline(team)
    if now > deadline:
        raise Conflict(closed_message(team))
    if now < team.contest.entry_opens_at:
        raise Conflict(_("Entry has not opened yet."))

    submission = Submission.objects.filter(team=team).first() or Submission(
        team=team, contest=team.contest
    )
    for name in FIELDS:
        if name in fields:
            value = fields[name]
            setattr(submission, name, value.strip() if isinstance(value, str) else value)
    submission.full_clean(exclude=["team", "contest", "datasets"])

    live = submission.screenshots.filter(removed_at__isnull=True) if submission.pk else None
    kept = live.exclude(pk__in=list(remove_screenshots)).count() if live is not None else 0
    if kept + len(add_screenshots) > MAX_SCREENSHOTS:
        raise ValidationError(
            {"screenshots": _("An entry has at most %(n)d screenshots.") % {"n": MAX_SCREENSHOTS}}
        )
    checked = []
    for upload, alt_text in add_screenshots:
        alt_text = " ".join((alt_text or "").split())
        if not alt_text:
            raise ValidationError(
                {
                    "screenshots": _("Describe what %(name)s shows, for people who cannot see it.")
                    % {"name": upload.name}
                }
            )
        checked.append((upload, alt_text, *check_screenshot(upload)))
    for alt_text in (alt_texts or {}).values():
        if not " ".join((alt_text or "").split()):
            raise ValidationError({"screenshots": _("Every screenshot needs a description.")})

    submission.save()
    submission.datasets.set(Dataset.objects.filter(pk__in=[d.pk for d in datasets]))
    if live is not None:
        live.filter(pk__in=list(remove_screenshots)).update(removed_at=now)
        for pk, alt_text in (alt_texts or {}).items():
            live.filter(pk=pk).update(alt_text=" ".join(alt_text.split())[:200])
    position = submission.screenshots.count()
    for offset, (upload, alt_text, kind, width, height) in enumerate(checked):
        shot = Screenshot(
            submission=submission,
            token=secrets.token_hex(12),
            kind=kind,
            width=width,
            height=height,
            alt_text=alt_text[:200],
            position=position + offset,
        )
        shot.image.save(f"{shot.token}.{kind}", upload, save=False)
        shot.save()

    Submission.objects.filter(pk=submission.pk).update(version_count=F("version_count") + 1)
    submission.refresh_from_db(fields=["version_count"])
    SubmissionVersion.objects.create(
        submission=submission,
        number=submission.version_count,
        saved_at=now,
        saved_by=user,
        data=_snapshot(submission),
        late=now > team.contest.submission_deadline,
    )
    log_action(user, "contests.submission_saved", submission, version=submission.version_count)
    reindex_on_commit(submission)
    return submission


def version_at_deadline(submission: Submission):
    """The version the judges read: the last one saved by the team's deadline."""
    return submission.version_at(team_deadline(submission.team))


@transaction.atomic
def grant_extension(organizer, team: Team, until, reason: str) -> DeadlineExtension:
    """Let `team` save until `until` (end of that minute), saying why. Logged, posted in
    the team's conversation and mailed to its members."""
    policy.check(organizer, "contests.grant_extension", team)
    until = end_of_minute(until)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the team gets more time: the team and the log show it.")
    if until is None or until <= team.contest.submission_deadline:
        errors["until"] = _("The new deadline must be after the contest's deadline.")
    elif until <= timezone.now():
        errors["until"] = _("The new deadline must be in the future.")
    elif until >= team.contest.results_at:
        errors["until"] = _("The new deadline must be before the results.")
    if errors:
        raise ValidationError(errors)
    extension = DeadlineExtension.objects.create(
        team=team, until=until, reason=reason, granted_by=organizer
    )
    log_action(
        organizer,
        "contests.extension_granted",
        team,
        until=until.isoformat(),
        reason=reason,
    )
    messaging.post_event(team, events.EXTENSION_GRANTED, actor=organizer)
    for membership in team.memberships.select_related("user"):
        email_user(
            membership.user,
            "contests/email/extension_granted.txt",
            team=team,
            contest=team.contest,
            extension=extension,
        )
    return extension
