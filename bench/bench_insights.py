"""The wards' KPI dashboard for all 23 wards (issue #22's target: p95 <= 150 ms) at
100,000 tasks, 50,000 residents and 20,000 matches: `GET /kpi/` through the test client
as an all-ward moderator, view, figures and template rendering included.

`seed_demo` makes no bulk matches, so this bench adds them once (idempotent: it counts
its own by their applications' message): 20,000 matches of bulk residents on bulk open
tasks, spread over the running fiscal year up to now, a quarter completed with confirmed
hours, a tenth cancelled, each with its accepted application, written with bulk_create
as the services would write them.

Measured twice: computed (the dashboard's cache emptied before every request: what the
first person after a change waits) and cached (insights.services keeps the figures for
five minutes). The open data's CSV is timed too (computed, with its suppression).
"""

import random
import time
from datetime import timedelta

from .harness import figure, measure_requests, percentile

DESCRIPTION = (
    "KPI dashboard: all 23 wards at 100,000 tasks, 50,000 residents and 20,000 matches "
    "(GET /kpi/, computed and cached; the open data CSV)"
)
SCALE = 834
MATCHES = 20_000
TARGET_P95 = "<= 150"
MARK = "bench-insights"
DASHBOARD_KEYS = [f"insights:dashboard:{year}:all" for year in range(2020, 2031)]


def _add_matches() -> None:
    from django.db import transaction
    from django.utils import timezone

    from insights.figures import fiscal_year_of, fiscal_year_start
    from marketplace.models import (
        Application,
        ApplicationStatus,
        HoursLog,
        Match,
        MatchStatus,
        ResidentProfile,
        Task,
        TaskStatus,
    )

    have = Match.objects.filter(application__message=MARK).count()
    if have >= MATCHES:
        return
    rng = random.Random(22)
    now = timezone.now()
    start = fiscal_year_start(fiscal_year_of(now))
    span = (now - start).total_seconds()
    tasks = list(
        Task.objects.filter(status=TaskStatus.OPEN, title__endswith="（募集）")
        .exclude(matches__isnull=False)
        .values_list("id", "organization_id", "ward_id", "published_at")[: MATCHES - have]
    )
    residents = list(
        ResidentProfile.objects.filter(user__email__startswith="resident.").values_list(
            "user_id", "home_ward_id"
        )
    )
    with transaction.atomic():
        applications, matches, when = [], [], {}
        for task_id, organization_id, ward_id, published_at in tasks:
            resident_id, home_ward = rng.choice(residents)
            created = max(published_at, start) + timedelta(seconds=rng.random() * span)
            created = min(created, now - timedelta(minutes=1))
            when[task_id] = created
            applications.append(
                Application(
                    task_id=task_id,
                    resident_id=resident_id,
                    message=MARK,
                    status=ApplicationStatus.ACCEPTED,
                    respond_by=created + timedelta(days=5),
                    decided_at=created,
                )
            )
            roll = rng.random()
            status = (
                MatchStatus.COMPLETED
                if roll < 0.25
                else MatchStatus.CANCELLED
                if roll < 0.35
                else MatchStatus.ACTIVE
            )
            matches.append(
                Match(
                    task_id=task_id,
                    organization_id=organization_id,
                    resident_id=resident_id,
                    resident_ward_id=home_ward,
                    organization_ward_id=ward_id,
                    task_ward_id=ward_id,
                    cross_ward=home_ward != ward_id,
                    status=status,
                    completed_at=created + timedelta(days=7)
                    if status == MatchStatus.COMPLETED
                    else None,
                )
            )
        Application.objects.bulk_create(applications, batch_size=2000)
        by_task = dict(Application.objects.filter(message=MARK).values_list("task_id", "id"))
        for match in matches:
            match.application_id = by_task[match.task_id]
        Match.objects.bulk_create(matches, batch_size=2000)
        # auto_now_add wrote "now": spread the matches over the year, as made.
        made = list(Match.objects.filter(application__message=MARK, task_id__in=when))
        for match in made:
            match.created_at = when[match.task_id]
        Match.objects.bulk_update(made, ["created_at"], batch_size=2000)
        HoursLog.objects.bulk_create(
            [
                HoursLog(
                    match=match,
                    date=(match.created_at + timedelta(days=3)).date(),
                    hours=rng.choice([1, 2, 3, 4.5]),
                    note="作業",
                    status=HoursLog.Status.CONFIRMED,
                )
                for match in made
                if match.status == MatchStatus.COMPLETED
            ],
            batch_size=2000,
        )


def _moderator():
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from accounts.models import Role, RoleAssignment, User

    user, _created = User.objects.get_or_create(
        email="bench.insights@example.jp", defaults={"display_name": "KPI bench"}
    )
    RoleAssignment.objects.get_or_create(user=user, role=Role.MODERATOR, ward=None)
    if not Authenticator.objects.filter(user=user).exists():
        TOTP.activate(user, "JBSWY3DPEHPK3PXP")
    return user


def run(args) -> dict:
    from django.core.cache import cache
    from django.test import Client

    from marketplace.models import Match, ResidentProfile, Task

    _add_matches()
    client = Client()
    client.force_login(_moderator())
    repeat = max(5, args.repeat)

    # Computed: the figures' cache emptied before each request.
    for _ in range(3):
        cache.delete_many(DASHBOARD_KEYS)
        assert client.get("/kpi/").status_code == 200
    timings = []
    for _ in range(repeat):
        cache.delete_many(DASHBOARD_KEYS)
        start = time.perf_counter()
        response = client.get("/kpi/")
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    cached = measure_requests(client, "/kpi/", repeat=repeat)

    csv_timings = []
    for _ in range(max(5, repeat // 5)):
        cache.clear()
        start = time.perf_counter()
        assert client.get("/kpi/open-data/kpi_wards.csv").status_code == 200
        csv_timings.append((time.perf_counter() - start) * 1000)

    return {
        "tasks": figure(Task.objects.count(), ">= 100000"),
        "residents_with_profile": figure(ResidentProfile.objects.count(), ">= 50000"),
        "matches": figure(Match.objects.count(), ">= 20000"),
        "dashboard_computed_p50_ms": figure(percentile(timings, 50), "info", "ms"),
        "dashboard_computed_p95_ms": figure(percentile(timings, 95), TARGET_P95, "ms"),
        "dashboard_cached_p50_ms": figure(cached["p50_ms"], "info", "ms"),
        "dashboard_cached_p95_ms": figure(cached["p95_ms"], TARGET_P95, "ms"),
        "dashboard_queries": figure(cached["queries"], "info"),
        "open_data_csv_computed_p95_ms": figure(percentile(csv_timings, 95), "info", "ms"),
    }
