"""Bank transfers from the ward: the 全銀 file and its CSV, marking paid or returned,
and reconciling the files with the ledger (also from `manage.py reconcile_payouts`)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from accounts.policy import NotAllowed, NotFound
from contests.models import BankTransferBatch, Payout, PayoutSettings, PayoutStatus
from contests.payouts import ledger, manual, reconcile, vault, zengin
from contests.payouts import services as payouts
from core.errors import Conflict

from . import factories as f
from . import payout_factories as pf

pytestmark = pytest.mark.django_db

REFUSED = (NotFound, NotAllowed)


@pytest.fixture
def won():
    """Both awards approved by two organizers of the ward, waiting to be exported."""
    koto = f.organizer()
    scenario = pf.published(koto)
    second = pf.second_organizer()
    contest = scenario["contest"]
    both = list(Payout.objects.filter(award__contest=contest).order_by("id"))
    for payout in both:
        pf.approved(payout, koto, second)
    return {**scenario, "organizer": koto, "second": second, "payouts": both}


def run_reconcile(*args) -> str:
    out = io.StringIO()
    call_command("reconcile_payouts", *args, stdout=out)
    return out.getvalue()


def failing_reconcile(*args) -> str:
    out = io.StringIO()
    with pytest.raises((CommandError, SystemExit)) as error:
        call_command("reconcile_payouts", *args, stdout=out)
    code = getattr(error.value, "returncode", None) or getattr(error.value, "code", None)
    assert code == 1
    return out.getvalue()


class TestExport:
    def test_every_approved_transfer_leaves_in_one_file_once(
        self, won, django_capture_on_commit_callbacks
    ):
        koto, contest = won["organizer"], won["contest"]
        today = timezone.localdate()

        with pytest.raises(ValidationError) as error:
            manual.export_batch(koto, contest, today - datetime.timedelta(days=1))
        assert set(error.value.message_dict) == {"transfer_date"}
        with pytest.raises(REFUSED):
            manual.export_batch(f.organizer(f.TAITO), contest, today)
        assert not BankTransferBatch.objects.exists()

        batch = manual.export_batch(koto, contest, today)
        assert (batch.count, batch.total) == (2, 400_000)
        assert batch.created_by == koto and batch.transfer_date == today
        for payout in won["payouts"]:
            payout.refresh_from_db()
            assert payout.status == PayoutStatus.PAYING and payout.batch == batch
            entry = ledger.history(payout).last()
            assert (entry.data["old"], entry.data["new"]) == ("approved", "paying")
            assert entry.actor == koto

        data = manual.batch_file(koto, batch)
        read = zengin.read_file(data)
        assert (read.count, read.total) == (2, 400_000)
        assert read.on_mmdd == today.strftime("%m%d")
        assert [t.amount for t in read.transfers] == [p.amount for p in won["payouts"]]
        assert [t.reference for t in read.transfers] == [f"P{p.pk}" for p in won["payouts"]]
        for transfer in read.transfers:
            assert transfer.holder == "ﾔﾏﾀﾞ ﾀﾛｳ"  # half width, as banks' files carry it
            assert (transfer.bank_code, transfer.branch_code) == ("0001", "001")
            assert (transfer.account_type, transfer.account_number) == ("1", "1234567")
        assert read.sender.consignor_code == pf.SENDER["consignor_code"]
        assert read.sender.name == pf.SENDER["consignor_name"]
        assert (read.sender.bank_code, read.sender.branch_code) == ("0005", "123")
        assert read.sender.account_number == "7654321"
        # Sealed at rest.
        assert "1234567" not in batch.sealed_file and b"1234567" in data
        with pytest.raises(REFUSED):
            manual.batch_file(f.organizer(f.TAITO), batch)

        # Nothing left to export: not a second time.
        with pytest.raises(Conflict):
            manual.export_batch(koto, contest, today)
        assert BankTransferBatch.objects.count() == 1

        text = manual.batch_csv(koto, batch)
        assert text.startswith("\ufeff")
        lines = text.lstrip("\ufeff").splitlines()
        assert len(lines) == 3  # the headers and one row per transfer
        assert {line.split(",")[0] for line in lines[1:]} == {f"P{p.pk}" for p in won["payouts"]}
        assert all("1234567" in line and "ヤマダ タロウ" in line for line in lines[1:])

        # Consistent: nothing to report, from the code or the command.
        assert manual.ManualBankTransfer().reconcile(contest) == []
        assert reconcile.differences(contest) == []
        assert "no differences" in run_reconcile("--contest", str(contest.pk)).lower()
        assert "no differences" in run_reconcile().lower()

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            assert manual.mark_batch_paid(koto, batch) == 2
        for payout in won["payouts"]:
            payout.refresh_from_db()
            assert payout.status == PayoutStatus.PAID
            assert payout.paid_by == koto and payout.paid_at
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            p.recipient.email for p in won["payouts"]
        )
        # Again: nothing more is paid.
        assert manual.mark_batch_paid(koto, batch) == 0
        assert reconcile.differences(contest) == []

        # A tampered record is found, and the command exits with status 1.
        BankTransferBatch.objects.filter(pk=batch.pk).update(total=399_999)
        assert len(manual.ManualBankTransfer().reconcile(contest)) >= 1
        assert reconcile.differences(contest)
        output = failing_reconcile("--contest", str(contest.pk))
        assert f"#{contest.pk}" in output or contest.title in output
        failing_reconcile()

        # A stored file that no longer reads back is listed as a difference, not a crash.
        BankTransferBatch.objects.filter(pk=batch.pk).update(sealed_file=vault.seal(data[:-2]))
        with translation.override("en"):
            (unreadable,) = manual.ManualBankTransfer().reconcile(contest)
        assert "cannot be read back" in unreadable and "CRLF" in unreadable
        failing_reconcile("--contest", str(contest.pk))

    def test_without_the_wards_account_nothing_is_exported(self, won):
        koto, contest = won["organizer"], won["contest"]
        PayoutSettings.objects.filter(contest=contest).update(
            consignor_code="", bank_code="", account_number=""
        )
        with pytest.raises(ValidationError):
            manual.export_batch(koto, contest, timezone.localdate())
        assert not BankTransferBatch.objects.exists()
        assert {p.status for p in Payout.objects.filter(award__contest=contest)} == {
            PayoutStatus.APPROVED
        }
        # An unknown contest for the command.
        with pytest.raises(CommandError):
            call_command("reconcile_payouts", "--contest", "999999", stdout=io.StringIO())


class TestReturned:
    def test_a_returned_transfer_is_failed_and_can_be_paid_again(
        self, won, django_capture_on_commit_callbacks
    ):
        koto, second, contest = won["organizer"], won["second"], won["contest"]
        today = timezone.localdate()
        payout, other = won["payouts"]
        leader = payout.recipient

        # Only a transfer being paid can be returned.
        with pytest.raises(Conflict):
            manual.mark_failed(koto, payout, "口座なし")
        first = manual.export_batch(koto, contest, today)
        with pytest.raises(ValidationError) as error:
            manual.mark_failed(koto, payout, " ")
        assert set(error.value.message_dict) == {"reason"}
        with pytest.raises(REFUSED):
            manual.mark_failed(f.organizer(f.TAITO), payout, "口座なし")

        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            manual.mark_failed(koto, payout, "口座名義相違")
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.FAILED
        assert payout.failure_reason == "口座名義相違"
        assert payout.prepared_by is None and payout.prepared_at is None
        assert payout.approved_by is None and payout.approved_at is None
        assert [m.to for m in mail.outbox] == [[leader.email]]
        entry = ledger.history(payout).last()
        assert entry.actor == koto and entry.data["reason"] == "口座名義相違"
        assert (entry.data["old"], entry.data["new"]) == ("paying", "failed")
        # The failed amount no longer counts against the pool.
        assert payouts.pool(contest).committed == 100_000

        # The rest of the file is paid; the returned transfer stays failed.
        assert manual.mark_batch_paid(koto, first) == 1
        assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.FAILED
        assert Payout.objects.get(pk=other.pk).status == PayoutStatus.PAID
        assert reconcile.differences(contest) == []

        # New details: prepared, approved by four eyes and exported again.
        payouts.save_bank_details(
            leader, payout, {**pf.BANK, "account_number": "7777777", "holder": "ﾔﾏﾀﾞ ﾊﾅｺ"}
        )
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.READY
        with pytest.raises(Conflict):
            payouts.approve(second, payout)
        payouts.prepare(koto, payout)
        with pytest.raises(Conflict):
            payouts.approve(koto, payout)
        payouts.approve(second, payout)
        again = manual.export_batch(koto, contest, today)
        assert again != first and (again.count, again.total) == (1, 300_000)
        read = zengin.read_file(manual.batch_file(koto, again))
        assert [(t.account_number, t.holder) for t in read.transfers] == [("7777777", "ﾔﾏﾀﾞ ﾊﾅｺ")]
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.PAYING and payout.batch == again
        manual.mark_batch_paid(second, again)
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.PAID and payout.paid_by == second

        # The first file's returned transfer, paid through the second, is no difference.
        assert reconcile.differences(contest) == []
        assert "no differences" in run_reconcile("--contest", str(contest.pk)).lower()
