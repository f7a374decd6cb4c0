"""The payout ledger: which state may follow which, and the history of each payout.

Every change goes through `move`, on a row the caller holds locked; it writes one
ActivityLog entry (append-only) with the actor, the old and new state, the amount and
the reason. `history` reads them back for the winner's and the organizers' pages.
"""

from core.lifecycle import Lifecycle
from core.models import ActivityLog

from ..models import Payout
from ..models import PayoutStatus as S

PAYOUT_LIFECYCLE = Lifecycle(
    "contests.payout_status",
    {
        S.PENDING: {S.DETAILS_NEEDED, S.CANCELLED},
        S.DETAILS_NEEDED: {S.READY, S.CANCELLED},
        S.READY: {S.APPROVED, S.DETAILS_NEEDED, S.CANCELLED},
        S.APPROVED: {S.PAYING, S.READY, S.CANCELLED},
        S.PAYING: {S.PAID, S.FAILED},
        S.PAID: {S.REVERSED},
        S.FAILED: {S.DETAILS_NEEDED, S.READY, S.CANCELLED},
        S.CANCELLED: set(),
        S.REVERSED: set(),
    },
)

# States in which money may already have left, or is leaving: a payout here counts
# against the pool and cannot be re-split or cancelled.
COMMITTED = {S.APPROVED, S.PAYING, S.PAID}
EVENT_ACTIONS = ("contests.payout_status", "contests.payout_note")


def move(payout: Payout, new, actor, reason: str = "", **fields) -> Payout:
    return PAYOUT_LIFECYCLE.change(
        payout, new, actor, fields=fields, reason=reason, amount=payout.amount
    )


def note(payout: Payout, actor, reason: str, **data) -> None:
    """An event that is not a change of state (details entered, a Stripe payout landed)."""
    from core.activity import log_action

    log_action(actor, "contests.payout_note", payout, reason=reason, **data)


def history(payout: Payout):
    from django.contrib.contenttypes.models import ContentType

    return (
        ActivityLog.objects.filter(
            target_type=ContentType.objects.get_for_model(Payout),
            target_id=str(payout.pk),
            action__in=EVENT_ACTIONS,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
