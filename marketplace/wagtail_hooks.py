from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .permissions import is_moderator


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "board/organizations/",
            admin_views.organization_queue,
            name="marketplace_admin_organizations",
        ),
        path(
            "board/organizations/<int:pk>/decide/",
            admin_views.decide_organization,
            name="marketplace_admin_decide_organization",
        ),
        path("board/reports/", admin_views.report_queue, name="marketplace_admin_reports"),
        path(
            "board/reports/<int:pk>/decide/",
            admin_views.decide_report,
            name="marketplace_admin_decide_report",
        ),
    ]


class ModeratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def organizations_menu_item():
    return ModeratorMenuItem(
        _("Organizations to verify"),
        reverse("marketplace_admin_organizations"),
        icon_name="group",
        order=210,
    )


@hooks.register("register_admin_menu_item")
def reports_menu_item():
    return ModeratorMenuItem(
        _("Reports"), reverse("marketplace_admin_reports"), icon_name="warning", order=211
    )
