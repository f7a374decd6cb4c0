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
from django.utils.translation import gettext_lazy, gettext_noop

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


@personal_data.register
class PrizeMoneyData(PersonalDataSection):
    """Prize money paid or owed to a person. Paid awards are the ward's accounting
    records and stay (amount, date, who approved), without the bank account; awards not
    yet paid are cancelled, since nobody would be left to receive them. A payment under
    way blocks closing until it lands: money is never sent to a closed account."""

    key = "contest_prizes"
    label = gettext_lazy("Prize money")
    order = 42

    def export(self, user):
        from .models import AwardShare, Payout, SponsorPayment, StripeAccount
        from .payouts import ledger

        payouts = Payout.objects.filter(recipient=user).select_related(
            "award__prize", "award__contest", "award__submission__team"
        )
        account = StripeAccount.objects.filter(user=user).first()
        return {
            "payouts": [
                {
                    "contest": payout.award.contest.title,
                    "prize": payout.award.prize.name,
                    "team": payout.award.submission.team.name,
                    "amount_yen": payout.amount,
                    "status": payout.status,
                    "method": payout.provider,
                    "lives_in_japan": payout.lives_in_japan,
                    # The recipient's own account, in full: it is theirs.
                    "bank_account": _open_bank(payout),
                    "paid_at": iso(payout.paid_at),
                    "amount_reversed_yen": payout.amount_reversed,
                    "history": [
                        {"at": iso(entry.created_at), "what": _reason(entry)}
                        for entry in ledger.history(payout)
                    ],
                }
                for payout in payouts.order_by("created_at", "id")
            ],
            "shares": [
                {
                    "prize": share.split.award.prize.name,
                    "percent": share.percent,
                    "amount_yen": share.amount,
                    "confirmed_at": iso(share.confirmed_at),
                }
                for share in AwardShare.objects.filter(member=user).select_related(
                    "split__award__prize"
                )
            ],
            "stripe_account": account.account_id if account else None,
            "sponsor_payments": [
                {
                    "contest": payment.contest.title,
                    "name_thanked": payment.sponsor_name,
                    "amount_yen": payment.amount,
                    "status": payment.status,
                    "at": iso(payment.created_at),
                }
                for payment in SponsorPayment.objects.filter(sponsor=user).select_related("contest")
            ],
        }

    def blockers(self, user):
        from .models import Payout, PayoutStatus

        under_way = Payout.objects.filter(
            recipient=user, status__in=[PayoutStatus.APPROVED, PayoutStatus.PAYING]
        ).count()
        if under_way:
            return [
                _(
                    "A prize payment to you is under way (%(n)d). Close your account once "
                    "it is paid; the payment's page shows where it stands."
                )
                % {"n": under_way}
            ]
        return []

    def consequences(self, user):
        from .models import AwardShare, Payout, PayoutStatus

        said = []
        open_payouts = Payout.objects.filter(
            recipient=user, status__in=list(_OPEN_PAYOUT_STATES)
        ).count()
        if open_payouts:
            said.append(
                Consequence(
                    _(
                        "Prize money not yet paid to you is cancelled (%(n)d): you give it up, "
                        "and the organizers see it cancelled."
                    )
                    % {"n": open_payouts}
                )
            )
        if AwardShare.objects.filter(member=user, split__confirmed_at__isnull=True).exists():
            said.append(Consequence(_("Proposed prize splits waiting for you are declined.")))
        if Payout.objects.filter(recipient=user).exclude(bank_details="").exists():
            said.append(Consequence(_("Your bank account details are deleted.")))
        if Payout.objects.filter(
            recipient=user, status__in=[PayoutStatus.PAID, PayoutStatus.REVERSED]
        ).exists():
            said.append(
                Consequence(
                    _(
                        "Prize money paid to you stays in the ward's accounts (amount, date, "
                        "who approved it), under “%(name)s”."
                    )
                    % {"name": DELETED_USER_NAME},
                    kept=True,
                )
            )
        return said

    def erase(self, user, answers):
        from .models import AwardShare, Payout, StripeAccount
        from .payouts import ledger
        from .payouts import services as payouts

        counts = {"shares_declined": 0, "payouts_cancelled": 0}
        for share in AwardShare.objects.filter(member=user, split__confirmed_at__isnull=True):
            payouts.answer_share(user, share, accept=False)
            counts["shares_declined"] += 1
        for payout in Payout.objects.select_for_update().filter(
            recipient=user, status__in=list(_OPEN_PAYOUT_STATES)
        ):
            ledger.move(
                payout, "cancelled", user, gettext_noop("The recipient closed their account.")
            )
            counts["payouts_cancelled"] += 1
        counts["bank_details_deleted"] = (
            Payout.objects.filter(recipient=user)
            .exclude(bank_details="")
            .update(bank_details="", bank_masked="")
        )
        StripeAccount.objects.filter(user=user).delete()
        return counts


_OPEN_PAYOUT_STATES = ("pending", "details_needed", "ready", "failed")


def _open_bank(payout):
    from .payouts import vault

    if not payout.bank_details:
        return None
    data = vault.open_dict(payout.bank_details)
    return {key: data.get(key) for key in ("bank_code", "branch_code", "account_number", "holder")}


def _reason(entry) -> str:
    # gettext("") would answer the catalogue's header.
    reason = entry.data.get("reason") or ""
    return _(reason) if reason else ""
