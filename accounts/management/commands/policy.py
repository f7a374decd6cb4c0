from django.core.management.base import BaseCommand

from accounts import policy


class Command(BaseCommand):
    help = "Print the policy table: every action and who may do it."

    def handle(self, *args, **options):
        rows = policy.table()
        width = max(len(action) for action, _who in rows)
        for action, who in rows:
            self.stdout.write(f"{action.ljust(width)}  {who}")
