"""What residents can report on the board: public tasks, verified organizations, and
the profiles they can see (only members of verified organizations see any)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import policy
from core.errors import NotFound
from moderation import reportables
from moderation.reportables import Reportable

from .filters import discoverable_profiles
from .models import Organization, ResidentProfile, Task, VerificationStatus
from .models.tasks import PUBLIC_STATUSES


def _first_or_404(queryset):
    obj = queryset.first()
    if obj is None:
        raise NotFound
    return obj


@reportables.register
class TaskReportable(Reportable):
    kind = "task"
    model = Task

    def get(self, user, pk):
        return _first_or_404(
            Task.objects.select_related("organization").filter(pk=pk, status__in=PUBLIC_STATUSES)
        )

    def ward_id(self, task):
        return task.ward_id

    def describe(self, task):
        return _("Task: %(title)s (%(organization)s)") % {
            "title": task.title,
            "organization": task.organization.name,
        }

    def back_url(self, task, user):
        return reverse("marketplace:task_detail", args=[task.pk])

    def moderator_link(self, task):
        return _("Open the task"), self.back_url(task, None)


@reportables.register
class OrganizationReportable(Reportable):
    kind = "organization"
    model = Organization

    def get(self, user, pk):
        return _first_or_404(Organization.objects.filter(pk=pk, status=VerificationStatus.VERIFIED))

    def ward_id(self, organization):
        return organization.ward_id

    def describe(self, organization):
        return _("Organization: %(name)s") % {"name": organization.name}

    def back_url(self, organization, user):
        return reverse("marketplace:organization_detail", args=[organization.pk])

    def moderator_link(self, organization):
        return _("Open the organization"), self.back_url(organization, None)


@reportables.register
class ProfileReportable(Reportable):
    kind = "profile"
    model = ResidentProfile

    def get(self, user, pk):
        # Residents agreed to be seen by verified organizations only: nobody else can
        # reach a profile, through a report form either.
        if not policy.can(user, "marketplace.find_residents"):
            raise NotFound
        return _first_or_404(discoverable_profiles().filter(pk=pk))

    def ward_id(self, profile):
        return profile.home_ward_id

    def describe(self, profile):
        return _("Resident's profile: %(name)s") % {"name": profile.user.display_name}

    def back_url(self, profile, user):
        return reverse("marketplace:resident_detail", args=[profile.user_id])
