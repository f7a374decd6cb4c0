"""The Stripe Connect provider: winners living in Japan onboard to a connected account
(Account Links) and the platform pays them with a Transfer.

Money moves once:
- paying first moves the payout to "being paid" and commits its idempotency key
  (award:<id>:payout:<id>:v<attempt>); only then is Stripe called, with that key, so a
  second press, a retry after a lost connection or a crashed worker sends the same
  request and Stripe answers with the same transfer;
- every transfer for a payout carries the transfer group payout-<id>; before any
  attempt the group is looked up, so a transfer Stripe made but never told us about is
  recorded instead of made again;
- what Stripe says is always re-fetched (transfers, accounts), never read from a payload.
"""

import functools
from datetime import timedelta

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts import policy
from core.errors import Conflict

from ..models import Payout, StripeAccount
from ..models import PayoutStatus as S
from . import ledger, services
from .providers import PayoutProvider, payout_providers

# Errors after which Stripe may or may not have made the transfer: keep the payout
# "being paid" and ask again with the same key. Any other Stripe error is an answer.
UNCERTAIN = (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError)


def field(obj, name: str, default=None):
    """A field of a Stripe object, or `default` when it is absent or null. The SDK's
    objects (stripe>=16) are not dicts: `obj.get(name)` raises AttributeError."""
    if obj is None:
        return default
    try:
        value = obj[name]
    except (KeyError, TypeError):
        return default
    return default if value is None else value


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@functools.cache
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    # One per key and address in a process: the SDK's HTTP client keeps its connections
    # (per thread) between calls, and a webhook's fetch need not build a client each time.
    options = {"max_network_retries": 2}
    if api_base:
        options["base_addresses"] = {"api": api_base, "connect": api_base, "files": api_base}
    return stripe.StripeClient(secret_key, **options)


@payout_providers.register_provider
class StripeConnect(PayoutProvider):
    identifier = "stripe"
    verbose_name = gettext_lazy("Stripe (to your own Stripe account)")
    description = gettext_lazy(
        "You open a Stripe account for yourself (identity and bank account checked by "
        "Stripe), and the prize is transferred to it; Stripe then pays it out to your bank."
    )
    japan_only = True

    def is_available(self) -> bool:
        return bool(settings.STRIPE_SECRET_KEY)

    def recipient_is_ready(self, payout) -> bool:
        account = StripeAccount.objects.filter(user_id=payout.recipient_id).first()
        return account is not None and account.can_receive

    def reconcile(self, contest) -> list:
        from .reconcile import stripe_differences

        return stripe_differences(contest)


# --- Onboarding ----------------------------------------------------------------------------


def onboarding_url(user, payout: Payout, return_url: str, refresh_url: str) -> str:
    """A fresh Account Link for the recipient (they expire within minutes)."""
    policy.check(user, "contests.receive_payout", payout)
    if payout.provider != StripeConnect.identifier:
        raise Conflict(_("Choose Stripe as the payment method first."))
    if payout.status not in (S.DETAILS_NEEDED, S.READY, S.FAILED):
        raise Conflict(_("Your Stripe account cannot be changed for this payment now."))
    account = StripeAccount.objects.filter(user=user).first()
    if account is None:
        created = client().v1.accounts.create(
            params={
                "type": "express",
                "country": "JP",
                "email": user.email,
                "business_type": "individual",
                "capabilities": {"transfers": {"requested": True}},
                "metadata": {"user": str(user.pk)},
            },
            # Two tabs opening onboarding at once get the same account.
            options={"idempotency_key": f"account:user:{user.pk}"},
        )
        account, _created = StripeAccount.objects.get_or_create(
            user=user, defaults={"account_id": created.id}
        )
        _apply_account(account, created)
    link = client().v1.account_links.create(
        params={
            "account": account.account_id,
            "refresh_url": refresh_url,
            "return_url": return_url,
            "type": "account_onboarding",
        }
    )
    return link.url


