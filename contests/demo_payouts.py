"""Demo prize money: the 品川区 contest's results are published, so its awards are open.
The ward's own account and budget are set, a second organizer approves (four eyes), and
the single-member winner has chosen bank transfer and entered an account, prepared by
the first organizer: logging in as the second organizer shows 「承認する」. The two-member
team's leader still decides who receives the prize (alone or split).

Everything goes through contests.payouts.services, as the organizers and the winner
would do it.
"""

from django.db import transaction

from accounts.models import Role
from accounts.services import grant_role
from core.models import Ward

from .models import ContestPage, Payout, PayoutStatus
from .payouts import services

WARD = "131091"  # 品川区
SECOND_ORGANIZER = ("accounting.shinagawa@example.jp", "品川区 会計管理室 佐藤")
WARD_ACCOUNT = {
    "providers": ["manual", "stripe"],
    "consignor_code": "1310910001",
    "consignor_name": "ｼﾅｶﾞﾜｸｶｲｹｲｶﾝﾘｼﾂ",
    "bank_code": "0001",
    "branch_code": "001",
    "account_type": "1",
    "account_number": "1234567",
}
WINNER_ACCOUNT = {
    "bank_name": "ゆうちょ銀行",
    "bank_code": "9900",
    "branch_name": "〇一八",
    "branch_code": "018",
    "account_type": "1",
    "account_number": "1234567",
    "holder": "ｸﾗｰｸ ｴﾐﾘｰ",
}


def seed_payouts(ctx, demo_user, organizer_email: str) -> None:
    contest = ContestPage.objects.filter(
        slug="shinagawa-kanko-2026", locale__language_code="ja"
    ).first()
    organizer = ctx.users.get(organizer_email)
    if contest is None or organizer is None:
        return
    if services.payout_settings(contest).pk:
        return  # seeded before
    second = demo_user(*SECOND_ORGANIZER)
    grant_role(second, Role.CONTEST_ORGANIZER, ward=Ward.objects.get(code=WARD))
    ctx.users[SECOND_ORGANIZER[0]] = second
    with transaction.atomic():
        services.save_settings(organizer, contest, dict(WARD_ACCOUNT))
        awarded = sum(p.amount for p in Payout.objects.filter(award__contest=contest))
        services.record_ward_funding(
            organizer, contest, awarded, "令和8年度 観光費 賞金（当初予算）"
        )
        for payout in Payout.objects.filter(
            award__contest=contest, status=PayoutStatus.DETAILS_NEEDED
        ):
            services.choose_method(payout.recipient, payout, "manual", True)
            services.save_bank_details(payout.recipient, payout, dict(WINNER_ACCOUNT))
            payout.refresh_from_db()
            services.prepare(organizer, payout)
    ctx.say(f"  prize money: {contest.title}")
