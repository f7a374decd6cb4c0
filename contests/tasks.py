from celery import shared_task

from .payouts import stripe_connect


@shared_task
def resend_stalled_payouts() -> int:
    """Every five minutes: a Stripe payout left "being paid" without a transfer (a worker
    that died between committing the idempotency key and Stripe's answer) is asked for
    again with the same key, so it ends paid or failed and never paid twice."""
    if not stripe_connect.StripeConnect().is_available():
        return 0
    return stripe_connect.resend_stalled()
