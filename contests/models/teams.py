"""Teams: who builds an entry together, and what they answered when entering.

One team per person per contest (a constraint, not just a check: two browsers racing
cannot both win). The leader invites by link or by user; contributors without an
account are credited by name. A team's conversation is a messaging subject
(contests.conversation_subjects).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_invite_code() -> str:
    return secrets.token_urlsafe(18)


class Team(models.Model):
    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="teams"
    )
    name = models.CharField(_("team name"), max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_teams",
        verbose_name=_("leader"),
    )
    # Whoever holds the link may ask to join; the leader can replace it at any time.
    invite_code = models.CharField(max_length=32, unique=True, default=new_invite_code)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "name", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "name"],
                condition=Q(withdrawn_at__isnull=True),
                name="unique_team_name_per_contest",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ward_id(self):
        return self.contest.ward_id


class Connection(models.TextChoices):
    """How an entrant is connected to the area the contest is for."""

    LIVES = "lives", _("I live there")
    WORKS = "works", _("I work there")
    STUDIES = "studies", _("I study there")
    NONE = "none", _("None of these")


class TeamMembership(models.Model):
    # The contest is repeated from the team so the database itself keeps one team
    # per person per contest.
    contest = models.ForeignKey("contests.ContestPage", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships"
    )
    # The eligibility answers given when entering: connection, ward (code), student.
    answers = models.JSONField(_("eligibility answers"), default=dict, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_team_per_contest")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.team}"


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class TeamInvitation(models.Model):
    """The leader asked a particular person (by their account) to join."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("team invitation")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status="pending"),
                name="one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.team}"


class Contributor(models.Model):
    """Someone who helped without an account (a parent, a teacher, a shop owner)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("what they did"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self) -> str:
        return self.name


class Announcement(models.Model):
    """What an organizer tells every entrant of a contest (also sent by e-mail)."""

    contest = models.ForeignKey(
        "contests.ContestPage", on_delete=models.CASCADE, related_name="announcements"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("message"), max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title
