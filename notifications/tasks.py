"""The digest runs: Celery beat starts one a day and one a week (config/settings.py)."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from . import digests, topics


@shared_task
def send_digests(frequency: str) -> int:
    """Fix this run's period, then send its subscribers' digests in batches, each its own
    task (a worker that dies loses one batch, which the next run picks up)."""
    period = digests.period_of(frequency, timezone.now())
    user_ids = digests.subscribers(frequency, period)
    for start in range(0, len(user_ids), digests.BATCH):
        send_digest_batch.delay(
            frequency,
            period.key,
            period.window.since.isoformat(),
            period.window.until.isoformat(),
            user_ids[start : start + digests.BATCH],
        )
    return len(user_ids)


@shared_task(acks_late=True)
def send_digest_batch(frequency: str, key: str, since: str, until: str, user_ids: list) -> int:
    window = topics.Window(frequency, datetime.fromisoformat(since), datetime.fromisoformat(until))
    return digests.send_batch(digests.Period(key, window), user_ids)
