"""Results: the audience vote, choosing winners per prize, publishing, and what each team
then reads about its own entry; the follow-up board task for a winner (実装支援).
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core import follow_ups
from core.activity import log_action
from core.email import email_user
from core.errors import Conflict, NotAllowed, NotFound

from ..models import (
    AssignmentStatus,
    AudienceVoting,
    Award,
    ContestPage,
    Prize,
    ResultsPublication,
    RoundKind,
    RoundState,
    Submission,
    TeamMembership,
    Vote,
)
from ..payouts import services as payouts
from . import judging

# --- The audience vote ------------------------------------------------------------------


@transaction.atomic
def set_voting(organizer, contest: ContestPage, opens_at, closes_at) -> AudienceVoting:
    contest = contest.canonical
    policy.check(organizer, "contests.manage_judging", contest)
    errors = {}
    if opens_at is None:
        errors["opens_at"] = _("Say when voting opens.")
    if closes_at is None:
        errors["closes_at"] = _("Say when voting closes.")
    if not errors and closes_at <= opens_at:
        errors["closes_at"] = _("Voting must close after it opens.")
    if not errors and opens_at <= contest.submission_deadline:
        errors["opens_at"] = _("Voting opens after the submission deadline.")
    if not errors and closes_at > contest.results_at:
        errors["closes_at"] = _("Voting must close by the time the results are due.")
    if errors:
        raise ValidationError(errors)
    voting = AudienceVoting.objects.filter(contest=contest).first()
    now = timezone.now()
    if voting is not None and voting.opens_at <= now and opens_at != voting.opens_at:
        raise ValidationError({"opens_at": _("Voting has already opened.")})
    if voting is None:
        voting = AudienceVoting(contest=contest)
    voting.opens_at, voting.closes_at = opens_at, closes_at
    voting.save()
    log_action(
        organizer,
        "contests.voting_set",
        contest,
        opens_at=opens_at.isoformat(),
        closes_at=closes_at.isoformat(),
    )
    return voting


def vote_candidates(contest: ContestPage):
    """What the audience can vote for: the public entries of teams still in the contest."""
    return Submission.objects.public().filter(contest=contest.canonical).select_related("team")


def _is_verified(user) -> bool:
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


def vote_refusal(user, contest: ContestPage, now=None) -> str | None:
    """Why `user` may not vote in this contest now, in words; None when they may."""
    contest = contest.canonical
    now = now or timezone.now()
    voting = AudienceVoting.objects.filter(contest=contest).first()
    if voting is None:
        return _("This contest has no audience vote.")
    if now < voting.opens_at:
        return _("Voting has not opened yet.")
    if now >= voting.closes_at:
        return _("Voting has closed.")
    if not user.is_authenticated:
        return _("Log in to vote.")
    if not _is_verified(user):
        return _("Confirm your e-mail address to vote.")
    if user.date_joined >= voting.opens_at:
        return _("Accounts created after voting opened cannot vote in this contest.")
    if Vote.objects.filter(contest=contest, user=user).exists():
        return _("You have voted in this contest.")
    return None


@transaction.atomic
def cast_vote(user, submission: Submission, now=None) -> Vote:
    """One vote per verified account per contest, never for one's own team."""
    policy.check(user, "contests.vote", submission.contest)
    contest = submission.contest
    refusal = vote_refusal(user, contest, now)
    if refusal is not None:
        raise Conflict(refusal)
    if not vote_candidates(contest).filter(pk=submission.pk).exists():
        raise NotFound
    if TeamMembership.objects.filter(team_id=submission.team_id, user=user).exists():
        raise Conflict(_("You cannot vote for your own team."))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(contest=contest, user=user, submission=submission)
    except IntegrityError:
        # Two tabs at once: the database keeps one vote.
        raise Conflict(_("You have voted in this contest.")) from None
    log_action(user, "contests.vote_cast", contest)
    return vote


