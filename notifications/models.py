"""What a person is told: in-app notices, and the e-mail digests they chose to receive."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Notification(models.Model):
    """One notice in a person's notification centre.

    The title is stored as it was written to them, in their language then: a notice says
    what happened at the time, as an e-mail does, and lists of them need no other table.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=300)
    # A path on this site ("" when there is nothing to open).
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]

    def __str__(self):
        return self.title


class Frequency(models.TextChoices):
    NEVER = "never", pgettext_lazy("digest frequency", "Never")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly (Mondays)")


class DigestSettings(models.Model):
    """How often a person wants the e-mail digest, and which of its topics.

    Without a row, a person gets no digest: e-mail about new things is opt-in.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_settings"
    )
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.NEVER
    )
    # Keys of notifications.topics.TOPICS the person wants (opt-in per topic).
    topics = models.JSONField(_("topics"), default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("digest settings")
        verbose_name_plural = _("digest settings")
        indexes = [models.Index(fields=["frequency", "user"], name="digest_due")]

    def __str__(self):
        return f"{self.user_id}: {self.frequency}"


class DigestDelivery(models.Model):
    """A digest sent: one per person per period, so a run repeated after a crash or a
    retried task never sends the same digest twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=20)  # "daily:2026-12-03", "weekly:2026-W49"
    items = models.PositiveIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_digest_per_period")
        ]

    def __str__(self):
        return f"{self.user_id} {self.period}"
