"""Stripe's webhook, as Stripe calls it: the stand-in's events and its signatures posted
to /payouts/stripe/webhook/ through Django's test client.

What must hold (issue 20, "Bad input and faults"): an event is processed once however
often it comes; an older event after a newer one rolls nothing back, because the object
is fetched from Stripe again; a bad signature or an old timestamp is refused (400) and
logged; a handler crashing halfway leaves the event unprocessed and Stripe's retry does
the work once; a lock time-out answers 503 so Stripe retries; other events answer 200."""

import logging
import time
from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from contests.models import Payout, PayoutStatus, StripeAccount, WebhookEvent
from contests.payouts import ledger, stripe_connect, webhooks
from tests.stripe_standin import stripe_standin  # noqa: F401  (the fixture)

from . import payout_factories as pf

S = PayoutStatus
TOP_PRIZE = 300_000
LOGGER = "contests.payouts.webhooks"


@pytest.fixture(autouse=True)
def _sdk_retries_without_sleeping(monkeypatch):
    import stripe._http_client

    monkeypatch.setattr(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda *a: 0)


def post(client, standin, event=None, *, body=None, signature=None, timestamp=None):
    body = standin.payload(event) if body is None else body
    header = standin.sign(body, timestamp) if signature is None else signature
    return client.post(
        reverse("stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )


def fresh(payout) -> Payout:
    return Payout.objects.get(pk=payout.pk)


def changes(payout) -> list[tuple[str, str]]:
    return [
        (entry.data["old"], entry.data["new"])
        for entry in ledger.history(payout)
        if entry.action == "contests.payout_status"
    ]


def other_event(standin, type_="charge.succeeded") -> dict:
    """An event of a type we do not handle, shaped as Stripe sends it."""
    return {
        "id": "evt_" + type_.replace(".", "_"),
        "object": "event",
        "api_version": standin.api_version,
        "created": int(time.time()),
        "data": {"object": {"id": "ch_123", "object": "charge", "amount": 5000}},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
    }


@pytest.fixture
def world(organizer, stripe_standin, django_capture_on_commit_callbacks):  # noqa: F811
    """An approved Stripe payout of ¥300,000 to an onboarded winner; the platform funded."""
    with django_capture_on_commit_callbacks(execute=True):
        made = pf.published(organizer)
        pf.ward_account(organizer, made["contest"], providers=("manual", "stripe"))
        payout = pf.ready(made["payout"], provider="stripe")
        stripe_connect.onboarding_url(
            made["leader"], payout, "https://example.jp/r", "https://example.jp/f"
        )
        account_id = StripeAccount.objects.get(user=made["leader"]).account_id
        stripe_standin.complete_onboarding(account_id)
        stripe_connect.sync_account(account_id)
        payout = pf.approved(fresh(payout), organizer, pf.second_organizer(), provider="stripe")
    stripe_standin.add_balance(1_000_000)
    mail.outbox.clear()
    made.update(payout=payout, organizer=organizer, standin=stripe_standin, account=account_id)
    return SimpleNamespace(**made)


@pytest.fixture
def unanswered(world):
    """Stripe made the transfer but every answer was lost: the payout is being paid, and
    the transfer.created event (not delivered yet) is how we learn of it."""
    world.standin.fail_after_commit_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)
    assert fresh(world.payout).status == S.PAYING
    (world.event,) = world.standin.events_of("transfer.created")
    (world.transfer_id,) = world.standin.transfers
    return world


# --- Once, whatever the number and order of deliveries ----------------------------------------


def test_the_same_event_delivered_three_times_is_processed_once(
    unanswered, client, django_capture_on_commit_callbacks
):
    world = unanswered
    entries = ledger.history(world.payout).count()

    with django_capture_on_commit_callbacks(execute=True):
        answers = [post(client, world.standin, world.event).status_code for _ in range(3)]

    assert answers == [200, 200, 200]
    row = WebhookEvent.objects.get()
    assert (row.event_id, row.type) == (world.event["id"], "transfer.created")
    assert row.processed_at is not None and row.attempts == 1 and row.last_error == ""
    assert ledger.history(world.payout).count() == entries + 1
    assert changes(world.payout)[-1] == (S.PAYING, S.PAID)
    assert [message.to for message in mail.outbox] == [[world.leader.email]]
    # Fetched from Stripe once, for the one time it was processed.
    assert len(world.standin.requests_to("GET", f"/v1/transfers/{world.transfer_id}")) == 1
    assert len(world.standin.transfers) == 1
    assert world.standin.transfers_to(world.account) == TOP_PRIZE


def test_an_older_event_after_a_newer_one_does_not_roll_the_ledger_back(world, client):
    stripe_connect.pay(world.organizer, world.payout)
    transfer_id = fresh(world.payout).transfer_id
    world.standin.reverse(transfer_id, 100_000)
    world.standin.reverse(transfer_id, 50_000)
    first, second = world.standin.events_of("transfer.updated")
    assert first["data"]["object"]["amount_reversed"] == 100_000

    assert post(client, world.standin, second).status_code == 200
    assert fresh(world.payout).amount_reversed == 150_000
    assert post(client, world.standin, first).status_code == 200  # says ¥100,000
    assert fresh(world.payout).amount_reversed == 150_000

    world.standin.reverse(transfer_id)  # the rest: fully reversed
    newest = world.standin.events_of("transfer.reversed")[-1]
    assert post(client, world.standin, newest).status_code == 200
    assert (fresh(world.payout).status, fresh(world.payout).amount_reversed) == (
        S.REVERSED,
        TOP_PRIZE,
    )
    entries = ledger.history(world.payout).count()
    for stale in [*world.standin.events_of("transfer.created"), first, second]:
        assert post(client, world.standin, stale).status_code == 200
    payout = fresh(world.payout)
    assert (payout.status, payout.amount_reversed) == (S.REVERSED, TOP_PRIZE)
    assert ledger.history(payout).count() == entries
    # Each processed event asked Stripe for the transfer as it is now.
    fetched = world.standin.requests_to("GET", f"/v1/transfers/{transfer_id}")
    assert len(fetched) == WebhookEvent.objects.filter(type__startswith="transfer.").count()


def test_a_payload_is_never_trusted_even_correctly_signed(world, client):
    stripe_connect.pay(world.organizer, world.payout)
    (created,) = world.standin.events_of("transfer.created")
    forged = {**created, "id": "evt_forged", "type": "transfer.reversed"}
    forged["data"] = {"object": {**created["data"]["object"], "reversed": True}}
    forged["data"]["object"]["amount_reversed"] = TOP_PRIZE

    assert post(client, world.standin, forged).status_code == 200

    payout = fresh(world.payout)
    assert (payout.status, payout.amount_reversed) == (S.PAID, 0)  # Stripe says: not reversed


@pytest.mark.parametrize("status,told", [("paid", 0), ("failed", 1)])
def test_the_winners_bank_payout_is_noted_once(
    world, client, django_capture_on_commit_callbacks, status, told
):
    stripe_connect.pay(world.organizer, world.payout)
    world.standin.emit_payout(world.account, TOP_PRIZE, status=status)
    (event,) = world.standin.events_of(f"payout.{status}")
    notes = ledger.history(world.payout).filter(action="contests.payout_note").count()

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            assert post(client, world.standin, event).status_code == 200

    assert ledger.history(world.payout).filter(action="contests.payout_note").count() == notes + 1
    assert [message.to for message in mail.outbox] == [[world.leader.email]] * told
    assert WebhookEvent.objects.get().account == world.account
    assert world.standin.requests_to("GET", "/v1/payouts/")[0].stripe_account == world.account
    assert fresh(world.payout).status == S.PAID  # the transfer itself stands


def test_events_about_objects_that_are_not_ours_change_nothing(world, client):
    stranger = world.standin.client().v1.accounts.create(params={"type": "express"})
    world.standin.complete_onboarding(stranger.id)
    (event,) = world.standin.events_of("account.updated")[-1:]
    before = ledger.history(world.payout).count()

    assert post(client, world.standin, event).status_code == 200

    assert WebhookEvent.objects.get().processed_at is not None
    assert not StripeAccount.objects.filter(account_id=stranger.id).exists()
    assert ledger.history(world.payout).count() == before


# --- Refused deliveries ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda standin, body: standin.sign(body, secret="whsec_other"), id="secret"),
        pytest.param(lambda standin, body: standin.sign(body + b" "), id="other body"),
        pytest.param(lambda standin, body: "t=1,v1=00", id="garbage"),
        pytest.param(lambda standin, body: "", id="missing"),
    ],
)
def test_a_bad_signature_is_refused_and_logged(unanswered, client, caplog, forge):
    world = unanswered
    body = world.standin.payload(world.event)

    with caplog.at_level(logging.WARNING, logger=LOGGER):
        answer = post(client, world.standin, body=body, signature=forge(world.standin, body))

    assert answer.status_code == 400
    assert [r.levelno for r in caplog.records if r.name == LOGGER] == [logging.WARNING]
    assert WebhookEvent.objects.count() == 0
    assert fresh(world.payout).status == S.PAYING
    assert world.standin.requests_to("GET", f"/v1/transfers/{world.transfer_id}") == []


