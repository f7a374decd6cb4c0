"""The Stripe side of prize money, against the local stand-in with the official SDK:
onboarding to a connected account, one transfer per award whatever fails on the way,
reversals, reconciliation, and sponsors funding the pool through Checkout.

Every call here crosses a real socket to tests/stripe_standin.py; what Stripe holds is
read from the stand-in's records (transfers, requests), what we hold from the database
and the ledger (contests.payouts.ledger.history)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
import requests
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from contests.models import (
    Payout,
    PayoutStatus,
    SponsorPayment,
    SponsorPaymentStatus,
    StripeAccount,
    WardFunding,
)
from contests.payouts import ledger, reconcile, sponsors, stripe_connect
from contests.payouts import services as payouts
from core.errors import Conflict, NotFound
from tests.accounts.factories import UserFactory
from tests.stripe_standin import stripe_standin  # noqa: F401  (the fixture)

from . import payout_factories as pf

S = PayoutStatus
RETURN_URL = "https://kankei.example.jp/payouts/return/"
REFRESH_URL = "https://kankei.example.jp/payouts/refresh/"
TOP_PRIZE = 300_000  # 最優秀賞 in payout_factories.published, in whole yen


@pytest.fixture(autouse=True)
def _sdk_retries_without_sleeping(monkeypatch):
    """The SDK retries a failed request twice (stripe_connect.client); the retries are the
    behaviour under test, the half-second pauses between them are not."""
    import stripe._http_client

    monkeypatch.setattr(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda *a: 0)


def post_event(client, standin, event, *, body=None):
    """A delivery as Stripe makes it: the event's JSON, signed now over the raw body."""
    body = standin.payload(event) if body is None else body
    return client.post(
        reverse("stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": standin.sign(body)},
    )


def statuses(payout) -> list[tuple[str, str]]:
    return [
        (entry.data["old"], entry.data["new"])
        for entry in ledger.history(payout)
        if entry.action == "contests.payout_status"
    ]


def recipients() -> list[list[str]]:
    return [message.to for message in mail.outbox]


@pytest.fixture
def world(organizer, stripe_standin, django_capture_on_commit_callbacks):  # noqa: F811
    """Results published; the top award's winner chose Stripe and has no account yet."""
    with django_capture_on_commit_callbacks(execute=True):
        made = pf.published(organizer)
        pf.ward_account(organizer, made["contest"], providers=("manual", "stripe"))
        pf.ready(made["payout"], provider="stripe")
    mail.outbox.clear()
    return SimpleNamespace(
        **made, organizer=organizer, approver=pf.second_organizer(), standin=stripe_standin
    )


def onboard(world) -> str:
    """The winner opens onboarding, Stripe completes the account, we read it back."""
    stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)
    account_id = StripeAccount.objects.get(user=world.leader).account_id
    world.standin.complete_onboarding(account_id)
    stripe_connect.sync_account(account_id)
    world.payout.refresh_from_db()
    return account_id


def approve(world, *, balance: int = 1_000_000) -> str:
    account_id = onboard(world)
    pf.approved(world.payout, world.organizer, world.approver, provider="stripe")
    if balance:
        world.standin.add_balance(balance)
    return account_id


def fresh(payout) -> Payout:
    return Payout.objects.get(pk=payout.pk)


# --- Onboarding ------------------------------------------------------------------------------


