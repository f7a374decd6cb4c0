from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from core.models import Ward
from marketplace.models import SkillCategory

from .backends.base import get_backend
from .forms import SearchForm


def _allowed_kinds(user) -> list[str]:
    """Resident profiles are for verified organizations only: that is what residents agree to."""
    from marketplace.models import Organization, VerificationStatus

    kinds = ["task", "organization", "page"]
    if (
        user.is_authenticated
        and Organization.objects.filter(
            memberships__user=user, status=VerificationStatus.VERIFIED
        ).exists()
    ):
        kinds.append("profile")
    return kinds


def search(request):
    allowed = _allowed_kinds(request.user)
    form = SearchForm(request.GET or None, allowed_kinds=allowed)
    results = page_obj = None
    if form.is_valid() and form.has_criteria():
        query = form.to_query(page=_page_number(request))
        results = get_backend().search(query)
        page_obj = Paginator(range(results.total), query.per_page).get_page(query.page)
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "page_obj": page_obj,
            "querystring": query_string.urlencode(),
            "facets": _facet_links(form, results) if results else [],
        },
    )


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _facet_links(form, results):
    """Facets as lists of (label, count, query string, selected) for links."""
    wards = {w.pk: w for w in Ward.objects.all()}
    categories = {c.pk: c for c in SkillCategory.objects.all()}
    labels = {
        "kind": lambda v: dict(form.fields["kind"].choices).get(v, v),
        "ward": lambda v: wards[v].name if v in wards else v,
        "category": lambda v: categories[v].name if v in categories else v,
        "skill": lambda v: categories[v].name if v in categories else v,
        "remote": lambda v: form.fields["remote"].label,
    }
    current = form.cleaned_data
    facets = []
    for name, counts in results.facets.items():
        if name == "remote":
            counts = {True: counts.get(True, 0)} if counts.get(True) else {}
        items = []
        for value, count in sorted(counts.items(), key=lambda item: -item[1])[:23]:
            params = form.data.copy()
            params.pop("page", None)
            selected = str(current.get(name) or "") == str(value if name != "remote" else True)
            if name == "remote":
                value = "on"
                selected = bool(current.get("remote"))
            if selected:
                params.pop(name, None)
            else:
                params[name] = value
            items.append(
                {
                    "label": labels[name](value if name != "remote" else True),
                    "count": count,
                    "query": params.urlencode(),
                    "selected": selected,
                }
            )
        if items:
            facets.append({"name": name, "label": form.fields[name].label, "items": items})
    return facets


@cache_control(private=True, max_age=60)
def suggest(request):
    """Titles for the search box's suggestion list (progressive enhancement)."""
    prefix = request.GET.get("q", "")[:50]
    kinds = [k for k in _allowed_kinds(request.user) if k != "profile"]
    return JsonResponse(
        {"suggestions": get_backend().suggest(prefix, kinds=kinds) if prefix else []}
    )
