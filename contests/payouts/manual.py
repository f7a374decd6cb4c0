"""The manual provider: the ward pays by its own bank transfer (the embedded default).

Winners give a Japanese bank account (contests.payouts.bank). Approved payouts leave in
a batch: one 全銀 総合振込 file (contests.payouts.zengin) for the ward's bank and a CSV
for its accounting. Exporting moves them to "being paid"; an organizer marks the batch
paid once the bank has carried it out, or marks a returned transfer failed.
"""

import datetime

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import policy
from core.errors import Conflict

from ..models import BankTransferBatch, ContestPage, Payout
from ..models import PayoutStatus as S
from . import bank, ledger, services, vault, zengin
from .providers import PayoutProvider, payout_providers


@payout_providers.register_provider
class ManualBankTransfer(PayoutProvider):
    identifier = "manual"
    verbose_name = gettext_lazy("Bank transfer from the ward")
    description = gettext_lazy(
        "The ward transfers the prize to a bank account in Japan that you give here."
    )
    pays_by_file = True

    def recipient_is_ready(self, payout) -> bool:
        return bool(payout.bank_details)

    def reconcile(self, contest) -> list:
        """Each exported file against the ledger: its totals, and each transfer's state."""
        differences = []
        for batch in BankTransferBatch.objects.filter(contest=contest).prefetch_related("payouts"):
            try:
                read = zengin.read_file(vault.open_bytes(batch.sealed_file))
            except (ValueError, ImproperlyConfigured) as error:
                # A file that cannot be read back is itself a difference, and the others
                # are still compared.
                differences.append(
                    _("File of %(date)s cannot be read back: %(error)s")
                    % {"date": batch.transfer_date, "error": error}
                )
                continue
            in_ledger = [p for p in batch.payouts.all() if p.status != S.FAILED]
            ledger_total = sum(p.amount for p in in_ledger)
            if (read.count, read.total) != (batch.count, batch.total):
                differences.append(
                    _(
                        "File of %(date)s: it holds %(count)d transfers, %(total)s; we recorded %(rc)d, %(rt)s."
                    )
                    % {
                        "date": batch.transfer_date,
                        "count": read.count,
                        "total": services.yen(read.total),
                        "rc": batch.count,
                        "rt": services.yen(batch.total),
                    }
                )
            failed = sum(p.amount for p in batch.payouts.all() if p.status == S.FAILED)
            # A transfer the bank returned may have left again in a later file, which
            # it belongs to now: in this one it counts as returned.
            failed += sum(
                p.amount
                for p in Payout.objects.filter(
                    award__contest=contest, pk__in=_references(read), batch__isnull=False
                ).exclude(batch=batch)
            )
            if ledger_total + failed != read.total:
                differences.append(
                    _("File of %(date)s: its total %(total)s differs from its payouts' %(ledger)s.")
                    % {
                        "date": batch.transfer_date,
                        "total": services.yen(read.total),
                        "ledger": services.yen(ledger_total + failed),
                    }
                )
        return differences


def _references(read: zengin.ZenginFile) -> list[int]:
    """The payouts a file's transfers name (顧客コード1 "P123")."""
    return [int(t.reference[1:]) for t in read.transfers if t.reference[1:].isdigit()]


def has_sender(contest: ContestPage) -> bool:
    row = services.payout_settings(contest)
    return bool(row.consignor_code and row.bank_code and row.account_number)


def sender_for(contest: ContestPage) -> zengin.Sender:
    row = services.payout_settings(contest)
    if not has_sender(contest):
        raise ValidationError(
            _(
                "Enter the ward's own account (consignor code, bank, branch, account) in the "
                "payout settings first: the bank file starts with it."
            )
        )
    return zengin.Sender(
        consignor_code=row.consignor_code,
        name=row.consignor_name,
        bank_code=row.bank_code,
        branch_code=row.branch_code,
        account_type=row.account_type,
        account_number=row.account_number,
    )


def _exportable(contest):
    return Payout.objects.filter(
        award__contest=contest, provider=ManualBankTransfer.identifier, status=S.APPROVED
    )


def exportable(contest: ContestPage):
    return _exportable(contest.canonical).select_related("recipient", "award__prize")