def test_onboarding_creates_one_express_jp_account_per_user_and_a_fresh_link(world):
    first = stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)
    again = stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)

    assert len(world.standin.accounts) == 1
    (remote,) = world.standin.accounts.values()
    assert (remote["type"], remote["country"], remote["business_type"]) == (
        "express",
        "JP",
        "individual",
    )
    assert remote["email"] == world.leader.email
    assert remote["metadata"] == {"user": str(world.leader.pk)}
    (created,) = world.standin.requests_to("POST", "/v1/accounts")
    assert created.params["capabilities"] == {"transfers": {"requested": "true"}}
    assert created.idempotency_key == f"account:user:{world.leader.pk}"

    account = StripeAccount.objects.get(user=world.leader)
    assert account.account_id == remote["id"]
    assert not account.can_receive and account.currently_due
    links = world.standin.requests_to("POST", "/v1/account_links")
    assert [link.params["account"] for link in links] == [remote["id"]] * 2
    assert {link.params["type"] for link in links} == {"account_onboarding"}
    assert {(link.params["return_url"], link.params["refresh_url"]) for link in links} == {
        (RETURN_URL, REFRESH_URL)
    }
    assert first != again  # Account Links are single-use: each visit gets a new one
    assert first.startswith(f"{world.standin.url}/connect/onboarding/{remote['id']}?")


def test_onboarding_again_after_our_row_was_lost_gets_the_same_account(world):
    """Two tabs, or a request whose transaction rolled back after Stripe answered: the
    idempotency key per user makes Stripe answer with the account it already made."""
    stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)
    account_id = StripeAccount.objects.get(user=world.leader).account_id
    StripeAccount.objects.filter(user=world.leader).delete()

    stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)

    assert list(world.standin.accounts) == [account_id]
    assert StripeAccount.objects.get(user=world.leader).account_id == account_id


def test_onboarding_is_the_recipients_own_and_for_stripe_payouts_only(world):
    other = UserFactory()
    with pytest.raises(NotFound):
        stripe_connect.onboarding_url(other, world.payout, RETURN_URL, REFRESH_URL)
    with pytest.raises(NotFound):
        stripe_connect.onboarding_url(world.organizer, world.payout, RETURN_URL, REFRESH_URL)
    payout = payouts.choose_method(world.leader, world.payout, "manual", True)
    with pytest.raises(Conflict):
        stripe_connect.onboarding_url(world.leader, payout, RETURN_URL, REFRESH_URL)
    assert world.standin.accounts == {}
    assert StripeAccount.objects.count() == 0


def test_stripe_is_not_offered_to_winners_living_abroad(world):
    with pytest.raises(ValidationError):
        payouts.choose_method(world.leader, world.payout, "stripe", False)
    assert fresh(world.payout).lives_in_japan is True  # what they said before stands


def test_before_onboarding_the_payout_waits_for_the_recipient(world):
    stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)
    account_id = StripeAccount.objects.get(user=world.leader).account_id
    stripe_connect.sync_account(account_id)  # Stripe still says: requirements past due

    payout = fresh(world.payout)
    assert payout.status == S.DETAILS_NEEDED
    assert not stripe_connect.StripeConnect().recipient_is_ready(payout)
    with pytest.raises(Conflict):
        payouts.prepare(world.organizer, payout)


@pytest.mark.parametrize("route", ["hosted page, account.updated", "sync on return"])
def test_after_onboarding_the_payout_is_ready(
    world, client, route, django_capture_on_commit_callbacks
):
    url = stripe_connect.onboarding_url(world.leader, world.payout, RETURN_URL, REFRESH_URL)
    account_id = StripeAccount.objects.get(user=world.leader).account_id
    with django_capture_on_commit_callbacks(execute=True):
        if route == "sync on return":
            world.standin.complete_onboarding(account_id)
            stripe_connect.sync_account(account_id)
        else:
            browser = requests.Session()
            browser.trust_env = False
            page = browser.get(url, allow_redirects=False)
            assert page.status_code == 200
            token = url.split("token=")[1]
            submitted = browser.post(
                f"{world.standin.url}/connect/onboarding/{account_id}",
                data={"token": token},
                allow_redirects=False,
            )
            assert (submitted.status_code, submitted.headers["Location"]) == (303, RETURN_URL)
            assert fresh(world.payout).status == S.DETAILS_NEEDED  # nobody told us yet
            (event,) = world.standin.events_of("account.updated")
            assert event["account"] == account_id
            assert post_event(client, world.standin, event).status_code == 200

    account = StripeAccount.objects.get(account_id=account_id)
    assert account.can_receive and account.currently_due == []
    payout = fresh(world.payout)
    assert payout.status == S.READY
    assert statuses(payout)[-1] == (S.DETAILS_NEEDED, S.READY)
    assert recipients() == [[world.leader.email]]  # waiting for approval


