"""Results: the audience vote, the winners per prize, and their publication.

The audience vote has its own window. One vote per verified account per contest (a
constraint): a team member cannot vote for their own team, and an account created after
the window opened cannot vote at all (a vote is not worth a new account). The count is
shown only once the window has closed.

Winners are chosen per prize by the organizer (the ranking suggests them); publishing
shows them on the contest page, e-mails every entrant and lets each team read its scores.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AudienceVoting(models.Model):
    contest = models.OneToOneField(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="audience_voting"
    )
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))

    class Meta:
        verbose_name = _("audience vote")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="voting_closes_after_opening"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contest}"

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class Vote(models.Model):
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="audience_votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audience_votes"
    )
    submission = models.ForeignKey(
        "contests.Submission", on_delete=models.CASCADE, related_name="audience_votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("audience vote cast")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_vote_per_contest")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.submission_id}"


class Award(models.Model):
    """A prize given to an entry. Chosen before publication, shown after."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="awards"
    )
    prize = models.ForeignKey("contests.Prize", on_delete=models.PROTECT, related_name="awards")
    submission = models.ForeignKey(
        "contests.Submission", on_delete=models.PROTECT, related_name="awards"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The board task carrying the entry on (実装支援), by its app's reference
    # ("marketplace.task:<id>"): contests does not know the board's models.
    follow_up = models.CharField(max_length=80, blank=True)
    follow_up_url = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["prize__sort_order", "prize_id", "id"]
        verbose_name = _("award")
        constraints = [models.UniqueConstraint(fields=["prize", "submission"], name="unique_award")]

    def __str__(self) -> str:
        return f"{self.prize} — {self.submission}"


class ResultsPublication(models.Model):
    contest = models.OneToOneField(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="results_publication"
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The ranking as published (method, standings, sensitivity): what the teams and the
    # exports read afterwards, so a later change cannot rewrite a published result.
    snapshot = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("results publication")

    def __str__(self) -> str:
        return f"{self.contest} @ {self.published_at:%Y-%m-%d %H:%M}"
