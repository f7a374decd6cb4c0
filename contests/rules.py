"""Who may do what about contests: this app's rows of the policy table (accounts.policy).

Read a row as "<action> is allowed to <who>". The object is named in brackets. An
organizer acts on their own ward's contests only: another ward's contest, its teams and
its entries are not there for them (404).
"""

from accounts import policy
from accounts.models import Role
from accounts.policy import predicate, role, role_in_ward, signed_in, superuser

from .models import TeamMembership

# Datasets are shared by every contest, and editors build the contest landing pages
# that show them; importing only copies what a catalog already publishes.
dataset_curator = superuser | role(Role.CONTEST_ORGANIZER) | role(Role.EDITOR)

# Running a contest: its entrants, their answers and entries, extensions, exports.
ward_organizer = superuser | role_in_ward(Role.CONTEST_ORGANIZER)
# Writing a contest's page: its ward's organizers, and the editors of the whole site.
contest_author = ward_organizer | role_in_ward(Role.EDITOR)


def _member_q(user):
    from django.db.models import Q

    return Q(pk__in=TeamMembership.objects.filter(user=user).values("team_id"))


@predicate("a member of the team", q=_member_q)
def team_member(user, team):
    return TeamMembership.objects.filter(team=team, user=user).exists()


@predicate("the team's leader")
def team_leader(user, team):
    return team.leader_id == user.pk


@predicate("a member of its team")
def submission_team_member(user, submission):
    return team_member.test(user, submission.team)


@predicate("anyone, once the team made it public (in a live contest, the team still in it)")
def public_submission(user, submission):
    return is_public_submission(submission)


def is_public_submission(submission) -> bool:
    """Public to everyone, signed in or not: the same test for pages, search and reports."""
    from .models import Submission

    return submission.is_public and Submission.objects.public().filter(pk=submission.pk).exists()


@predicate("the person invited")
def invitee(user, invitation):
    return invitation.user_id == user.pk


@predicate("the team's leader")
def invitation_team_leader(user, invitation):
    return invitation.team.leader_id == user.pk


@predicate("the judge it is assigned to")
def assigned_judge(user, assignment):
    return assignment.judge_id == user.pk


@predicate("the judge it is assigned to, unless recused (a conflict of interest)")
def scoring_judge(user, assignment):
    from .models import AssignmentStatus, Conflict

    return (
        assignment.judge_id == user.pk
        and assignment.status != AssignmentStatus.RECUSED
        and not Conflict.objects.filter(
            judge_id=user.pk, submission_id=assignment.entry.submission_id
        ).exists()
    )


@predicate("a judge it is assigned to, unless recused")
def submission_judge(user, submission):
    from .models import Assignment, AssignmentStatus

    return (
        Assignment.objects.filter(judge_id=user.pk, entry__submission=submission)
        .exclude(status=AssignmentStatus.RECUSED)
        .exists()
    )


@predicate("a judge of the round")
def round_judge(user, judging_round):
    return judging_round.judges.filter(user_id=user.pk).exists()


@predicate("a member of its team, once the results are published")
def team_member_after_results(user, submission):
    from .models import ResultsPublication

    return (
        team_member.test(user, submission.team)
        and ResultsPublication.objects.filter(contest_id=submission.contest_id).exists()
    )


@predicate("the person it is paid to")
def payout_recipient(user, payout):
    return payout.recipient_id == user.pk


@predicate("the leader of the winning team")
def award_team_leader(user, award):
    return award.submission.team.leader_id == user.pk


@predicate("the member the share is for")
def share_member(user, share):
    return share.member_id == user.pk


# Payout status and bank details: the recipient and the contest's own organizers only.
payout_reader = payout_recipient | role_in_ward(Role.CONTEST_ORGANIZER, "award__contest__ward")

policy.register(
    {
        # Open datasets (no object: a catalog is asked, a dataset is created or updated)
        "contests.import_dataset": dataset_curator,
        # Our server fetches what the person asks for: only those who may import.
        "contests.search_catalog": dataset_curator,
        # Contests (object: the contest page)
        "contests.edit_contest": contest_author,
        "contests.manage_contest": ward_organizer,
        "contests.enter_contest": signed_in,
        # Teams (object: the team)
        "contests.view_team": team_member
        | role_in_ward(Role.CONTEST_ORGANIZER, "contest__ward")
        | superuser,
        "contests.manage_team": team_leader,
        "contests.leave_team": team_member,
        "contests.edit_submission": team_member,
        "contests.grant_extension": superuser
        | role_in_ward(Role.CONTEST_ORGANIZER, "contest__ward"),
        # Submissions (object: the submission)
        "contests.view_submission": public_submission
        | submission_team_member
        | submission_judge
        | role_in_ward(Role.CONTEST_ORGANIZER, "contest__ward")
        | superuser,
        # Judging (object: the contest, the round or the assignment). Judges are people
        # the organizer adds to a round; they see their own assignments only.
        "contests.manage_judging": ward_organizer,
        "contests.judge_round": round_judge,
        "contests.score_assignment": scoring_judge,
        "contests.declare_conflict": assigned_judge,
        # Results and the audience vote (object: the contest or the submission)
        "contests.publish_results": ward_organizer,
        "contests.vote": signed_in,
        "contests.read_feedback": team_member_after_results
        | role_in_ward(Role.CONTEST_ORGANIZER, "contest__ward")
        | superuser,
        # Prize money (object: the contest, the award, the share or the payout)
        "contests.manage_payouts": ward_organizer,
        "contests.view_payout": payout_reader | superuser,
        "contests.view_bank_details": payout_reader | superuser,
        "contests.receive_payout": payout_recipient,
        "contests.split_award": award_team_leader,
        "contests.confirm_share": share_member,
        "contests.fund_contest": signed_in,
        # Invitations (object: the invitation)
        "contests.answer_invitation": invitee,
        "contests.withdraw_invitation": invitation_team_leader,
    }
)
