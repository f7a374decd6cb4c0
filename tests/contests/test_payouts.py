"""Prize money: opening payouts on publishing, who receives them (whole or split), the
recipient's method and bank details, the organizers' four eyes, the pool, cancelling,
the ledger's history and the rotation of the sealing keys."""

import pytest
from cryptography.fernet import Fernet
from django.core import mail
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from accounts.policy import NotAllowed, NotFound
from contests.models import (
    AwardShare,
    AwardSplit,
    BankTransferBatch,
    Payout,
    PayoutStatus,
)
from contests.payouts import ledger, manual, vault
from contests.payouts import services as payouts
from core.errors import Conflict

from . import factories as f
from . import payout_factories as pf

pytestmark = pytest.mark.django_db

REFUSED = (NotFound, NotAllowed)


def moves(payout):
    """The (old, new) of each change of state in the payout's history."""
    return [
        (e.data["old"], e.data["new"])
        for e in ledger.history(payout)
        if e.action == "contests.payout_status"
    ]


class TestOpening:
    def test_publishing_opens_one_payout_per_award_to_the_leader_once(self):
        koto = f.organizer()
        won = pf.published(koto)
        contest = won["contest"]
        found = Payout.objects.filter(award__contest=contest).order_by("-amount")
        assert [(p.amount, p.recipient) for p in found] == [
            (300_000, won["teams"][0].leader),
            (100_000, won["teams"][1].leader),
        ]
        # Teams of one: nothing to decide, straight to the details.
        assert {p.status for p in found} == {PayoutStatus.DETAILS_NEEDED}
        payout = won["payout"]
        assert moves(payout) == [(PayoutStatus.PENDING, PayoutStatus.DETAILS_NEEDED)]
        assert ledger.history(payout).first().action == "contests.payout_note"

        # Idempotent: publishing's work done again creates nothing.
        assert payouts.open_payouts(contest, koto) == []
        assert Payout.objects.filter(award__contest=contest).count() == 2

        # A team of one has nothing to settle.
        with pytest.raises(Conflict):
            payouts.receive_whole(won["leader"], won["award"])


