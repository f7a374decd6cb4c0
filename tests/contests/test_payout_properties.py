"""A property of the Stripe payout, for any order, duplication and delay of its webhook
events (issue 20, "What it must show"): the money moved to the winner never exceeds the
award, and the ledger ends in the state Stripe's records say (paid, or reversed).

Each example plays one award against a fresh stand-in: Stripe's side first (the transfer,
possibly with its answer lost; reversals; the winner's bank payout), which makes the
events; then Hypothesis chooses how they arrive: every event at least once, in any order,
some more than once, with the organizers pressing 「支払う」 or the periodic resend in
between. After every step the money is checked, at the end the ledger and the
reconciliation."""

from unittest import mock

import stripe._http_client
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from contests.models import Payout, PayoutStatus, StripeAccount
from contests.payouts import ledger, reconcile, stripe_connect
from tests.stripe_standin import TEST_API_KEY, StripeStandIn

from . import factories as f
from . import payout_factories as pf

S = PayoutStatus
# How far along a Stripe payout is: the ledger may only move forwards once paying.
RANK = {S.APPROVED: 0, S.PAYING: 1, S.PAID: 2, S.REVERSED: 3}
ORGANIZER_ACTIONS = ("pay", "pay (the other organizer)", "send", "resend stalled")


@st.composite
def stories(draw):
    """Stripe's side of one award, then the order the deliveries and presses come in."""
    answer = draw(st.sampled_from(["answered", "lost once", "lost"]))
    reversals = draw(
        st.sampled_from([(), ("full",), ("part",), ("part", "rest"), ("part", "part")])
    )
    parts = [draw(st.integers(1, 100_000)) for kind in reversals if kind == "part"]
    bank = draw(st.sampled_from([None, "paid", "failed"]))
    if "rest" in reversals or "full" in reversals:
        bank = None  # nothing left on the account to pay out
    # account.updated, transfer.created, two events per reversal, the bank payout's.
    count = 2 + 2 * len(reversals) + (bank is not None)
    steps = [("deliver", index) for index in draw(st.permutations(range(count)))]
    extras = draw(
        st.lists(
            st.one_of(
                st.integers(0, count - 1).map(lambda index: ("deliver", index)),
                st.sampled_from(ORGANIZER_ACTIONS).map(lambda action: (action, None)),
            ),
            max_size=8,
        )
    )
    for extra in extras:
        steps.insert(draw(st.integers(0, len(steps))), extra)
    return {"answer": answer, "reversals": reversals, "parts": parts, "bank": bank, "steps": steps}


