"""Thin views: parse input, call one service, render or redirect.

Another organization's objects answer 404, never 403 (nothing leaks about what exists).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Prefetch, Sum, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.models import User
from core import my_page
from core.feedback import SHOWN, add_form_errors, errors_as_messages
from messaging import services as messaging

from . import services
from .filters import ResidentFilter, discoverable_profiles
from .forms import (
    DecisionForm,
    HoursForm,
    MessageForm,
    OrganizationForm,
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
    VerificationStatus,
)
from .models.tasks import PUBLIC_STATUSES, RESPONSE_DAYS

# How many recommendations My page shows (the page of them shows 20), and how many
# residents a task's applications page suggests.
DASHBOARD_RECOMMENDATIONS = 4
SUGGESTED_RESIDENTS = 6


def _is_member(user, organization) -> bool:
    return policy.can(user, "marketplace.manage_organization", organization)


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
            "recommendations": services.tasks_for(user, limit=DASHBOARD_RECOMMENDATIONS)
            if profile
            else [],
            # What the other apps have for this person (contests that fit, ...).
            "my_page_sections": my_page.sections_for(request),
        },
    )


@login_required
def recommended_tasks(request):
    has_profile = ResidentProfile.objects.filter(user=request.user).exists()
    return render(
        request,
        "marketplace/recommended_tasks.html",
        {
            "has_profile": has_profile,
            "recommendations": services.tasks_for(request.user) if has_profile else [],
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
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("Your skills profile was saved."))
            return redirect("marketplace:dashboard")
    return render(request, "marketplace/profile_form.html", {"form": form, "profile": profile})


# --- Residents, as organizations see them ------------------------------------------------


@login_required
def resident_list(request):
    """Discoverable residents, for members of verified organizations only (for anyone
    else there is nothing here: 404, as for the profiles themselves)."""
    if not policy.can(request.user, "marketplace.find_residents"):
        raise Http404
    filterset = ResidentFilter(request.GET or None, queryset=discoverable_profiles())
    page = Paginator(filterset.qs.prefetch_related("skill_levels__category"), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request, "marketplace/resident_list.html", {"filter": filterset, "page_obj": page}
    )


@login_required
def resident_detail(request, user_id):
    if not policy.can(request.user, "marketplace.find_residents"):
        raise Http404
    organizations = Organization.objects.filter(
        memberships__user=request.user, status=VerificationStatus.VERIFIED
    )
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
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your organization was registered. A ward moderator will verify it soon."),
            )
            return redirect("marketplace:organization_detail", pk=organization.pk)
    return render(request, "marketplace/organization_form.html", {"form": form})


def organization_detail(request, pk):
    organization = get_object_or_404(Organization.objects.select_related("ward"), pk=pk)
    member = _is_member(request.user, organization)
    if not organization.is_verified:
        # Members and the moderators of its ward; nobody else knows it exists yet.
        policy.check(request.user, "marketplace.view_unverified_organization", organization)
    tasks = organization.tasks.select_related("ward", "category")
    if not member:
        tasks = tasks.filter(status__in=PUBLIC_STATUSES)
    return render(
        request,
        "marketplace/organization_detail.html",
        {
            "organization": organization,
            "is_member": member,
            "is_owner": member
            and policy.can(request.user, "marketplace.edit_organization", organization),
            "tasks": tasks,
        },
    )


@login_required
def edit_organization(request, pk):
    organization = policy.access(
        request.user, "marketplace.edit_organization", Organization.objects.all(), pk=pk
    )
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organization(request.user, organization, **form.cleaned_data)
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The organization's details were saved."))
            return redirect("marketplace:organization_detail", pk=organization.pk)
    return render(
        request, "marketplace/organization_form.html", {"form": form, "organization": organization}
    )


# --- Tasks -----------------------------------------------------------------------------


@login_required
def create_task(request, pk):
    organization = policy.access(
        request.user, "marketplace.manage_organization", Organization.objects.all(), pk=pk
    )
    return _task_form(request, organization)


@login_required
def edit_task(request, pk):
    task = policy.access(
        request.user,
        "marketplace.manage_task",
        Task.objects.select_related("organization"),
        pk=pk,
    )
    return _task_form(request, task.organization, task)


def _task_form(request, organization, task=None):
    """Post a task (task=None) or edit one: save, and publish when asked to."""
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        fields = {"skills": form.cleaned_data["skills"], "tags": form.cleaned_data["tags"]}
        try:
            if task is None:
                saved = services.create_task(
                    request.user, organization, **fields, **form.task_fields()
                )
            else:
                saved = services.update_task(request.user, task, **fields, **form.task_fields())
            if "publish" in request.POST and saved.status == TaskStatus.DRAFT:
                saved = services.publish_task(request.user, saved)
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _task_saved_message(saved))
            return redirect("marketplace:task_detail", pk=saved.pk)
    return render(
        request,
        "marketplace/task_form.html",
        {"form": form, "organization": organization, "task": task},
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
    member = _is_member(user, task.organization)
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


TASK_ACTIONS = {
    "publish": (services.publish_task, None),
    "close": (services.close_task, _("The task no longer takes applications.")),
    "cancel": (services.cancel_task, _("The task was cancelled.")),
    "start": (services.start_task, _("Work has started.")),
}


@login_required
@require_POST
def task_action(request, pk, action):
    if action not in TASK_ACTIONS:
        raise Http404
    task = policy.access(request.user, "marketplace.manage_task", Task.objects.all(), pk=pk)
    service, message = TASK_ACTIONS[action]
    with errors_as_messages(request):
        task = service(request.user, task)
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
        except SHOWN as error:
            add_form_errors(form, error)
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
    task = policy.access(
        request.user,
        "marketplace.manage_task",
        Task.objects.select_related("organization", "ward"),
        pk=pk,
    )
    applications = (
        task.applications.select_related("resident__resident_profile__home_ward")
        .prefetch_related(Prefetch("resident__resident_profile__skill_levels__category"))
        .order_by(Case(When(status=ApplicationStatus.PENDING, then=0), default=1), "-created_at")
    )
    # Residents who fit, for members of a verified organization while the task is open.
    suggested = []
    if task.status == TaskStatus.OPEN and policy.can(request.user, "marketplace.find_residents"):
        suggested = services.residents_for(request.user, task, limit=SUGGESTED_RESIDENTS)
    return render(
        request,
        "marketplace/task_applications.html",
        {
            "task": task,
            "applications": applications,
            "matches": task.matches.select_related("resident"),
            "suggested": suggested,
        },
    )


@login_required
@require_POST
def invite(request, pk, user_id):
    task = policy.access(request.user, "marketplace.manage_task", Task.objects.all(), pk=pk)
    resident = get_object_or_404(User, pk=user_id)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a short message to the person you invite."))
        return redirect("marketplace:resident_detail", user_id=user_id)
    with errors_as_messages(request):
        services.invite_resident(request.user, task, resident, form.cleaned_data["message"])
        messages.success(request, _("The invitation was sent."))
        return redirect("marketplace:task_applications", pk=task.pk)
    return redirect("marketplace:resident_detail", user_id=user_id)


@login_required
@require_POST
def application_action(request, pk, action):
    application = get_object_or_404(Application.objects.select_related("task__organization"), pk=pk)
    if action not in ("accept", "decline", "withdraw"):
        raise Http404
    form = DecisionForm(request.POST)
    form.is_valid()
    with errors_as_messages(request):
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
    if _is_member(request.user, application.task.organization):
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
        with errors_as_messages(request):
            match = services.confirm_completion(request.user, match)
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
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("marketplace:match_detail", pk=match.pk)
    # Invalid input comes back in its form, next to its field, with nothing lost.
    return _render_match(request, match, status=400, **{form_name: form})


@login_required
@require_POST
def hours_action(request, pk, action):
    if action not in ("confirm", "reject"):
        raise Http404
    entry = policy.access(
        request.user,
        "marketplace.decide_hours",
        HoursLog.objects.select_related("match__organization"),
        pk=pk,
    )
    with errors_as_messages(request):
        services.decide_hours(request.user, entry, confirm=action == "confirm")
    return redirect("marketplace:match_detail", pk=entry.match_id)


@login_required
def certificate(request, pk):
    match = services.access_match(request.user, pk)
    policy.check(request.user, "marketplace.view_certificate", match)
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


# --- Conversations ---------------------------------------------------------------------


@login_required
def application_conversation(request, pk):
    """The messages about an application. Joining them (a new member of the organization,
    or an application older than messaging) is a change, so it takes a POST."""
    application = policy.access(
        request.user,
        "marketplace.view_application",
        Application.objects.select_related("task"),
        pk=pk,
    )
    conversation = messaging.conversation_for(application)
    if request.method == "POST":
        conversation = services.open_application_conversation(request.user, application)
    if conversation is not None and messaging.is_participant(request.user, conversation):
        return redirect("messaging:conversation", pk=conversation.pk)
    return render(
        request,
        "marketplace/application_conversation.html",
        {"application": application, "exists": conversation is not None},
    )
