"""プッシュ型 recommendations at 100,000 tasks and 50,000 residents (issue #22's targets):
the top 20 tasks for a resident, and the top 20 residents for a task, as
marketplace.services computes them (no HTTP, no template).

The residents asked for are bulk residents with a profile (each has two skills); the
tasks are open tasks of verified organizations, asked by a member of the organization.
Each is timed once per person or task, `--repeat` of each (50 by default).
"""

import time

from .harness import figure, percentile

DESCRIPTION = (
    "Recommendations: top-20 tasks for a resident among 100,000 tasks and top-20 residents "
    "for a task among 50,000 residents (services.tasks_for / residents_for)"
)
SCALE = 834
TARGET_P95 = "<= 50"


def run(args) -> dict:
    from marketplace import services
    from marketplace.models import Membership, ResidentProfile, Task, TaskStatus

    repeat = max(5, args.repeat)
    residents = list(
        ResidentProfile.objects.filter(skill_levels__isnull=False)
        .order_by("?")
        .values_list("user", flat=True)
        .distinct()[:repeat]
    )
    tasks = list(
        Task.objects.filter(status=TaskStatus.OPEN, organization__status="verified")
        .select_related("organization", "ward", "category")
        .order_by("?")[:repeat]
    )
    from accounts.models import User

    users = User.objects.in_bulk(residents)
    members = {
        m.organization_id: m.user
        for m in Membership.objects.filter(
            organization_id__in={t.organization_id for t in tasks}
        ).select_related("user")
    }

    def timed(call) -> tuple[float, int]:
        start = time.perf_counter()
        found = call()
        return (time.perf_counter() - start) * 1000, len(found)

    # A few first, outside the figures: the first query of a process plans and warms.
    for pk in residents[:3]:
        services.tasks_for(users[pk])
    for_residents = [timed(lambda u=users[pk]: services.tasks_for(u)) for pk in residents]
    for_tasks = [
        timed(lambda t=task: services.residents_for(members[t.organization_id], t))
        for task in tasks
    ]
    times_r = [ms for ms, _n in for_residents]
    times_t = [ms for ms, _n in for_tasks]
    return {
        "open_tasks": figure(Task.objects.filter(status=TaskStatus.OPEN).count(), ">= 100000"),
        "residents_with_profile": figure(ResidentProfile.objects.count(), ">= 50000"),
        "tasks_for_resident_p50_ms": figure(percentile(times_r, 50), "info", "ms"),
        "tasks_for_resident_p95_ms": figure(percentile(times_r, 95), TARGET_P95, "ms"),
        "tasks_for_resident_found_min": figure(min(n for _ms, n in for_residents), "info"),
        "residents_for_task_p50_ms": figure(percentile(times_t, 50), "info", "ms"),
        "residents_for_task_p95_ms": figure(percentile(times_t, 95), TARGET_P95, "ms"),
        "residents_for_task_found_min": figure(min(n for _ms, n in for_tasks), "info"),
    }
