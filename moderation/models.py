"""Reports and blocks: the trust and safety every domain shares.

A report is about anything an app registered as reportable (moderation.reportables):
a task, an organization, a resident's profile, a message, later a contest submission.
It carries the ward it belongs to, taken from its target when it is made, so a ward's
moderators see their ward's reports and nobody else's.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Action taken")
    DISMISSED = "dismissed", _("No action needed")


class Report(models.Model):
    """Anyone signed in reports something; a moderator of its ward handles it."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        INAPPROPRIATE = "inappropriate", _("Inappropriate content")
        HARASSMENT = "harassment", _("Harassment or abusive messages")
        PAID_WORK = "paid_work", _("Paid work disguised as volunteering")
        PERSONAL_DATA = "personal_data", _("Asks for or exposes personal data")
        OTHER = "other", _("Other")

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports_made"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    # The ward whose moderators handle it; empty: only moderators of every ward.
    ward = models.ForeignKey(
        "core.Ward",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ward"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    details = models.TextField(_("details"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReportStatus.choices,
        default=ReportStatus.OPEN,
        db_index=True,
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="report_target_idx")]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.target_type.model} #{self.target_id}"


class Block(models.Model):
    """`blocker` no longer hears from `blocked`: no invitations, applications or messages."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="unique_block"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="no_self_block"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} ⊘ {self.blocked}"