def test_a_signed_body_that_is_not_an_event_is_refused(world, client, caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert post(client, world.standin, body=b"not json").status_code == 400
    assert any(r.name == LOGGER for r in caplog.records)
    assert WebhookEvent.objects.count() == 0


@pytest.mark.parametrize("age,status", [(600, 400), (240, 200)])
def test_a_timestamp_older_than_five_minutes_is_refused(unanswered, client, age, status):
    world = unanswered
    answer = post(client, world.standin, world.event, timestamp=time.time() - age)

    assert answer.status_code == status
    assert WebhookEvent.objects.count() == (1 if status == 200 else 0)
    assert fresh(world.payout).status == (S.PAID if status == 200 else S.PAYING)


def test_only_post_is_accepted(client):
    assert client.get(reverse("stripe_webhook")).status_code == 405


def test_without_a_webhook_secret_configured_nothing_is_accepted(
    unanswered, client, settings, caplog
):
    world = unanswered
    settings.STRIPE_WEBHOOK_SECRET = ""

    with caplog.at_level(logging.ERROR, logger=LOGGER):
        assert post(client, world.standin, world.event).status_code == 500

    assert any(r.name == LOGGER and r.levelno == logging.ERROR for r in caplog.records)
    assert WebhookEvent.objects.count() == 0
    assert fresh(world.payout).status == S.PAYING


@pytest.mark.parametrize("type_", ["charge.succeeded", "customer.created", "payout.created"])
def test_an_uninteresting_event_is_answered_200_and_nothing_is_kept(world, client, type_):
    asked = len(world.standin.requests)
    before = ledger.history(world.payout).count()

    assert post(client, world.standin, other_event(world.standin, type_)).status_code == 200

    assert WebhookEvent.objects.count() == 0
    assert len(world.standin.requests) == asked  # Stripe was not asked anything
    assert ledger.history(world.payout).count() == before
    assert fresh(world.payout).status == S.APPROVED


# --- Faults while processing -----------------------------------------------------------------


def test_a_handler_crashing_halfway_is_done_on_the_retry_and_money_moves_once(
    unanswered, client, monkeypatch, django_capture_on_commit_callbacks
):
    world = unanswered
    real_move = ledger.move

    def move_then_die(*args, **kwargs):
        real_move(*args, **kwargs)  # the first write of the ledger is made...
        raise RuntimeError("worker killed")  # ...and the process dies

    monkeypatch.setattr(ledger, "move", move_then_die)
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, world.standin, world.event).status_code == 500
    monkeypatch.setattr(ledger, "move", real_move)

    row = WebhookEvent.objects.get()
    assert row.processed_at is None
    assert row.attempts == 1 and row.last_error.startswith("RuntimeError")
    payout = fresh(world.payout)
    assert (payout.status, payout.transfer_id) == (S.PAYING, "")  # rolled back as a whole
    assert (S.PAYING, S.PAID) not in changes(payout)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, world.standin, world.event).status_code == 200
        assert post(client, world.standin, world.event).status_code == 200

    row.refresh_from_db()
    assert row.processed_at is not None and row.attempts == 2 and row.last_error == ""
    payout = fresh(world.payout)
    assert (payout.status, payout.transfer_id) == (S.PAID, world.transfer_id)
    assert changes(payout).count((S.PAYING, S.PAID)) == 1
    assert len(mail.outbox) == 1
    assert len(world.standin.requests_to("POST", "/v1/transfers")) == 3  # no new transfer
    assert len(world.standin.transfers) == 1
    assert world.standin.transfers_to(world.account) == TOP_PRIZE


