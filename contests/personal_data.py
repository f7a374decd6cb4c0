"""What the contests hold about a person, for the data download and for closing an account.

Closing takes the person out of their teams the way leaving does (contests.services.teams:
the lead passes to the member who joined first, a team left empty is withdrawn) and
declines the invitations still waiting for them. Entries belong to the team and stay,
with every version: the versions they saved read as saved by 「退会したユーザー」 (the
account's display name is erased, accounts.models.DisplayNameField). Leaving this way
ignores the deadline: a person's right to leave is not a contest's to refuse.
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.models import DELETED_USER_NAME
from accounts.personal_data import Consequence, PersonalDataSection, iso
from core.activity import log_action
from messaging import services as messaging
from search.index import update_on_commit as reindex_on_commit

from . import conversation_subjects as events
from .models import (
    Announcement,
    DeadlineExtension,
    InvitationStatus,
    Submission,
    SubmissionVersion,
    Team,
    TeamInvitation,
    TeamMembership,
)
from .services.teams import _drop_member


def _memberships(user):
    return (
        TeamMembership.objects.filter(user=user)
        .select_related("team__contest", "team__leader")
        .order_by("joined_at", "id")
    )


def _pending_invitations(user):
    return TeamInvitation.objects.filter(user=user, status=InvitationStatus.PENDING)


def _names(teams) -> str:
    return "、".join(f"{team.name}（{team.contest.title}）" for team in teams)


def _version(version, user) -> dict:
    return {
        "number": version.number,
        "saved_at": iso(version.saved_at),
        "saved_by_you": version.saved_by_id == user.pk,
        # Others by the name the team sees (never their contact details).
        "saved_by": version.saved_by.display_name if version.saved_by_id else None,
        "saved_within_an_extension": version.late,
        "content": version.data,
    }


@personal_data.register
class ContestsData(PersonalDataSection):
    key = "contests"
    label = gettext_lazy("Civic tech contests")
    order = 40

    # --- Download -------------------------------------------------------------------

    def export(self, user):
        memberships = list(_memberships(user))
        team_ids = {membership.team_id for membership in memberships}
        # Entries of their teams, and any entry they saved a version of (a team they
        # have left since): of those, only their own versions.
        submissions = (
            Submission.objects.filter(Q(team_id__in=team_ids) | Q(versions__saved_by=user))
            .distinct()
            .select_related("team", "contest")
            .order_by("created_at", "id")
        )
        versions: dict[int, list] = {}
        for version in (
            SubmissionVersion.objects.filter(submission__in=submissions)
            .select_related("saved_by", "submission")
            .order_by("submission_id", "number")
        ):
            if version.submission.team_id in team_ids or version.saved_by_id == user.pk:
                versions.setdefault(version.submission_id, []).append(_version(version, user))
        return {
            "teams": [
                {
                    "contest": membership.team.contest.title,
                    "team": membership.team.name,
                    "you_lead_it": membership.team.leader_id == user.pk,
                    "joined_at": iso(membership.joined_at),
                    "eligibility_answers": membership.answers,
                    "team_withdrawn_at": iso(membership.team.withdrawn_at),
                }
                for membership in memberships
            ],
            "submissions": [
                {
                    "contest": submission.contest.title,
                    "team": submission.team.name,
                    "title": submission.title,
                    "public": submission.is_public,
                    "created_at": iso(submission.created_at),
                    "updated_at": iso(submission.updated_at),
                    "you_are_in_the_team": submission.team_id in team_ids,
                    "versions": versions.get(submission.pk, []),
                }
                for submission in submissions
            ],
            "invitations_received": [
                {
                    "contest": invitation.team.contest.title,
                    "team": invitation.team.name,
                    "invited_by": (
                        invitation.invited_by.display_name if invitation.invited_by_id else None
                    ),
                    "status": invitation.status,
                    "created_at": iso(invitation.created_at),
                    "answered_at": iso(invitation.answered_at),
                }
                for invitation in TeamInvitation.objects.filter(user=user)
                .select_related("team__contest", "invited_by")
                .order_by("created_at", "id")
            ],
            "invitations_sent": [
                {
                    "contest": invitation.team.contest.title,
                    "team": invitation.team.name,
                    "invited": invitation.user.display_name,
                    "status": invitation.status,
                    "created_at": iso(invitation.created_at),
                    "answered_at": iso(invitation.answered_at),
                }
                for invitation in TeamInvitation.objects.filter(invited_by=user)
                .select_related("team__contest", "user")
                .order_by("created_at", "id")
            ],
            # An organizer's part: what they told entrants, the extra time they granted.
            "announcements_sent": [
                {
                    "contest": announcement.contest.title,
                    "title": announcement.title,
                    "message": announcement.body,
                    "sent_at": iso(announcement.created_at),
                }
                for announcement in Announcement.objects.filter(author=user)
                .select_related("contest")
                .order_by("created_at", "id")
            ],
            "extensions_granted": [
                {
                    "contest": extension.team.contest.title,
                    "team": extension.team.name,
                    "until": iso(extension.until),
                    "reason": extension.reason,
                    "granted_at": iso(extension.created_at),
                }
                for extension in DeadlineExtension.objects.filter(granted_by=user)
                .select_related("team__contest")
                .order_by("created_at", "id")
            ],
        }

    # --- Closing the account --------------------------------------------------------

    def consequences(self, user):
        said = []
        teams = [membership.team for membership in _memberships(user)]
        if teams:
            said.append(
                Consequence(
                    _(
                        "You leave your teams (%(n)d): %(names)s. Your eligibility answers "
                        "are deleted with your place in them."
                    )
                    % {"n": len(teams), "names": _names(teams)}
                )
            )
        alone = [team for team in teams if team.memberships.count() == 1]
        led = [team for team in teams if team.leader_id == user.pk and team not in alone]
        if led:
            said.append(
                Consequence(
                    _("You lead %(names)s: the lead passes to the member who joined first.")
                    % {"names": _names(led)}
                )
            )
        active_alone = [team for team in alone if team.withdrawn_at is None]
        if active_alone:
            said.append(
                Consequence(
                    _("You are the only member of %(names)s, so it is withdrawn from its contest.")
                    % {"names": _names(active_alone)}
                )
            )
        pending = _pending_invitations(user).count()
        if pending:
            said.append(
                Consequence(
                    _("Team invitations waiting for your answer are declined: %(n)d.")
                    % {"n": pending}
                )
            )
        saved = SubmissionVersion.objects.filter(saved_by=user).exists()
        if teams or saved:
            said.append(
                Consequence(
                    _(
                        "Their entries stay with the team, with every version; the versions "
                        "you saved are shown as saved by “%(name)s”."
                    )
                    % {"name": DELETED_USER_NAME},
                    kept=True,
                )
            )
        return said

    def erase(self, user, answers):
        counts = {"teams_left": 0, "leads_handed_over": 0, "teams_withdrawn": 0}
        for membership in _memberships(user):
            team = (
                Team.objects.select_for_update()
                .select_related("contest")
                .get(pk=membership.team_id)
            )
            was_leader = team.leader_id == user.pk
            already_withdrawn = team.withdrawn_at is not None
            event = _drop_member(team, user)
            counts["teams_left"] += 1
            if event == events.TEAM_WITHDRAWN and not already_withdrawn:
                counts["teams_withdrawn"] += 1
                # A withdrawn team's entry is no longer listed, nor found.
                reindex_on_commit(*Submission.objects.filter(team=team))
            elif was_leader and team.leader_id != user.pk:
                counts["leads_handed_over"] += 1
            log_action(user, "contests.team_left", team, reason="account_closed")
            messaging.post_event(team, event, actor=user)
            reindex_on_commit(team.contest)
        counts["invitations_declined"] = _pending_invitations(user).update(
            status=InvitationStatus.DECLINED, answered_at=timezone.now()
        )
        # Kept: the team's entries; their author now reads as the deleted user.
        counts["versions_kept"] = SubmissionVersion.objects.filter(saved_by=user).count()
        return counts


@personal_data.register
class JudgingData(PersonalDataSection):
    """What a person did as a judge or a voter. Scores and votes stay, so published
    results do not change after the fact; they read as 「退会したユーザー」's."""

    key = "contest_judging"
    label = gettext_lazy("Contest judging and audience votes")
    order = 41

    def export(self, user):
        from .models import Assignment, Conflict, Vote

        assignments = (
            Assignment.objects.filter(judge=user)
            .select_related("round__contest", "entry__submission")
            .prefetch_related("scores__criterion")
            .order_by("round_id", "id")
        )
        return {
            "score_sheets": [
                {
                    "contest": assignment.round.contest.title,
                    "round": str(assignment.round.get_kind_display()),
                    "submission": assignment.entry.submission.title,
                    "status": assignment.status,
                    "scores": {
                        score.criterion.name: {"value": score.value, "comment": score.comment}
                        for score in assignment.scores.all()
                    },
                    "comment": assignment.comment,
                    "note_for_organizers": assignment.private_note,
                    "submitted_at": iso(assignment.submitted_at),
                }
                for assignment in assignments
            ],
            "conflicts_of_interest": [
                {
                    "contest": conflict.contest.title,
                    "submission": conflict.submission.title,
                    "source": conflict.source,
                    "reason": conflict.reason,
                    "recorded_at": iso(conflict.created_at),
                }
                for conflict in Conflict.objects.filter(judge=user).select_related(
                    "contest", "submission"
                )
            ],
            "audience_votes": [
                {
                    "contest": vote.contest.title,
                    "submission": vote.submission.title,
                    "at": iso(vote.created_at),
                }
                for vote in Vote.objects.filter(user=user).select_related("contest", "submission")
            ],
        }

    def consequences(self, user):
        from .models import Assignment, AssignmentStatus, Vote

        said = []
        open_sheets = (
            Assignment.objects.filter(judge=user, round__closes_at__gt=timezone.now())
            .exclude(status=AssignmentStatus.SUBMITTED)
            .count()
        )
        if open_sheets:
            said.append(
                Consequence(
                    _(
                        "Score sheets you have not submitted are removed (%(n)d); the organizers see them missing."
                    )
                    % {"n": open_sheets}
                )
            )
        submitted = Assignment.objects.filter(
            judge=user, status=AssignmentStatus.SUBMITTED
        ).exists()
        votes = Vote.objects.filter(user=user).exists()
        if submitted or votes:
            said.append(
                Consequence(
                    _(
                        "Submitted scores and audience votes stay counted, so results do not "
                        "change; they are shown as “%(name)s”'s."
                    )
                    % {"name": DELETED_USER_NAME},
                    kept=True,
                )
            )
        return said

    def erase(self, user, answers):
        from .models import Assignment, AssignmentStatus, RoundJudge

        unsent = Assignment.objects.filter(judge=user, round__closes_at__gt=timezone.now()).exclude(
            status=AssignmentStatus.SUBMITTED
        )
        counts = {"score_sheets_removed": unsent.count()}
        unsent.delete()
        # No new assignments in rounds still open; closed rounds keep their judge.
        RoundJudge.objects.filter(user=user, round__closes_at__gt=timezone.now()).exclude(
            round__assignments__judge=user
        ).delete()
        Assignment.objects.filter(judge=user).update(private_note="")
        return counts
