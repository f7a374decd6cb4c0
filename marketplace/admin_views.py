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


def organization_queue(request):
    _require_moderator(request)
    status = request.GET.get("status", VerificationStatus.PENDING)
    if status not in VerificationStatus.values:
        status = VerificationStatus.PENDING
    organizations = (
        Organization.objects.filter(status=status)
        .select_related("ward")
        .prefetch_related("memberships__user")
        .order_by("created_at")
    )
    page = Paginator(organizations, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "marketplace/admin/organization_queue.html",
        {
            "page_title": _("Organizations to verify"),
            "header_icon": "group",
            "page_obj": page,
            "status": status,
            "statuses": VerificationStatus.choices,
        },
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
    _require_moderator(request)
    status = request.GET.get("status", ReportStatus.OPEN)
    if status not in ReportStatus.values:
        status = ReportStatus.OPEN
    reports = (
        Report.objects.filter(status=status)
        .select_related("reporter", "target_type", "handled_by")
        .prefetch_related("target")
        .order_by("created_at")
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "marketplace/admin/report_queue.html",
        {
            "page_title": _("Reports"),
            "header_icon": "warning",
            "page_obj": page,
            "status": status,
            "statuses": ReportStatus.choices,
        },
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
