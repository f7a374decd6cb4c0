"""Stripe webhooks of prize money (issue #20's target): handling p95, and 100 concurrent
deliveries of one event leaving one ledger change.

Stripe is the local stand-in of the tests (tests/stripe_standin.py: a real HTTP server on
127.0.0.1 that the official SDK talks to), started by the bench with the settings our
Stripe code reads pointed at it. It is the one thing taken from tests/: the data is the
bench's own, made through contests.payouts' services as organizers and winners would.

Each run adds to the bench database (the stand-in forgets everything when it stops, so
the Stripe side cannot be kept between runs): one prize on the bench's own unpublished
contest in 品川区 (kept, made once), and W winners of it (W = max(4, --repeat / 2) + 3), each
a team of one with its entry and award, who chooses Stripe and opens onboarding (a
connected account at the stand-in); the stand-in completes onboarding; the demo's two
品川区 organizers prepare and approve (four eyes) and pay (one transfer each). One more
winner is left "being paid": the stand-in makes the transfer but its answer is lost
three times over, so the payout waits for the `transfer.created` event.

Deliveries are timed as the other benches time pages: server time through Django's test
client (no network between Stripe and us), POST /payouts/stripe/webhook/ with the event's
JSON signed by the real scheme. The handler fetches the object again from the API, so
every timed delivery includes one round trip to the stand-in over loopback (its own
time is measured and reported beside it):

- **state changes**: each winner's `account.updated` from onboarding, the stand-in's own
  event: the account is read back, the payout moves to "waiting for approval", ledger
  entry and e-mail (the first 3 untimed: the first e-mail of a process loads its
  templates and translations, ~0.4 s);
- **re-syncs**: --repeat distinct events (new ids), `transfer.updated` of the paid
  transfers and `account.updated` of the onboarded accounts alternately, in the stand-in's
  format: fetched, compared, nothing to change (the common delivery);
- **redeliveries** of an event already processed (no API call).

Then 100 threads (each its own test client and database connection) deliver the one
identical signed `transfer.created` of the payout being paid at the same moment; every
delivery not answered 200 is delivered once more, as Stripe retries. Exactly one ledger
change (ActivityLog "contests.payout_status" for that payout grows by one: being paid →
paid), one e-mail to the winner, one stored event and one transfer at Stripe is a pass.
On PostgreSQL the duplicates queue on the event row's lock (select_for_update); on SQLite
on the database's single write lock (IMMEDIATE transactions): the same outcome, by a
coarser lock than production's.
"""

import gc
import json
import secrets
import statistics
import threading
import time
import uuid
from collections import Counter
from datetime import timedelta

from .harness import figure, percentile

DESCRIPTION = (
    "Stripe webhooks (POST /payouts/stripe/webhook/ through the test client, the stand-in's "
    "API round trip included): p95 of distinct signed account.updated/transfer.updated "
    "deliveries, and 100 concurrent deliveries of one event leaving one ledger change"
)
SCALE = 1
TARGET_P95 = "<= 50"
CONCURRENT = 100
AMOUNT = 100_000  # ¥100,000 per winner (JPY has no minor unit)
SLUG = "bench-payouts"
WARD = "131091"  # 品川区: the demo's organizer and second organizer of prize money
EMAIL = "bench.payout.{run}.{n:03d}@example.jp"
WARMUP = 3
RETURN_URL = "https://kankei.example.jp/payouts/return/"
REFRESH_URL = "https://kankei.example.jp/payouts/refresh/"


def run(args) -> dict:
    import logging

    from django.db import connection
    from django.test import override_settings

    from tests.stripe_standin import TEST_API_KEY, StripeStandIn

    winners = max(4, args.repeat // 2) + WARMUP  # the first WARMUP deliveries untimed
    # The SDK logs two INFO lines per API call (the settings' root level): not thousands
    # of lines on the bench's stderr.
    stripe_log = logging.getLogger("stripe")
    level = stripe_log.level
    stripe_log.setLevel(logging.WARNING)
    standin = StripeStandIn().start()  # no webhook_url: the bench delivers the events
    try:
        with override_settings(
            STRIPE_API_BASE=standin.url,
            STRIPE_SECRET_KEY=TEST_API_KEY,
            STRIPE_WEBHOOK_SECRET=standin.webhook_secret,
        ):
            world = _world(standin, winners)
            gc.collect()
            gc.freeze()  # the setup's heap, as in bench_contests
            figures = {"winners": figure(winners, "info")}
            figures.update(_timed(standin, world, args.repeat))
            figures.update(_concurrent(standin, world, connection.vendor))
    finally:
        standin.stop()
        stripe_log.setLevel(level)
    return figures


# --- Deliveries ---------------------------------------------------------------------------


def _deliver(client, standin, event: dict, body: bytes | None = None):
    from django.urls import reverse

    body = standin.payload(event) if body is None else body
    return client.post(
        reverse("stripe_webhook"),
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": standin.sign(body)},
    )


def _time_deliveries(client, standin, events: list[dict], warmup: int = 0) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], []
    for position, event in enumerate(events):
        body = standin.payload(event)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = _deliver(client, standin, event, body)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (event["type"], event["id"], response.status_code)
        if position >= warmup:
            timings.append(elapsed)
            queries.append(len(captured.captured_queries))
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "queries": max(queries),
        "count": len(timings),
    }