def _apply_account(account: StripeAccount, remote) -> None:
    requirements = field(remote, "requirements")
    capabilities = field(remote, "capabilities")
    account.details_submitted = bool(field(remote, "details_submitted"))
    account.payouts_enabled = bool(field(remote, "payouts_enabled"))
    account.transfers_active = field(capabilities, "transfers") == "active"
    account.currently_due = list(field(requirements, "currently_due", []))
    account.disabled_reason = field(requirements, "disabled_reason", "")
    account.synced_at = timezone.now()
    account.save()


# savepoint=False: inside a webhook's transaction a failure undoes it all anyway.
@transaction.atomic(savepoint=False)
def sync_account(account_id: str) -> StripeAccount | None:
    """Read the account from Stripe and move its owner's payouts to ready (or back)."""
    account = StripeAccount.objects.select_for_update().filter(account_id=account_id).first()
    if account is None:
        return None
    _apply_account(account, client().v1.accounts.retrieve(account_id))
    for payout in services.for_update().filter(
        recipient_id=account.user_id,
        provider=StripeConnect.identifier,
        status__in=(S.DETAILS_NEEDED, S.READY, S.FAILED),
    ):
        if payout.status == S.FAILED and not account.can_receive:
            continue
        services.refresh_readiness(payout, None)
    return account


# --- Paying --------------------------------------------------------------------------------


def transfer_group(payout: Payout) -> str:
    return f"payout-{payout.pk}"


def pay(organizer, payout: Payout) -> Payout:
    """Send an approved payout. Pressing twice, or fifty organizers at once, sends one."""
    with transaction.atomic():
        payout = services.locked(payout)
        policy.check(organizer, "contests.manage_payouts", payout.award.contest)
        if payout.provider != StripeConnect.identifier:
            raise Conflict(_("This payout is paid by bank transfer, in a bank file."))
        if payout.status in (S.PAYING, S.PAID, S.REVERSED):
            return payout  # already under way or done: nothing more leaves
        if payout.status != S.APPROVED:
            raise Conflict(_("Only an approved payout can be paid."))
        account = StripeAccount.objects.filter(user_id=payout.recipient_id).first()
        if account is None or not account.can_receive:
            raise Conflict(_("The winner's Stripe account cannot receive transfers yet."))
        attempt = payout.attempt + 1
        ledger.move(
            payout,
            S.PAYING,
            organizer,
            gettext_noop("Transfer to the winner's Stripe account started."),
            attempt=attempt,
            idempotency_key=f"award:{payout.award_id}:payout:{payout.pk}:v{attempt}",
        )
    return send(payout)


def send(payout: Payout) -> Payout:
    """Call Stripe for a payout being paid, with the key stored on it. Safe to repeat."""
    payout = Payout.objects.get(pk=payout.pk)
    if payout.status != S.PAYING or payout.transfer_id:
        return payout
    stripe_client = client()
    try:
        existing = stripe_client.v1.transfers.list(
            params={"transfer_group": transfer_group(payout), "limit": 10}
        )
        if existing.data:
            return record_transfer(existing.data[0])
        account = StripeAccount.objects.get(user_id=payout.recipient_id)
        transfer = stripe_client.v1.transfers.create(
            params={
                "amount": payout.amount,  # JPY has no minor unit: ¥100,000 is 100000
                "currency": "jpy",
                "destination": account.account_id,
                "transfer_group": transfer_group(payout),
                # Fixed by the payout alone: a retry under the same idempotency key must send
                # the same parameters, even if a title was edited in between.
                "description": f"Prize payout P{payout.pk} (award {payout.award_id})",
                "metadata": {
                    "payout": str(payout.pk),
                    "award": str(payout.award_id),
                    "contest": str(payout.award.contest_id),
                },
            },
            options={"idempotency_key": payout.idempotency_key},
        )
    except UNCERTAIN:
        # Stripe may have made it: the payout stays "being paid"; resending (the
        # organizer's button or the periodic task) asks again with the same key.
        return payout
    except stripe.StripeError as error:
        return _failed(payout, error.user_message or str(error))
    return record_transfer(transfer)


