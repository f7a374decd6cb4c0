"""Submissions: one per team, edited until the deadline, every save kept as a version.

The working copy (Submission, its screenshots and datasets) is what the team edits; each
save also writes a SubmissionVersion, a snapshot that is never changed afterwards. The
version standing at the team's deadline is the one judged (`version_at_deadline`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from .datasets import web_url


class Licence(models.TextChoices):
    MIT = "MIT", "MIT License"
    APACHE = "Apache-2.0", "Apache License 2.0"
    GPL = "GPL-3.0-or-later", "GNU GPL v3.0 or later"
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"
    OTHER = "other", _("Other (say which in the summary)")


class SubmissionQuerySet(models.QuerySet):
    def public(self):
        """Entries anyone may read, signed in or not: the team shows it to everyone, the
        team is still in the contest, and the contest page is live and unrestricted. The
        one definition behind the pages, search, reports and the policy."""
        from .contests import ContestPage

        return self.filter(
            is_public=True,
            team__withdrawn_at__isnull=True,
            contest__in=ContestPage.objects.live().public().values("pk"),
        )


class Submission(models.Model):
    team = models.OneToOneField(
        "contests.Team", on_delete=models.CASCADE, related_name="submission"
    )
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="submissions"
    )
    title = models.CharField(_("title"), max_length=100)
    summary = models.TextField(_("summary"), max_length=400)
    problem = models.TextField(_("the problem it addresses"), max_length=4000, blank=True)
    solution = models.TextField(_("how it solves it"), max_length=4000, blank=True)
    datasets = models.ManyToManyField(
        "contests.Dataset", blank=True, related_name="submissions", verbose_name=_("datasets used")
    )
    repository_url = models.URLField(
        _("source code repository"), max_length=500, blank=True, validators=[web_url]
    )
    demo_url = models.URLField(_("demo"), max_length=500, blank=True, validators=[web_url])
    video_url = models.URLField(_("video"), max_length=500, blank=True, validators=[web_url])
    licence = models.CharField(_("licence"), max_length=20, choices=Licence.choices)
    is_public = models.BooleanField(
        _("show this entry to everyone"),
        default=False,
        help_text=_("Otherwise only your team, the organizers and the judges see it."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version_count = models.PositiveIntegerField(default=0)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return self.title

    @property
    def ward_id(self):
        return self.contest.ward_id

    def version_at(self, moment):
        """The version standing at `moment` (the last one saved no later), or None."""
        return self.versions.filter(saved_at__lte=moment).order_by("-number").first()


def screenshot_path(instance, filename: str) -> str:
    # The name the person's computer gave it is not kept in the path (it may say
    # anything); the extension comes from the checked content.
    return f"contests/screenshots/{instance.submission_id}/{instance.token}.{instance.kind}"


def screenshot_storage():
    # The private storage (outside MEDIA_ROOT, the one message attachments use): a
    # screenshot of an entry that is not public is served only through a view that
    # checks the reader (contests.views.submissions.screenshot).
    return storages["attachments"]


class Screenshot(models.Model):
    """A picture of the entry. Never deleted while versions point at it: removing one
    from the entry only marks it removed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="screenshots")
    image = models.FileField(upload_to=screenshot_path, storage=screenshot_storage, max_length=200)
    token = models.CharField(max_length=32)
    kind = models.CharField(max_length=8)  # png, jpeg, webp (from the content)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    alt_text = models.CharField(
        _("description for people who cannot see it"),
        max_length=200,
        help_text=_(
            "Say what the picture shows, for example 「地図に駐輪場の空きが表示される画面」."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("screenshot")
        verbose_name_plural = _("screenshots")

    def __str__(self) -> str:
        return self.alt_text


class SubmissionVersion(models.Model):
    """A save of the submission, exactly as it was. Written once, never changed."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_at = models.DateTimeField(db_index=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Every field, the dataset ids and titles, the screenshots (id, alt text): what the
    # judges read if this is the version standing at the deadline.
    data = models.JSONField()
    late = models.BooleanField(default=False)  # saved within an extension

    class Meta:
        ordering = ["-number"]
        verbose_name = _("submission version")
        verbose_name_plural = _("submission versions")
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="unique_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("A submission version is never changed once saved.")
        super().save(*args, **kwargs)


class DeadlineExtension(models.Model):
    """An organizer let one team go on saving after the deadline, and said why."""

    team = models.ForeignKey("contests.Team", on_delete=models.CASCADE, related_name="extensions")
    until = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"), max_length=1000)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-until", "-id"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.team_id} → {self.until:%Y-%m-%d %H:%M}"