def test_a_lock_time_out_answers_503_so_stripe_retries(unanswered, client, monkeypatch, caplog):
    world = unanswered
    real = webhooks.HANDLERS["transfer.created"]

    def timed_out(event):
        raise OperationalError("canceling statement due to lock timeout")

    monkeypatch.setitem(webhooks.HANDLERS, "transfer.created", timed_out)
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        assert post(client, world.standin, world.event).status_code == 503
    assert any(r.name == LOGGER for r in caplog.records)
    row = WebhookEvent.objects.get()
    assert row.processed_at is None
    assert fresh(world.payout).status == S.PAYING

    monkeypatch.setitem(webhooks.HANDLERS, "transfer.created", real)
    assert post(client, world.standin, world.event).status_code == 200
    row.refresh_from_db()
    assert row.processed_at is not None
    assert fresh(world.payout).status == S.PAID
    assert len(world.standin.transfers) == 1


def test_stripe_unreachable_while_processing_answers_500_and_the_retry_works(unanswered, client):
    world = unanswered
    world.standin.fail_next("GET", "/v1/transfers/", times=3)

    assert post(client, world.standin, world.event).status_code == 500
    row = WebhookEvent.objects.get()
    assert row.processed_at is None and row.last_error
    assert fresh(world.payout).status == S.PAYING

    assert post(client, world.standin, world.event).status_code == 200
    assert fresh(world.payout).status == S.PAID
    assert len(world.standin.transfers) == 1
