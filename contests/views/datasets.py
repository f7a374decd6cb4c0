"""The open datasets: a list, and a page per dataset with what uses it.

Open data is public: anyone may read these pages. A submission shows here only once its
team made it public, and a contest only while its page is live.
"""

from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from ..filters import live_contests
from ..models import Dataset

PER_PAGE = 20


def dataset_list(request):
    datasets = (
        Dataset.objects.select_related("catalog")
        .annotate(
            resource_count=Count("resources", distinct=True),
            contest_count=Count("contest_links", distinct=True),
        )
        .order_by("title", "pk")
    )
    page_obj = Paginator(datasets, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contests/dataset_list.html", {"page_obj": page_obj})


def dataset_detail(request, pk):
    dataset = get_object_or_404(
        Dataset.objects.select_related("catalog").prefetch_related("resources"), pk=pk
    )
    contests = list(
        live_contests()
        .filter(dataset_links__dataset=dataset)
        .select_related("ward")
        .distinct()
        .order_by("-submission_deadline", "pk")
    )
    submissions = list(
        dataset.submissions.public().select_related("team", "contest").order_by("-updated_at", "pk")
    )
    return render(
        request,
        "contests/dataset_detail.html",
        {"dataset": dataset, "contests": contests, "submissions": submissions},
    )