# --- Paying ----------------------------------------------------------------------------------


def test_pay_sends_one_transfer_of_the_award_in_whole_yen(
    world, django_capture_on_commit_callbacks
):
    account_id = approve(world)
    before = world.standin.balance()

    with django_capture_on_commit_callbacks(execute=True):
        payout = stripe_connect.pay(world.organizer, world.payout)

    (transfer,) = world.standin.transfers.values()
    assert payout.amount == TOP_PRIZE
    assert (transfer["amount"], transfer["currency"]) == (TOP_PRIZE, "jpy")  # no minor unit
    assert transfer["destination"] == account_id
    assert transfer["transfer_group"] == f"payout-{payout.pk}"
    assert transfer["metadata"] == {
        "payout": str(payout.pk),
        "award": str(payout.award_id),
        "contest": str(world.contest.pk),
    }
    (request,) = world.standin.requests_to("POST", "/v1/transfers")
    assert request.idempotency_key == f"award:{payout.award_id}:payout:{payout.pk}:v1"
    assert world.standin.balance() == before - TOP_PRIZE
    assert world.standin.transfers_to(account_id) == TOP_PRIZE

    payout = fresh(payout)
    assert payout.status == S.PAID
    assert (payout.transfer_id, payout.idempotency_key, payout.attempt) == (
        transfer["id"],
        request.idempotency_key,
        1,
    )
    assert payout.paid_at is not None
    assert statuses(payout)[-2:] == [(S.APPROVED, S.PAYING), (S.PAYING, S.PAID)]
    assert recipients() == [[world.leader.email]]  # paid


def test_pay_needs_an_approved_stripe_payout_and_an_organizer_of_the_contest(world):
    onboard(world)
    with pytest.raises(Conflict):
        stripe_connect.pay(world.organizer, world.payout)  # ready, not approved
    pf.approved(world.payout, world.organizer, world.approver, provider="stripe")
    with pytest.raises(NotFound):
        stripe_connect.pay(world.leader, world.payout)
    with pytest.raises(NotFound):
        stripe_connect.pay(pf.second_organizer("131016"), world.payout)  # 千代田区
    assert fresh(world.payout).status == S.APPROVED
    assert world.standin.requests_to("POST", "/v1/transfers") == []


@pytest.mark.parametrize("fault", ["500", "connection lost"])
def test_the_key_is_stored_before_stripe_is_called_and_a_resend_makes_one_transfer(world, fault):
    account_id = approve(world)
    # Every try of the SDK (one and two retries) fails before Stripe does anything.
    world.standin.fail_next("POST", "/v1/transfers", times=3, drop=fault == "connection lost")

    payout = stripe_connect.pay(world.organizer, world.payout)

    payout = fresh(payout)
    assert payout.status == S.PAYING
    assert payout.idempotency_key == f"award:{payout.award_id}:payout:{payout.pk}:v1"
    assert payout.transfer_id == ""
    tries = world.standin.requests_to("POST", "/v1/transfers")
    assert len(tries) == 3
    assert {attempt.idempotency_key for attempt in tries} == {payout.idempotency_key}
    assert world.standin.transfers == {}

    payout = stripe_connect.send(payout)

    (transfer,) = world.standin.transfers.values()
    assert world.standin.requests_to("POST", "/v1/transfers")[-1].idempotency_key == (
        payout.idempotency_key
    )
    assert fresh(payout).status == S.PAID
    assert fresh(payout).transfer_id == transfer["id"]
    stripe_connect.send(payout)
    stripe_connect.pay(world.organizer, payout)
    assert len(world.standin.requests_to("POST", "/v1/transfers")) == 4
    assert world.standin.transfers_to(account_id) == TOP_PRIZE


