"""Thin views: parse input, call one service, render or redirect.

Another organization's objects answer 404, never 403 (nothing leaks about what exists).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Sum, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User

from . import services
from .filters import ResidentFilter, discoverable_profiles
from .forms import (
    DecisionForm,
    HoursForm,
    MessageForm,
    OrganizationForm,
    ReportForm,
    ResidentProfileForm,
    ReviewForm,
    TaskForm,
)
from .models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    HoursLog,
    Match,
    MatchStatus,
    Membership,
    Organization,
    ResidentProfile,
    Task,
    TaskStatus,
)
from .models.tasks import PUBLIC_STATUSES, RESPONSE_DAYS
from .permissions import access_organization, is_member, is_moderator, is_owner


def _form_errors(form, error: ValidationError) -> None:
    """Attach a service's ValidationError to the form that fed it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Resident --------------------------------------------------------------------------


@login_required
def dashboard(request):
    user = request.user
    profile = ResidentProfile.objects.filter(user=user).select_related("home_ward").first()
    applications = (
        Application.objects.filter(resident=user)
        .select_related("task__organization", "task__ward")
        .order_by("-created_at")[:50]
    )
    matches = Match.objects.filter(resident=user).select_related("task", "organization")
    memberships = Membership.objects.filter(user=user).select_related("organization__ward")
    org_tasks = (
        Task.objects.filter(organization__memberships__user=user)
        .select_related("organization", "ward")
        .order_by("-created_at")[:100]
    )
    pending_for_orgs = Application.objects.filter(
        task__organization__memberships__user=user,
        kind=ApplicationKind.APPLICATION,
        status=ApplicationStatus.PENDING,
    ).count()
    return render(
        request,
        "marketplace/dashboard.html",
        {
            "profile": profile,
            "discoverable": services.is_discoverable(user),
            "invitations": [
                a
                for a in applications
                if a.kind == ApplicationKind.INVITATION and a.status == ApplicationStatus.PENDING
            ],
            # Everything else: own applications, and invitations already answered or expired.
            "applications": [
                a
                for a in applications
                if a.kind == ApplicationKind.APPLICATION or a.status != ApplicationStatus.PENDING
            ],
            "matches": matches,
            "memberships": memberships,
            "org_tasks": org_tasks,
            "pending_for_orgs": pending_for_orgs,
            "response_days": RESPONSE_DAYS,
        },
    )


@login_required
def edit_profile(request):
    profile = ResidentProfile.objects.filter(user=request.user).first()
    discoverable = services.is_discoverable(request.user)
    form = ResidentProfileForm(request.POST or None, instance=profile, discoverable=discoverable)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_resident_profile(
                request.user,
                skills=form.skill_levels(),
                discoverable=form.cleaned_data["discoverable"],
                tags=form.cleaned_data["tags"],
                **form.profile_fields(),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Your skills profile was saved."))
            return redirect("marketplace:dashboard")
    return render(request, "marketplace/profile_form.html", {"form": form, "profile": profile})


# --- Residents, as organizations see them ------------------------------------------------


def _require_verified_member(user) -> list[Organization]:
    organizations = list(Organization.objects.filter(memberships__user=user, status="verified"))
    if not organizations:
        raise Http404
    return organizations


@login_required
def resident_list(request):
    """Discoverable residents, for members of verified organizations only."""
    _require_verified_member(request.user)
    filterset = ResidentFilter(request.GET or None, queryset=discoverable_profiles())
    page = Paginator(filterset.qs.prefetch_related("skill_levels__category"), 20).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "marketplace/resident_list.html",
        {"filter": filterset, "page_obj": page, "querystring": query.urlencode()},
    )


@login_required
def resident_detail(request, user_id):
    organizations = _require_verified_member(request.user)
    profile = get_object_or_404(discoverable_profiles(), user_id=user_id)
    # Tasks this person is already asked about, or matched on, cannot take an invitation.
    open_tasks = (
        Task.objects.filter(organization__in=organizations, status=TaskStatus.OPEN)
        .exclude(applications__resident_id=user_id, applications__status=ApplicationStatus.PENDING)
        .exclude(matches__resident_id=user_id)
    )
    return render(
        request,
        "marketplace/resident_detail.html",
        {
            "profile": profile,
            "open_tasks": open_tasks,
            "form": MessageForm(),
            "response_days": RESPONSE_DAYS,
        },
    )


# --- Organizations ---------------------------------------------------------------------


