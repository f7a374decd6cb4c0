"""Prize-money scenarios: results published, awards open, a second organizer for the
four eyes, the ward's funding, a winner's bank details as they type them."""

from contests.models import Assignment, Award, Payout, TeamMembership
from contests.payouts import services as payouts
from contests.services import judging, results

from . import factories as f

BANK = {
    "bank_name": "みずほ銀行",
    "bank_code": "0001",
    "branch_name": "東京営業部",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
    "holder": "ﾔﾏﾀﾞ ﾀﾛｳ",  # half width, as some people type it
}


def published(organizer, *, teams: int = 2, members: int = 0, fund: int | None = 1_000_000):
    """A contest whose results are published: team 1 wins 最優秀賞 (¥300,000), team 2 優秀賞
    (¥100,000). `members` more people join team 1 before judging. The ward funds the pool
    with `fund` yen (None: no funding). Returns a dict of what a test needs."""
    contest, made = f.judging_contest(teams=teams)
    extra = []
    for n in range(members):
        person = f.entrant(display_name=f"メンバー{n + 1}")
        TeamMembership.objects.create(
            contest=contest, team=made[0], user=person, answers=dict(f.ANSWERS)
        )
        extra.append(person)
    round_ = f.judging_round(contest, organizer, k=1)
    judge = f.judge(display_name="審査員 森")
    judging.add_judge(organizer, round_, judge.email, scope="all")
    judging.assign(organizer, round_)
    f.open_round(round_)
    values = list(range(5, 5 - teams, -1))
    for value, assignment in zip(
        values, Assignment.objects.filter(round=round_).order_by("entry_id"), strict=False
    ):
        scores = {c.pk: (max(value, 1), "") for c in round_.criteria.all()}
        judging.save_scores(judge, assignment, scores, comment="講評です", submit=True)
    f.close_round(round_)
    top, second = list(contest.prizes.order_by("sort_order"))[:2]
    results.choose_winners(organizer, top, [made[0].submission])
    if teams > 1:
        results.choose_winners(organizer, second, [made[1].submission])
    ward_account(organizer, contest)
    if fund:
        payouts.record_ward_funding(organizer, contest, fund, "令和9年度 一般会計 予算")
    results.publish_results(organizer, contest)
    award = Award.objects.get(prize=top)
    return {
        "contest": contest,
        "teams": made,
        "members": extra,
        "award": award,
        "payout": Payout.objects.get(award=award, recipient=made[0].leader),
        "leader": made[0].leader,
    }


SENDER = {
    "providers": ["manual"],
    "consignor_code": "1234567890",
    "consignor_name": "ﾄｳｷﾖｳﾄｺｳﾄｳｸ",
    "bank_code": "0005",
    "branch_code": "123",
    "account_type": "1",
    "account_number": "7654321",
}


def ward_account(organizer, contest, providers=("manual",)):
    """The ward's own account the transfers leave from, and the ways it pays."""
    return payouts.save_settings(organizer, contest, {**SENDER, "providers": list(providers)})


def second_organizer(ward_code: str = f.KOTO):
    return f.organizer(ward_code, display_name="江東区 会計管理室")


def ready(payout, user=None, provider: str = "manual"):
    """The recipient says how to be paid and, for bank transfer, gives the account."""
    user = user or payout.recipient
    payouts.choose_method(user, payout, provider, True)
    if provider == "manual":
        payouts.save_bank_details(user, payout, dict(BANK))
    payout.refresh_from_db()
    return payout


def approved(payout, preparer, approver, provider: str = "manual"):
    if payout.status != "ready":
        ready(payout, provider=provider)
    payouts.prepare(preparer, payout)
    payouts.approve(approver, payout)
    payout.refresh_from_db()
    return payout