class TestWhoReceives:
    def test_the_leader_receives_the_whole_prize(self):
        koto = f.organizer()
        won = pf.published(koto, members=2)
        payout, leader, member = won["payout"], won["leader"], won["members"][0]
        assert payout.status == PayoutStatus.PENDING
        assert Payout.objects.filter(award=won["award"]).count() == 1

        # Only the leader decides.
        with pytest.raises(REFUSED):
            payouts.receive_whole(member, won["award"])
        with pytest.raises(REFUSED):
            payouts.receive_whole(koto, won["award"])

        payouts.receive_whole(leader, won["award"])
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.DETAILS_NEEDED
        assert payout.recipient == leader and payout.amount == 300_000
        assert moves(payout)[-1] == (PayoutStatus.PENDING, PayoutStatus.DETAILS_NEEDED)
        entry = ledger.history(payout).last()
        assert entry.actor == leader and entry.data["reason"]

        # Settled: neither again nor a split afterwards.
        with pytest.raises(Conflict):
            payouts.receive_whole(leader, won["award"])
        with pytest.raises(Conflict):
            payouts.propose_split(leader, won["award"], {leader.pk: 50, won["members"][0].pk: 50})

    def test_a_split_is_checked_confirmed_by_everyone_and_rounded_to_the_leader(
        self, django_capture_on_commit_callbacks
    ):
        commits = django_capture_on_commit_callbacks
        koto = f.organizer()
        won = pf.published(koto, members=2)
        award, leader = won["award"], won["leader"]
        one, two = won["members"]

        with pytest.raises(ValidationError):
            payouts.propose_split(leader, award, {leader.pk: 50, one.pk: 40, two.pk: 20})
        with pytest.raises(ValidationError):
            payouts.propose_split(leader, award, {leader.pk: 30, one.pk: 30})
        # The leader must have a share (the rounding goes to them).
        with pytest.raises(ValidationError):
            payouts.propose_split(leader, award, {one.pk: 50, two.pk: 50})
        # Only team members.
        with pytest.raises(ValidationError):
            payouts.propose_split(leader, award, {leader.pk: 50, koto.pk: 50})
        with pytest.raises(REFUSED):
            payouts.propose_split(one, award, {leader.pk: 50, one.pk: 50})
        assert not AwardSplit.objects.filter(award=award).exists()

        mail.outbox.clear()
        with commits(execute=True):
            split = payouts.propose_split(leader, award, {leader.pk: 34, one.pk: 33, two.pk: 33})
        amounts = {s.member_id: s.amount for s in split.shares.all()}
        assert amounts == {leader.pk: 102_000, one.pk: 99_000, two.pk: 99_000}
        assert sum(amounts.values()) == 300_000
        # The other members are asked.
        assert sorted(m.to[0] for m in mail.outbox) == sorted([one.email, two.email])
        # The leader's own share is confirmed by proposing it.
        assert split.shares.get(member=leader).confirmed_at is not None

        # Nobody but the member answers for a share.
        with pytest.raises(REFUSED):
            payouts.answer_share(two, split.shares.get(member=one), True)

        payouts.answer_share(one, split.shares.get(member=one), True)
        # Not everyone yet: still one payout, pending.
        assert Payout.objects.filter(award=award).count() == 1
        assert Payout.objects.get(award=award).status == PayoutStatus.PENDING

        mail.outbox.clear()
        with commits(execute=True):
            payouts.answer_share(two, split.shares.get(member=two), True)
        found = {p.recipient_id: p for p in Payout.objects.filter(award=award)}
        assert {k: p.amount for k, p in found.items()} == amounts
        assert {p.status for p in found.values()} == {PayoutStatus.DETAILS_NEEDED}
        assert sorted(m.to[0] for m in mail.outbox) == sorted([leader.email, one.email, two.email])
        split.refresh_from_db()
        assert split.confirmed_at is not None
        # Settled: no second answer.
        with pytest.raises(Conflict):
            payouts.answer_share(one, split.shares.get(member=one), True)

    def test_a_decline_voids_the_split_and_a_remainder_goes_to_the_leader(
        self, django_capture_on_commit_callbacks
    ):
        commits = django_capture_on_commit_callbacks
        koto = f.organizer()
        won = pf.published(koto, members=2)
        award, leader, payout = won["award"], won["leader"], won["payout"]
        one, two = won["members"]

        split = payouts.propose_split(leader, award, {leader.pk: 34, one.pk: 33, two.pk: 33})
        mail.outbox.clear()
        with commits(execute=True):
            assert payouts.answer_share(one, split.shares.get(member=one), False) is None
        assert not AwardSplit.objects.filter(award=award).exists()
        assert not AwardShare.objects.filter(member=one).exists()
        assert [m.to for m in mail.outbox] == [[leader.email]]
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.PENDING
        assert ledger.history(payout).last().actor == one

        # A prize whose shares do not divide evenly: the yen left over go to the leader.
        Payout.objects.filter(pk=payout.pk).update(amount=100_001)
        split = payouts.propose_split(leader, award, {leader.pk: 34, one.pk: 33, two.pk: 33})
        for member in (one, two):
            payouts.answer_share(member, split.shares.get(member=member), True)
        found = {p.recipient_id: p.amount for p in Payout.objects.filter(award=award)}
        assert found == {leader.pk: 34_001, one.pk: 33_000, two.pk: 33_000}
        assert sum(found.values()) == 100_001

    def test_split_amounts_rounds_down_and_gives_the_rest_to_the_leader(self):
        assert payouts.split_amounts(300_000, {1: 33, 2: 33, 3: 34}, 3) == {
            1: 99_000,
            2: 99_000,
            3: 102_000,
        }
        assert payouts.split_amounts(1_000, {1: 33, 2: 33, 3: 34}, 1) == {
            1: 330,
            2: 330,
            3: 340,
        }
        assert payouts.split_amounts(999, {1: 50, 2: 50}, 2) == {1: 499, 2: 500}
        assert payouts.split_amounts(10, {1: 33, 2: 33, 3: 34}, 1) == {1: 4, 2: 3, 3: 3}


