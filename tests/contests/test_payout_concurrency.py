"""Races on PostgreSQL: organizers pressing 「支払う」 at the same moment, the periodic
resend racing them, and Stripe delivering one event many times at once. Each thread has
its own database connection, as each web or worker process would.

SQLite takes one writer at a time (the suite's connections open IMMEDIATE transactions)
and has no row locks, so these races cannot happen there; .ci/run runs this file on the
machine's PostgreSQL (DATABASE_URL)."""

import threading
import time
from types import SimpleNamespace

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse

from contests.models import Payout, PayoutStatus, StripeAccount, WebhookEvent
from contests.payouts import ledger, stripe_connect, webhooks
from tests.stripe_standin import stripe_standin  # noqa: F401  (the fixture)

from . import payout_factories as pf

S = PayoutStatus
TOP_PRIZE = 300_000

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers (one write transaction at a time, no row locks), "
        "so the race cannot happen; runs on PostgreSQL (.ci/run sets DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _sdk_retries_without_sleeping(monkeypatch):
    import stripe._http_client

    monkeypatch.setattr(stripe._http_client.HTTPClient, "_sleep_time_seconds", lambda *a: 0)


def in_threads(count: int, work, *, at_once: int | None = None) -> list:
    """Run work(i) in `count` threads released together; at most `at_once` hold a
    database connection at a time. Returns each result or the exception it raised."""
    start = threading.Barrier(count)
    gate = threading.BoundedSemaphore(at_once or count)
    results: list = [None] * count

    def run(index):
        start.wait()
        with gate:
            try:
                results[index] = work(index)
            except Exception as error:  # reported by the test, with the others' results
                results[index] = error
            finally:
                connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results


