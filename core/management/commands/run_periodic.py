"""Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process, on their intervals.

Production runs `celery beat` with workers. The embedded default has neither, so
`bin/run` starts this next to the web server: the same schedule, one source of truth.
"""

import time
from datetime import timedelta

from celery import current_app
from celery.schedules import BaseSchedule, schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections


class Command(BaseCommand):
    help = "Run the jobs of CELERY_BEAT_SCHEDULE in-process (for the embedded default)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and stop")

    def handle(self, *args, once=False, **options):
        # Register the apps' tasks.py modules, as a Celery worker does at start.
        current_app.loader.import_default_modules()
        jobs = {
            name: (entry["task"], _schedule(entry["schedule"]), tuple(entry.get("args", ())))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        # Interval jobs run at start, as before; a job at fixed times (crontab) waits for
        # its next one, so starting the site never sends the morning's digests.
        started = current_app.now()
        last_run = {
            name: None if type(when) is schedule else started
            for name, (_task, when, _args) in jobs.items()
        }
        while True:
            waits = []
            for name, (task, when, task_args) in jobs.items():
                due, wait = (
                    (True, 0.0) if once or last_run[name] is None else when.is_due(last_run[name])
                )
                if due:
                    close_old_connections()
                    result = current_app.tasks[task].apply(args=task_args).get()
                    self.stdout.write(f"{name}: {result}")
                    last_run[name] = current_app.now()
                    wait = when.remaining_estimate(last_run[name]).total_seconds()
                waits.append(wait)
            if once:
                return
            time.sleep(max(1.0, min(waits)))


def _schedule(value):
    """A CELERY_BEAT_SCHEDULE entry's schedule: seconds, a timedelta or a celery schedule."""
    if isinstance(value, BaseSchedule):
        return value
    if isinstance(value, timedelta):
        return schedule(value)
    return schedule(timedelta(seconds=float(value)))
