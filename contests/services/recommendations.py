"""Contests for a resident: the ones open for entry that they may enter and have not
entered, their own wards' first, then the closest deadline; every reason in words.

"May enter" is the contest's eligibility area: a contest for one ward only is offered
to people who gave that ward (accounts.localities: where they live or work); everyone
else who may enter sees it after their own wards' contests.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import localities
from core.japan_time import format_tokyo

from ..filters import live_contests
from ..models import ContestPage, ContestState, EligibilityArea, TeamMembership


@dataclass
class ContestRecommendation:
    contest: ContestPage
    reasons: list[str] = field(default_factory=list)


def open_to(contest: ContestPage, wards: set) -> bool:
    """Whether someone of `wards` may enter (the ward-only rule; the rest is asked at entry)."""
    return contest.eligibility_area != EligibilityArea.WARD or contest.ward_id in wards


def reasons(contest: ContestPage, wards: set) -> list[str]:
    ward = contest.ward.name
    return [
        pgettext("a recommended contest", "In %(ward)s, your ward") % {"ward": ward}
        if contest.ward_id in wards
        else ward,
        _("Entries close %(date)s") % {"date": format_tokyo(contest.entry_closes_at)},
    ]


def ranked(contests, wards: set) -> list[ContestRecommendation]:
    """`contests` that someone of `wards` may enter, their own wards' first (stable)."""
    fitting = sorted(
        (c for c in contests if open_to(c, wards)), key=lambda c: c.ward_id not in wards
    )
    return [ContestRecommendation(c, reasons(c, wards)) for c in fitting]


def contests_for(user, limit: int = 3) -> list[ContestRecommendation]:
    entered = TeamMembership.objects.filter(user=user).values("contest__translation_key")
    contests = (
        live_contests()
        .filter(ContestState.q(ContestState.ENTRY_OPEN, timezone.now()))
        .exclude(translation_key__in=entered)
        .select_related("ward")
        .order_by("entry_closes_at", "pk")
    )
    wards = localities.wards_of([user.pk]).get(user.pk, set())
    return ranked(contests, wards)[:limit]
