"""Importing open datasets from a CKAN catalog, in the Wagtail admin.

Two ways in: paste a dataset page's address (or a package id and its catalog), or
search a catalog and import one of its hits. Both end in contests.services; a catalog's
refusal (CatalogError) is shown on the form, next to what the person typed.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages

from accounts import policy
from core.feedback import add_form_errors

from . import ckan, services
from .admin_forms import CatalogSearchForm, DatasetImportForm
from .ckan import CatalogError
from .models import Catalog, Dataset

IMPORT_URL_NAME = "contests_dataset_import:index"
SEARCH_ROWS = 20


def _import(user, reference: str, catalog_url: str) -> Dataset:
    catalog = None
    if catalog_url:
        base = ckan.normalize_catalog_url(catalog_url)
        catalog = Catalog.objects.filter(base_url=base).first()
        if catalog is None and "://" not in reference:
            # A catalog we do not know yet: its dataset page names it, and the service
            # adds it with the dataset.
            reference = f"{base}/dataset/{reference.strip()}"
    return services.import_dataset(user, reference, catalog)


def _dataset_link(dataset: Dataset):
    viewset = getattr(Dataset, "snippet_viewset", None)
    if viewset is None:
        return None
    return reverse(viewset.get_url_name("inspect"), args=[dataset.pk])


def import_dataset(request):
    policy.check(request.user, "contests.import_dataset")
    import_form = DatasetImportForm()
    search_form = CatalogSearchForm()
    results = None
    page = 1

    if request.method == "POST":
        import_form = DatasetImportForm(request.POST)
        if import_form.is_valid():
            data = import_form.cleaned_data
            try:
                dataset = _import(request.user, data["reference"], data["catalog_url"])
            except CatalogError as error:
                field = "catalog_url" if data["catalog_url"] and error.code == "bad_url" else None
                import_form.add_error(field or "reference", error.message)
            else:
                buttons = []
                if link := _dataset_link(dataset):
                    buttons.append(messages.button(link, _("See the dataset")))
                messages.success(
                    request,
                    _("「%(title)s」 was imported with %(count)d resources.")
                    % {"title": dataset.title, "count": dataset.resources.count()},
                    buttons=buttons,
                )
                return redirect(IMPORT_URL_NAME)
    elif "catalog" in request.GET:
        search_form = CatalogSearchForm(request.GET)
        if search_form.is_valid():
            data = search_form.cleaned_data
            try:
                page = max(1, int(request.GET.get("page") or 1))
            except ValueError:
                page = 1
            try:
                results = services.search_catalog(
                    request.user,
                    data["catalog"],
                    data["q"],
                    data["organization"],
                    rows=SEARCH_ROWS,
                    start=(page - 1) * SEARCH_ROWS,
                )
            except CatalogError as error:
                search_form.add_error("catalog", error.message)
            except ValidationError as error:
                add_form_errors(search_form, error)

    has_next = results is not None and page * SEARCH_ROWS < results.total
    return TemplateResponse(
        request,
        "contests/admin/dataset_import.html",
        {
            "page_title": _("Import from a CKAN catalog"),
            "header_icon": "download",
            "import_form": import_form,
            "search_form": search_form,
            "results": results,
            "page": page,
            "next_page": page + 1 if has_next else None,
            "previous_page": page - 1 if results is not None and page > 1 else None,
            "import_url": reverse(IMPORT_URL_NAME),
            "datasets_url": _datasets_url(),
        },
    )


def _datasets_url():
    viewset = getattr(Dataset, "snippet_viewset", None)
    return reverse(viewset.get_url_name("list")) if viewset is not None else None
