"""Demo judging: the 江戸川区 contest (judging now) has a first screening open, with the
demo judge (judge@example.jp) half-way through the score sheets and an audience vote
under way; the 品川区 contest (finished) has its screening scored by two judges, its
winners chosen and its results published, so every page of judging has something on it.

Everything goes through contests.services, as the organizer and the judges would do
it; only the clock is moved, as in contests.demo.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import grant_role
from core.models import Ward

from .models import Assignment, AudienceVoting, ContestPage, JudgingRound, Submission
from .services import judging, results

JUDGE = "judge@example.jp"
SECOND_JUDGE = ("judge.kimura@example.jp", "審査員 木村")
ORGANIZERS = {
    "131237": ("organizer.edogawa@example.jp", "江戸川区 防災課 高橋"),
    "131091": ("organizer.shinagawa@example.jp", "品川区 観光課 田中"),
}
CRITERIA = [
    {
        "name": "課題の捉え方",
        "description": "区民の困りごとを具体的に捉え、解決につながっているか",
        "weight": 3,
        "scale_max": 5,
    },
    {
        "name": "オープンデータの活用",
        "description": "区のオープンデータを適切に使っているか",
        "weight": 2,
        "scale_max": 5,
    },
    {
        "name": "実現性・継続性",
        "description": "区の事業として続けて使えるか",
        "weight": 1,
        "scale_max": 5,
    },
]
# Each judge's scores for the contest's entries, in the order the teams were made.
SCORES = {
    "edogawa-bousai-2026": {JUDGE: [(5, 4, 4)]},  # one of two scored; the other waits
    "shinagawa-kanko-2026": {
        JUDGE: [(4, 5, 3), (5, 3, 4)],
        SECOND_JUDGE[0]: [(3, 4, 4), (4, 4, 3)],
    },
}
COMMENTS = ["避難の判断に直結する、よく考えられた作品です。", "データの使い方に工夫があります。"]


def seed_judging(ctx, demo_user) -> None:
    from .demo import _user  # the demo's own lookup of seeded people

    wards = {ward.code: ward for ward in Ward.objects.filter(code__in=ORGANIZERS)}
    organizers = {}
    for code, (email, name) in ORGANIZERS.items():
        organizers[code] = demo_user(email, name)
        grant_role(organizers[code], Role.CONTEST_ORGANIZER, ward=wards[code])
        ctx.users[email] = organizers[code]
    second = demo_user(*SECOND_JUDGE)
    grant_role(second, Role.JUDGE)
    judges = {JUDGE: _user(ctx, JUDGE), SECOND_JUDGE[0]: second}
    for slug, scores in SCORES.items():
        contest = ContestPage.objects.filter(slug=slug, locale__language_code="ja").first()
        if contest is None or JudgingRound.objects.filter(contest=contest).exists():
            continue
        organizer = organizers[contest.ward.code]
        with transaction.atomic():
            _judge(contest, organizer, judges, scores)
        ctx.say(f"  judging: {contest.title}")
    from .demo_payouts import seed_payouts

    seed_payouts(ctx, demo_user, ORGANIZERS["131091"][0])


def _judge(contest, organizer, judges, scores) -> None:
    now = timezone.now()
    finished = contest.results_at <= now
    # Set up as it would have been before scoring opened (criteria are fixed then): a
    # round opening in an hour, moved back once set up. A finished contest's real window
    # is in the past, where the services would not create it: its row is written here.
    opens = now + timedelta(hours=1)
    if finished:
        round_ = JudgingRound.objects.create(
            contest=contest,
            kind="screening",
            opens_at=opens,
            closes_at=now + timedelta(days=2),
            judges_per_entry=len(scores),
        )
    else:
        round_ = judging.create_round(
            organizer,
            contest,
            kind="screening",
            opens_at=opens,
            closes_at=min(contest.results_at, now + timedelta(days=4)),
            judges_per_entry=len(scores),
        )
    judging.set_criteria(organizer, round_, [dict(c) for c in CRITERIA])
    judging.set_tie_break(organizer, round_, [f"criterion:{round_.criteria.first().pk}", "votes"])
    for email in scores:
        judging.add_judge(organizer, round_, judges[email].email, scope="all")
    judging.assign(organizer, round_)
    # Scoring opened a day after the deadline.
    opened = contest.submission_deadline + timedelta(days=1)
    JudgingRound.objects.filter(pk=round_.pk).update(opens_at=opened)
    round_.refresh_from_db()
    entries = list(
        Submission.objects.filter(contest=contest, team__withdrawn_at__isnull=True).order_by(
            "team_id"
        )
    )
    scoring_time = opened + timedelta(hours=2)
    for email, sheets in scores.items():
        judge = judges[email]
        for position, values in enumerate(sheets):
            assignment = Assignment.objects.get(
                round=round_, judge=judge, entry__submission=entries[position]
            )
            judging.save_scores(
                judge,
                assignment,
                {c.pk: (v, "") for c, v in zip(round_.criteria.all(), values, strict=True)},
                comment=COMMENTS[position % len(COMMENTS)],
                submit=True,
                now=scoring_time if finished else None,
            )
    if not finished:
        voting = results.set_voting(organizer, contest, opens, round_.closes_at)
        opened = now - timedelta(days=2)
        AudienceVoting.objects.filter(pk=voting.pk).update(opens_at=opened)
        # The demo's people have used the site for a while: accounts made after voting
        # opened cannot vote, and the demo would otherwise have nobody who can.
        User.objects.filter(email__endswith="@example.jp", date_joined__gte=opened).update(
            date_joined=opened - timedelta(days=60)
        )
        return
    JudgingRound.objects.filter(pk=round_.pk).update(
        closes_at=contest.results_at - timedelta(days=2)
    )
    round_.refresh_from_db()
    ranked = [s.entry for s in judging.round_ranking(round_).scored]
    for prize, winner in zip(contest.prizes.all(), ranked, strict=False):
        results.choose_winners(organizer, prize, [Submission.objects.get(pk=winner)])
    results.publish_results(organizer, contest)
