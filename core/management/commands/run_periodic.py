"""Run the periodic jobs of CELERY_BEAT_SCHEDULE in this process, on their intervals.

Production runs `celery beat` with workers. The embedded default has neither, so
`bin/run` starts this next to the web server: the same schedule, one source of truth.
"""

import time

from celery import current_app
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
            name: (entry["task"], float(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        due = dict.fromkeys(jobs, time.monotonic())
        while True:
            for name, (task, interval) in jobs.items():
                if time.monotonic() >= due[name]:
                    close_old_connections()
                    result = current_app.tasks[task].apply().get()
                    self.stdout.write(f"{name}: {result}")
                    due[name] = time.monotonic() + interval
            if once:
                return
            time.sleep(max(1.0, min(due.values()) - time.monotonic()))
