"""The daily e-mail digests for 50,000 residents on one worker (issue #22: <= 10 minutes).

Every bulk resident with a profile is subscribed to the daily digest with every topic
(once; the rows stay). The run covers the day before the newest task's publication, so
it finds what a real morning finds: that day's new tasks. It calls what the Celery
batches call (notifications.digests.send_batch), one batch after another in this
process, rendering and queueing every e-mail (kept in memory, not sent). Its deliveries
are recorded under a period of its own and removed afterwards, so it can run again.
"""

import time
from datetime import timedelta

from .harness import figure, percentile

DESCRIPTION = (
    "Daily digests for 50,000 residents on one worker: topics collected, e-mails "
    "rendered and queued (notifications.digests.send_batch, batch after batch)"
)
SCALE = 834
TARGET_SECONDS = "<= 600"


def _subscribe_everyone() -> int:
    from marketplace.models import ResidentProfile
    from notifications import topics
    from notifications.models import DigestSettings, Frequency

    keys = topics.default_keys()
    have = set(DigestSettings.objects.values_list("user_id", flat=True))
    missing = [
        DigestSettings(user_id=user_id, frequency=Frequency.DAILY, topics=keys)
        for user_id in ResidentProfile.objects.values_list("user_id", flat=True)
        if user_id not in have
    ]
    DigestSettings.objects.bulk_create(missing, batch_size=2000)
    return DigestSettings.objects.filter(frequency=Frequency.DAILY).count()


def run(args) -> dict:
    from django.core import mail
    from django.db.models import Max
    from django.test.utils import override_settings

    from marketplace.models import Task
    from notifications import digests, topics
    from notifications.models import DigestDelivery

    subscribed = _subscribe_everyone()
    until = Task.objects.aggregate(newest=Max("published_at"))["newest"]
    window = topics.Window("daily", until - timedelta(days=1), until)
    period = digests.Period(f"bench:{time.time_ns()}", window)
    new_tasks = Task.objects.filter(published_at__gt=window.since, published_at__lte=until).count()
    user_ids = digests.subscribers("daily", period)

    batches, sent = [], 0
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        start = time.perf_counter()
        for first in range(0, len(user_ids), digests.BATCH):
            mail.outbox = []
            began = time.perf_counter()
            sent += digests.send_batch(period, user_ids[first : first + digests.BATCH])
            batches.append(time.perf_counter() - began)
        total = time.perf_counter() - start
    DigestDelivery.objects.filter(period=period.key).delete()
    return {
        "subscribers": figure(subscribed, ">= 50000"),
        "new_tasks_in_the_day": figure(new_tasks, "info"),
        "digests_sent": figure(sent, "info"),
        "total_seconds": figure(total, TARGET_SECONDS, "s"),
        "batch_p95_seconds": figure(percentile(batches, 95), "info", "s"),
        "per_resident_ms": figure(total * 1000 / max(1, len(user_ids)), "info", "ms"),
    }