def free_connections(margin: int = 10) -> int:
    """How many more connections PostgreSQL takes now, less a margin for the others."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('max_connections')::int")
        (maximum,) = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM pg_stat_activity")
        (used,) = cursor.fetchone()
    return max(1, maximum - used - margin)


def changes(payout) -> list[tuple[str, str]]:
    return [
        (entry.data["old"], entry.data["new"])
        for entry in ledger.history(payout)
        if entry.action == "contests.payout_status"
    ]


@pytest.fixture
def world(organizer, stripe_standin):  # noqa: F811
    made = pf.published(organizer)
    pf.ward_account(organizer, made["contest"], providers=("manual", "stripe"))
    payout = pf.ready(made["payout"], provider="stripe")
    stripe_connect.onboarding_url(
        made["leader"], payout, "https://example.jp/r", "https://example.jp/f"
    )
    account_id = StripeAccount.objects.get(user=made["leader"]).account_id
    stripe_standin.complete_onboarding(account_id)
    stripe_connect.sync_account(account_id)
    approver = pf.second_organizer()
    payout = pf.approved(Payout.objects.get(pk=payout.pk), organizer, approver, "stripe")
    stripe_standin.add_balance(1_000_000)
    made["payout"] = payout
    return SimpleNamespace(
        **made,
        organizer=organizer,
        approver=approver,
        standin=stripe_standin,
        account=account_id,
    )


def test_fifty_organizers_pressing_pay_at_once_make_one_transfer(world):
    assert free_connections() >= 50, "PostgreSQL has no room for 50 connections now"
    pk = world.payout.pk

    def press(index):
        organizer = world.organizer if index % 2 else world.approver
        return stripe_connect.pay(organizer, Payout(pk=pk)).status

    answers = in_threads(50, press)

    assert [a for a in answers if isinstance(a, Exception)] == []
    assert set(answers) <= {S.PAYING, S.PAID}
    assert len(world.standin.requests_to("POST", "/v1/transfers")) == 1
    (transfer,) = world.standin.transfers.values()
    assert transfer["amount"] == TOP_PRIZE
    payout = Payout.objects.get(pk=pk)
    assert (payout.status, payout.transfer_id) == (S.PAID, transfer["id"])
    assert changes(payout).count((S.APPROVED, S.PAYING)) == 1
    assert changes(payout).count((S.PAYING, S.PAID)) == 1
    assert world.standin.transfers_to(world.account) == TOP_PRIZE


def test_the_periodic_resend_racing_the_button_makes_one_transfer(world):
    """Stripe's answer was lost, so the payout is being paid; then organizers press
    「支払う」 again while the periodic task and 「もう一度送る」 resend, all at once."""
    world.standin.fail_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)
    assert Payout.objects.get(pk=world.payout.pk).status == S.PAYING
    pk = world.payout.pk

    def race(index):
        if index % 3 == 0:
            return stripe_connect.pay(world.organizer, Payout(pk=pk)).status
        if index % 3 == 1:
            return stripe_connect.send(Payout(pk=pk)).status
        stripe_connect.resend_stalled(older_than_seconds=0)
        return None

    answers = in_threads(30, race)

    assert [a for a in answers if isinstance(a, Exception)] == []
    assert len(world.standin.transfers) == 1
    payout = Payout.objects.get(pk=pk)
    assert payout.status == S.PAID
    assert changes(payout).count((S.PAYING, S.PAID)) == 1
    assert world.standin.transfers_to(world.account) == TOP_PRIZE


def test_a_hundred_simultaneous_deliveries_of_one_event_make_one_ledger_change(world):
    world.standin.fail_after_commit_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)  # made at Stripe, not known here
    (event,) = world.standin.events_of("transfer.created")
    body = world.standin.payload(event)
    signature = world.standin.sign(body)
    entries = ledger.history(world.payout).count()
    url = reverse("stripe_webhook")

    def deliver(index):
        answer = Client().post(
            url, data=body, content_type="application/json", headers={"Stripe-Signature": signature}
        )
        return answer.status_code

    answers = in_threads(100, deliver, at_once=min(100, free_connections()))

    assert [a for a in answers if isinstance(a, Exception)] == []
    # 503 is a lock that was not had within the time-out: Stripe would deliver again.
    assert set(answers) <= {200, 503} and answers.count(200) >= 1
    row = WebhookEvent.objects.get()
    assert row.processed_at is not None and row.attempts == 1
    payout = Payout.objects.get(pk=world.payout.pk)
    assert payout.status == S.PAID
    assert ledger.history(payout).count() == entries + 1
    assert len(world.standin.requests_to("GET", f"/v1/transfers/{payout.transfer_id}")) == 1
    assert len(world.standin.transfers) == 1


def test_a_real_lock_time_out_answers_503_and_the_retry_processes_it(world, monkeypatch):
    world.standin.fail_after_commit_next("POST", "/v1/transfers", times=3)
    stripe_connect.pay(world.organizer, world.payout)
    (event,) = world.standin.events_of("transfer.created")
    monkeypatch.setattr(webhooks, "LOCK_TIMEOUT", "300ms")
    row = WebhookEvent.objects.create(
        event_id=event["id"], type=event["type"], created=world.payout.updated_at
    )
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        try:
            with transaction.atomic():
                WebhookEvent.objects.select_for_update().get(pk=row.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_row)
    holder.start()
    try:
        assert locked.wait(timeout=10)
        body = world.standin.payload(event)
        started = time.monotonic()
        answer = Client().post(
            reverse("stripe_webhook"),
            data=body,
            content_type="application/json",
            headers={"Stripe-Signature": world.standin.sign(body)},
        )
        assert answer.status_code == 503
        assert time.monotonic() - started < 5
        assert Payout.objects.get(pk=world.payout.pk).status == S.PAYING
    finally:
        release.set()
        holder.join(timeout=10)

    body = world.standin.payload(event)
    answer = Client().post(
        reverse("stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": world.standin.sign(body)},
    )
    assert answer.status_code == 200
    row.refresh_from_db()
    assert row.processed_at is not None
    assert Payout.objects.get(pk=world.payout.pk).status == S.PAID
    assert len(world.standin.transfers) == 1
