"""The matching board at 100,000 tasks and 50,000 residents (issue #3's target)."""

from django.test import Client

from .harness import figure, measure_requests

DESCRIPTION = (
    "Board list, filtered and sorted lists, a deep page and a task detail: server time and "
    "queries per request at 100,000 tasks and 50,000 residents"
)
# seed_demo --scale 834 makes 100,080 bulk tasks and 50,040 bulk residents.
SCALE = 834
TARGET_P95 = "<= 60"


def run(args) -> dict:
    from cms.models import BoardPage
    from core.models import Ward
    from marketplace.models import SkillCategory, Task, TaskStatus

    board = BoardPage.objects.live().filter(locale__language_code="ja").first()
    base = board.url
    ward = Ward.objects.get(code="131067")
    category = SkillCategory.objects.get(code="sns")
    task = Task.objects.filter(status=TaskStatus.OPEN).order_by("-published_at").first()
    paths = {
        "list": base,
        "filtered": f"{base}?ward={ward.pk}&category={category.pk}&remote=on&hours=5",
        "skill_sorted_deadline": f"{base}?skill={category.pk}&sort=deadline",
        "fewest_applicants_page_50": f"{base}?sort=applicants&page=50",
        "task_detail": f"/tasks/{task.pk}/",
    }
    client = Client()
    figures = {
        "open_tasks": figure(Task.objects.filter(status=TaskStatus.OPEN).count(), ">= 100000"),
    }
    for label, path in paths.items():
        measured = measure_requests(client, path, repeat=args.repeat)
        figures[f"{label}_p50_ms"] = figure(measured["p50_ms"], "info", "ms")
        figures[f"{label}_p95_ms"] = figure(measured["p95_ms"], TARGET_P95, "ms")
        figures[f"{label}_queries"] = figure(measured["queries"], "<= 20")
    return figures