class TestRecipient:
    def test_stripe_is_refused_for_a_winner_abroad_without_calling_stripe(
        self, settings, monkeypatch
    ):
        from contests.payouts import stripe_connect

        settings.STRIPE_SECRET_KEY = "sk_test_x"

        def no_stripe(*args, **kwargs):
            raise AssertionError("choose_method called Stripe")

        monkeypatch.setattr(stripe_connect, "client", no_stripe)
        koto = f.organizer()
        won = pf.published(koto)
        pf.ward_account(koto, won["contest"], providers=("manual", "stripe"))
        payout, leader = won["payout"], won["leader"]

        with pytest.raises(ValidationError) as error:
            payouts.choose_method(leader, payout, "stripe", False)
        assert set(error.value.message_dict) == {"provider"}
        with pytest.raises(ValidationError) as error:
            payouts.choose_method(leader, payout, "paypal", True)
        assert set(error.value.message_dict) == {"provider"}
        payout.refresh_from_db()
        assert payout.provider == ""

        # Someone else cannot choose for the winner.
        with pytest.raises(REFUSED):
            payouts.choose_method(koto, payout, "manual", True)

        # In Japan, Stripe may be chosen; abroad, the bank transfer.
        payouts.choose_method(leader, payout, "stripe", True)
        payout.refresh_from_db()
        assert payout.provider == "stripe" and payout.status == PayoutStatus.DETAILS_NEEDED
        payouts.choose_method(leader, payout, "manual", False)
        payout.refresh_from_db()
        assert payout.provider == "manual" and payout.lives_in_japan is False

    def test_with_two_ways_offered_the_bank_account_comes_after_the_choice(self, settings):
        settings.STRIPE_SECRET_KEY = "sk_test_x"
        koto = f.organizer()
        won = pf.published(koto)
        pf.ward_account(koto, won["contest"], providers=("manual", "stripe"))
        payout, leader = won["payout"], won["leader"]
        assert not payouts.only_bank_transfer(won["contest"])

        with pytest.raises(Conflict):
            payouts.save_bank_details(leader, payout, dict(pf.BANK))
        payouts.choose_method(leader, payout, "stripe", True)
        with pytest.raises(Conflict):
            payouts.save_bank_details(leader, payout, dict(pf.BANK))
        payout.refresh_from_db()
        assert payout.bank_details == "" and payout.provider == "stripe"

    def test_bank_details_are_checked_normalised_and_sealed(self):
        koto = f.organizer()
        won = pf.published(koto)
        payout, leader = won["payout"], won["leader"]
        # The contest pays by bank transfer alone: there is nothing to choose first.
        assert payouts.only_bank_transfer(won["contest"])
        assert payout.provider == ""

        wrong = {
            **pf.BANK,
            "bank_code": "00a1",
            "branch_code": "01",
            "account_number": "12345678",
            "holder": "山田太郎",
            "account_type": "3",
        }
        with pytest.raises(ValidationError) as error:
            payouts.save_bank_details(leader, payout, wrong)
        assert set(error.value.message_dict) == {
            "bank_code",
            "branch_code",
            "account_number",
            "holder",
            "account_type",
        }
        with pytest.raises(ValidationError) as error:
            payouts.save_bank_details(
                leader, payout, {**pf.BANK, "account_number": "12a4567", "bank_code": ""}
            )
        assert set(error.value.message_dict) == {"account_number", "bank_code"}
        payout.refresh_from_db()
        assert payout.bank_details == "" and payout.status == PayoutStatus.DETAILS_NEEDED

        # Nobody else gives the winner's account.
        with pytest.raises(REFUSED):
            payouts.save_bank_details(koto, payout, dict(pf.BANK))

        # Full-width digits and half-width katakana are what people type; accepted.
        payouts.save_bank_details(leader, payout, {**pf.BANK, "account_number": "１２３４５６７"})
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.READY
        assert payout.provider == "manual"  # giving the account chose the bank transfer
        notes = [entry.data.get("provider") for entry in ledger.history(payout)]
        assert notes.count("manual") == 1
        account = payouts.bank_account(payout)
        assert account.holder == "ヤマダ タロウ"
        assert account.account_number == "1234567"
        assert payouts.bank_details(leader, payout)["bank_name"] == "みずほ銀行"
        assert payouts.bank_details(koto, payout)["account_number"] == "1234567"

        # Sealed at rest; only the last digits show.
        for secret in ("1234567", "ヤマダ", "ﾔﾏﾀﾞ", "0001"):
            assert secret not in payout.bank_details
        assert "1234567" not in payout.bank_masked
        assert payout.bank_masked.endswith("567")
        assert "みずほ銀行" in payout.bank_masked

        # Another ward's organizer cannot read it.
        taito = f.organizer(f.TAITO)
        with pytest.raises(REFUSED):
            payouts.bank_details(taito, payout)


