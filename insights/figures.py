"""The wards' KPIs, counted from the platform's own records (EBPM: the figures the wards
decide on come from here). Unsuppressed: for the dashboard of ward administrators and
moderators; `insights.opendata` publishes them with small cells suppressed.

What each figure means (the dashboard and the open data's schema say the same):

- Fiscal year (年度): 1 April to 31 March in Japan time; 2026 is April 2026 to March 2027.
- Registered users of a ward (登録者数), at the end of the year (or now, for the running
  one): open accounts with a skills profile living in the ward (residents, by 住んでいる区),
  plus open accounts without a profile that belong to an organization of the ward (by the
  ward of the first organization they joined). Each person is counted once, in one ward,
  so the wards add up to the 23-ward total. Accounts that have named no ward yet are not
  counted.
- Matches (マッチング成立件数): matches made in the year, in the ward of the task;
  cross-ward (区をまたぐ): the resident lives in another ward than the organization's.
- Completion rate (完了率): of the year's matches that have ended, the share completed
  rather than cancelled.
- Days from posting to match (中央値): whole days from the task's publication to the
  match, the median over the year's matches.
- Verified hours (確認済み活動時間): hours the organization confirmed, by the date worked,
  in the task's ward; volunteers: the residents who logged them.
- Contests: teams entered (not withdrawn) and their members, and submissions, by the
  contest's ward and the day they were made; submissions per dataset: entries that name
  the dataset as used.

Every figure is a handful of grouped queries (GROUP BY ward, filtered counts per month),
whatever the number of rows: nothing loops over tasks, residents or matches in Python.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import CharField, Count, F, Func, IntegerField, Min, Q, Sum
from django.utils import timezone

from accounts.models import User
from contests.models import Submission, Team, TeamMembership
from core.japan_time import TOKYO, in_tokyo
from core.models import Ward
from marketplace.models import HoursLog, Match, MatchStatus, Membership, ResidentProfile

# The policy's targets (支援策②): per ward.
REGISTERED_USERS_TARGET = 1000
MATCHES_PER_YEAR_TARGET = 50

# Every count column of a row, in the order the tables and the open data show them.
COUNTS = (
    "registered_users",
    "residents",
    "organization_members",
    "matches",
    "cross_ward_matches",
    "same_ward_matches",
    "completed_matches",
    "cancelled_matches",
    "ongoing_matches",
    "volunteers_with_verified_hours",
    "contest_teams",
    "contest_entrants",
    "contest_submissions",
)
# Sums that are not counts of people.
AMOUNTS = ("verified_hours",)


# --- Fiscal years -----------------------------------------------------------------------


def fiscal_year_of(moment: datetime | None = None) -> int:
    """2026 for any moment from 1 April 2026 to 31 March 2027, Japan time."""
    local = in_tokyo(moment or timezone.now())
    return local.year if local.month >= 4 else local.year - 1


def fiscal_year_start(year: int) -> datetime:
    return datetime(year, 4, 1, tzinfo=TOKYO)


def fiscal_year_months(year: int) -> list[datetime]:
    """The first moment of each of the year's twelve months, April first."""
    return [
        datetime(year + (month < 4), month, 1, tzinfo=TOKYO)
        for month in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
    ]


def available_fiscal_years(now: datetime | None = None) -> list[int]:
    """From the year of the first account to the running one, newest first."""
    current = fiscal_year_of(now)
    first = User.objects.aggregate(first=Min("date_joined"))["first"]
    start = fiscal_year_of(first) if first else current
    return list(range(current, min(start, current) - 1, -1))


# --- The figures ------------------------------------------------------------------------


@dataclass
class Row:
    """One ward's figures for one year (ward None: the 23 wards together)."""

    ward: Ward | None
    counts: dict[str, int] = field(default_factory=dict)
    verified_hours: Decimal = Decimal(0)
    median_days_to_match: float | None = None

    def __getattr__(self, name):
        # Templates read row.matches like any attribute.
        if name in COUNTS:
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def cross_ward_share(self) -> float | None:
        matches = self.counts.get("matches", 0)
        return self.counts.get("cross_ward_matches", 0) / matches if matches else None

    @property
    def completion_rate(self) -> float | None:
        ended = self.counts.get("completed_matches", 0) + self.counts.get("cancelled_matches", 0)
        return self.counts.get("completed_matches", 0) / ended if ended else None

    @property
    def registered_share_of_target(self) -> float:
        target = REGISTERED_USERS_TARGET * (23 if self.ward is None else 1)
        return self.counts.get("registered_users", 0) / target

    @property
    def matches_share_of_target(self) -> float:
        target = MATCHES_PER_YEAR_TARGET * (23 if self.ward is None else 1)
        return self.counts.get("matches", 0) / target


