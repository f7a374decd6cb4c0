"""Judging at 1,000 submissions × 30 judges × 6 criteria (issue #19's target).

Two rankings are timed, normalisation and the sensitivity panel included:

- **from the database**: contests.services.judging.round_ranking on a round of the
  contests bench's largest contest (1,000 entries), where each entry has 10 of the 30
  judges (10,000 submitted sheets, 60,000 scores): judges saw different subsets, so the
  normalised score ranks;
- **every judge on every entry**: contests.ranking.rank on 30,000 sheets (180,000
  scores) built in memory, the worst case for the maths.

And the pages: a judge's scoring page (p95 server time, the sheet of an entry with its
version at the deadline) and the organizer's ranking page.

The round, its judges, assignments and scores are bulk-inserted once into the bench
database (after the contests bench's data, which this bench builds if missing).
"""

import gc
import random
import statistics
import time
from datetime import timedelta

from django.test import Client

from .harness import figure, measure_requests

DESCRIPTION = (
    "Ranking of 1,000 submissions × 30 judges × 6 criteria with normalisation and the "
    "sensitivity panel (from the database with 10 judges per entry, and in memory with "
    "every judge on every entry); a judge's scoring page and the ranking page"
)
SCALE = 1
JUDGES = 30
CRITERIA = 6
PER_ENTRY = 10
TARGET_RANKING_S = "<= 1"
TARGET_PAGE_P95 = "<= 60"
JUDGE_EMAIL = "bench.judge.{:02d}@example.jp"


