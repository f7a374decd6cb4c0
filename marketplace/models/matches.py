from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Working together")
    COMPLETION_REQUESTED = "completion_requested", _("Completion requested")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Match(models.Model):
    """マッチング成立: a resident and an organization agreed to work on a task.

    Both wards are copied at the moment of matching, so the KPI "share of cross-ward
    matches" does not change when someone moves later.
    """

    task = models.ForeignKey("marketplace.Task", on_delete=models.CASCADE, related_name="matches")
    organization = models.ForeignKey(
        "marketplace.Organization", on_delete=models.CASCADE, related_name="matches"
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="matches"
    )
    application = models.OneToOneField(
        "marketplace.Application", on_delete=models.PROTECT, related_name="match"
    )
    resident_ward = models.ForeignKey("core.Ward", on_delete=models.PROTECT, related_name="+")
    organization_ward = models.ForeignKey("core.Ward", on_delete=models.PROTECT, related_name="+")
    task_ward = models.ForeignKey("core.Ward", on_delete=models.PROTECT, related_name="+")
    cross_ward = models.BooleanField(_("across ward borders"))
    status = models.CharField(
        _("status"), max_length=24, choices=MatchStatus.choices, default=MatchStatus.ACTIVE
    )
    created_at = models.DateTimeField(_("matched on"), auto_now_add=True, db_index=True)
    resident_confirmed_at = models.DateTimeField(null=True, blank=True)
    organization_confirmed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["task", "resident"], name="one_match_per_resident_task")
        ]
        verbose_name = _("match")
        verbose_name_plural = _("matches")

    def __str__(self) -> str:
        return f"{self.resident} × {self.organization}: {self.task}"


class HoursLog(models.Model):
    """Hours a resident logged on a match; they count once the organization confirms."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="hours")
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    note = models.CharField(_("what you did"), max_length=200)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("hours")
        verbose_name_plural = _("hours")

    def __str__(self) -> str:
        return f"{self.date} {self.hours}h"


class Review(models.Model):
    """Each side reviews the other once the match is completed."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    by_organization = models.BooleanField()
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "by_organization"], name="one_review_per_side")
        ]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{'★' * self.rating} {self.match}"