@dataclass
class Figures:
    fiscal_year: int
    start: datetime
    until: datetime  # the end of the year, or the cut-off of a running one
    rows: list[Row]  # one per ward, in code order
    total: Row
    # Per month of the year, for the wards asked (all, or one): new registered users,
    # registered users at the month's end, matches made.
    months: list[dict]
    datasets: list[dict]  # {"dataset": id, "title", "publisher", "submissions"}, most used first

    @property
    def is_running(self) -> bool:
        return self.until < self.start.replace(year=self.start.year + 1)

    def row_for(self, ward: Ward) -> Row:
        return next(row for row in self.rows if row.ward is not None and row.ward.pk == ward.pk)


class DaysBetween(Func):
    """Whole days from `earlier` to `later` (both datetimes), in the database."""

    output_field = IntegerField()
    arity = 2

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400)::integer",
            arg_joiner=" - ",
            **extra,
        )


def _median_from_histogram(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def nth(n: int) -> int:  # 0-based
        seen = 0
        for value, count in ordered:
            seen += count
            if n < seen:
                return value
        raise IndexError(n)

    if total % 2:
        return float(nth(total // 2))
    return (nth(total // 2 - 1) + nth(total // 2)) / 2


class MonthInTokyo(Func):
    """ "2026-04": the month of a datetime in Japan time (UTC+9 all year: no summer
    time), in the database, without a per-row Python function."""

    output_field = CharField()
    arity = 1

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m', %(expressions)s, '+9 hours')",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'Asia/Tokyo', 'YYYY-MM')",
            **extra,
        )


def compute(
    fiscal_year: int | None = None, *, until: datetime | None = None, ward: Ward | None = None
) -> Figures:
    """The year's figures for every ward and the total; `months` for `ward` (or all).

    `until` cuts a running year short (the open data stops at the end of last month);
    by default the year runs to its end or to now.
    """
    now = timezone.now()
    year = fiscal_year_of(now) if fiscal_year is None else fiscal_year
    start = fiscal_year_start(year)
    end = fiscal_year_start(year + 1)
    until = min(end, until or now)
    until = max(until, start)
    months = fiscal_year_months(year)

    wards = list(Ward.objects.order_by("code"))
    counts: dict[int, dict[str, int]] = {w.pk: dict.fromkeys(COUNTS, 0) for w in wards}
    hours: dict[int, Decimal] = {w.pk: Decimal(0) for w in wards}
    month_rows = [{"start": m, "new_users": 0, "matches": 0} for m in months if m < until]
    chosen = None if ward is None else ward.pk

    month_index = {f"{row['start']:%Y-%m}": index for index, row in enumerate(month_rows)}

    def add_months(ward_id, item, column):
        if chosen in (None, ward_id) and item["month"] in month_index:
            month_rows[month_index[item["month"]]][column] += item["n"]

    # Registered users: residents by the ward they live in, from the day their profile
    # was made (closing an account deletes its profile)...
    for item in (
        ResidentProfile.objects.filter(created_at__lt=until)
        .annotate(month=MonthInTokyo("created_at"))
        .values("home_ward", "month")
        .annotate(n=Count("pk"))
    ):
        counts[item["home_ward"]]["residents"] += item["n"]
        add_months(item["home_ward"], item, "new_users")
    # ...and organization members without a profile, by their first organization's ward.
    first_memberships = Membership.objects.values("user").annotate(first=Min("pk")).values("first")
    for item in (
        Membership.objects.filter(
            pk__in=first_memberships,
            user__is_active=True,
            user__deleted_at__isnull=True,
            user__resident_profile__isnull=True,
            user__date_joined__lt=until,
        )
        .annotate(month=MonthInTokyo("user__date_joined"))
        .values("organization__ward", "month")
        .annotate(n=Count("pk"))
    ):
        counts[item["organization__ward"]]["organization_members"] += item["n"]
        add_months(item["organization__ward"], item, "new_users")

    # Matches made in the year.
    matches = Match.objects.filter(created_at__gte=start, created_at__lt=until)
    for item in (
        matches.annotate(month=MonthInTokyo("created_at"))
        .values("task_ward", "month")
        .annotate(
            n=Count("pk"),
            cross=Count("pk", filter=Q(cross_ward=True)),
            completed=Count("pk", filter=Q(status=MatchStatus.COMPLETED)),
            cancelled=Count("pk", filter=Q(status=MatchStatus.CANCELLED)),
        )
    ):
        row = counts[item["task_ward"]]
        row["matches"] += item["n"]
        row["cross_ward_matches"] += item["cross"]
        row["same_ward_matches"] += item["n"] - item["cross"]
        row["completed_matches"] += item["completed"]
        row["cancelled_matches"] += item["cancelled"]
        row["ongoing_matches"] += item["n"] - item["completed"] - item["cancelled"]
        add_months(item["task_ward"], item, "matches")

    # Days from posting to match: a histogram per ward (ward × whole days), medians here.
    histograms: dict[int, dict[int, int]] = {w.pk: {} for w in wards}
    overall: dict[int, int] = {}
    for item in (
        matches.filter(task__published_at__isnull=False)
        .annotate(days=DaysBetween(F("created_at"), F("task__published_at")))
        .values("task_ward", "days")
        .annotate(n=Count("pk"))
    ):
        days = max(0, item["days"])
        histograms[item["task_ward"]][days] = histograms[item["task_ward"]].get(days, 0) + item["n"]
        overall[days] = overall.get(days, 0) + item["n"]

    # Verified hours, by the day worked (a date: the year's local dates).
    # Dates worked before the cut-off's day, and that day itself when the cut-off is
    # not midnight (a running year counts today's confirmed hours).
    last_day = (in_tokyo(until) - timedelta(microseconds=1)).date() + timedelta(days=1)
    for item in (
        HoursLog.objects.filter(
            status=HoursLog.Status.CONFIRMED, date__gte=start.date(), date__lt=last_day
        )
        .values("match__task_ward")
        .annotate(total=Sum("hours"), volunteers=Count("match__resident", distinct=True))
    ):
        hours[item["match__task_ward"]] = item["total"] or Decimal(0)
        counts[item["match__task_ward"]]["volunteers_with_verified_hours"] = item["volunteers"]

    # Contests: teams, their members, submissions, by the contest's ward.
    in_year = {"created_at__gte": start, "created_at__lt": until}
    for item in (
        Team.objects.filter(withdrawn_at__isnull=True, **in_year)
        .values("contest__ward")
        .annotate(n=Count("pk"))
    ):
        counts[item["contest__ward"]]["contest_teams"] = item["n"]
    for item in (
        TeamMembership.objects.filter(
            team__withdrawn_at__isnull=True, joined_at__gte=start, joined_at__lt=until
        )
        .values("team__contest__ward")
        .annotate(n=Count("pk"))
    ):
        counts[item["team__contest__ward"]]["contest_entrants"] = item["n"]
    submissions = Submission.objects.filter(team__withdrawn_at__isnull=True, **in_year)
    for item in submissions.values("contest__ward").annotate(n=Count("pk")):
        counts[item["contest__ward"]]["contest_submissions"] = item["n"]

    through = Submission.datasets.through
    dataset_rows = list(
        through.objects.filter(submission__in=submissions.values("pk"))
        .filter(**({} if chosen is None else {"submission__contest__ward": chosen}))
        .values("dataset", title=F("dataset__title"), publisher=F("dataset__publisher"))
        .annotate(submissions=Count("submission", distinct=True))
        .order_by("-submissions", "title", "dataset")
    )

    rows = []
    for w in wards:
        row_counts = counts[w.pk]
        row_counts["registered_users"] = (
            row_counts["residents"] + row_counts["organization_members"]
        )
        rows.append(
            Row(
                ward=w,
                counts=row_counts,
                verified_hours=hours[w.pk],
                median_days_to_match=_median_from_histogram(histograms[w.pk]),
            )
        )
    total = Row(
        ward=None,
        counts={name: sum(row.counts[name] for row in rows) for name in COUNTS},
        verified_hours=sum((row.verified_hours for row in rows), Decimal(0)),
        median_days_to_match=_median_from_histogram(overall),
    )

    # Registered users at each month's end: the year-end stock less what came after.
    chosen_stock = (
        total.counts["registered_users"] if ward is None else counts[ward.pk]["registered_users"]
    )
    later = sum(month["new_users"] for month in month_rows)
    running = chosen_stock - later
    for month in month_rows:
        running += month["new_users"]
        month["registered_users"] = running

    return Figures(
        fiscal_year=year,
        start=start,
        until=until,
        rows=rows,
        total=total,
        months=month_rows,
        datasets=dataset_rows,
    )


__all__ = [
    "AMOUNTS",
    "COUNTS",
    "MATCHES_PER_YEAR_TARGET",
    "REGISTERED_USERS_TARGET",
    "Figures",
    "Row",
    "available_fiscal_years",
    "compute",
    "fiscal_year_of",
    "fiscal_year_start",
]