@transaction.atomic
def _failed(payout: Payout, message: str) -> Payout:
    payout = services.locked(payout)
    if payout.status != S.PAYING or payout.transfer_id:
        return payout
    ledger.move(
        payout,
        S.FAILED,
        None,
        message[:300],
        failure_reason=message[:300],
        prepared_by=None,
        prepared_at=None,
        approved_by=None,
        approved_at=None,
    )
    services.tell(payout, "failed", reason=message)
    return payout


def _payout_for_transfer(transfer) -> Payout | None:
    """The payout a transfer pays, locked: by the transfer's id once we know it, else by
    the payout id in its metadata (a transfer Stripe made whose answer we never had)."""
    payouts = services.for_update().order_by()
    found = payouts.filter(transfer_id=transfer.id).first()
    payout_id = field(field(transfer, "metadata"), "payout")
    if found is None and payout_id and str(payout_id).isdigit():
        found = payouts.filter(pk=int(payout_id), provider=StripeConnect.identifier).first()
    return found


@transaction.atomic(savepoint=False)
def record_transfer(transfer) -> Payout | None:
    """Bring a payout in line with its transfer as Stripe has it now."""
    payout = _payout_for_transfer(transfer)
    if payout is None:
        return None
    if payout.transfer_id and payout.transfer_id != transfer.id:
        ledger.note(
            payout,
            None,
            gettext_noop("A second transfer for this payout was found; it needs reversing."),
            transfer=transfer.id,
        )
        return payout
    reversed_amount = min(int(field(transfer, "amount_reversed", 0)), payout.amount)
    if (payout.transfer_id, payout.amount_reversed) != (transfer.id, reversed_amount):
        payout.transfer_id = transfer.id
        payout.amount_reversed = reversed_amount
        payout.save(update_fields=["transfer_id", "amount_reversed", "updated_at"])
    if payout.status == S.PAYING:
        ledger.move(
            payout,
            S.PAID,
            None,
            gettext_noop("Stripe made the transfer to the winner's account."),
            paid_at=timezone.now(),
        )
        services.tell(payout, "paid")
    if payout.status == S.PAID and field(transfer, "reversed"):
        ledger.move(payout, S.REVERSED, None, gettext_noop("The transfer was reversed."))
        services.tell(payout, "reversed")
    return payout


def resend_stalled(older_than_seconds: int = 300) -> int:
    """Payouts left "being paid" without a transfer (a crash, a lost answer): ask again."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    stalled = Payout.objects.filter(
        provider=StripeConnect.identifier, status=S.PAYING, transfer_id="", updated_at__lt=cutoff
    )
    for payout in stalled:
        send(payout)
    return len(stalled)


@transaction.atomic
def note_bank_payout(event_account: str, remote_payout, succeeded: bool) -> None:
    """Stripe paid (or failed to pay) the winner's balance out to their bank."""
    account = StripeAccount.objects.filter(account_id=event_account).select_related("user").first()
    if account is None:
        return
    latest = (
        Payout.objects.filter(recipient=account.user, provider=StripeConnect.identifier)
        .filter(status=S.PAID)
        .order_by("-paid_at")
        .first()
    )
    if latest is None:
        return
    if succeeded:
        ledger.note(
            latest,
            None,
            gettext_noop("Stripe paid it out to the winner's bank."),
            stripe_payout=remote_payout.id,
        )
    else:
        ledger.note(
            latest,
            None,
            gettext_noop("Stripe could not pay it out to the winner's bank."),
            stripe_payout=remote_payout.id,
            failure=field(remote_payout, "failure_message", ""),
        )
        services.tell(latest, "bank_payout_failed")