def test_an_answer_lost_once_is_replayed_by_stripe_under_the_same_key(world):
    account_id = approve(world)
    world.standin.fail_after_commit_next("POST", "/v1/transfers")

    payout = fresh(stripe_connect.pay(world.organizer, world.payout))

    first, retry = world.standin.requests_to("POST", "/v1/transfers")
    assert first.idempotency_key == retry.idempotency_key == payout.idempotency_key
    assert len(world.standin.transfers) == 1
    assert payout.status == S.PAID
    assert world.standin.transfers_to(account_id) == TOP_PRIZE


def test_a_transfer_made_but_never_answered_is_found_by_its_group_not_made_again(world):
    account_id = approve(world)
    world.standin.fail_after_commit_next("POST", "/v1/transfers", times=3)

    payout = fresh(stripe_connect.pay(world.organizer, world.payout))
    assert payout.status == S.PAYING and payout.transfer_id == ""
    (transfer,) = world.standin.transfers.values()

    payout = fresh(stripe_connect.send(payout))

    assert len(world.standin.requests_to("POST", "/v1/transfers")) == 3  # no fourth
    assert list(world.standin.transfers) == [transfer["id"]]
    assert (payout.status, payout.transfer_id) == (S.PAID, transfer["id"])
    assert world.standin.transfers_to(account_id) == TOP_PRIZE


def test_pressing_pay_twice_or_while_it_is_under_way_sends_one_transfer(world):
    account_id = approve(world)
    world.standin.fail_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)
    stripe_connect.pay(world.approver, world.payout)  # under way: nothing more leaves
    assert len(world.standin.requests_to("POST", "/v1/transfers")) == 3

    stripe_connect.send(world.payout)
    stripe_connect.pay(world.organizer, world.payout)
    stripe_connect.pay(world.approver, world.payout)

    assert len(world.standin.transfers) == 1
    assert world.standin.transfers_to(account_id) == TOP_PRIZE
    assert fresh(world.payout).status == S.PAID
    assert statuses(world.payout).count((S.APPROVED, S.PAYING)) == 1
    assert statuses(world.payout).count((S.PAYING, S.PAID)) == 1


def test_resend_stalled_asks_again_for_payouts_left_being_paid(world, monkeypatch):
    account_id = approve(world)
    real_send = stripe_connect.send
    # The worker dies between committing the key and calling Stripe.
    monkeypatch.setattr(stripe_connect, "send", lambda payout: payout)
    stripe_connect.pay(world.organizer, world.payout)
    monkeypatch.setattr(stripe_connect, "send", real_send)
    assert fresh(world.payout).status == S.PAYING
    assert world.standin.requests_to("POST", "/v1/transfers") == []

    assert stripe_connect.resend_stalled() == 0  # not five minutes yet
    assert world.standin.requests_to("POST", "/v1/transfers") == []
    Payout.objects.filter(pk=world.payout.pk).update(
        updated_at=fresh(world.payout).updated_at - timedelta(minutes=6)
    )
    assert stripe_connect.resend_stalled() == 1
    assert stripe_connect.resend_stalled(older_than_seconds=0) == 0  # paid now

    assert len(world.standin.transfers) == 1
    assert world.standin.transfers_to(account_id) == TOP_PRIZE
    payout = fresh(world.payout)
    assert payout.status == S.PAID
    (request,) = world.standin.requests_to("POST", "/v1/transfers")
    assert request.idempotency_key == payout.idempotency_key


