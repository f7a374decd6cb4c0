"""Compare the prize-money ledger with the providers' records, for cron or by hand."""

from django.core.management.base import BaseCommand, CommandError

from contests.models import ContestPage
from contests.payouts import reconcile


class Command(BaseCommand):
    help = (
        "List every difference between the payout ledger and the providers' records "
        "(bank files' totals, Stripe transfers and balance transactions) for every "
        "contest with payouts, or one with --contest. Exits with status 1 when there is "
        "any difference, so cron or monitoring notices."
    )

    def add_arguments(self, parser):
        parser.add_argument("--contest", type=int, help="the contest page's id")

    def handle(self, *args, contest=None, **options):
        contests = ContestPage.objects.filter(awards__payouts__isnull=False).distinct()
        if contest is not None:
            contests = ContestPage.objects.filter(pk=contest)
            if not contests.exists():
                raise CommandError(f"No contest with id {contest}")
        found = checked = 0
        for page in contests.order_by("pk"):
            checked += 1
            for difference in reconcile.differences(page):
                found += 1
                self.stdout.write(f"{page.title} (#{page.pk}): {difference}")
        if found:
            raise CommandError(
                f"{found} difference{'s' if found != 1 else ''} in {checked} "
                f"contest{'s' if checked != 1 else ''}.",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"No differences: the ledger agrees with the providers in {checked} "
                f"contest{'s' if checked != 1 else ''}."
            )
        )
