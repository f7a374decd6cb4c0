"""The e-mail digests: for each subscriber, what every topic found in the period, in one
e-mail in their language, with a one-click unsubscribe (RFC 8058).

A run (`tasks.send_digests`, from Celery beat) fixes the period and its window once,
then hands the subscribers to `send_batch` in batches of BATCH. A batch asks every topic
about all its people at once. A digest is recorded (DigestDelivery, one per person and
period) in the same transaction that queues it, so a repeated run or a retried batch sends
nobody the same digest twice, and the mail itself leaves only after that commit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.email import queue_email
from core.japan_time import in_tokyo

from . import services, topics
from .models import DigestDelivery, DigestSettings, Frequency

BATCH = 500
LENGTH = {Frequency.DAILY: timedelta(days=1), Frequency.WEEKLY: timedelta(days=7)}


@dataclass(frozen=True)
class Period:
    key: str  # "daily:2026-12-03", "weekly:2026-W49" (Tokyo dates)
    window: topics.Window


def period_of(frequency: str, now: datetime) -> Period:
    """The period a run at `now` covers: the day or ISO week (in Tokyo) it runs in, and
    the LENGTH before `now`."""
    local = in_tokyo(now)
    if frequency == Frequency.DAILY:
        key = f"daily:{local.date().isoformat()}"
    elif frequency == Frequency.WEEKLY:
        year, week, _day = local.isocalendar()
        key = f"weekly:{year}-W{week:02d}"
    else:
        raise ValueError(f"no digest is sent {frequency!r}")
    return Period(key, topics.Window(frequency, now - LENGTH[frequency], now))


def subscribers(frequency: str, period: Period) -> list[int]:
    """Ids of the active people who chose `frequency` and have not had this period's digest."""
    return list(
        DigestSettings.objects.filter(frequency=frequency, user__is_active=True, user__email__gt="")
        .exclude(user__in=DigestDelivery.objects.filter(period=period.key).values("user"))
        .order_by("user")
        .values_list("user", flat=True)
    )


def send_batch(period: Period, user_ids: list[int]) -> int:
    """Collect, render and queue the digests of `user_ids`; return how many were sent."""
    people = list(
        User.objects.filter(pk__in=user_ids, is_active=True, digest_settings__isnull=False)
        .exclude(email="")
        .select_related("digest_settings")
        .order_by("pk")
    )
    found: dict[int, list[tuple[topics.DigestTopic, list[topics.DigestItem]]]] = {}
    for topic in topics.ordered():
        for language, wanting in _by_language(
            p for p in people if topic.key in p.digest_settings.topics
        ):
            # Reasons and links come out in the reader's language (English under /en/).
            with translation.override(language):
                collected = topic.collect(wanting, period.window)
            for user_id, items in collected.items():
                if items:
                    found.setdefault(user_id, []).append((topic, items[: topic.limit]))
    sent = 0
    for person in people:
        sections = found.get(person.pk)
        if sections and _send(person, period, sections):
            sent += 1
    return sent


def _by_language(people) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for person in people:
        groups.setdefault(person.language, []).append(person)
    return sorted(groups.items())


def _send(person, period: Period, sections) -> bool:
    try:
        with transaction.atomic():
            DigestDelivery.objects.create(
                user=person,
                period=period.key,
                items=sum(len(items) for _topic, items in sections),
            )
            queue_email(render(person, period, sections))
    except IntegrityError:
        return False  # another run sent this period's digest already
    return True


def render(person, period: Period, sections) -> EmailMessage:
    """The digest e-mail for `person`, in their language, with List-Unsubscribe headers."""
    with translation.override(person.language):
        unsubscribe = settings.SITE_URL + reverse(
            "notifications:unsubscribe", args=[services.unsubscribe_token(person)]
        )
        context = {
            "user": person,
            "frequency": period.window.frequency,
            "sections": [
                {
                    "topic": topic,
                    "items": items,
                    # Leaving one topic from the e-mail; the header link leaves them all.
                    "unsubscribe_url": settings.SITE_URL
                    + reverse(
                        "notifications:unsubscribe",
                        args=[services.unsubscribe_token(person, topic.key)],
                    ),
                }
                for topic, items in sections
            ],
            "site_url": settings.SITE_URL,
            "settings_url": settings.SITE_URL + reverse("notifications:settings"),
            "unsubscribe_url": unsubscribe,
        }
        text = render_to_string("notifications/email/digest.txt", context)
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(
        settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject.strip(),
        body.strip() + "\n",
        to=[person.email],
        headers={
            # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that posts
            # "List-Unsubscribe=One-Click" to the link; no sign-in, no second step.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
