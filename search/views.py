from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control

from core.models import Ward

from .backends.base import get_backend
from .documents import kinds_visible_to
from .facets import vocabulary
from .forms import SearchForm


def search(request):
    # Each document type says who may find it (profiles: members of verified organizations).
    allowed = kinds_visible_to(request.user)
    form = SearchForm(request.GET or None, allowed_kinds=allowed)
    results = page_obj = None
    if form.is_valid() and form.has_criteria():
        query = form.to_query(page=_page_number(request))
        results = get_backend().search(query)
        page_obj = Paginator(range(results.total), query.per_page).get_page(query.page)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "page_obj": page_obj,
            "facets": _facet_links(form, results) if results else [],
            # Nothing found: the board's categories, each one click from what it holds.
            "categories": _categories() if results is not None and not results.total else [],
        },
    )


def _categories() -> list[tuple[int, str]]:
    words = vocabulary("category")
    return list(words.choices()) if words else []


def _page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


def _facet_links(form, results):
    """Facets as lists of (label, count, value, selected) for links.

    A link sets its facet's parameter to value in the current query string, or takes it
    away (value None) when it is selected: {% querystring_param facet.name item.value %}.
    """
    wards = {w.pk: w.name for w in Ward.objects.all()}
    names = {"kind": dict(form.fields["kind"].choices), "ward": wards}
    for name in ("category", "skill"):
        words = vocabulary(name)
        names[name] = dict(words.choices()) if words else {}
    names["remote"] = {True: form.fields["remote"].label}
    current = form.cleaned_data
    facets = []
    for name, counts in results.facets.items():
        if name not in form.fields:
            continue
        if name == "remote":
            counts = {True: counts.get(True, 0)} if counts.get(True) else {}
        if name == "kind":
            # Only kinds this person may search: the counts of the others (profiles, for
            # someone outside a verified organization) are not theirs to see.
            counts = {kind: n for kind, n in counts.items() if kind in names["kind"] and kind}
        items = []
        for value, count in sorted(counts.items(), key=lambda item: -item[1])[:23]:
            selected = str(current.get(name) or "") == str(value if name != "remote" else True)
            if name == "remote":
                value = "on"
                selected = bool(current.get("remote"))
            items.append(
                {
                    "label": names[name].get(value if name != "remote" else True, value),
                    "count": count,
                    "value": None if selected else value,
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
    # People's names never go into a suggestion list.
    kinds = [k for k in kinds_visible_to(request.user) if k != "profile"]
    return JsonResponse(
        {"suggestions": get_backend().suggest(prefix, kinds=kinds) if prefix else []}
    )