def run(args) -> dict:
    from contests.models import ContestIndexPage, ContestPage
    from contests.services import judging

    from .bench_contests import SLUG, _ensure_data

    index = ContestIndexPage.objects.get(slug="challenge", locale__language_code="ja")
    _ensure_data(index)
    contest = ContestPage.objects.get(slug=f"{SLUG}001")
    judging_round = _ensure_round(contest)
    gc.collect()
    gc.freeze()  # the bench's own heap (see bench_contests)

    figures = {
        "entries": figure(judging_round.entries.count(), ">= 1000"),
        "judges": figure(judging_round.judges.count(), ">= 30"),
        "criteria": figure(judging_round.criteria.count(), ">= 6"),
        "sheets": figure(judging_round.assignments.count(), "info"),
    }
    repeat = max(3, args.repeat // 10)
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        ranked = judging.round_ranking(judging_round)
        ranked.sensitivity(places=3)
        timings.append(time.perf_counter() - start)
    figures["ranking_from_database_s"] = figure(max(timings), TARGET_RANKING_S, "s")
    figures["ranking_from_database_median_s"] = figure(statistics.median(timings), "info", "s")
    figures["ranking_method"] = {"value": ranked.method, "unit": "", "target": "info", "met": None}

    timings = []
    specs, sheets = _full_coverage()
    for _ in range(repeat):
        start = time.perf_counter()
        from contests import ranking

        ranked = ranking.rank(specs, sheets, ladder=["criterion:0", "votes"])
        ranked.sensitivity(places=3)
        timings.append(time.perf_counter() - start)
    figures["ranking_every_judge_every_entry_s"] = figure(max(timings), TARGET_RANKING_S, "s")
    figures["ranking_sheets_in_memory"] = figure(len(sheets), ">= 30000")

    figures.update(_pages(judging_round, args.repeat))
    return figures


def _pages(judging_round, repeat: int) -> dict:
    from contests.models import Assignment

    assignment = (
        Assignment.objects.filter(round=judging_round)
        .select_related("judge")
        .order_by("id")
        .first()
    )
    judge = Client()
    judge.force_login(assignment.judge)
    sheet = measure_requests(judge, f"/contests/judging/{assignment.pk}/", repeat=repeat)
    organizer = Client()
    from accounts.models import User

    organizer.force_login(User.objects.filter(is_superuser=True).first())
    ranking_page = measure_requests(
        organizer, f"/contests/rounds/{judging_round.pk}/ranking/", repeat=max(3, repeat // 10)
    )
    return {
        "scoring_page_p50_ms": figure(sheet["p50_ms"], "info", "ms"),
        "scoring_page_p95_ms": figure(sheet["p95_ms"], TARGET_PAGE_P95, "ms"),
        "scoring_page_queries": figure(sheet["queries"], "info"),
        "ranking_page_p50_ms": figure(ranking_page["p50_ms"], "info", "ms"),
        "ranking_page_p95_ms": figure(ranking_page["p95_ms"], "info", "ms"),
        "ranking_page_queries": figure(ranking_page["queries"], "info"),
    }


def _full_coverage():
    from contests import ranking

    rng = random.Random(19)
    specs = [
        ranking.Criterion(key=c, weight=1 + c % 3, scale_min=1, scale_max=5)
        for c in range(CRITERIA)
    ]
    sheets = []
    for judge in range(JUDGES):
        bias = rng.choice([-1, 0, 0, 1])
        for entry in range(1000):
            values = {c: min(5, max(1, rng.randint(1, 5) + bias)) for c in range(CRITERIA)}
            sheets.append(ranking.Sheet(judge, entry, values))
    return specs, sheets


# --- The data ---------------------------------------------------------------------------


def _ensure_round(contest):
    from django.db import transaction
    from django.utils import timezone

    from contests.models import (
        Assignment,
        AssignmentStatus,
        Criterion,
        JudgingRound,
        RoundEntry,
        RoundJudge,
        Score,
        Submission,
    )

    existing = JudgingRound.objects.filter(contest=contest, kind="screening").first()
    if existing is not None:
        return existing
    now = timezone.now()
    rng = random.Random(19)
    with transaction.atomic():
        judging_round = JudgingRound.objects.create(
            contest=contest,
            kind="screening",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=3650),
            judges_per_entry=PER_ENTRY,
            tie_break=["votes"],
        )
        criteria = Criterion.objects.bulk_create(
            [
                Criterion(
                    round=judging_round,
                    name=f"評価基準{n + 1}",
                    weight=1 + n % 3,
                    scale_max=5,
                    position=n,
                )
                for n in range(CRITERIA)
            ]
        )
        judges = _ensure_judges()
        RoundJudge.objects.bulk_create(
            [RoundJudge(round=judging_round, user_id=pk) for pk in judges]
        )
        submissions = list(
            Submission.objects.filter(contest=contest).order_by("pk").values_list("pk", flat=True)
        )
        entries = RoundEntry.objects.bulk_create(
            [RoundEntry(round=judging_round, submission_id=pk) for pk in submissions],
            batch_size=2000,
        )
        bias = {pk: rng.choice([-1, 0, 0, 1]) for pk in judges}
        assignments = []
        for position, entry in enumerate(entries):
            # A rotating window of 10 of the 30 judges: balanced, different subsets.
            for offset in range(PER_ENTRY):
                judge = judges[(position + offset * 3) % JUDGES]
                assignments.append(
                    Assignment(
                        round=judging_round,
                        judge_id=judge,
                        entry=entry,
                        status=AssignmentStatus.SUBMITTED,
                        submitted_at=now,
                    )
                )
        Assignment.objects.bulk_create(assignments, batch_size=2000, ignore_conflicts=True)
        saved = Assignment.objects.filter(round=judging_round).values_list("pk", "judge_id")
        Score.objects.bulk_create(
            [
                Score(
                    assignment_id=pk,
                    criterion=criterion,
                    value=min(5, max(1, rng.randint(1, 5) + bias[judge_id])),
                )
                for pk, judge_id in saved
                for criterion in criteria
            ],
            batch_size=5000,
        )
    return judging_round


def _ensure_judges() -> list[int]:
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    emails = [JUDGE_EMAIL.format(n) for n in range(JUDGES)]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    password = make_password("demo-pass-2026")
    User.objects.bulk_create(
        [
            User(email=email, display_name=f"審査員 {n:02d}", password=password, language="ja")
            for n, email in enumerate(emails)
            if email not in existing
        ]
    )
    by_email = dict(User.objects.filter(email__in=emails).values_list("email", "id"))
    return [by_email[email] for email in emails]
