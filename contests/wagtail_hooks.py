"""Contests in the Wagtail admin: ward-scoped contest pages, and the open datasets.

Page permissions in Wagtail come by subtree, and the organizers' group may write under
the contest index (contests.receivers). An organizer of 江東区 must nevertheless not see
台東区's contests at all: the permission tester says no about them
(contests.admin_forms), the explorer and the page chooser leave them out, and every
admin page about one of them answers 404, as another ward's objects do on the site.

Why a page viewset as well as the hooks: Wagtail's edit, delete, lock, history...
views ask the permission tester first and turn its "no" into a redirect to the
dashboard ("you do not have permission"), which tells that the page exists; the
before_* hooks only run once that check has passed. So the contest pages' own viewset
(ContestPageViewSet) answers 404 before any of its views runs, and the hooks stay as a
second line for the actions that reach a page another way (publishing from the add
view, bulk actions).
"""

from functools import wraps

from django.http import Http404
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts import policy

from .admin_forms import contest_wards
from .models import ContestPage, Dataset

# --- Contest pages: the ward scope ------------------------------------------------------


def _may_write(user, page) -> bool:
    page = getattr(page, "specific_deferred", page)
    if not isinstance(page, ContestPage) or page.ward_id is None:
        return True
    return policy.can(user, "contests.edit_contest", page)


def _refuse_other_wards(request, page, *args, **kwargs):
    if not _may_write(request.user, page):
        raise Http404


for _hook in (
    "before_edit_page",
    "before_delete_page",
    "before_publish_page",
    "before_copy_page",
    "before_move_page",
    "before_convert_alias_page",
):
    hooks.register(_hook, _refuse_other_wards)


@hooks.register("before_bulk_action")
def _refuse_other_wards_in_bulk(request, action_type, objects, action_class_instance):
    if any(not _may_write(request.user, obj) for obj in objects):
        raise Http404


def _without_other_wards(pages, user):
    wards = contest_wards(user)
    if wards is None:
        return pages
    hidden = ContestPage.objects.exclude(ward_id__in=wards).values("pk")
    return pages.exclude(pk__in=hidden)


@hooks.register("construct_explorer_page_queryset")
def _explorer_without_other_wards(parent_page, pages, request):
    return _without_other_wards(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def _chooser_without_other_wards(pages, request):
    return _without_other_wards(pages, request.user)


# The page admin views name the page in one of these URL arguments.
_PAGE_ARGUMENTS = ("page_id", "page_to_move_id", "pk")


class ContestPageViewSet(PageViewSet):
    """Wagtail's page views for contest pages, each answering 404 first for a contest
    of a ward the person does not write for (Wagtail routes every page admin URL to
    the viewset of the page's type)."""

    name = "contest_pages"
    model = ContestPage

    def get_view_by_name(self, name):
        view = super().get_view_by_name(name)

        @wraps(view)
        def in_scope(request, *args, **kwargs):
            page_id = next((kwargs[key] for key in _PAGE_ARGUMENTS if key in kwargs), None)
            if page_id is not None and contest_wards(request.user) is not None:
                contest = ContestPage.objects.filter(pk=page_id).only("pk", "ward_id").first()
                if contest is not None and not policy.can(
                    request.user, "contests.edit_contest", contest
                ):
                    raise Http404
            return view(request, *args, **kwargs)

        return in_scope


@hooks.register("register_admin_viewset")
def _register_contest_page_viewset():
    return ContestPageViewSet()


# --- Open datasets ----------------------------------------------------------------------


class DatasetViewSet(SnippetViewSet):
    """The imported datasets, to find one and to choose it for a contest. They change
    by importing again, never by hand: the catalog is the source."""

    model = Dataset
    icon = "table"
    menu_label = gettext_lazy("Open datasets")
    menu_order = 10
    list_display = ["title", "publisher", "catalog", "licence_title", "imported_at"]
    list_filter = ["catalog"]
    search_fields = ["title", "publisher", "name"]
    # Dataset is not in Wagtail's search index: the listing searches in the database.
    search_backend_name = None
    inspect_view_enabled = True
    copy_view_enabled = False
    ordering = ["title", "id"]

    def get_queryset(self, request):
        return Dataset.objects.select_related("catalog")


class DatasetImportMenuItem(MenuItem):
    def is_shown(self, request):
        return policy.can(request.user, "contests.import_dataset")


class DatasetImportViewSet(ViewSet):
    name = "contests_dataset_import"
    url_prefix = "contests/datasets/import"
    menu_label = gettext_lazy("Import from a CKAN catalog")
    icon = "download"
    menu_order = 20
    menu_item_class = DatasetImportMenuItem

    def get_urlpatterns(self):
        from django.urls import path

        from .admin_views import import_dataset

        return [path("", import_dataset, name="index")]


class ContestsMenu(ViewSetGroup):
    menu_label = gettext_lazy("Contests")
    menu_icon = "clipboard-list"
    menu_order = 205
    items = (DatasetViewSet, DatasetImportViewSet)

    def __init__(self):
        super().__init__()
        # The datasets have their menu here, not under "Snippets".
        for item in self.registerables:
            item.menu_item_is_registered = True


register_snippet(ContestsMenu)