class TestOrganizers:
    def test_four_eyes_history_cancel_and_illegal_moves(self, django_capture_on_commit_callbacks):
        commits = django_capture_on_commit_callbacks
        koto = f.organizer()
        won = pf.published(koto)
        second = pf.second_organizer()
        taito = f.organizer(f.TAITO)
        payout = pf.ready(won["payout"])
        assert payout.status == PayoutStatus.READY

        # Not prepared yet: nothing to approve.
        with pytest.raises(Conflict):
            payouts.approve(second, payout)
        with pytest.raises(REFUSED):
            payouts.prepare(taito, payout)
        with pytest.raises(REFUSED):
            payouts.prepare(won["leader"], payout)
        payouts.prepare(koto, payout)
        payout.refresh_from_db()
        assert payout.prepared_by == koto and payout.prepared_at

        with pytest.raises(Conflict):
            payouts.approve(koto, payout)
        with pytest.raises(REFUSED):
            payouts.approve(taito, payout)
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.READY and payout.approved_by is None

        before = list(ledger.history(payout).values_list("pk", flat=True))
        mail.outbox.clear()
        with commits(execute=True):
            payouts.approve(second, payout)
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.APPROVED
        assert payout.approved_by == second and payout.approved_at
        assert [m.to for m in mail.outbox] == [[won["leader"].email]]
        entries = list(ledger.history(payout))
        # The history only grows: what was there is still there, in order.
        assert [e.pk for e in entries[: len(before)]] == before
        last = entries[-1]
        assert last.actor == second
        assert (last.data["old"], last.data["new"]) == ("ready", "approved")
        assert last.data["reason"] and last.data["amount"] == 300_000

        # Approved: the details can no longer change.
        with pytest.raises(Conflict):
            payouts.save_bank_details(won["leader"], payout, dict(pf.BANK))

        # An illegal transition is refused by the ledger itself.
        locked = Payout.objects.get(pk=payout.pk)
        with pytest.raises(Conflict):
            ledger.move(locked, PayoutStatus.PAID, koto, "skipping the bank")
        with pytest.raises(Conflict):
            ledger.move(locked, PayoutStatus.PENDING, koto, "back to the start")
        assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.APPROVED

        # Cancelling needs a reason; from approved, it can.
        with pytest.raises(ValidationError) as error:
            payouts.cancel(koto, payout, "  ")
        assert set(error.value.message_dict) == {"reason"}
        with pytest.raises(REFUSED):
            payouts.cancel(taito, payout, "別の区")
        mail.outbox.clear()
        with commits(execute=True):
            payouts.cancel(koto, payout, "受賞の辞退")
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.CANCELLED
        assert [m.to for m in mail.outbox] == [[won["leader"].email]]
        entry = ledger.history(payout).last()
        assert entry.actor == koto and entry.data["reason"] == "受賞の辞退"
        assert (entry.data["old"], entry.data["new"]) == ("approved", "cancelled")
        # Final: not cancellable again.
        with pytest.raises(Conflict):
            payouts.cancel(koto, payout, "もう一度")

        # Every status entry has an actor and a reason; the history grew monotonically.
        entries = list(ledger.history(payout))
        assert len(entries) == len(before) + 2  # approved, cancelled
        for e in entries:
            assert e.data.get("reason")
            if e.action == "contests.payout_status":
                assert e.actor is not None

        # A payout being paid cannot be cancelled.
        other = Payout.objects.get(award__contest=won["contest"], amount=100_000)
        pf.approved(other, koto, second)
        manual.export_batch(koto, won["contest"], timezone.localdate())
        other.refresh_from_db()
        assert other.status == PayoutStatus.PAYING
        with pytest.raises(Conflict):
            payouts.cancel(koto, other, "遅すぎる")
        assert Payout.objects.get(pk=other.pk).status == PayoutStatus.PAYING

    def test_approval_is_refused_beyond_the_pool_until_the_ward_funds_it(self):
        koto = f.organizer()
        won = pf.published(koto, fund=None)
        second = pf.second_organizer()
        contest = won["contest"]
        figures = payouts.pool(contest)
        assert (figures.total, figures.committed, figures.awarded) == (0, 0, 400_000)
        assert figures.shortfall == 400_000

        payout = pf.ready(won["payout"])
        payouts.prepare(koto, payout)
        with pytest.raises(Conflict):
            payouts.approve(second, payout)
        assert Payout.objects.get(pk=payout.pk).status == PayoutStatus.READY

        with pytest.raises(ValidationError) as error:
            payouts.record_ward_funding(koto, contest, "abc", "")
        assert set(error.value.message_dict) == {"amount", "note"}
        with pytest.raises(REFUSED):
            payouts.record_ward_funding(f.organizer(f.TAITO), contest, 300_000, "予算")

        payouts.record_ward_funding(koto, contest, 299_999, "補正予算")
        with pytest.raises(Conflict):
            payouts.approve(second, payout)
        payouts.record_ward_funding(koto, contest, 1, "補正予算 追加")
        payouts.approve(second, payout)
        payout.refresh_from_db()
        assert payout.status == PayoutStatus.APPROVED
        figures = payouts.pool(contest)
        assert (figures.total, figures.committed, figures.available) == (300_000, 300_000, 0)

        # The second award no longer fits.
        other = pf.ready(Payout.objects.get(award__contest=contest, amount=100_000))
        payouts.prepare(koto, other)
        with pytest.raises(Conflict):
            payouts.approve(second, other)


