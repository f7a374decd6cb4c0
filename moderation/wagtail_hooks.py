from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup

from . import services
from .models import ReportStatus
from .queues import QUEUES, ModerationQueue, register_queue
from .reportables import for_content_type


class ReportQueue(ModerationQueue):
    name = "moderation_reports"
    url_prefix = "moderation/reports"
    # A context of its own: Wagtail's "Reports" menu (page reports) is another thing.
    menu_label = pgettext_lazy("moderation queue", "Reports")
    icon = "warning"
    menu_order = 20
    statuses = ReportStatus
    default_status = ReportStatus.OPEN
    view_action = "moderation.view_report_queue"
    template_name = "moderation/admin/report_queue.html"
    status_label = gettext_lazy("Report status")

    def get_queryset(self, request):
        return services.report_queue(request.user)

    def get_context(self, request, page):
        # What each report is about, as its app describes it (target loaded once each).
        for report in page:
            kind = for_content_type(report.target_type_id)
            target = report.target
            report.description = kind.describe(target) if kind and target else _("(deleted)")
            report.quote = kind.quote(target) if kind and target else ""
            report.link = kind.moderator_link(target) if kind and target else None
        return {}

    def decide(self, request, report):
        services.handle_report(
            request.user,
            report,
            status=request.POST.get("decision", ""),
            resolution=request.POST.get("resolution", ""),
        )
        return _("The report was handled.")


register_queue(ReportQueue())


class ModerationMenu(ViewSetGroup):
    menu_label = gettext_lazy("Moderation")
    menu_icon = "warning"
    menu_order = 210

    def __init__(self):
        # Every app's wagtail_hooks has registered its queues by now; search_for_hooks
        # makes sure of it (it imports each module once).
        hooks.search_for_hooks()
        self.items = tuple(sorted(QUEUES.values(), key=lambda q: q.menu_order or 0))
        super().__init__()


@hooks.register("register_admin_viewset")
def register_moderation_queues():
    return ModerationMenu()
