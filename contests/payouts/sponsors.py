"""Sponsors paying into a contest's prize pool through Stripe Checkout, in JPY.

Card payments are confirmed when the session completes; a konbini payment is only a
promise until `checkout.session.async_payment_succeeded` (the sponsor pays at the store
within three days). Only confirmed payments count towards the pool. Every change comes
from the session as Stripe has it now (re-fetched), whichever event or page asked.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core.activity import log_action
from core.errors import Conflict

from ..models import ContestPage, SponsorPayment, SponsorPaymentStatus

MINIMUM = 1_000
MAXIMUM = 10_000_000
KONBINI_MAXIMUM = 300_000  # Stripe's limit for one konbini payment
KONBINI_DAYS = 3


def _client():
    from .stripe_connect import client

    return client()


def accepts_sponsors(contest: ContestPage) -> bool:
    from .stripe_connect import StripeConnect

    return StripeConnect().is_available() and contest.live


def start_checkout(user, contest: ContestPage, amount, sponsor_name: str) -> SponsorPayment:
    contest = contest.canonical
    policy.check(user, "contests.fund_contest", contest)
    if not accepts_sponsors(contest):
        raise Conflict(_("This contest does not take sponsors' payments."))
    errors = {}
    try:
        amount = int(str(amount).replace(",", "").strip())
    except (TypeError, ValueError):
        amount = 0
    if not MINIMUM <= amount <= MAXIMUM:
        errors["amount"] = _("Enter an amount in whole yen from ¥1,000 to ¥10,000,000.")
    sponsor_name = (sponsor_name or "").strip()
    if not sponsor_name:
        errors["sponsor_name"] = _("Enter the name to thank (a company, a shop or yourself).")
    if errors:
        raise ValidationError(errors)
    methods = ["card", "konbini"] if amount <= KONBINI_MAXIMUM else ["card"]
    back = settings.SITE_URL + reverse("contests:sponsor_return", args=[contest.pk])
    session = _client().v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [
                {
                    "price_data": {
                        "currency": "jpy",
                        "unit_amount": amount,  # whole yen
                        "product_data": {"name": f"{contest.title} 賞金への協賛"[:250]},
                    },
                    "quantity": 1,
                }
            ],
            "payment_method_types": methods,
            "payment_method_options": {"konbini": {"expires_after_days": KONBINI_DAYS}}
            if "konbini" in methods
            else {},
            "customer_email": user.email,
            "success_url": back + "?session_id={CHECKOUT_SESSION_ID}",
            "cancel_url": back + "?cancelled=1",
            "metadata": {"contest": str(contest.pk), "sponsor": str(user.pk)},
        },
        options={"idempotency_key": f"sponsor:{uuid.uuid4()}"},
    )
    payment = SponsorPayment.objects.create(
        contest=contest,
        sponsor=user,
        sponsor_name=sponsor_name[:100],
        amount=amount,
        session_id=session.id,
        checkout_url=session.url or "",
    )
    log_action(user, "contests.sponsor_checkout", contest, amount=amount)
    return payment


@transaction.atomic
def sync_session(session_id: str, failed: bool = False) -> SponsorPayment | None:
    """Bring a sponsor payment in line with its Checkout session as Stripe has it now."""
    payment = SponsorPayment.objects.select_for_update().filter(session_id=session_id).first()
    if payment is None:
        return None
    session = _client().v1.checkout.sessions.retrieve(session_id)
    before = payment.status
    if session.payment_status == "paid" and payment.status != SponsorPaymentStatus.PAID:
        payment.status = SponsorPaymentStatus.PAID
        payment.paid_at = timezone.now()
        payment.payment_intent = getattr(session, "payment_intent", None) or ""
    elif payment.status == SponsorPaymentStatus.OPEN:
        if failed:
            payment.status = SponsorPaymentStatus.FAILED
        elif session.status == "expired":
            payment.status = SponsorPaymentStatus.EXPIRED
    if session.status == "complete" and not payment.payment_method:
        payment.payment_method = "card" if session.payment_status == "paid" else "konbini"
    payment.save()
    if payment.status != before:
        log_action(
            None,
            "contests.sponsor_payment",
            payment.contest,
            session=session_id,
            old=before,
            new=payment.status,
        )
    return payment


def for_user(user, contest: ContestPage):
    return SponsorPayment.objects.filter(contest=contest.canonical, sponsor=user)
