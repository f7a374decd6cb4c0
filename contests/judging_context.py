"""What the contest page shows about judging, the audience vote and the results.

Criteria and tie-break rules are shown once set (participants know how they will be
judged); vote counts only once the window has closed; winners only once published.
"""

from django.db.models import Prefetch

from .models import AudienceVoting, Award, Criterion, TieDecision, Vote
from .services import results


def judging_context(contest, request, now) -> dict:
    rounds = list(
        contest.judging_rounds.prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("position", "id"))
        )
    )
    voting = AudienceVoting.objects.filter(contest=contest).first()
    user = request.user
    my_vote = None
    refusal = None
    counts = None
    if voting is not None:
        if user.is_authenticated:
            my_vote = (
                Vote.objects.filter(contest=contest, user=user)
                .values_list("submission_id", flat=True)
                .first()
            )
        refusal = results.vote_refusal(user, contest, now)
        counts = results.vote_counts(contest, now)
    publication = results.published(contest)
    awards, tie_decisions = [], []
    if publication is not None:
        awards = list(
            Award.objects.filter(contest=contest).select_related("prize", "submission__team")
        )
        # How ties the rules left were decided: published with the results.
        tie_decisions = list(
            TieDecision.objects.filter(round__contest=contest).select_related("round")
        )
    return {
        "judging_rounds": [round_ for round_ in rounds if round_.criteria.all()],
        "voting": voting,
        "voting_open": voting is not None and voting.is_open(now),
        "vote_refusal": refusal,
        "my_vote": my_vote,
        "vote_counts": counts,
        "publication": publication,
        "awards": awards,
        "tie_decisions": tie_decisions,
    }