@login_required
def register_organization(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.register_organization(request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your organization was registered. A ward moderator will verify it soon."),
            )
            return redirect("marketplace:organization_detail", pk=organization.pk)
    return render(request, "marketplace/organization_form.html", {"form": form})


def organization_detail(request, pk):
    organization = get_object_or_404(Organization.objects.select_related("ward"), pk=pk)
    member = is_member(request.user, organization)
    if not organization.is_verified and not member and not is_moderator(request.user):
        raise Http404
    tasks = organization.tasks.select_related("ward", "category")
    if not member:
        tasks = tasks.filter(status__in=PUBLIC_STATUSES)
    return render(
        request,
        "marketplace/organization_detail.html",
        {
            "organization": organization,
            "is_member": member,
            "is_owner": member and is_owner(request.user, organization),
            "tasks": tasks,
        },
    )


@login_required
def edit_organization(request, pk):
    organization = access_organization(request.user, pk, owner=True)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(request.user, organization, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("The organization's details were saved."))
            return redirect("marketplace:organization_detail", pk=organization.pk)
    return render(
        request, "marketplace/organization_form.html", {"form": form, "organization": organization}
    )


# --- Tasks -----------------------------------------------------------------------------


@login_required
def create_task(request, pk):
    organization = access_organization(request.user, pk)
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.create_task(
                request.user,
                organization,
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
                **form.task_fields(),
            )
            if "publish" in request.POST:
                task = services.publish_task(request.user, task)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _task_saved_message(task))
            return redirect("marketplace:task_detail", pk=task.pk)
    return render(
        request, "marketplace/task_form.html", {"form": form, "organization": organization}
    )


def _task_saved_message(task: Task) -> str:
    if task.status == TaskStatus.OPEN:
        return _("The task is on the board.")
    if task.status == TaskStatus.PENDING_REVIEW:
        return _("The task is saved. It goes on the board once your organization is verified.")
    return _("The task is saved as a draft.")


def _visible_task(user, pk) -> tuple[Task, bool]:
    task = get_object_or_404(
        Task.objects.select_related("organization__ward", "ward", "category"), pk=pk
    )
    member = is_member(user, task.organization)
    if not task.is_public and not member:
        raise Http404
    return task, member


def task_detail(request, pk):
    task, member = _visible_task(request.user, pk)
    own_application = None
    if request.user.is_authenticated and not member:
        own_application = (
            Application.objects.filter(task=task, resident=request.user)
            .order_by("-created_at")
            .first()
        )
    return render(
        request,
        "marketplace/task_detail.html",
        {
            "task": task,
            "is_member": member,
            "own_application": own_application,
            "has_profile": request.user.is_authenticated
            and ResidentProfile.objects.filter(user=request.user).exists(),
            "skills": task.skills.all(),
            "tags": task.tags.all(),
            "form": MessageForm(),
        },
    )


@login_required
def edit_task(request, pk):
    task = get_object_or_404(Task, pk=pk)
    if not is_member(request.user, task.organization):
        raise Http404
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        try:
            task = services.update_task(
                request.user,
                task,
                skills=form.cleaned_data["skills"],
                tags=form.cleaned_data["tags"],
                **form.task_fields(),
            )
            if "publish" in request.POST and task.status == TaskStatus.DRAFT:
                task = services.publish_task(request.user, task)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _task_saved_message(task))
            return redirect("marketplace:task_detail", pk=task.pk)
    return render(
        request,
        "marketplace/task_form.html",
        {"form": form, "organization": task.organization, "task": task},
    )


TASK_ACTIONS = {
    "publish": (services.publish_task, None),
    "close": (services.close_task, _("The task no longer takes applications.")),
    "cancel": (services.cancel_task, _("The task was cancelled.")),
    "start": (services.start_task, _("Work has started.")),
}


@login_required
@require_POST
def task_action(request, pk, action):
    task = get_object_or_404(Task, pk=pk)
    if action not in TASK_ACTIONS or not is_member(request.user, task.organization):
        raise Http404
    service, message = TASK_ACTIONS[action]
    try:
        task = service(request.user, task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message or _task_saved_message(task))
    return redirect("marketplace:task_detail", pk=task.pk)


@login_required
def apply(request, pk):
    task, member = _visible_task(request.user, pk)
    if member:
        raise Http404
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.apply_to_task(request.user, task, form.cleaned_data["message"])
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your application was sent. The organization will answer within %(days)d days.")
                % {"days": RESPONSE_DAYS},
            )
            return redirect("marketplace:task_detail", pk=task.pk)
    return render(
        request,
        "marketplace/apply.html",
        {"task": task, "form": form, "response_days": RESPONSE_DAYS},
    )


@login_required
def task_applications(request, pk):
    task = get_object_or_404(Task.objects.select_related("organization", "ward"), pk=pk)
    if not is_member(request.user, task.organization):
        raise Http404
    applications = (
        task.applications.select_related("resident__resident_profile__home_ward")
        .prefetch_related(Prefetch("resident__resident_profile__skill_levels__category"))
        .order_by(Case(When(status=ApplicationStatus.PENDING, then=0), default=1), "-created_at")
    )
    return render(
        request,
        "marketplace/task_applications.html",
        {
            "task": task,
            "applications": applications,
            "matches": task.matches.select_related("resident"),
        },
    )


