from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .profiles import WorkStyle


class TaskStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING_REVIEW = "pending_review", _("Waiting for verification")
    OPEN = "open", _("Open for applications")
    MATCHED = "matched", _("Matched")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


# Statuses in which the task is visible to everyone on the board.
PUBLIC_STATUSES = [
    TaskStatus.OPEN,
    TaskStatus.MATCHED,
    TaskStatus.IN_PROGRESS,
    TaskStatus.COMPLETED,
]


class Task(models.Model):
    """Help an organization asks for. State changes only through marketplace.services."""

    organization = models.ForeignKey(
        "marketplace.Organization", on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("title"), max_length=80)
    description = models.TextField(_("what you need help with"), max_length=5000)
    category = models.ForeignKey(
        "marketplace.SkillCategory",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("category"),
    )
    skills = models.ManyToManyField(
        "marketplace.SkillCategory",
        related_name="tasks_wanting",
        blank=True,
        verbose_name=_("skills wanted"),
    )
    tags = TaggableManager(_("tags"), blank=True, related_name="tasks")
    ward = models.ForeignKey(
        "core.Ward", on_delete=models.PROTECT, related_name="tasks", verbose_name=_("ward")
    )
    work_style = models.CharField(
        _("remote or on site"), max_length=8, choices=WorkStyle.choices, default=WorkStyle.EITHER
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    deliverable = models.TextField(_("what the result will be"), max_length=1000)
    apply_deadline = models.DateField(_("apply by"))
    people_wanted = models.PositiveSmallIntegerField(
        _("people wanted"), default=1, validators=[MinValueValidator(1), MaxValueValidator(20)]
    )

    # Where the task comes from when another part of the site started it (a winning
    # contest entry's implementation support, core.follow_ups): shown and linked.
    origin_url = models.CharField(max_length=300, blank=True)
    origin_label = models.CharField(max_length=200, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Kept by the services so "fewest applicants" sorts without counting per row.
    application_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # One index per board sort order, matching it column for column (tie-breaks
            # included), so a deep page is an index walk rather than a sort of every row.
            models.Index(fields=["status", "-published_at", "-id"], name="task_status_published"),
            models.Index(fields=["status", "apply_deadline", "-id"], name="task_status_deadline"),
            models.Index(
                fields=["status", "application_count", "-published_at", "-id"],
                name="task_status_applications",
            ),
            # The board's ward filter, and the newest tasks of a ward (recommendations).
            models.Index(
                fields=["status", "ward", "-published_at", "-id"], name="task_status_ward_published"
            ),
            models.Index(fields=["status", "category"], name="task_status_category"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class ApplicationKind(models.TextChoices):
    APPLICATION = "application", _("Application")
    INVITATION = "invitation", _("Invitation")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


# How long the other side has to answer before an application or invitation expires.
RESPONSE_DAYS = 5
RESPONSE_WINDOW = timedelta(days=RESPONSE_DAYS)


class Application(models.Model):
    """A resident applying to a task, or an organization inviting a resident to one."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="applications")
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    kind = models.CharField(
        max_length=12, choices=ApplicationKind.choices, default=ApplicationKind.APPLICATION
    )
    message = models.TextField(_("message"), max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    respond_by = models.DateTimeField(_("answer by"))
    reminded_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("message with the answer"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "resident"],
                condition=models.Q(status="pending"),
                name="one_pending_application_per_task",
            )
        ]
        indexes = [models.Index(fields=["status", "respond_by"], name="application_due")]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.resident} → {self.task}"
