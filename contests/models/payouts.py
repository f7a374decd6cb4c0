"""Prize money: a ledger per award and recipient, the pool it is paid from, and the
provider records (Stripe accounts, webhook events, bank-transfer batches).

A Payout is one recipient's part of one award: the team leader's whole prize, or one
member's share when the team splits it. Its status moves only along PAYOUT_LIFECYCLE
(contests.payouts.ledger) and every move is an ActivityLog entry with who, when and why.
Money leaves once: the idempotency key is stored on the row before Stripe is called, and
a transfer id can belong to one payout only (a constraint).

Bank details are sealed (contests.payouts.vault) and read only by the recipient and the
contest's organizers; everyone else sees `bank_masked`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PayoutStatus(models.TextChoices):
    # The winners' words for each state (「振込先の入力待ち」「承認待ち」「支払済み」).
    PENDING = "pending", _("Waiting for the team to decide who receives it")
    DETAILS_NEEDED = "details_needed", _("Waiting for the recipient's details")
    READY = "ready", _("Waiting for approval")
    APPROVED = "approved", _("Approved, waiting to be paid")
    PAYING = "paying", _("Being paid")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Payment failed")
    CANCELLED = "cancelled", pgettext_lazy("payout", "Cancelled")
    REVERSED = "reversed", _("Reversed")


class PayoutSettings(models.Model):
    """Per contest: how winners may be paid, and the ward's own account for bank files."""

    contest = models.OneToOneField(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="payout_settings"
    )
    providers = models.JSONField(_("payment methods offered"), default=list)
    # The account the money leaves from (振込依頼人), printed in the 全銀 header record.
    consignor_code = models.CharField(
        _("consignor code (振込依頼人コード)"), max_length=10, blank=True
    )
    consignor_name = models.CharField(_("consignor name (katakana)"), max_length=40, blank=True)
    bank_code = models.CharField(_("bank code"), max_length=4, blank=True)
    branch_code = models.CharField(_("branch code"), max_length=3, blank=True)
    account_type = models.CharField(_("account type"), max_length=1, blank=True)
    account_number = models.CharField(_("account number"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("payout settings")

    def __str__(self) -> str:
        return f"{self.contest}"


class AwardSplit(models.Model):
    """The team's statement of who receives what share of an award, in whole percent.

    It counts once every member named has confirmed it; until then the award waits.
    """

    award = models.OneToOneField("contests.Award", on_delete=models.CASCADE, related_name="split")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("prize split")

    def __str__(self) -> str:
        return f"{self.award}"


class AwardShare(models.Model):
    split = models.ForeignKey(AwardSplit, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="award_shares"
    )
    percent = models.PositiveSmallIntegerField(_("share (%)"))
    amount = models.PositiveIntegerField(_("amount (yen)"))
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["split", "-amount", "id"]
        constraints = [
            models.UniqueConstraint(fields=["split", "member"], name="one_share_per_member"),
            models.CheckConstraint(
                condition=Q(percent__gte=1, percent__lte=100), name="share_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.percent}%"


class BankTransferBatch(models.Model):
    """One 全銀 総合振込 file as it was exported: what the ward's bank was given."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="transfer_batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    transfer_date = models.DateField(_("transfer date"))
    count = models.PositiveIntegerField()
    total = models.PositiveBigIntegerField()
    # The exact file, sealed like the bank details it contains.
    sealed_file = models.TextField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("bank transfer file")

    def __str__(self) -> str:
        return f"{self.contest} {self.transfer_date} ({self.count})"


class Payout(models.Model):
    award = models.ForeignKey("contests.Award", on_delete=models.PROTECT, related_name="payouts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    status = models.CharField(
        _("status"), max_length=20, choices=PayoutStatus.choices, default=PayoutStatus.PENDING
    )
    provider = models.CharField(_("payment method"), max_length=30, blank=True)
    lives_in_japan = models.BooleanField(null=True)
    bank_details = models.TextField(blank=True)  # sealed JSON (contests.payouts.vault)
    bank_masked = models.CharField(max_length=60, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # Each attempt at a transfer has its own key (award:<id>:payout:<id>:v<n>), written
    # here and committed before Stripe is called: a retry of the same attempt reuses it.
    attempt = models.PositiveSmallIntegerField(default=0)
    idempotency_key = models.CharField(max_length=100, blank=True)
    transfer_id = models.CharField(max_length=64, blank=True)
    amount_reversed = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(
        BankTransferBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="payouts"
    )
    failure_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["award", "-amount", "id"]
        verbose_name = _("payout")
        constraints = [
            models.UniqueConstraint(fields=["award", "recipient"], name="one_payout_per_recipient"),
            models.UniqueConstraint(
                fields=["transfer_id"], condition=~Q(transfer_id=""), name="one_payout_per_transfer"
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="unique_payout_idempotency_key",
            ),
            models.CheckConstraint(
                condition=Q(amount_reversed__lte=models.F("amount")), name="reversal_within_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} → {self.recipient_id} ¥{self.amount:,}"

    @property
    def contest(self):
        return self.award.contest


class StripeAccount(models.Model):
    """A winner's connected account, as Stripe last told us (account.updated, re-fetched)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stripe_account"
    )
    account_id = models.CharField(max_length=64, unique=True)
    details_submitted = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    transfers_active = models.BooleanField(default=False)
    currently_due = models.JSONField(default=list, blank=True)
    disabled_reason = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe account")

    def __str__(self) -> str:
        return self.account_id

    @property
    def can_receive(self) -> bool:
        return self.details_submitted and self.payouts_enabled and self.transfers_active


class WebhookEvent(models.Model):
    """A Stripe event we were sent, by its id: stored first, processed once."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    account = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField()  # when Stripe created it
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("Stripe event")

    def __str__(self) -> str:
        return f"{self.event_id} {self.type}"


class SponsorPaymentStatus(models.TextChoices):
    OPEN = "open", _("Waiting for payment")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class SponsorPayment(models.Model):
    """Money a sponsor pays into a contest's prize pool through Stripe Checkout.

    Only PAID counts towards the pool; a konbini payment is OPEN until Stripe confirms it.
    """

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.PROTECT, related_name="sponsor_payments"
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sponsor_name = models.CharField(_("sponsor name"), max_length=100)
    amount = models.PositiveIntegerField(_("amount (yen)"))
    session_id = models.CharField(max_length=100, unique=True)
    checkout_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=SponsorPaymentStatus.choices, default=SponsorPaymentStatus.OPEN
    )
    payment_method = models.CharField(max_length=20, blank=True)
    payment_intent = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("sponsor payment")

    def __str__(self) -> str:
        return f"{self.sponsor_name} ¥{self.amount:,}"


class WardFunding(models.Model):
    """The ward's own money for the prizes, as its organizer recorded it."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.PROTECT, related_name="ward_funding"
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    note = models.CharField(_("note (budget line, decision)"), max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("ward funding")

    def __str__(self) -> str:
        return f"{self.contest} ¥{self.amount:,}"