@login_required
@require_POST
def invite(request, pk, user_id):
    task = get_object_or_404(Task, pk=pk)
    if not is_member(request.user, task.organization):
        raise Http404
    resident = get_object_or_404(User, pk=user_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short message to the person you invite."))
        return redirect("marketplace:resident_detail", user_id=user_id)
    try:
        services.invite_resident(request.user, task, resident, form.cleaned_data["message"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("marketplace:resident_detail", user_id=user_id)
    messages.success(request, _("The invitation was sent."))
    return redirect("marketplace:task_applications", pk=task.pk)


@login_required
@require_POST
def application_action(request, pk, action):
    application = get_object_or_404(Application.objects.select_related("task__organization"), pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    try:
        if action == "accept":
            match = services.accept_application(request.user, application)
            messages.success(request, _("Matched! Contact details are now visible to both of you."))
            return redirect("marketplace:match_detail", pk=match.pk)
        if action == "decline":
            services.decline_application(
                request.user, application, form.cleaned_data.get("message", "")
            )
            messages.success(request, _("Your answer was sent."))
        elif action == "withdraw":
            services.withdraw_application(request.user, application)
            messages.success(request, _("Withdrawn."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if is_member(request.user, application.task.organization):
        return redirect("marketplace:task_applications", pk=application.task_id)
    return redirect("marketplace:dashboard")


# --- Matches ---------------------------------------------------------------------------


@login_required
def match_detail(request, pk):
    return _render_match(request, services.access_match(request.user, pk))


def _render_match(request, match, *, hours_form=None, review_form=None, status=200):
    side = "resident" if match.resident_id == request.user.pk else "organization"
    hours = match.hours.all()
    reviews = {review.by_organization: review for review in match.reviews.all()}
    return render(
        request,
        "marketplace/match_detail.html",
        {
            "match": match,
            "side": side,
            "hours": hours,
            "confirmed_hours": hours.filter(status=HoursLog.Status.CONFIRMED).aggregate(
                total=Sum("hours")
            )["total"]
            or 0,
            "hours_form": hours_form or HoursForm(),
            "review_form": review_form or ReviewForm(),
            "my_review": reviews.get(side == "organization"),
            "their_review": reviews.get(side != "organization"),
            "resident_email": match.resident.email,
            "organization": match.organization,
        },
        status=status,
    )


@login_required
@require_POST
def match_action(request, pk, action):
    match = services.access_match(request.user, pk)
    if action == "complete":
        try:
            match = services.confirm_completion(request.user, match)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if match.status == MatchStatus.COMPLETED:
                messages.success(request, _("Completed. Please leave a review."))
            else:
                messages.success(request, _("We asked the other side to confirm completion."))
        return redirect("marketplace:match_detail", pk=match.pk)

    forms_by_action = {
        "hours": (
            HoursForm,
            services.log_hours,
            "hours_form",
            _("Hours logged. The organization will confirm them."),
        ),
        "review": (
            ReviewForm,
            services.leave_review,
            "review_form",
            _("Thank you for your review."),
        ),
    }
    if action not in forms_by_action:
        raise Http404
    form_class, service, form_name, success = forms_by_action[action]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(request.user, match, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("marketplace:match_detail", pk=match.pk)
    # Invalid input comes back in its form, next to its field, with nothing lost.
    return _render_match(request, match, status=400, **{form_name: form})


@login_required
@require_POST
def hours_action(request, pk, action):
    entry = get_object_or_404(HoursLog.objects.select_related("match__organization"), pk=pk)
    if action not in ("confirm", "reject") or not is_member(request.user, entry.match.organization):
        raise Http404
    try:
        services.decide_hours(request.user, entry, confirm=action == "confirm")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("marketplace:match_detail", pk=entry.match_id)


@login_required
def certificate(request, pk):
    match = services.access_match(request.user, pk)
    if match.resident_id != request.user.pk:
        raise Http404
    hours = match.hours.filter(status=HoursLog.Status.CONFIRMED)
    return render(
        request,
        "marketplace/certificate.html",
        {
            "match": match,
            "hours": hours,
            "total": hours.aggregate(total=Sum("hours"))["total"] or 0,
        },
    )


# --- Reports and blocks ----------------------------------------------------------------

REPORTABLE = {
    "task": lambda pk: get_object_or_404(Task, pk=pk, status__in=PUBLIC_STATUSES),
    "organization": lambda pk: get_object_or_404(Organization, pk=pk, status="verified"),
    "profile": lambda pk: get_object_or_404(discoverable_profiles(), pk=pk),
}


@login_required
def report(request, kind, pk):
    if kind not in REPORTABLE:
        raise Http404
    target = REPORTABLE[kind](pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.report(request.user, target, **form.cleaned_data)
        messages.success(request, _("Thank you. A moderator will look at your report."))
        return redirect(_report_return_url(kind, target))
    return render(
        request, "marketplace/report_form.html", {"form": form, "target": target, "kind": kind}
    )


def _report_return_url(kind, target) -> str:
    if kind == "task":
        return reverse("marketplace:task_detail", args=[target.pk])
    if kind == "organization":
        return reverse("marketplace:organization_detail", args=[target.pk])
    return reverse("marketplace:dashboard")


@login_required
@require_POST
def block(request, user_id):
    other = get_object_or_404(User, pk=user_id)
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
    return redirect("marketplace:dashboard")
