"""Judging: rounds with their criteria, judges and their assignments, scores, conflicts.

A contest has up to two rounds (first screening, final). The organizer sets a round's
criteria and its tie-break ladder before it opens; both are then fixed, and shown on the
contest page. Judges score only what they are assigned to; a conflict of interest
(declared by the judge or detected by the platform) recuses the judge from that entry,
and the assignment stays, marked, so the organizer sees every recusal.

The maths is in contests.ranking; loading and recording is contests.services.judging.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoundKind(models.TextChoices):
    SCREENING = "screening", _("First screening")
    FINAL = "final", _("Final judging")


class RoundState(models.TextChoices):
    SETUP = "setup", _("Being set up")
    OPEN = "open", _("Scoring open")
    CLOSED = "closed", _("Scoring closed")


class TieBreakStep(models.TextChoices):
    """Steps of the ladder other than a criterion (contests.ranking names them alike)."""

    NORMALISED = "normalised", _("the higher normalised score")
    RAW = "raw", _("the higher raw mean")
    RANK = "rank", _("the better rank-based count")
    VOTES = "votes", _("more audience votes")


class JudgingRound(models.Model):
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="judging_rounds"
    )
    kind = models.CharField(_("round"), max_length=10, choices=RoundKind.choices)
    opens_at = models.DateTimeField(_("scoring opens"))
    closes_at = models.DateTimeField(
        _("scoring closes"), help_text=_("Judges may change their scores until then.")
    )
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("The automatic assignment gives every entry at least this many judges."),
    )
    # Ladder steps in order: "criterion:<id>" or a TieBreakStep value (contests.ranking).
    tie_break = models.JSONField(_("tie-break ladder"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contest", "opens_at", "id"]
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        constraints = [
            models.UniqueConstraint(fields=["contest", "kind"], name="unique_round_kind"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} — {self.get_kind_display()}"

    @property
    def ward_id(self):
        return self.contest.ward_id

    def state_at(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return RoundState.SETUP
        if now < self.closes_at:
            return RoundState.OPEN
        return RoundState.CLOSED

    @property
    def state(self) -> str:
        return self.state_at()

    def get_state_display(self) -> str:
        return RoundState(self.state).label

    def ladder_labels(self) -> list[str]:
        """The ladder in words, for the contest page and the organizer."""
        criteria = {f"criterion:{criterion.pk}": criterion for criterion in self.criteria.all()}
        labels = []
        for step in self.tie_break:
            if step in criteria:
                labels.append(_("the higher mean on 「%(name)s」") % {"name": criteria[step].name})
            elif step in TieBreakStep.values:
                labels.append(TieBreakStep(step).label)
        return labels


class Criterion(models.Model):
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("what the judges look for"), max_length=600, blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("How much it counts against the other criteria (for example 3 : 2 : 1)."),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(10)],
        help_text=_("Judges score from 1 to this."),
    )
    position = models.PositiveSmallIntegerField(default=0)

    SCALE_MIN = 1

    class Meta:
        ordering = ["round", "position", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> range:
        return range(self.SCALE_MIN, self.scale_max + 1)


class JudgingGroup(models.Model):
    """A set of judges for a set of entries (a judging table, a category)."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group name"), max_length=60)

    class Meta:
        ordering = ["round", "name", "id"]
        verbose_name = _("judging group")
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="unique_group_name")]

    def __str__(self) -> str:
        return self.name


class RoundEntry(models.Model):
    """A submission judged in the round: every entry standing at the deadline for the
    first screening, the shortlist the organizer advances for the final."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="entries")
    submission = models.ForeignKey(
        "contests.Submission", on_delete=models.CASCADE, related_name="round_entries"
    )
    group = models.ForeignKey(
        JudgingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("entry in a round")
        constraints = [
            models.UniqueConstraint(fields=["round", "submission"], name="unique_round_entry")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.submission_id}"


class JudgeScope(models.TextChoices):
    POOL = "pool", _("Shared out automatically")
    ALL = "all", _("Every entry")
    GROUP = "group", _("The entries of a group")


class RoundJudge(models.Model):
    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_roles"
    )
    scope = models.CharField(
        _("judges"), max_length=8, choices=JudgeScope.choices, default=JudgeScope.POOL
    )
    group = models.ForeignKey(
        JudgingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="judges"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "added_at", "id"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="unique_round_judge")]

    def __str__(self) -> str:
        return str(self.user)


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RECUSED = "recused", _("Recused (conflict of interest)")


class Assignment(models.Model):
    """One judge to score one entry in one round."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="assignments")
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_assignments"
    )
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="assignments")
    status = models.CharField(
        max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.ASSIGNED
    )
    comment = models.TextField(
        _("overall comment for the team"),
        max_length=2000,
        blank=True,
        help_text=_("The team reads it with the scores once the results are published."),
    )
    private_note = models.TextField(_("note for the organizers only"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "entry", "id"]
        verbose_name = _("judging assignment")
        constraints = [
            models.UniqueConstraint(fields=["round", "judge", "entry"], name="unique_assignment")
        ]

    def __str__(self) -> str:
        return f"{self.judge} → {self.entry.submission}"

    @property
    def ward_id(self):
        return self.round.contest.ward_id


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), max_length=1000, blank=True)

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        verbose_name = _("score")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class ConflictSource(models.TextChoices):
    DECLARED = "declared", _("Declared by the judge")
    DETECTED = "detected", _("Detected by the platform")
    ORGANIZER = "organizer", _("Recorded by the organizer")


class Conflict(models.Model):
    """A judge may not score this entry, in any round of the contest."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="conflicts"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_conflicts"
    )
    submission = models.ForeignKey(
        "contests.Submission", on_delete=models.CASCADE, related_name="conflicts"
    )
    source = models.CharField(max_length=10, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"), max_length=1000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["judge", "submission"], name="unique_conflict")
        ]

    def __str__(self) -> str:
        return f"{self.judge} ✕ {self.submission}"


class TieDecision(models.Model):
    """The organizer's order for entries the ladder left level, and why."""

    round = models.ForeignKey(JudgingRound, on_delete=models.CASCADE, related_name="tie_decisions")
    order = models.JSONField()  # submission ids, best first
    reason = models.TextField(_("reason"), max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("tie decision")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.order}"
