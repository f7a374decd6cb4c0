"""Reconciliation: our ledger against the providers' own records, every difference listed.

For Stripe: each transfer we recorded is fetched (amount, destination, reversals) and
matched with its balance transaction; transfers Stripe holds for this contest that our
ledger does not know are listed too, as are sponsors' sessions whose state differs. For
bank transfers: each exported file is read back and its totals compared (manual.py).
"""

from django.utils.translation import gettext as _

from ..models import Payout, SponsorPayment, SponsorPaymentStatus, StripeAccount
from ..models import PayoutStatus as S
from . import providers, services


def differences(contest) -> list[str]:
    contest = contest.canonical
    used = set(
        Payout.objects.filter(award__contest=contest)
        .exclude(provider="")
        .values_list("provider", flat=True)
    )
    found = []
    for identifier in sorted(used | {p.identifier for p in providers.offered(contest)}):
        provider = providers.payout_providers.get(identifier)
        if provider is not None and provider().is_available():
            found += provider().reconcile(contest)
    return found


def stripe_differences(contest) -> list[str]:
    from .stripe_connect import StripeConnect, client, field

    stripe_client = client()
    found = []
    ours = {
        p.transfer_id: p
        for p in Payout.objects.filter(award__contest=contest, provider=StripeConnect.identifier)
        .exclude(transfer_id="")
        .select_related("recipient")
    }
    accounts = dict(StripeAccount.objects.values_list("user_id", "account_id"))
    for transfer in stripe_client.v1.transfers.list(params={"limit": 100}).auto_paging_iter():
        if field(field(transfer, "metadata"), "contest") != str(contest.pk):
            continue
        payout = ours.pop(transfer.id, None)
        label = {"transfer": transfer.id, "amount": services.yen(transfer.amount)}
        if payout is None:
            found.append(
                _("Stripe transfer %(transfer)s (%(amount)s) is not in the ledger.") % label
            )
            continue
        label["payout"] = f"P{payout.pk}"
        if transfer.amount != payout.amount:
            found.append(
                _(
                    "%(payout)s: the ledger says %(ledger)s, Stripe transfer %(transfer)s %(amount)s."
                )
                % {**label, "ledger": services.yen(payout.amount)}
            )
        if transfer.destination != accounts.get(payout.recipient_id):
            found.append(_("%(payout)s: transfer %(transfer)s went to another account.") % label)
        reversed_amount = int(field(transfer, "amount_reversed", 0))
        if reversed_amount != payout.amount_reversed or (
            field(transfer, "reversed") and payout.status != S.REVERSED
        ):
            found.append(
                _("%(payout)s: Stripe reversed %(reversed)s, the ledger %(ledger)s.")
                % {
                    **label,
                    "reversed": services.yen(reversed_amount),
                    "ledger": services.yen(payout.amount_reversed),
                }
            )
        if payout.status not in (S.PAID, S.REVERSED):
            found.append(
                _("%(payout)s: Stripe made transfer %(transfer)s, the ledger says “%(status)s”.")
                % {**label, "status": payout.get_status_display()}
            )
        balance = stripe_client.v1.balance_transactions.list(
            params={"source": transfer.id, "type": "transfer", "limit": 1}
        )
        if not balance.data or -balance.data[0].amount != transfer.amount:
            found.append(
                _("%(payout)s: no balance transaction of %(amount)s for transfer %(transfer)s.")
                % label
            )
    for transfer_id, payout in ours.items():
        found.append(
            _("%(payout)s: the ledger records transfer %(transfer)s, Stripe has no such transfer.")
            % {"payout": f"P{payout.pk}", "transfer": transfer_id}
        )
    for payment in SponsorPayment.objects.filter(contest=contest):
        session = stripe_client.v1.checkout.sessions.retrieve(payment.session_id)
        paid = session.payment_status == "paid"
        if (
            paid != (payment.status == SponsorPaymentStatus.PAID)
            or session.amount_total != payment.amount
        ):
            found.append(
                _(
                    "Sponsor payment by %(name)s (%(amount)s): Stripe says “%(remote)s”, we say “%(ours)s”."
                )
                % {
                    "name": payment.sponsor_name,
                    "amount": services.yen(payment.amount),
                    "remote": session.payment_status,
                    "ours": payment.get_status_display(),
                }
            )
    return found
