from django.core.management.base import BaseCommand

from marketplace.tasks import board_housekeeping


class Command(BaseCommand):
    help = (
        "Send answer reminders and expire unanswered applications and past-deadline tasks. "
        "Celery beat runs it hourly in production; run it from cron without a broker."
    )

    def handle(self, *args, **options):
        for name, count in board_housekeeping().items():
            self.stdout.write(f"{name}: {count}")