def test_refused_for_want_of_balance_it_fails_with_a_reason_and_a_new_attempt_has_a_new_key(
    world, django_capture_on_commit_callbacks
):
    account_id = approve(world, balance=TOP_PRIZE - 1)

    with django_capture_on_commit_callbacks(execute=True):
        payout = fresh(stripe_connect.pay(world.organizer, world.payout))

    assert payout.status == S.FAILED
    assert payout.failure_reason
    assert (payout.approved_by, payout.prepared_by) == (None, None)  # four eyes again
    assert world.standin.transfers == {}
    assert world.standin.transfers_to(account_id) == 0
    assert statuses(payout)[-1] == (S.PAYING, S.FAILED)
    assert recipients() == [[world.leader.email]]  # told it failed
    assert payouts.pool(world.contest).committed == 0

    world.standin.add_balance(1)
    stripe_connect.sync_account(account_id)  # the account still receives: ready again
    payout = fresh(payout)
    assert payout.status == S.READY
    pf.approved(payout, world.organizer, world.approver, provider="stripe")
    payout = fresh(stripe_connect.pay(world.organizer, payout))

    assert payout.status == S.PAID
    assert payout.idempotency_key == f"award:{payout.award_id}:payout:{payout.pk}:v2"
    assert len(world.standin.transfers) == 1
    assert world.standin.transfers_to(account_id) == TOP_PRIZE


def test_refused_because_stripe_disabled_the_accounts_transfers_it_fails(world):
    account_id = approve(world)
    world.standin.accounts[account_id]["capabilities"]["transfers"] = "inactive"

    payout = fresh(stripe_connect.pay(world.organizer, world.payout))

    assert payout.status == S.FAILED and payout.failure_reason
    assert world.standin.transfers == {}
    stripe_connect.sync_account(account_id)
    assert fresh(payout).status == S.FAILED  # cannot receive: stays failed
    assert not StripeAccount.objects.get(account_id=account_id).can_receive


def test_pay_refuses_when_our_record_of_the_account_cannot_receive(world):
    account_id = approve(world)
    StripeAccount.objects.filter(account_id=account_id).update(transfers_active=False)
    with pytest.raises(Conflict):
        stripe_connect.pay(world.organizer, world.payout)
    assert fresh(world.payout).status == S.APPROVED
    assert world.standin.requests_to("POST", "/v1/transfers") == []


# --- Reversals -------------------------------------------------------------------------------


def test_a_transfer_reversed_at_stripe_is_reversed_in_the_ledger(
    world, client, django_capture_on_commit_callbacks
):
    account_id = approve(world)
    payout = stripe_connect.pay(world.organizer, world.payout)
    world.standin.reverse(fresh(payout).transfer_id)
    (event,) = world.standin.events_of("transfer.reversed")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert post_event(client, world.standin, event).status_code == 200

    payout = fresh(payout)
    assert (payout.status, payout.amount_reversed) == (S.REVERSED, TOP_PRIZE)
    assert statuses(payout)[-1] == (S.PAID, S.REVERSED)
    assert world.standin.transfers_to(account_id) == 0
    assert recipients() == [[world.leader.email]]
    assert payouts.pool(world.contest).committed == 0
    assert reconcile.stripe_differences(world.contest) == []


def test_a_partial_reversal_is_recorded_and_the_payout_stays_paid(world, client):
    approve(world)
    payout = stripe_connect.pay(world.organizer, world.payout)
    world.standin.reverse(fresh(payout).transfer_id, 100_000)

    for event in world.standin.events_of("transfer.updated"):
        assert post_event(client, world.standin, event).status_code == 200

    payout = fresh(payout)
    assert (payout.status, payout.amount_reversed) == (S.PAID, 100_000)
    assert payouts.pool(world.contest).committed == TOP_PRIZE - 100_000
    assert reconcile.stripe_differences(world.contest) == []


# --- Reconciliation --------------------------------------------------------------------------


def test_reconcile_finds_no_difference_when_ledger_and_stripe_agree(world):
    approve(world)
    stripe_connect.pay(world.organizer, world.payout)
    assert reconcile.stripe_differences(world.contest) == []
    assert reconcile.differences(world.contest) == []
    assert world.standin.requests_to("GET", "/v1/balance_transactions")


def test_reconcile_lists_a_tampered_ledger_amount(world):
    approve(world)
    payout = stripe_connect.pay(world.organizer, world.payout)
    Payout.objects.filter(pk=payout.pk).update(amount=TOP_PRIZE - 50_000)

    found = reconcile.differences(world.contest)

    assert len(found) == 1
    assert fresh(payout).transfer_id in found[0]


