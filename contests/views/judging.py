"""The judge's side: their entries to score, the score sheet, declaring a conflict.

A judge sees only their own assignments. A recused assignment (a conflict of interest)
has no sheet: its URL is not there (404), and the list says the judge stepped aside.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.two_factor import two_factor_required
from core.errors import Conflict
from core.feedback import add_form_errors

from .. import services
from ..judging_forms import ReasonForm, ScoreSheetForm
from ..models import Assignment, AssignmentStatus, RoundState
from ..services import judging


def _assignments():
    return Assignment.objects.select_related(
        "round__contest__ward", "entry__submission__team"
    ).prefetch_related("round__criteria")


@login_required
@two_factor_required
def judge_home(request):
    assignments = list(
        _assignments()
        .filter(judge=request.user)
        .order_by("round__closes_at", "round_id", "entry_id")
    )
    rounds = {}
    for assignment in assignments:
        rounds.setdefault(assignment.round, []).append(assignment)
    summary = [
        {
            "round": judging_round,
            "assignments": items,
            "done": sum(1 for a in items if a.status == AssignmentStatus.SUBMITTED),
            "to_score": sum(1 for a in items if a.status != AssignmentStatus.RECUSED),
        }
        for judging_round, items in rounds.items()
    ]
    return render(request, "contests/judging/home.html", {"rounds": summary, "now": timezone.now()})


@login_required
@two_factor_required
def score(request, pk):
    assignment = policy.access(request.user, "contests.score_assignment", _assignments(), pk=pk)
    judging_round = assignment.round
    criteria = list(judging_round.criteria.all())
    state = judging_round.state
    submission = assignment.entry.submission
    version = services.version_at_deadline(submission)
    form = ScoreSheetForm(request.POST or None, criteria=criteria, assignment=assignment)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                judging.save_scores(
                    request.user,
                    assignment,
                    form.scores(),
                    comment=form.cleaned_data["comment"],
                    private_note=form.cleaned_data["private_note"],
                    submit=submit,
                )
            except ValidationError as error:
                add_form_errors(form, error)
                status = 400
            except Conflict as error:
                messages.error(request, error.message)
                status = 409
            else:
                if submit:
                    messages.success(
                        request,
                        _(
                            "Your scores for 「%(title)s」 are submitted. You can change them until scoring closes."
                        )
                        % {"title": submission.title},
                    )
                    return redirect("contests:judge_home")
                messages.success(request, _("Draft saved. It does not count until you submit it."))
                return redirect("contests:score", pk=assignment.pk)
        else:
            status = 400
    return render(
        request,
        "contests/judging/score.html",
        {
            "assignment": assignment,
            "round": judging_round,
            "contest": judging_round.contest,
            "submission": submission,
            "version": version,
            "entry": version.data if version else {},
            "form": form,
            "editable": state == RoundState.OPEN,
            "state": state,
            "conflict_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@two_factor_required
def declare_conflict(request, pk):
    assignment = policy.access(request.user, "contests.score_assignment", _assignments(), pk=pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            judging.declare_conflict(request.user, assignment, form.cleaned_data["reason"])
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "You stepped aside from 「%(title)s」. The organizers see your reason and give the entry to another judge."
                )
                % {"title": assignment.entry.submission.title},
            )
            return redirect("contests:judge_home")
    return render(
        request,
        "contests/judging/conflict.html",
        {"assignment": assignment, "form": form, "contest": assignment.round.contest},
        status=400 if form.is_bound else 200,
    )


# --- The audience vote and the team's feedback ------------------------------------------


@login_required
@require_POST
def vote(request, pk):
    from ..models import ContestPage
    from ..services import results

    contest = policy.access(
        request.user, "contests.vote", ContestPage.objects.live(), pk=pk
    ).canonical
    submission = policy.access(
        request.user,
        "contests.vote",
        results.vote_candidates(contest),
        pk=request.POST.get("submission") or 0,
    )
    try:
        results.cast_vote(request.user, submission)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Your vote for 「%(title)s」 is counted. The count is shown when voting closes.")
            % {"title": submission.title},
        )
    return redirect(contest.url + "#audience-vote")


@login_required
def feedback(request, pk):
    """The judges' scores and comments on the team's entry, once the results are out."""
    from ..models import Submission, Team
    from ..services import results

    team = policy.access(
        request.user, "contests.view_team", Team.objects.select_related("contest"), pk=pk
    )
    submission = Submission.objects.filter(team=team).select_related("team", "contest").first()
    if submission is None:
        raise Http404
    context = {"team": team, "contest": team.contest, "submission": submission}
    if results.published(team.contest) is None:
        context["unpublished"] = True
    else:
        context.update(results.feedback(request.user, submission))
    return render(request, "contests/judging/feedback.html", context)
