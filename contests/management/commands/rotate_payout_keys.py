"""Re-seal winners' bank details and the stored bank files with the newest key."""

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contests.models import BankTransferBatch, Payout
from contests.payouts import vault

# Every sealed value: (model, field). A new sealed field belongs here too.
SEALED = ((Payout, "bank_details"), (BankTransferBatch, "sealed_file"))


class Command(BaseCommand):
    help = (
        "Re-seal every sealed payout value (winners' bank details, exported bank files) "
        "with the first key of PAYOUT_ENCRYPTION_KEYS. To rotate: (1) make a key with "
        "`rotate_payout_keys --new-key`; (2) put it first in PAYOUT_ENCRYPTION_KEYS, "
        "keeping the old key after it (new,old), and restart the site; (3) run this "
        "command; (4) only then drop the old key from PAYOUT_ENCRYPTION_KEYS and restart "
        "again. Nothing is changed if any value opens with none of the keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Print a freshly generated key for PAYOUT_ENCRYPTION_KEYS and exit.",
        )

    def handle(self, *args, new_key=False, **options):
        if new_key:
            self.stdout.write(vault.new_key())
            return
        if not settings.PAYOUT_ENCRYPTION_KEYS:
            raise CommandError(
                "PAYOUT_ENCRYPTION_KEYS is not set: put the new key first in it, the old "
                "one after it, then run this again."
            )
        counts = {}
        with transaction.atomic():
            for model, name in SEALED:
                counts[model._meta.verbose_name] = self._reseal(model, name)
        total = sum(counts.values())
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-sealed")
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} sealed values re-sealed with the first key of "
                "PAYOUT_ENCRYPTION_KEYS; the older keys can now be removed."
            )
        )

    def _reseal(self, model, name: str) -> int:
        count = 0
        rows = model.objects.exclude(**{name: ""}).values_list("pk", name)
        for pk, token in rows.iterator():
            try:
                resealed = vault.reseal(token)
            except InvalidToken:
                raise CommandError(
                    f"{model._meta.verbose_name} {pk} opens with none of "
                    "PAYOUT_ENCRYPTION_KEYS: keep the old key after the new one. "
                    "Nothing was changed."
                ) from None
            # Only if nobody changed it meanwhile (a winner saving new details).
            count += model.objects.filter(pk=pk, **{name: token}).update(**{name: resealed})
        return count