def test_reconcile_lists_what_only_stripe_knows(world, client):
    approve(world)
    world.standin.fail_after_commit_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)  # made at Stripe, unknown here
    (transfer,) = world.standin.transfers.values()

    (found,) = reconcile.stripe_differences(world.contest)
    assert transfer["id"] in found

    stripe_connect.send(world.payout)
    assert reconcile.stripe_differences(world.contest) == []
    world.standin.reverse(transfer["id"])  # reversed, and the event never arrived
    assert len(reconcile.stripe_differences(world.contest)) == 1
    for event in world.standin.events_of("transfer.reversed"):
        post_event(client, world.standin, event)
    assert reconcile.stripe_differences(world.contest) == []


# --- Sponsors --------------------------------------------------------------------------------


@pytest.fixture
def sponsor(db):
    return UserFactory(display_name="株式会社 江東テック")


def pay_by_card(standin, payment, card="4242 4242 4242 4242"):
    browser = requests.Session()
    browser.trust_env = False
    return browser.post(
        payment.checkout_url, data={"method": "card", "card": card}, allow_redirects=False
    )


def choose_konbini(standin, payment):
    browser = requests.Session()
    browser.trust_env = False
    return browser.post(payment.checkout_url, data={"method": "konbini"}, allow_redirects=False)


@pytest.mark.parametrize(
    "amount,methods",
    [
        (12_345, ["card", "konbini"]),
        ("12,345", ["card", "konbini"]),
        (300_000, ["card", "konbini"]),
        (300_001, ["card"]),  # konbini takes up to ¥300,000
    ],
)
def test_start_checkout_asks_for_whole_yen_by_card_or_konbini(world, sponsor, amount, methods):
    payment = sponsors.start_checkout(sponsor, world.contest, amount, " 江東テック ")

    session = world.standin.checkout_sessions[payment.session_id]
    whole = int(str(amount).replace(",", ""))
    assert session["payment_method_types"] == methods
    assert (session["currency"], session["amount_total"]) == ("jpy", whole)
    (request,) = world.standin.requests_to("POST", "/v1/checkout/sessions")
    (item,) = request.params["line_items"]
    assert item["price_data"]["unit_amount"] == str(whole)
    assert request.params["metadata"] == {
        "contest": str(world.contest.pk),
        "sponsor": str(sponsor.pk),
    }
    assert (payment.amount, payment.status, payment.sponsor_name) == (
        whole,
        SponsorPaymentStatus.OPEN,
        "江東テック",
    )
    assert payment.checkout_url == session["url"]
    assert payouts.pool(world.contest).sponsored == 0


@pytest.mark.parametrize("amount", [999, 10_000_001, "千円", "", -5000])
def test_start_checkout_refuses_amounts_out_of_range_before_asking_stripe(world, sponsor, amount):
    with pytest.raises(ValidationError):
        sponsors.start_checkout(sponsor, world.contest, amount, "江東テック")
    assert world.standin.requests_to("POST", "/v1/checkout/sessions") == []
    assert SponsorPayment.objects.count() == 0


def test_a_card_payment_counts_once_checkout_completes_paid(world, sponsor, client):
    payment = sponsors.start_checkout(sponsor, world.contest, 50_000, "江東テック")
    declined = pay_by_card(world.standin, payment, "4000 0000 0000 0002")
    assert declined.status_code == 200 and world.standin.events == []

    assert pay_by_card(world.standin, payment).status_code == 303
    assert payouts.pool(world.contest).sponsored == 0  # not until Stripe tells us
    (event,) = world.standin.events_of("checkout.session.completed")
    assert event["data"]["object"]["payment_status"] == "paid"
    for _ in range(2):
        assert post_event(client, world.standin, event).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.payment_method) == (SponsorPaymentStatus.PAID, "card")
    assert payment.payment_intent.startswith("pi_")
    assert payouts.pool(world.contest).sponsored == 50_000
    assert reconcile.stripe_differences(world.contest) == []


