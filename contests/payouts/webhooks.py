"""Stripe webhooks: verified, stored by event id, processed once, never trusted.

An event is only a trigger (as in pretix): the handler fetches the object it names from
Stripe again and brings our records in line with what Stripe has now, so events may
arrive in any order, late, or three times. The signature is checked over the raw body
with a 300 s tolerance. The event row is locked while it is processed and marked
processed in the same transaction as its effects: a crash halfway leaves it
unprocessed, and Stripe's retry does the work. A lock that cannot be had in time
answers 503, which Stripe retries.
"""

import logging
from datetime import UTC, datetime

import stripe
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ..models import WebhookEvent
from . import sponsors, stripe_connect

logger = logging.getLogger(__name__)

TOLERANCE = 300  # seconds, the SDKs' default
LOCK_TIMEOUT = "5s"


def _account_updated(event):
    account_id = stripe_connect.field(event, "account") or event.data.object.id
    stripe_connect.sync_account(account_id)


def _transfer(event):
    transfer = stripe_connect.client().v1.transfers.retrieve(event.data.object.id)
    stripe_connect.record_transfer(transfer)


def _bank_payout(event):
    remote = stripe_connect.client().v1.payouts.retrieve(
        event.data.object.id, options={"stripe_account": stripe_connect.field(event, "account")}
    )
    stripe_connect.note_bank_payout(
        stripe_connect.field(event, "account"), remote, remote.status == "paid"
    )


def _checkout(event):
    sponsors.sync_session(
        event.data.object.id, failed=event.type == "checkout.session.async_payment_failed"
    )


HANDLERS = {
    "account.updated": _account_updated,
    "transfer.created": _transfer,
    "transfer.updated": _transfer,
    "transfer.reversed": _transfer,
    "payout.paid": _bank_payout,
    "payout.failed": _bank_payout,
    "checkout.session.completed": _checkout,
    "checkout.session.async_payment_succeeded": _checkout,
    "checkout.session.async_payment_failed": _checkout,
    "checkout.session.expired": _checkout,
}


def receive(payload: bytes, signature: str) -> int:
    """Handle one delivery; the HTTP status to answer Stripe with."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        logger.error("Stripe webhook received but STRIPE_WEBHOOK_SECRET is not set")
        return 500
    try:
        event = stripe.Webhook.construct_event(payload, signature, secret, tolerance=TOLERANCE)
    except ValueError:
        logger.warning("Stripe webhook refused: the body is not an event")
        return 400
    except stripe.SignatureVerificationError as error:
        logger.warning("Stripe webhook refused: %s", error)
        return 400
    if event.type not in HANDLERS:
        return 200
    return process(event)


def _store(event) -> None:
    """The event's row, unless a delivery of the same event stored it already (one
    INSERT … ON CONFLICT DO NOTHING: no read first, no savepoint)."""
    row = WebhookEvent(
        event_id=event.id,
        type=event.type,
        account=stripe_connect.field(event, "account", ""),
        created=datetime.fromtimestamp(event.created, tz=UTC),
    )
    WebhookEvent.objects.bulk_create([row], ignore_conflicts=True)


def process(event) -> int:
    """Store the event and do its work in one transaction, which the event row's lock
    serialises: a duplicate delivery waits on the row (or, while the first delivery has
    not committed, on its INSERT), then finds it processed."""
    try:
        with transaction.atomic():
            _limit_lock_waits()
            _store(event)
            row = WebhookEvent.objects.select_for_update().get(event_id=event.id)
            if row.processed_at is not None:
                return 200
            HANDLERS[row.type](event)
            row.processed_at = timezone.now()
            row.attempts += 1
            row.last_error = ""
            row.save(update_fields=["processed_at", "attempts", "last_error"])
    except OperationalError as error:
        logger.warning("Stripe event %s not processed, the lock timed out: %s", event.id, error)
        _keep_on_record(event)
        return 503
    except Exception as error:
        logger.exception("Stripe event %s failed; Stripe will retry", event.id)
        _keep_on_record(event, error)
        return 500
    return 200


def _limit_lock_waits() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def _keep_on_record(event, error: Exception | None = None) -> None:
    """The failed attempt rolled the event's row back with its work: store it again, with
    the error. Whoever holds its lock now is processing it, so a wait here gives up."""
    try:
        with transaction.atomic():
            _limit_lock_waits()
            _store(event)
            if error is not None:
                WebhookEvent.objects.filter(event_id=event.id).update(
                    attempts=F("attempts") + 1,
                    last_error=f"{type(error).__name__}: {error}"[:2000],
                )
    except OperationalError:
        pass