def _timed(standin, world, repeat: int) -> dict:
    from django.test import Client

    from contests.payouts import stripe_connect

    client = Client()
    # Onboarding completed: the stand-in's own account.updated for each winner's account.
    onboarded = [world["onboarding_events"][account] for account in world["accounts"]]
    changes = _time_deliveries(client, standin, onboarded, warmup=WARMUP)
    # The winner whose payout waits for transfer.created onboarded the same way, untimed.
    _deliver(client, standin, world["onboarding_events"][world["waiting_account"]])

    world["after_onboarding"](world)  # prepare, approve, pay: what the organizers do next

    resyncs = []
    for n in range(repeat + WARMUP):
        if n % 2 == 0:
            template = world["transfer_events"][n // 2 % len(world["transfer_events"])]
            resyncs.append(_copy(template, "transfer.updated", {"metadata": {}}))
        else:
            account = world["accounts"][n // 2 % len(world["accounts"])]
            resyncs.append(
                _copy(world["onboarding_events"][account], "account.updated", {"metadata": {}})
            )
    steady = _time_deliveries(client, standin, resyncs, warmup=WARMUP)
    again = _time_deliveries(client, standin, resyncs[WARMUP:][:repeat], warmup=0)

    # The stand-in's share: the SDK client the handler builds and one GET over loopback.
    transfer_ids = [event["data"]["object"]["id"] for event in world["transfer_events"]]
    trips = []
    for n in range(repeat + WARMUP):
        start = time.perf_counter()
        stripe_connect.client().v1.transfers.retrieve(transfer_ids[n % len(transfer_ids)])
        if n >= WARMUP:
            trips.append((time.perf_counter() - start) * 1000)

    return {
        "state_change_deliveries": figure(changes["count"], "info"),
        "state_change_p50_ms": figure(changes["p50_ms"], "info", "ms"),
        "state_change_p95_ms": figure(changes["p95_ms"], TARGET_P95, "ms"),
        "state_change_queries": figure(changes["queries"], "info"),
        "resync_deliveries": figure(steady["count"], "info"),
        "resync_p50_ms": figure(steady["p50_ms"], "info", "ms"),
        "resync_p95_ms": figure(steady["p95_ms"], TARGET_P95, "ms"),
        "resync_queries": figure(steady["queries"], "info"),
        "redelivery_p50_ms": figure(again["p50_ms"], "info", "ms"),
        "redelivery_p95_ms": figure(again["p95_ms"], TARGET_P95, "ms"),
        "redelivery_queries": figure(again["queries"], "info"),
        "standin_round_trip_p50_ms": figure(statistics.median(trips), "info", "ms"),
        "standin_round_trip_p95_ms": figure(percentile(trips, 95), "info", "ms"),
    }


def _copy(event: dict, type_: str, previous: dict) -> dict:
    """Another event about the same object, as the stand-in writes them: a new id, now."""
    copied = json.loads(json.dumps(event))
    copied.update(id="evt_" + secrets.token_hex(12), type=type_, created=int(time.time()))
    copied["data"]["previous_attributes"] = previous
    copied["request"] = {"id": None, "idempotency_key": None}
    return copied


def _concurrent(standin, world, vendor: str) -> dict:
    from django.core import mail
    from django.db import connection, connections
    from django.test import Client

    from contests.models import Payout, WebhookEvent

    payout = world["waiting"]
    event = world["waiting_event"]
    body = standin.payload(event)
    changes_before = _status_changes(payout)
    mails_before = _mails_to(mail.outbox, payout.recipient.email)
    free = None
    if vendor == "postgresql":
        # Each thread holds a connection: with max_connections = 100 anything else connected
        # leaves a delivery without one (answered 500, delivered again below).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('max_connections')::int - count(*) + 1 "
                "FROM pg_stat_activity WHERE backend_type = 'client backend'"
            )
            free = cursor.fetchone()[0]
    connection.close()  # the threads' connections only

    barrier = threading.Barrier(CONCURRENT)
    statuses, timings, errors = [None] * CONCURRENT, [0.0] * CONCURRENT, []

    def deliver(slot: int) -> None:
        client = Client(raise_request_exception=False)  # an exception is a 500, as served
        try:
            barrier.wait()
            start = time.perf_counter()
            statuses[slot] = _deliver(client, standin, event, body).status_code
            timings[slot] = (time.perf_counter() - start) * 1000
        except Exception as error:  # the bench's own failure, counted beside the statuses
            errors.append(f"{type(error).__name__}: {error}"[:200])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(CONCURRENT)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = (time.perf_counter() - start) * 1000
    answered = Counter(str(status) for status in statuses)
    # Stripe delivers again what was not answered 2xx.
    retried = Counter(
        str(_deliver(Client(raise_request_exception=False), standin, event, body).status_code)
        for status in statuses
        if status != 200
    )

    payout = Payout.objects.get(pk=payout.pk)
    transfers = [
        transfer
        for transfer in standin.transfers.values()
        if transfer["metadata"].get("payout") == str(payout.pk)
    ]
    lock = (
        "PostgreSQL row lock on the event (select_for_update, lock_timeout 5s)"
        if vendor == "postgresql"
        else "SQLite's single write lock (IMMEDIATE transactions; select_for_update is a "
        "no-op): the outcome holds, by a coarser lock than production's PostgreSQL"
    )
    ledger_changes = _status_changes(payout) - changes_before
    emails = _mails_to(mail.outbox, payout.recipient.email) - mails_before
    stored = WebhookEvent.objects.filter(event_id=event["id"]).count()
    once = (
        ledger_changes == 1
        and emails == 1
        and stored == 1
        and len(transfers) == 1
        and payout.status == "paid"
    )
    return {
        "concurrent_deliveries": figure(CONCURRENT, "info"),
        "concurrent_answers": figure(dict(answered), "info"),
        "concurrent_retried_answers": figure(dict(retried), "info"),
        "concurrent_errors": figure(len(errors), "== 0"),
        "concurrent_wall_ms": figure(wall, "info", "ms"),
        "concurrent_p95_ms": figure(percentile([t for t in timings if t], 95), "info", "ms"),
        "concurrent_ledger_changes": figure(ledger_changes, "== 1"),
        "concurrent_emails": figure(emails, "== 1"),
        "concurrent_stored_events": figure(stored, "== 1"),
        "concurrent_transfers_at_stripe": figure(len(transfers), "== 1"),
        "concurrent_payout_status": figure(str(payout.status), "info"),
        "concurrent_exactly_once": figure(1 if once else 0, "== 1"),
        "concurrent_serialised_by": figure(lock, "info"),
        "concurrent_free_connections": figure(free, "info"),
    }


def _status_changes(payout) -> int:
    from contests.payouts import ledger

    return ledger.history(payout).filter(action="contests.payout_status").count()


def _mails_to(outbox, address: str) -> int:
    return sum(1 for message in outbox if address in message.to)


# --- The data -----------------------------------------------------------------------------


def _world(standin, winners: int) -> dict:
    """This run's winners on the bench contest, onboarded at the stand-in (the events not
    delivered yet); what comes after their onboarding is `after_onboarding`."""
    from accounts.models import User
    from contests import demo_judging, demo_payouts
    from contests.models import Award, Payout, Prize, StripeAccount
    from contests.payouts import services, stripe_connect

    organizer = User.objects.filter(email=demo_judging.ORGANIZERS[WARD][0]).first()
    approver = User.objects.filter(email=demo_payouts.SECOND_ORGANIZER[0]).first()
    if organizer is None or approver is None:
        raise SystemExit("bench payouts: seed_demo left no 品川区 organizers of prize money")
    contest = _ensure_contest()
    services.save_settings(organizer, contest, dict(demo_payouts.WARD_ACCOUNT))

    run_id = uuid.uuid4().hex[:8]
    count = winners + 1  # the last one's payout waits for its transfer.created
    prize = Prize.objects.create(
        contest=contest,
        name=f"ベンチ賞 {run_id}",
        amount=AMOUNT,
        winners=count,
        sort_order=Prize.objects.filter(contest=contest).count(),
    )
    submissions = _entries(contest, run_id, count)
    Award.objects.bulk_create(
        Award(contest=contest, prize=prize, submission=submission, chosen_by=organizer)
        for submission in submissions
    )
    services.open_payouts(contest, organizer)
    services.record_ward_funding(organizer, contest, AMOUNT * count, f"ベンチ {run_id}")
    standin.add_balance(AMOUNT * count)

    payouts = list(
        Payout.objects.filter(award__prize=prize).select_related("recipient").order_by("pk")
    )
    accounts = []
    for n, payout in enumerate(payouts):
        payouts[n] = payout = services.choose_method(payout.recipient, payout, "stripe", True)
        stripe_connect.onboarding_url(payout.recipient, payout, RETURN_URL, REFRESH_URL)
        account_id = StripeAccount.objects.get(user=payout.recipient).account_id
        standin.complete_onboarding(account_id)
        accounts.append(account_id)
    onboarding_events = {
        event["account"]: event
        for event in standin.events_of("account.updated")
        if event["account"] in accounts
    }
    world = {
        "accounts": accounts[:-1],
        "waiting_account": accounts[-1],
        "onboarding_events": onboarding_events,
    }

    def after_onboarding(world):
        for payout in payouts:
            payout.refresh_from_db()
            assert payout.status == "ready", payout.status
            services.prepare(organizer, payout)
            services.approve(approver, payout)
        for payout in payouts[:-1]:
            assert stripe_connect.pay(organizer, payout).status == "paid"
        waiting = payouts[-1]
        # Stripe makes the transfer, the answer is lost on every try: still being paid.
        standin.fail_after_commit_next("POST", "/v1/transfers", status=500, times=3)
        waiting = stripe_connect.pay(organizer, waiting)
        assert waiting.status == "paying" and not waiting.transfer_id, waiting.status
        created = {
            event["data"]["object"]["metadata"].get("payout"): event
            for event in standin.events_of("transfer.created")
        }
        world["transfer_events"] = [created[str(payout.pk)] for payout in payouts[:-1]]
        world["waiting"] = waiting
        world["waiting_event"] = created[str(waiting.pk)]

    world["after_onboarding"] = after_onboarding
    return world


def _ensure_contest():
    """The bench's own finished contest in 品川区, unpublished (in no list), made once."""
    from django.utils import timezone

    from contests.models import ContestIndexPage, ContestPage
    from core.models import Ward

    existing = ContestPage.objects.filter(slug=SLUG).first()
    if existing is not None:
        return existing
    index = ContestIndexPage.objects.get(slug="challenge", locale__language_code="ja")
    now = timezone.now().replace(second=0, microsecond=0)
    day = timedelta(days=1)
    page = ContestPage(
        slug=SLUG,
        title="品川区 賞金支払いベンチ",
        ward=Ward.objects.get(code=WARD),
        summary="賞金の支払い（Stripe の Webhook）の負荷試験用のコンテストです。",
        eligibility="特別区（23区）内に在住・在勤・在学の方が対象です。",
        rules="<ul><li>チームは1人から5人までです。</li></ul>",
        team_size_max=5,
        announced_at=now - 130 * day,
        entry_opens_at=now - 120 * day,
        entry_closes_at=now - 90 * day,
        submission_deadline=now - 60 * day,
        results_at=now - 10 * day,
        live=False,
    )
    index.add_child(instance=page)
    return page


def _entries(contest, run_id: str, count: int) -> list:
    """`count` teams of one (their leader a new person), each with a saved entry, as the
    services would write them."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from contests.models import Submission, Team, TeamMembership

    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=EMAIL.format(run=run_id, n=n),
            display_name=f"受賞者 {run_id} {n:03d}",
            password=password,
            language="ja",
        )
        for n in range(count)
    )
    users = list(User.objects.filter(email__in=[u.email for u in users]).order_by("email"))
    teams = Team.objects.bulk_create(
        Team(contest=contest, name=f"受賞チーム {run_id} {n:03d}", leader=user)
        for n, user in enumerate(users)
    )
    teams = list(Team.objects.filter(contest=contest, name__startswith=f"受賞チーム {run_id} "))
    answers = {"connection": "lives", "ward": WARD, "student": False}
    TeamMembership.objects.bulk_create(
        TeamMembership(contest=contest, team=team, user_id=team.leader_id, answers=answers)
        for team in teams
    )
    Submission.objects.bulk_create(
        Submission(
            team=team,
            contest=contest,
            title=f"作品 {team.name}",
            summary="品川の観光スポットを多言語で案内します。",
            licence="MIT",
            is_public=True,
            version_count=1,
        )
        for team in teams
    )
    return list(Submission.objects.filter(team__in=teams).order_by("pk"))