def test_a_konbini_payment_counts_only_when_stripe_confirms_it(world, sponsor, client):
    payment = sponsors.start_checkout(sponsor, world.contest, 80_000, "江東テック")
    assert choose_konbini(world.standin, payment).status_code == 303
    (completed,) = world.standin.events_of("checkout.session.completed")
    assert completed["data"]["object"]["payment_status"] == "unpaid"
    assert post_event(client, world.standin, completed).status_code == 200

    payment.refresh_from_db()
    assert (payment.status, payment.payment_method) == (SponsorPaymentStatus.OPEN, "konbini")
    assert payouts.pool(world.contest).sponsored == 0

    # A forged "paid" in a correctly signed payload changes nothing: the session is read
    # from Stripe, which says unpaid.
    forged = {**completed, "id": "evt_forged", "data": {"object": {**completed["data"]["object"]}}}
    forged["data"]["object"]["payment_status"] = "paid"
    assert post_event(client, world.standin, forged).status_code == 200
    payment.refresh_from_db()
    assert payment.status == SponsorPaymentStatus.OPEN

    world.standin.konbini_paid(payment.session_id)
    (succeeded,) = world.standin.events_of("checkout.session.async_payment_succeeded")
    assert post_event(client, world.standin, succeeded).status_code == 200

    payment.refresh_from_db()
    assert payment.status == SponsorPaymentStatus.PAID
    assert payouts.pool(world.contest).sponsored == 80_000


def test_a_konbini_voucher_left_unpaid_never_counts(world, sponsor, client):
    payment = sponsors.start_checkout(sponsor, world.contest, 80_000, "江東テック")
    choose_konbini(world.standin, payment)
    world.standin.konbini_failed(payment.session_id)
    for event in world.standin.events:
        assert post_event(client, world.standin, event).status_code == 200

    payment.refresh_from_db()
    assert payment.status == SponsorPaymentStatus.FAILED
    assert payouts.pool(world.contest).sponsored == 0


def test_approval_is_refused_beyond_the_pool_of_confirmed_money(
    organizer,
    stripe_standin,  # noqa: F811
    sponsor,
    client,
):
    made = pf.published(organizer, fund=None)
    contest, approver = made["contest"], pf.second_organizer()
    pf.ward_account(organizer, contest, providers=("manual", "stripe"))
    card = sponsors.start_checkout(sponsor, contest, 100_000, "江東テック")
    pay_by_card(stripe_standin, card)
    konbini = sponsors.start_checkout(sponsor, contest, 250_000, "江東テック")
    choose_konbini(stripe_standin, konbini)
    for event in stripe_standin.events:
        post_event(client, stripe_standin, event)
    assert payouts.pool(contest).total == 100_000  # the konbini voucher is not money yet

    payout = pf.ready(made["payout"])  # by bank transfer: the pool binds every method
    payouts.prepare(organizer, payout)
    with pytest.raises(Conflict):
        payouts.approve(approver, payout)
    assert fresh(payout).status == S.READY

    stripe_standin.konbini_paid(konbini.session_id)
    post_event(
        client,
        stripe_standin,
        stripe_standin.events_of("checkout.session.async_payment_succeeded")[0],
    )
    assert payouts.pool(contest).total == 350_000
    payouts.approve(approver, payout)
    assert fresh(payout).status == S.APPROVED

    second = Payout.objects.exclude(pk=payout.pk).get(award__contest=contest)  # ¥100,000
    pf.ready(second)
    payouts.prepare(organizer, second)
    with pytest.raises(Conflict):
        payouts.approve(approver, second)  # ¥50,000 left
    payouts.record_ward_funding(organizer, contest, 50_000, "令和9年度 補正予算")
    payouts.approve(approver, second)
    assert fresh(second).status == S.APPROVED
    assert payouts.pool(contest).available == 0
    assert WardFunding.objects.filter(contest=contest).count() == 1
