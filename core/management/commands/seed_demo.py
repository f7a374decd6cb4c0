from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from core.demo import DemoContext, discover_seeders


class Command(BaseCommand):
    help = (
        "Fill the site with realistic Japanese demo data. Safe to run again: existing demo "
        "data is kept. --scale N creates N times as much, for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="multiply the amounts by N")
        parser.add_argument("--seed", type=int, default=2026, help="random seed")

    def handle(self, *args, scale, seed, **options):
        if scale < 1:
            raise CommandError("--scale must be 1 or more")
        ctx = DemoContext(scale=scale, stdout=self.stdout)
        ctx.random.seed(seed)
        # Demo people are fictional: the notifications the services send go nowhere.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            for seeder in discover_seeders():
                with transaction.atomic():
                    seeder.seed(ctx)
        for name, value in ctx.figures.items():
            self.stdout.write(f"{name}: {value}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