class PayoutEventOrderTests(TestCase):
    """One scenario per example; the database is rolled back between examples and the
    stand-in reset, so each starts from the same published results."""

    @classmethod
    def setUpClass(cls):
        cls.standin = StripeStandIn().start()
        cls.enterClassContext(
            override_settings(
                STRIPE_API_BASE=cls.standin.url,
                STRIPE_SECRET_KEY=TEST_API_KEY,
                STRIPE_WEBHOOK_SECRET=cls.standin.webhook_secret,
            )
        )
        # The SDK's retries are part of what is tested; their pauses are not.
        cls.enterClassContext(
            mock.patch.object(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda *a: 0)
        )
        cls.addClassCleanup(cls.standin.stop)
        super().setUpClass()

    @classmethod
    def setUpTestData(cls):
        organizer = f.organizer()
        made = pf.published(organizer)
        pf.ward_account(organizer, made["contest"], providers=("manual", "stripe"))
        pf.ready(made["payout"], provider="stripe")
        # Primary keys only: objects kept on the class would carry one example's state
        # into the next.
        cls.ids = {
            "organizer": organizer.pk,
            "approver": pf.second_organizer().pk,
            "payout": made["payout"].pk,
            "contest": made["contest"].pk,
        }

    def play_stripe_side(self, story) -> tuple[Payout, str, list[dict]]:
        standin = self.standin
        standin.reset()
        payout = Payout.objects.select_related("recipient", "award__contest").get(
            pk=self.ids["payout"]
        )
        organizer = type(payout.recipient).objects.get(pk=self.ids["organizer"])
        approver = type(payout.recipient).objects.get(pk=self.ids["approver"])
        stripe_connect.onboarding_url(
            payout.recipient, payout, "https://example.jp/r", "https://example.jp/f"
        )
        account_id = StripeAccount.objects.get(user=payout.recipient).account_id
        standin.complete_onboarding(account_id)
        stripe_connect.sync_account(account_id)
        payout = pf.approved(Payout.objects.get(pk=payout.pk), organizer, approver, "stripe")
        standin.add_balance(payout.amount)
        if story["answer"] == "lost":
            standin.fail_after_commit_next("POST", "/v1/transfers", times=3)
        elif story["answer"] == "lost once":
            standin.fail_after_commit_next("POST", "/v1/transfers", times=1)
        stripe_connect.pay(organizer, payout)
        (transfer_id,) = standin.transfers
        parts = list(story["parts"])
        for kind in story["reversals"]:
            standin.reverse(transfer_id, parts.pop(0) if kind == "part" else None)
        if story["bank"]:
            left = standin.transfers_to(account_id)
            standin.emit_payout(account_id, left, status=story["bank"])
        events = [
            event
            for event in standin.events
            if event["type"].startswith(("account.", "transfer.", "payout."))
        ]
        self.organizers = (organizer, approver)
        return Payout.objects.get(pk=payout.pk), account_id, events

    def check_money(self, payout, account_id, seen) -> tuple[int, int]:
        """Money moved within the award, and the ledger never going backwards."""
        payout = Payout.objects.get(pk=payout.pk)
        assert len(self.standin.transfers) == 1
        assert 0 <= self.standin.transfers_to(account_id) <= payout.amount
        (transfer,) = self.standin.transfers.values()
        assert seen[1] <= payout.amount_reversed <= transfer["amount_reversed"] <= payout.amount
        assert RANK[payout.status] >= seen[0], "the ledger went backwards"
        return RANK[payout.status], payout.amount_reversed

    @settings(
        max_examples=50,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
        derandomize=False,
    )
    @given(story=stories())
    def test_money_moves_once_and_the_ledger_ends_where_stripe_is(self, story):
        payout, account_id, events = self.play_stripe_side(story)
        assert len(events) == 2 + 2 * len(story["reversals"]) + (story["bank"] is not None)
        client = Client()
        url = reverse("stripe_webhook")
        organizer, approver = self.organizers
        seen = self.check_money(payout, account_id, (0, 0))

        for action, index in story["steps"]:
            if action == "deliver":
                body = self.standin.payload(events[index])
                answer = client.post(
                    url,
                    data=body,
                    content_type="application/json",
                    headers={"Stripe-Signature": self.standin.sign(body)},
                )
                assert answer.status_code == 200
            elif action == "pay":
                stripe_connect.pay(organizer, payout)
            elif action == "pay (the other organizer)":
                stripe_connect.pay(approver, payout)
            elif action == "send":
                stripe_connect.send(payout)
            else:
                stripe_connect.resend_stalled(older_than_seconds=0)
            seen = self.check_money(payout, account_id, seen)

        (transfer,) = self.standin.transfers.values()
        payout = Payout.objects.get(pk=payout.pk)
        expected = S.REVERSED if transfer["reversed"] else S.PAID
        assert payout.status == expected
        assert payout.transfer_id == transfer["id"]
        assert payout.amount_reversed == transfer["amount_reversed"]
        assert self.standin.transfers_to(account_id) == payout.amount - payout.amount_reversed
        moves = [
            (entry.data["old"], entry.data["new"])
            for entry in ledger.history(payout)
            if entry.action == "contests.payout_status"
        ]
        assert moves.count((S.APPROVED, S.PAYING)) == 1
        assert moves.count((S.PAYING, S.PAID)) == 1
        assert moves.count((S.PAID, S.REVERSED)) == (expected == S.REVERSED)
        assert all(ledger.PAYOUT_LIFECYCLE.allowed(old, new) for old, new in moves)
        assert reconcile.stripe_differences(payout.award.contest) == []