def vote_counts(contest: ContestPage, now=None) -> dict | None:
    """submission id → votes, once the window has closed (None before)."""
    contest = contest.canonical
    voting = AudienceVoting.objects.filter(contest=contest).first()
    if voting is None or not voting.is_closed(now):
        return None
    return dict(
        Vote.objects.filter(contest=contest)
        .values_list("submission_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


# --- Winners ----------------------------------------------------------------------------


def deciding_round(contest: ContestPage):
    """The round whose ranking chooses the winners: the final, else the first screening."""
    rounds = {r.kind: r for r in contest.canonical.judging_rounds.all()}
    return rounds.get(RoundKind.FINAL) or rounds.get(RoundKind.SCREENING)


def suggested_winners(contest: ContestPage) -> dict[int, list[int]]:
    """prize id → submission ids: the top of the ranking for the jury's prizes in order
    (no entry gets two), the most votes for an audience prize."""
    contest = contest.canonical
    judging_round = deciding_round(contest)
    suggestions, taken = {}, set()
    ranked = []
    if judging_round is not None:
        ranked = [s.entry for s in judging.round_ranking(judging_round).scored]
    counts = vote_counts(contest) or {}
    for prize in contest.prizes.all():
        if prize.audience:
            by_votes = sorted(counts, key=lambda pk: (-counts[pk], pk))
            suggestions[prize.pk] = by_votes[: prize.winners]
            continue
        chosen = [pk for pk in ranked if pk not in taken][: prize.winners]
        taken.update(chosen)
        suggestions[prize.pk] = chosen
    return suggestions


@transaction.atomic
def choose_winners(organizer, prize: Prize, submissions) -> list[Award]:
    contest = prize.contest.canonical
    policy.check(organizer, "contests.publish_results", contest)
    if ResultsPublication.objects.filter(contest=contest).exists():
        raise Conflict(_("The results are published: the winners stand."))
    submissions = list(submissions)
    if len(submissions) > prize.winners:
        raise ValidationError(_("This prize has %(n)d winner(s).") % {"n": prize.winners})
    entries = set(
        Submission.objects.filter(contest=contest, team__withdrawn_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    if any(submission.pk not in entries for submission in submissions):
        raise ValidationError(_("Choose among this contest's entries."))
    Award.objects.filter(prize=prize).delete()
    awards = [
        Award.objects.create(
            contest=contest, prize=prize, submission=submission, chosen_by=organizer
        )
        for submission in submissions
    ]
    log_action(
        organizer,
        "contests.winners_chosen",
        contest,
        prize=prize.pk,
        submissions=[submission.pk for submission in submissions],
    )
    return awards


def publish_blockers(contest: ContestPage, now=None, ranked=None) -> list[str]:
    """What must be done before the results can be published, in words."""
    contest = contest.canonical
    now = now or timezone.now()
    blockers = []
    judging_round = deciding_round(contest)
    if judging_round is None:
        blockers.append(_("There is no judging round."))
    elif judging_round.state_at(now) != RoundState.CLOSED:
        blockers.append(_("Scoring is still open in the deciding round."))
    voting = AudienceVoting.objects.filter(contest=contest).first()
    if voting is not None and not voting.is_closed(now):
        blockers.append(_("The audience vote has not closed."))
    if not Award.objects.filter(contest=contest).exists():
        blockers.append(_("No winner has been chosen."))
    if judging_round is not None:
        ranked = ranked or judging.round_ranking(judging_round)
        places = sum(prize.winners for prize in contest.prizes.all() if not prize.audience)
        for group in ranked.unresolved:
            standing = next(s for s in ranked.standings if s.entry == group[0])
            if standing.place is not None and standing.place <= max(places, 1):
                blockers.append(
                    _("A tie for place %(place)d is not decided yet.") % {"place": standing.place}
                )
    return blockers


@transaction.atomic
def publish_results(organizer, contest: ContestPage, now=None) -> ResultsPublication:
    """Show the winners on the contest page, let each team read its scores and comments,
    and tell every entrant, in their language. Once."""
    contest = ContestPage.objects.select_for_update().get(pk=contest.canonical.pk)
    policy.check(organizer, "contests.publish_results", contest)
    if ResultsPublication.objects.filter(contest=contest).exists():
        raise Conflict(_("The results are already published."))
    judging_round = deciding_round(contest)
    # One ranking serves the check and the snapshot.
    ranked = judging.round_ranking(judging_round) if judging_round is not None else None
    blockers = publish_blockers(contest, now, ranked)
    if blockers:
        raise Conflict(" ".join(str(blocker) for blocker in blockers))
    snapshot = {
        "round": judging_round.pk,
        "method": ranked.method,
        "subsets_differ": ranked.subsets_differ,
        "standings": [
            {
                "submission": s.entry,
                "place": s.place,
                "judges": s.judges,
                "raw": s.raw,
                "normalised": s.normalised,
                "rank": s.rank,
                "settled_by": s.settled_by,
            }
            for s in ranked.standings
        ],
    }
    publication = ResultsPublication.objects.create(
        contest=contest,
        published_at=now or timezone.now(),
        published_by=organizer,
        snapshot=snapshot,
    )
    log_action(organizer, "contests.results_published", contest)
    payouts.open_payouts(contest, organizer)
    _tell_entrants(contest)
    return publication


def _tell_entrants(contest: ContestPage) -> None:
    awards_by_team = {}
    for award in Award.objects.filter(contest=contest).select_related("prize", "submission"):
        awards_by_team.setdefault(award.submission.team_id, []).append(award)
    memberships = TeamMembership.objects.filter(
        team__contest=contest, team__withdrawn_at__isnull=True
    ).select_related("user", "team")
    for membership in memberships:
        awards = awards_by_team.get(membership.team_id, [])
        email_user(
            membership.user,
            "contests/email/results_winner.txt" if awards else "contests/email/results_entrant.txt",
            contest=contest,
            team=membership.team,
            awards=awards,
            prize_money=any(award.prize.amount for award in awards),
        )


def published(contest: ContestPage) -> ResultsPublication | None:
    return ResultsPublication.objects.filter(contest=contest.canonical).first()


def feedback(user, submission: Submission) -> dict:
    """The scores and comments on the team's own entry, judge by judge (named 審査員 A,
    B… not by name), and its place: for the team once the results are published."""
    policy.check(user, "contests.read_feedback", submission)
    publication = published(submission.contest)
    if publication is None:
        raise NotAllowed
    rounds = []
    for judging_round in submission.contest.judging_rounds.order_by("opens_at"):
        assignments = (
            judging_round.assignments.filter(
                entry__submission=submission, status=AssignmentStatus.SUBMITTED
            )
            .prefetch_related("scores__criterion")
            .order_by("id")
        )
        if not assignments:
            continue
        ranked = judging.round_ranking(judging_round)
        standing = next((s for s in ranked.standings if s.entry == submission.pk), None)
        rounds.append(
            {
                "round": judging_round,
                "criteria": list(judging_round.criteria.all()),
                "standing": standing,
                "method": ranked.method,
                "entries": len(ranked.scored),
                "sheets": [
                    {
                        "label": chr(ord("A") + index),
                        "scores": list(assignment.scores.all()),
                        "comment": assignment.comment,
                    }
                    for index, assignment in enumerate(assignments)
                ],
            }
        )
    return {"publication": publication, "rounds": rounds}


# --- 実装支援: carrying a winner on ------------------------------------------------------


@transaction.atomic
def start_follow_up(organizer, award: Award, kind: str = "marketplace.task") -> follow_ups.FollowUp:
    """Turn a winning entry into a follow-up of `kind` (a board task asking skilled
    residents to help implement it), linked both ways: the task names the entry, the
    contest page links the task."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    contest = award.contest
    policy.check(organizer, "contests.publish_results", contest)
    if published(contest) is None:
        raise Conflict(_("Publish the results first."))
    if award.follow_up:
        raise Conflict(_("This entry already has a follow-up."))
    submission = award.submission
    team = submission.team
    # The board is written in the site's language first, whoever clicks.
    with translation.override(settings.LANGUAGE_CODE):
        request = follow_ups.FollowUpRequest(
            actor=organizer,
            title=_("Implementation support: %(title)s") % {"title": submission.title},
            description=_(
                "「%(title)s」 by the team 「%(team)s」 won 「%(prize)s」 in 「%(contest)s」. "
                "We are looking for skilled residents to help the team turn it into a "
                "service people in the ward can rely on.\n\n%(summary)s"
            )
            % {
                "title": submission.title,
                "team": team.name,
                "prize": award.prize.name,
                "contest": contest.title,
                "summary": submission.summary,
            },
            ward=contest.ward,
            origin_url=reverse("contests:submission_detail", args=[submission.pk]),
            origin_label=_("「%(title)s」, %(prize)s in 「%(contest)s」")
            % {"title": submission.title, "prize": award.prize.name, "contest": contest.title},
            people=list(team.memberships.values_list("user_id", flat=True)),
        )
    created = follow_ups.start(kind, request)
    award.follow_up, award.follow_up_url = created.reference, created.public_url
    award.save(update_fields=["follow_up", "follow_up_url"])
    log_action(
        organizer,
        "contests.follow_up_started",
        contest,
        award=award.pk,
        follow_up=created.reference,
    )
    return created
