"""Moderators' screens in the Wagtail admin: verify organizations, handle reports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .models import Organization, Report, ReportStatus, VerificationStatus
from .permissions import is_moderator


def _require_moderator(request):
    if not is_moderator(request.user):
        raise PermissionDenied


def _queue(request, *, statuses, default, queryset, template, title, icon):
    """A moderator's list filtered by ?status= (one of `statuses`), 25 per page."""
    _require_moderator(request)
    status = request.GET.get("status", default)
    if status not in statuses.values:
        status = default
    page = Paginator(queryset.filter(status=status), 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        template,
        {
            "page_title": title,
            "header_icon": icon,
            "page_obj": page,
            "status": status,
            "statuses": statuses.choices,
        },
    )


def organization_queue(request):
    return _queue(
        request,
        statuses=VerificationStatus,
        default=VerificationStatus.PENDING,
        queryset=Organization.objects.select_related("ward")
        .prefetch_related("memberships__user")
        .order_by("created_at"),
        template="marketplace/admin/organization_queue.html",
        title=_("Organizations to verify"),
        icon="group",
    )


@require_POST
def decide_organization(request, pk):
    _require_moderator(request)
    organization = get_object_or_404(Organization, pk=pk)
    try:
        if request.POST.get("decision") == "verify":
            services.verify_organization(request.user, organization)
            messages.success(request, _("%(name)s is verified.") % {"name": organization.name})
        else:
            services.refuse_organization(request.user, organization, request.POST.get("reason", ""))
            messages.success(
                request, _("%(name)s was told what to correct.") % {"name": organization.name}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("marketplace_admin_organizations")


def report_queue(request):
    return _queue(
        request,
        statuses=ReportStatus,
        default=ReportStatus.OPEN,
        queryset=Report.objects.select_related("reporter", "target_type", "handled_by")
        .prefetch_related("target")
        .order_by("created_at"),
        template="marketplace/admin/report_queue.html",
        title=_("Reports"),
        icon="warning",
    )


@require_POST
def decide_report(request, pk):
    _require_moderator(request)
    report = get_object_or_404(Report, pk=pk)
    decision = request.POST.get("decision")
    if decision not in (ReportStatus.RESOLVED, ReportStatus.DISMISSED):
        messages.error(request, _("Choose what was done."))
    else:
        services.handle_report(
            request.user, report, status=decision, resolution=request.POST.get("resolution", "")
        )
        messages.success(request, _("The report was handled."))
    return redirect("marketplace_admin_reports")
