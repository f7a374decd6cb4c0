"""Teams: entering a contest, invitations (by link and by user), leaving, and what the
organizer tells every entrant.

A person is in at most one team per contest (TeamMembership's constraint; the check
here only gives the reason in words first). Teams form while entry is open; members may
leave, and the leader may rename the team or remove a member, until the submission
deadline.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core.activity import log_action
from core.email import email_user
from core.errors import Conflict, NotFound
from core.models import Ward
from messaging import services as messaging
from search.index import update_on_commit as reindex_on_commit

from .. import conversation_subjects as events
from ..models import (
    Announcement,
    Connection,
    ContestPage,
    ContestState,
    Contributor,
    EligibilityArea,
    InvitationStatus,
    Team,
    TeamInvitation,
    TeamMembership,
)

MAX_CONTRIBUTORS = 20


# --- Eligibility ------------------------------------------------------------------------


def check_eligibility(contest: ContestPage, answers: dict) -> dict:
    """The answers to keep, or ValidationError saying why this person may not enter.

    `answers`: connection (Connection), ward (a ward code, when connected), student
    (bool, when the contest asks).
    """
    connection = answers.get("connection") or ""
    ward_code = answers.get("ward") or ""
    kept: dict = {}
    if contest.eligibility_area != EligibilityArea.ANYONE:
        if connection not in Connection.values:
            raise ValidationError(
                {"connection": _("Say how you are connected to the area.")}, code="required"
            )
        if connection == Connection.NONE:
            raise ValidationError(
                {
                    "connection": _(
                        "This contest is for people who live, work or study in %(area)s."
                    )
                    % {"area": _area_name(contest)}
                },
                code="not_eligible",
            )
        ward = Ward.objects.filter(code=ward_code).first()
        if ward is None:
            raise ValidationError({"ward": _("Choose the ward.")}, code="required")
        if contest.eligibility_area == EligibilityArea.WARD and ward.pk != contest.ward_id:
            raise ValidationError(
                {
                    "ward": _("This contest is for people who live, work or study in %(area)s.")
                    % {"area": _area_name(contest)}
                },
                code="not_eligible",
            )
        kept.update(connection=connection, ward=ward.code)
    if contest.asks_student:
        if answers.get("student") not in (True, False):
            raise ValidationError({"student": _("Say whether you are a student.")}, code="required")
        kept["student"] = answers["student"]
    return kept


def _area_name(contest: ContestPage) -> str:
    if contest.eligibility_area == EligibilityArea.WARD:
        return contest.ward.name
    return _("the 23 special wards of Tokyo")


def _check_entry_open(contest: ContestPage, now=None) -> None:
    state = contest.state_at(now)
    if state == ContestState.UPCOMING:
        raise Conflict(_("Entry has not opened yet."))
    if state != ContestState.ENTRY_OPEN:
        raise Conflict(_("Entry to this contest is closed."))


def _check_before_deadline(team: Team) -> None:
    from .submissions import team_deadline

    if timezone.now() > team_deadline(team):
        raise Conflict(_("Entries are closed: the team can no longer change."))


def _check_not_entered(contest: ContestPage, user) -> None:
    current = (
        TeamMembership.objects.filter(contest=contest, user=user).select_related("team").first()
    )
    if current is not None:
        raise Conflict(
            _(
                "You are already in the team 「%(team)s」 for this contest. A person can be "
                "in one team per contest: leave that team first to join another."
            )
            % {"team": current.team.name}
        )


def _check_room(team: Team) -> None:
    if team.memberships.count() >= team.contest.team_size_max:
        raise Conflict(
            _("This team is full: a team has at most %(n)d members in this contest.")
            % {"n": team.contest.team_size_max}
        )


def _add_member(team: Team, user, answers: dict) -> TeamMembership:
    kept = check_eligibility(team.contest, answers)
    _check_not_entered(team.contest, user)
    _check_room(team)
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                contest=team.contest, team=team, user=user, answers=kept
            )
    except IntegrityError:  # a second tab won the race: same answer as the check
        _check_not_entered(team.contest, user)
        raise
    TeamInvitation.objects.filter(
        team__contest=team.contest, user=user, status=InvitationStatus.PENDING
    ).exclude(team=team).update(status=InvitationStatus.WITHDRAWN, answered_at=timezone.now())
    messaging.sync_participants(team)
    return membership


def _clean_name(contest: ContestPage, name: str, *, exclude: Team | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Give the team a name.")}, code="required")
    if len(name) > 60:
        raise ValidationError({"name": _("Use at most 60 characters.")}, code="max_length")
    taken = Team.objects.filter(contest=contest, name=name, withdrawn_at__isnull=True)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise ValidationError(
            {"name": _("Another team in this contest already has this name.")}, code="unique"
        )
    return name


# --- Forming a team ---------------------------------------------------------------------


@transaction.atomic
def create_team(user, contest: ContestPage, name: str, answers: dict) -> Team:
    """A new team led by `user`, who enters the contest with `answers`."""
    policy.check(user, "contests.enter_contest", contest)
    contest = contest.canonical
    _check_entry_open(contest)
    check_eligibility(contest, answers)
    _check_not_entered(contest, user)
    team = Team.objects.create(contest=contest, name=_clean_name(contest, name), leader=user)
    _add_member(team, user, answers)
    messaging.ensure_conversation(team)
    log_action(user, "contests.team_created", team, contest=contest.pk)
    return team


def team_for_code(code: str) -> Team:
    team = (
        Team.objects.select_related("contest", "leader")
        .filter(invite_code=code, withdrawn_at__isnull=True)
        .first()
    )
    if team is None or not code:
        raise NotFound(_("This invitation link is no longer valid. Ask the team for a new one."))
    return team


@transaction.atomic
def join_by_link(user, code: str, answers: dict) -> TeamMembership:
    team = team_for_code(code)
    policy.check(user, "contests.enter_contest", team.contest)
    _check_entry_open(team.contest)
    membership = _add_member(team, user, answers)
    log_action(user, "contests.team_joined", team, via="link")
    return membership


@transaction.atomic
def reset_invite_link(leader, team: Team) -> Team:
    """A new link; the old one stops working (it was shared somewhere it should not be)."""
    policy.check(leader, "contests.manage_team", team)
    from ..models.teams import new_invite_code

    team.invite_code = new_invite_code()
    team.save(update_fields=["invite_code"])
    log_action(leader, "contests.invite_link_reset", team)
    return team


@transaction.atomic
def invite_user(leader, team: Team, invitee) -> TeamInvitation:
    policy.check(leader, "contests.manage_team", team)
    _check_entry_open(team.contest)
    if invitee is None or not invitee.is_active or invitee.deleted_at is not None:
        raise ValidationError({"user": _("There is no such person.")}, code="invalid")
    if invitee.pk == leader.pk:
        raise ValidationError({"user": _("You are already in the team.")}, code="invalid")
    if TeamMembership.objects.filter(contest=team.contest, user=invitee).exists():
        raise Conflict(
            _("%(name)s is already in a team for this contest.") % {"name": invitee.display_name}
        )
    _check_room(team)
    invitation, created = TeamInvitation.objects.get_or_create(
        team=team,
        user=invitee,
        status=InvitationStatus.PENDING,
        defaults={"invited_by": leader},
    )
    if created:
        log_action(leader, "contests.member_invited", team, user=invitee.pk)
        email_user(
            invitee,
            "contests/email/team_invitation.txt",
            team=team,
            contest=team.contest,
            leader=leader,
        )
    return invitation


@transaction.atomic
def answer_invitation(user, invitation: TeamInvitation, *, accept: bool, answers=None):
    policy.check(user, "contests.answer_invitation", invitation)
    invitation = TeamInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise Conflict(_("This invitation has already been answered or withdrawn."))
    team = invitation.team
    if accept:
        _check_entry_open(team.contest)
        _add_member(team, user, answers or {})
    invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    log_action(user, "contests.invitation_answered", team, accepted=accept)
    return invitation


@transaction.atomic
def withdraw_invitation(leader, invitation: TeamInvitation) -> None:
    policy.check(leader, "contests.withdraw_invitation", invitation)
    if invitation.status == InvitationStatus.PENDING:
        invitation.status = InvitationStatus.WITHDRAWN
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["status", "answered_at"])
        log_action(leader, "contests.invitation_withdrawn", invitation.team)


# --- Changing a team --------------------------------------------------------------------


@transaction.atomic
def rename_team(leader, team: Team, name: str) -> Team:
    policy.check(leader, "contests.manage_team", team)
    _check_before_deadline(team)
    old = team.name
    team.name = _clean_name(team.contest, name, exclude=team)
    team.save(update_fields=["name"])
    log_action(leader, "contests.team_renamed", team, old=old, new=team.name)
    _reindex_entry(team)
    return team


def _reindex_entry(team: Team) -> None:
    """The entry's document carries the team's name and disappears with the team."""
    submission = getattr(team, "submission", None)
    if submission is not None:
        reindex_on_commit(submission)


def _drop_member(team: Team, user) -> str:
    """Remove `user`; hand the lead to the longest-standing member when they led it, and
    withdraw the team when nobody is left. The event to post."""
    TeamMembership.objects.filter(team=team, user=user).delete()
    messaging.sync_participants(team)
    left = team.memberships.select_related("user").first()
    if left is None:
        team.withdrawn_at = timezone.now()
        team.save(update_fields=["withdrawn_at"])
        team.invitations.filter(status=InvitationStatus.PENDING).update(
            status=InvitationStatus.WITHDRAWN, answered_at=timezone.now()
        )
        return events.TEAM_WITHDRAWN
    if team.leader_id == user.pk:
        team.leader = left.user
        team.save(update_fields=["leader"])
    return events.MEMBER_LEFT


@transaction.atomic
def leave_team(user, team: Team) -> None:
    policy.check(user, "contests.leave_team", team)
    _check_before_deadline(team)
    event = _drop_member(team, user)
    log_action(user, "contests.team_left", team)
    messaging.post_event(team, event, actor=user)
    _reindex_entry(team)


@transaction.atomic
def remove_member(leader, team: Team, member) -> None:
    policy.check(leader, "contests.manage_team", team)
    _check_before_deadline(team)
    if member.pk == leader.pk:
        raise ValidationError(_("To leave the team yourself, use 「チームを抜ける」."))
    if not TeamMembership.objects.filter(team=team, user=member).exists():
        raise NotFound
    _drop_member(team, member)
    _reindex_entry(team)
    log_action(leader, "contests.member_removed", team, user=member.pk)
    messaging.post_event(team, events.MEMBER_REMOVED, actor=leader)
    email_user(member, "contests/email/removed_from_team.txt", team=team, contest=team.contest)


@transaction.atomic
def add_contributor(leader, team: Team, name: str, role: str = "") -> Contributor:
    policy.check(leader, "contests.manage_team", team)
    _check_before_deadline(team)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Write the contributor's name.")}, code="required")
    if team.contributors.count() >= MAX_CONTRIBUTORS:
        raise ValidationError(
            _("A team credits at most %(n)d contributors.") % {"n": MAX_CONTRIBUTORS}
        )
    contributor = Contributor(team=team, name=name, role=" ".join((role or "").split()))
    contributor.full_clean()
    contributor.save()
    log_action(leader, "contests.contributor_added", team)
    return contributor


@transaction.atomic
def remove_contributor(leader, contributor: Contributor) -> None:
    policy.check(leader, "contests.manage_team", contributor.team)
    _check_before_deadline(contributor.team)
    contributor.delete()
    log_action(leader, "contests.contributor_removed", contributor.team)


# --- The organizer to every entrant -----------------------------------------------------


@transaction.atomic
def send_announcement(organizer, contest: ContestPage, title: str, body: str) -> Announcement:
    """Stored first, then mailed to every member of every team still in the contest."""
    policy.check(organizer, "contests.manage_contest", contest)
    contest = contest.canonical
    announcement = Announcement(contest=contest, author=organizer, title=title, body=body)
    announcement.full_clean()
    announcement.save()
    entrants = {
        membership.user.pk: membership.user
        for membership in TeamMembership.objects.filter(
            contest=contest, team__withdrawn_at__isnull=True
        ).select_related("user")
    }
    for person in entrants.values():
        email_user(
            person, "contests/email/announcement.txt", contest=contest, announcement=announcement
        )
    log_action(organizer, "contests.announcement_sent", contest, recipients=len(entrants))
    return announcement