class TestKeyRotation:
    def test_rotating_reseals_bank_details_and_files_with_the_new_key(self, settings):
        old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
        settings.PAYOUT_ENCRYPTION_KEYS = [old]
        koto = f.organizer()
        won = pf.published(koto)
        payout = pf.approved(won["payout"], koto, pf.second_organizer())
        batch = manual.export_batch(koto, won["contest"], timezone.localdate())
        sealed = {"payout": payout.bank_details, "file": batch.sealed_file}
        data = vault.open_bytes(batch.sealed_file)

        settings.PAYOUT_ENCRYPTION_KEYS = [new]
        with pytest.raises(ImproperlyConfigured):
            vault.open_dict(payout.bank_details)

        settings.PAYOUT_ENCRYPTION_KEYS = [new, old]
        assert payouts.bank_account(payout).account_number == "1234567"

        call_command("rotate_payout_keys", stdout=(out := _Out()))
        assert "2 sealed values" in out.text  # one payout, one file

        settings.PAYOUT_ENCRYPTION_KEYS = [new]
        payout.refresh_from_db()
        batch.refresh_from_db()
        assert payout.bank_details != sealed["payout"]
        assert batch.sealed_file != sealed["file"]
        assert payouts.bank_account(payout).account_number == "1234567"
        assert vault.open_bytes(batch.sealed_file) == data
        assert BankTransferBatch.objects.count() == 1

        # With the old key gone before rotating, the command refuses and changes nothing.
        settings.PAYOUT_ENCRYPTION_KEYS = [old]
        with pytest.raises(CommandError):
            call_command("rotate_payout_keys", stdout=_Out())
        settings.PAYOUT_ENCRYPTION_KEYS = [new]
        payout.refresh_from_db()
        assert payouts.bank_account(payout).account_number == "1234567"

    def test_new_key_prints_a_key_and_changes_nothing(self, settings):
        settings.PAYOUT_ENCRYPTION_KEYS = []
        out = _Out()
        call_command("rotate_payout_keys", "--new-key", stdout=out)
        key = out.text.strip()
        Fernet(key.encode())  # a valid Fernet key
        from contests.management.commands.rotate_payout_keys import Command

        assert "PAYOUT_ENCRYPTION_KEYS" in Command.help


class _Out:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