@transaction.atomic
def export_batch(
    organizer, contest: ContestPage, transfer_date: datetime.date
) -> BankTransferBatch:
    """Every approved bank-transfer payout of the contest into one file; they are then
    being paid, and cannot leave in a second file."""
    contest = contest.canonical
    policy.check(organizer, "contests.manage_payouts", contest)
    if transfer_date is None or transfer_date < timezone.localdate():
        raise ValidationError({"transfer_date": _("Choose today or a later day for the transfer.")})
    sender = sender_for(contest)
    payouts = list(_exportable(contest).select_for_update().order_by("id"))
    if not payouts:
        raise Conflict(_("No approved bank transfers are waiting to be exported."))
    transfers = []
    for payout in payouts:
        transfers.append(
            zengin.Transfer(
                account=services.bank_account(payout),
                amount=payout.amount,
                reference=f"P{payout.pk}",
            )
        )
    data = zengin.transfer_file(sender, transfers, transfer_date)
    batch = BankTransferBatch.objects.create(
        contest=contest,
        created_by=organizer,
        transfer_date=transfer_date,
        count=len(payouts),
        total=sum(p.amount for p in payouts),
        sealed_file=vault.seal(data),
    )
    for payout in payouts:
        ledger.move(
            payout,
            S.PAYING,
            organizer,
            gettext_noop("Exported in a bank transfer file."),
            batch=batch,
        )
    return batch


def batch_file(organizer, batch: BankTransferBatch) -> bytes:
    policy.check(organizer, "contests.manage_payouts", batch.contest)
    return vault.open_bytes(batch.sealed_file)


def batch_csv(organizer, batch: BankTransferBatch) -> str:
    """The same transfers for the ward's accounting (UTF-8 with BOM, for Excel)."""
    from ..exports import csv_document

    policy.check(organizer, "contests.manage_payouts", batch.contest)
    rows = []
    for payout in batch.payouts.select_related(
        "award__prize", "award__submission__team", "recipient"
    ):
        account = services.bank_account(payout)
        rows.append(
            [
                f"P{payout.pk}",
                batch.transfer_date.isoformat(),
                payout.award.prize.name,
                payout.award.submission.team.name,
                payout.recipient.display_name,
                account.bank_code,
                account.branch_code,
                str(bank.ACCOUNT_TYPES[account.account_type]),
                account.account_number,
                account.holder,
                payout.amount,
                payout.get_status_display(),
            ]
        )
    headers = [
        _("Reference"),
        _("Transfer date"),
        _("Prize"),
        _("Team"),
        _("Recipient"),
        _("Bank code"),
        _("Branch code"),
        _("Account type"),
        _("Account number"),
        _("Account holder"),
        _("Amount (yen)"),
        _("Status"),
    ]
    return csv_document(headers, rows)


@transaction.atomic
def mark_batch_paid(organizer, batch: BankTransferBatch) -> int:
    """The bank carried the file out: every transfer still being paid is paid."""
    policy.check(organizer, "contests.manage_payouts", batch.contest)
    now = timezone.now()
    count = 0
    for payout in batch.payouts.select_for_update().filter(status=S.PAYING):
        ledger.move(
            payout,
            S.PAID,
            organizer,
            gettext_noop("The bank carried out the transfer."),
            paid_by=organizer,
            paid_at=now,
        )
        services.tell(payout, "paid")
        count += 1
    return count


@transaction.atomic
def mark_failed(organizer, payout: Payout, reason: str) -> Payout:
    """The bank returned a transfer (a closed account, a wrong name): the winner is asked
    to check the details, and it needs approving again."""
    payout = services.locked(payout)
    policy.check(organizer, "contests.manage_payouts", payout.award.contest)
    if payout.status != S.PAYING or payout.provider != ManualBankTransfer.identifier:
        raise Conflict(_("Only a bank transfer being paid can be marked as returned."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the bank said: the winner reads it.")})
    ledger.move(
        payout,
        S.FAILED,
        organizer,
        reason,
        failure_reason=reason[:300],
        prepared_by=None,
        prepared_at=None,
        approved_by=None,
        approved_at=None,
    )
    services.tell(payout, "failed", reason=reason)
    return payout
