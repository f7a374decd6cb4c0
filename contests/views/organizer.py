"""The contest's organizer: the dashboard, the exports, announcements and extensions.

Only an organizer of the contest's ward (or a superuser) gets these pages; for anyone
else, another ward's organizers and the editors included, the contest's dashboard is
not there (404).
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.two_factor import two_factor_required
from core.feedback import add_form_errors
from core.japan_time import TOKYO, in_tokyo

from .. import exports, services
from ..models import (
    Announcement,
    ContestDataset,
    ContestPage,
    Submission,
    SubmissionVersion,
    Team,
    TeamMembership,
)

# --- Forms ------------------------------------------------------------------------------


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("Message"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Sent by e-mail to every member of every team, and kept here."),
    )


class ExtensionForm(forms.Form):
    until_date = forms.DateField(
        label=gettext_lazy("New deadline: date (Japan time)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until_time = forms.TimeField(
        label=gettext_lazy("New deadline: time (Japan time)"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=gettext_lazy("The team may save until the end of this minute."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The team sees it, and it is kept in the log."),
    )

    def until(self) -> datetime:
        """The moment typed, read as Japan time."""
        return datetime.combine(
            self.cleaned_data["until_date"], self.cleaned_data["until_time"], tzinfo=TOKYO
        )


# --- Loading ----------------------------------------------------------------------------


def _contest(request, pk) -> ContestPage:
    contest = policy.access(
        request.user, "contests.manage_contest", ContestPage.objects.select_related("ward"), pk=pk
    )
    canonical = contest.canonical
    if canonical.pk != contest.pk:
        canonical = ContestPage.objects.select_related("ward").get(pk=canonical.pk)
    return canonical


def _dashboard_context(contest: ContestPage) -> dict:
    teams = Team.objects.filter(contest=contest, withdrawn_at__isnull=True)
    submissions = Submission.objects.filter(team__in=teams)
    late = SubmissionVersion.objects.filter(submission=OuterRef("pk"), late=True)
    submission_counts = submissions.aggregate(
        total=Count("pk"), late=Count("pk", filter=Q(Exists(late)))
    )
    team_count = teams.count()
    datasets = (
        ContestDataset.objects.filter(contest=contest)
        .select_related("dataset")
        .annotate(
            uses=Count(
                "dataset__submissions",
                filter=Q(
                    dataset__submissions__contest=contest,
                    dataset__submissions__team__withdrawn_at__isnull=True,
                ),
            )
        )
        .order_by("sort_order", "id")
    )
    rows = list(exports.team_rows(contest))
    return {
        "contest": contest,
        "counts": {
            "teams": team_count,
            "entrants": TeamMembership.objects.filter(team__in=teams).count(),
            "submissions": submission_counts["total"],
            "without_submission": team_count - submission_counts["total"],
            "on_time": submission_counts["total"] - submission_counts["late"],
            "late": submission_counts["late"],
        },
        "datasets": datasets,
        "rows": rows,
        "announcements": Announcement.objects.filter(contest=contest).select_related("author")[:10],
        "now": timezone.now(),
    }


# --- Views ------------------------------------------------------------------------------


@login_required
@two_factor_required
def dashboard(request, pk):
    contest = _contest(request, pk)
    context = _dashboard_context(contest)
    context["announcement_form"] = AnnouncementForm()
    return render(request, "contests/dashboard.html", context)


@login_required
@two_factor_required
@require_POST
def announce(request, pk):
    contest = _contest(request, pk)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            announcement = services.send_announcement(
                request.user, contest, form.cleaned_data["title"], form.cleaned_data["body"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("The announcement 「%(title)s」 was sent to every entrant.")
                % {"title": announcement.title},
            )
            return redirect("contests:dashboard", pk=contest.pk)
    context = _dashboard_context(contest)
    context["announcement_form"] = form
    return render(request, "contests/dashboard.html", context, status=400)


def _filename(contest: ContestPage, extension: str) -> str:
    stamp = in_tokyo(timezone.now()).strftime("%Y%m%d-%H%M")
    return f"contest-{contest.pk}-teams-{stamp}.{extension}"


@login_required
@two_factor_required
def export_csv(request, pk):
    contest = _contest(request, pk)
    response = HttpResponse(
        exports.csv_text(contest).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(contest, "csv")}"'
    return response


@login_required
@two_factor_required
def export_json(request, pk):
    contest = _contest(request, pk)
    response = JsonResponse(
        exports.json_data(contest, now=timezone.now()),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(contest, "json")}"'
    return response


@login_required
@two_factor_required
def grant_extension(request, pk):
    team = policy.access(
        request.user,
        "contests.grant_extension",
        Team.objects.select_related("contest__ward", "leader"),
        pk=pk,
    )
    if request.method == "POST":
        form = ExtensionForm(request.POST)
        if form.is_valid():
            try:
                extension = services.grant_extension(
                    request.user, team, form.until(), form.cleaned_data["reason"]
                )
            except ValidationError as error:
                errors = getattr(error, "error_dict", None)
                if errors is not None and "until" in errors:
                    # One moment, typed in two boxes: the date box carries the message.
                    form.add_error("until_date", errors.pop("until"))
                if errors is None or errors:
                    add_form_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(team)s may now save until %(until)s.")
                    % {"team": team.name, "until": _format(extension.until)},
                )
                return redirect("contests:dashboard", pk=team.contest_id)
    else:
        deadline = services.team_deadline(team)
        local = in_tokyo(deadline)
        form = ExtensionForm(initial={"until_date": local.date(), "until_time": local.time()})
    return render(
        request,
        "contests/extension_form.html",
        {
            "team": team,
            "contest": team.contest,
            "form": form,
            "deadline": services.team_deadline(team),
            "extensions": team.extensions.select_related("granted_by"),
        },
        status=400 if form.is_bound else 200,
    )


def _format(moment) -> str:
    from core.japan_time import format_tokyo

    return format_tokyo(moment)
