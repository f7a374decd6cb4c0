"""Reporting anything registered as reportable, and blocking a person."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import reportables, services
from .forms import ReportForm


@login_required
def report(request, kind, pk):
    reportable = reportables.for_kind(kind)
    if reportable is None:
        raise Http404
    target = reportable.get(request.user, pk)  # NotFound for what they cannot see
    back_url = reportable.back_url(target, request.user)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report(request.user, target, **form.cleaned_data)
        messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(back_url)
    return render(
        request,
        "moderation/report_form.html",
        {
            "form": form,
            "description": reportable.describe(target),
            "quote": reportable.quote(target),
            "back_url": back_url,
        },
    )


@login_required
@require_POST
def block(request, user_id):
    other = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    try:
        if request.POST.get("undo"):
            services.unblock_user(request.user, other)
            messages.success(request, _("Unblocked."))
        else:
            services.block_user(request.user, other)
            messages.success(request, _("Blocked. This person can no longer contact you."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("/")
