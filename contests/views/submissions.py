"""A team's entry: editing it until the deadline (every save a version), reading it,
its stored versions and its screenshots.

The deadline is the server's to enforce (services.save_submission); these views only
say so plainly and stop offering a form that can no longer be saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy
from core.errors import Conflict
from core.feedback import SHOWN, add_form_errors

from .. import services
from ..forms import SubmissionForm
from ..models import Dataset, Licence, Screenshot, Submission, Team, TeamMembership
from ..rules import is_public_submission

CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}


def _versions(submission):
    if submission is None:
        return []
    return submission.versions.select_related("saved_by").order_by("-number")


@login_required
def edit(request, pk):
    team = get_object_or_404(
        Team.objects.select_related("contest__ward").filter(withdrawn_at__isnull=True), pk=pk
    )
    policy.check(request.user, "contests.edit_submission", team)
    submission = Submission.objects.filter(team=team).first()
    deadline = services.team_deadline(team)
    closed_message = ""
    status = 200
    form = None
    if timezone.now() > deadline:
        closed_message = services.closed_message(team)
        if request.method == "POST":
            status = 409
            # What they typed stays in front of them to copy, in boxes that no longer save.
            form = SubmissionForm(request.POST, team=team, submission=submission)
            form.is_valid()
            form.make_read_only()
    else:
        form = SubmissionForm(
            request.POST or None, request.FILES or None, team=team, submission=submission
        )
        if request.method == "POST" and form.is_valid():
            try:
                saved = services.save_submission(
                    request.user, team, form.submission_fields(), **form.service_arguments()
                )
            except Conflict as error:
                if timezone.now() > deadline:  # the deadline passed while they typed
                    closed_message = error.message
                    form.make_read_only()
                    status = 409
                else:
                    add_form_errors(form, error)
            except SHOWN as error:
                add_form_errors(form, error)
            else:
                messages.success(
                    request, _("Saved (version %(number)d).") % {"number": saved.version_count}
                )
                return redirect("contests:submission_edit", pk=team.pk)
        if request.method == "POST" and status == 200:
            status = 400
    return render(
        request,
        "contests/submission_form.html",
        {
            "team": team,
            "contest": team.contest,
            "submission": submission,
            "form": form,
            "closed_message": closed_message,
            "deadline": deadline,
            "extensions": team.extensions.all(),
            "versions": _versions(submission),
        },
        status=status,
    )


def _visible_submission(user, pk) -> Submission:
    submission = get_object_or_404(
        Submission.objects.select_related("team__leader", "contest__ward"), pk=pk
    )
    # A public entry is for everyone, visitors without an account included (a policy
    # rule is never asked about anonymous visitors: they are refused before it).
    if not is_public_submission(submission):
        policy.check(user, "contests.view_submission", submission)
    return submission


def detail(request, pk):
    submission = _visible_submission(request.user, pk)
    team = submission.team
    is_member = (
        request.user.is_authenticated
        and TeamMembership.objects.filter(team=team, user=request.user).exists()
    )
    may_see_team = policy.can(request.user, "contests.view_team", team)
    return render(
        request,
        "contests/submission_detail.html",
        {
            "submission": submission,
            "team": team,
            "contest": submission.contest,
            "datasets": submission.datasets.order_by("title"),
            "screenshots": submission.screenshots.filter(removed_at__isnull=True),
            "contributors": team.contributors.all(),
            "members": team.memberships.select_related("user"),
            "is_member": is_member,
            "may_see_team": may_see_team,
            "versions": _versions(submission) if may_see_team else [],
            "deadline": services.team_deadline(team),
        },
    )


def version_detail(request, pk, number):
    submission = get_object_or_404(
        Submission.objects.select_related("team__contest__ward", "contest"), pk=pk
    )
    policy.check(request.user, "contests.view_team", submission.team)
    version = get_object_or_404(submission.versions.select_related("saved_by"), number=number)
    data = version.data
    known = set(
        Dataset.objects.filter(
            pk__in=[item.get("id") for item in data.get("datasets", [])]
        ).values_list("pk", flat=True)
    )
    standing = services.version_at_deadline(submission)
    return render(
        request,
        "contests/submission_version.html",
        {
            "submission": submission,
            "team": submission.team,
            "contest": submission.contest,
            "version": version,
            "data": data,
            "datasets": [
                {**item, "exists": item.get("id") in known} for item in data.get("datasets", [])
            ],
            "screenshots": data.get("screenshots", []),
            "licence_label": dict(Licence.choices).get(data.get("licence"), data.get("licence")),
            "is_standing": standing is not None and standing.pk == version.pk,
            "deadline": services.team_deadline(submission.team),
        },
    )


def screenshot(request, pk, shot):
    submission = _visible_submission(request.user, pk)
    picture = get_object_or_404(Screenshot, pk=shot, submission=submission)
    # A removed picture is still part of the versions the team and the organizer read;
    # the public sees only what the entry shows now.
    if picture.removed_at is not None and not policy.can(
        request.user, "contests.view_team", submission.team
    ):
        raise Http404
    content_type = CONTENT_TYPES.get(picture.kind)
    if content_type is None:
        raise Http404
    try:
        handle = picture.image.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        content_type=content_type,
        filename=f"screenshot-{picture.pk}.{picture.kind}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Private even for a public entry: the team may make it private again.
    response["Cache-Control"] = "private, max-age=3600"
    return response
