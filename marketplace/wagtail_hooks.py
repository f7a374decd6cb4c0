"""The board's moderation queue: organizations waiting for a moderator of their ward."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from moderation.queues import ModerationQueue, register_queue

from . import services
from .models import VerificationStatus


class OrganizationQueue(ModerationQueue):
    name = "moderation_organizations"
    url_prefix = "moderation/organizations"
    menu_label = gettext_lazy("Organizations to verify")
    icon = "group"
    menu_order = 10
    statuses = VerificationStatus
    default_status = VerificationStatus.PENDING
    view_action = "marketplace.view_organization_queue"
    template_name = "marketplace/admin/organization_queue.html"
    status_label = gettext_lazy("Verification status")

    def get_queryset(self, request):
        return services.organization_queue(request.user)

    def decide(self, request, organization):
        if request.POST.get("decision") == "verify":
            services.verify_organization(request.user, organization)
            return _("%(name)s is verified.") % {"name": organization.name}
        services.refuse_organization(request.user, organization, request.POST.get("reason", ""))
        return _("%(name)s was told what to correct.") % {"name": organization.name}


register_queue(OrganizationQueue())
