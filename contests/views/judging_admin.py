"""The organizer's judging pages: rounds, a round's set-up and progress, the ranking with
its sensitivity panel, exports of the scores, and the results.

Only an organizer of the contest's ward (or a superuser) gets these pages; for anyone
else, judges and other wards' organizers included, they are not there (404).
"""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.two_factor import two_factor_required
from core.errors import Conflict
from core.feedback import add_form_errors
from core.japan_time import in_tokyo

from .. import score_exports
from ..judging_forms import (
    CriterionFormSet,
    GroupForm,
    JudgeForm,
    LadderForm,
    ReasonForm,
    RoundForm,
    VotingForm,
)
from ..models import (
    AssignmentStatus,
    AudienceVoting,
    Award,
    ContestPage,
    JudgingRound,
    RoundEntry,
    RoundJudge,
    RoundKind,
    RoundState,
    Submission,
)
from ..models import (
    Conflict as ConflictRecord,
)
from ..services import judging, results


def _contest(request, pk) -> ContestPage:
    contest = policy.access(
        request.user, "contests.manage_judging", ContestPage.objects.select_related("ward"), pk=pk
    )
    canonical = contest.canonical
    if canonical.pk != contest.pk:
        canonical = ContestPage.objects.select_related("ward").get(pk=canonical.pk)
    return canonical


def _round(request, pk) -> JudgingRound:
    judging_round = get_object_or_404(JudgingRound.objects.select_related("contest__ward"), pk=pk)
    if not policy.can(request.user, "contests.manage_judging", judging_round.contest):
        raise Http404
    return judging_round


def _failed(request, error) -> None:
    for message in getattr(error, "messages", [str(error)]):
        messages.error(request, message)


# --- The contest's rounds ---------------------------------------------------------------


@login_required
@two_factor_required
def judging_overview(request, pk):
    contest = _contest(request, pk)
    round_form = RoundForm(request.POST if request.POST.get("form") == "round" else None)
    voting = AudienceVoting.objects.filter(contest=contest).first()
    voting_form = VotingForm(
        request.POST if request.POST.get("form") == "voting" else None,
        initial=VotingForm.initial_for(
            opens=voting.opens_at if voting else None, closes=voting.closes_at if voting else None
        ),
    )
    status = 200
    if request.method == "POST":
        form = round_form if request.POST.get("form") == "round" else voting_form
        if form.is_valid():
            try:
                if form is round_form:
                    judging_round = judging.create_round(
                        request.user,
                        contest,
                        kind=form.cleaned_data["kind"],
                        opens_at=form.moment("opens"),
                        closes_at=form.moment("closes"),
                        judges_per_entry=form.cleaned_data["judges_per_entry"],
                    )
                    messages.success(
                        request, _("The round is created. Set its criteria and judges.")
                    )
                    return redirect("contests:round_detail", pk=judging_round.pk)
                results.set_voting(
                    request.user, contest, form.moment("opens"), form.moment("closes")
                )
                messages.success(request, _("The audience vote is set."))
                return redirect("contests:judging", pk=contest.pk)
            except ValidationError as error:
                form.add_moment_errors(error)
        status = 400
    rounds = list(contest.judging_rounds.all())
    for judging_round in rounds:
        counts = Counter(judging_round.assignments.values_list("status", flat=True))
        judging_round.counts = counts
        judging_round.entry_count = judging_round.entries.count()
    missing = [kind for kind in RoundKind if kind not in {r.kind for r in rounds}]
    round_form.fields["kind"].choices = [(kind.value, kind.label) for kind in missing]
    return render(
        request,
        "contests/judging/overview.html",
        {
            "contest": contest,
            "rounds": rounds,
            "round_form": round_form if missing else None,
            "voting": voting,
            "voting_form": voting_form,
            "vote_count": contest.audience_votes.count(),
            "now": timezone.now(),
        },
        status=status,
    )


# --- One round --------------------------------------------------------------------------


def _round_context(judging_round: JudgingRound, **forms) -> dict:
    criteria = list(judging_round.criteria.all())
    entries = list(judging_round.entries.select_related("submission__team", "group").order_by("id"))
    judges = list(judging_round.judges.select_related("user", "group"))
    assignments = list(judging_round.assignments.select_related("judge", "entry"))
    by_entry, by_judge = {}, {}
    for assignment in assignments:
        by_entry.setdefault(assignment.entry_id, []).append(assignment)
        by_judge.setdefault(assignment.judge_id, []).append(assignment)
    for entry in entries:
        entry.assigned = by_entry.get(entry.pk, [])
        entry.submitted = sum(1 for a in entry.assigned if a.status == AssignmentStatus.SUBMITTED)
        entry.able = sum(1 for a in entry.assigned if a.status != AssignmentStatus.RECUSED)
        entry.short = entry.able < judging_round.judges_per_entry
    for judge in judges:
        mine = by_judge.get(judge.user_id, [])
        judge.counts = Counter(a.status for a in mine)
        judge.total = sum(1 for a in mine if a.status != AssignmentStatus.RECUSED)
        judge.missing = judge.total - judge.counts[AssignmentStatus.SUBMITTED]
    conflicts = list(
        ConflictRecord.objects.filter(
            contest=judging_round.contest,
            submission_id__in=[entry.submission_id for entry in entries],
        ).select_related("judge", "submission__team", "recorded_by")
    )
    state = judging_round.state
    return {
        "round": judging_round,
        "contest": judging_round.contest,
        "state": state,
        "setup": state == RoundState.SETUP,
        "criteria": criteria,
        "entries": entries,
        "judges": judges,
        "groups": list(judging_round.groups.all()),
        "conflicts": conflicts,
        "ladder": judging_round.ladder_labels(),
        "total_weight": sum(c.weight for c in criteria),
        "submitted": sum(1 for a in assignments if a.status == AssignmentStatus.SUBMITTED),
        "to_score": sum(1 for a in assignments if a.status != AssignmentStatus.RECUSED),
        **forms,
    }


def _criteria_initial(judging_round):
    return [
        {"name": c.name, "description": c.description, "weight": c.weight, "scale_max": c.scale_max}
        for c in judging_round.criteria.all()
    ]


def _ladder_initial(judging_round):
    return {f"step_{n}": step for n, step in enumerate(judging_round.tie_break, start=1)}


@login_required
@two_factor_required
def round_detail(request, pk):
    judging_round = _round(request, pk)
    action = request.POST.get("form") if request.method == "POST" else None
    post = request.POST if request.method == "POST" else None
    criteria_formset = CriterionFormSet(
        post if action == "criteria" else None,
        initial=_criteria_initial(judging_round),
        prefix="criteria",
    )
    ladder_form = LadderForm(
        post if action == "ladder" else None,
        initial=_ladder_initial(judging_round),
        choices=judging.ladder_choices(judging_round),
    )
    judge_form = JudgeForm(post if action == "judge" else None, round=judging_round)
    group_form = GroupForm(post if action == "group" else None)
    times_form = RoundForm(
        post if action == "times" else None,
        initial={
            "kind": judging_round.kind,
            "judges_per_entry": judging_round.judges_per_entry,
            **RoundForm.initial_for(opens=judging_round.opens_at, closes=judging_round.closes_at),
        },
    )
    times_form.fields["kind"].choices = [(judging_round.kind, judging_round.get_kind_display())]
    times_form.fields["kind"].widget = forms.HiddenInput()
    status = 200
    if action:
        try:
            done = _round_action(
                request,
                judging_round,
                action,
                criteria_formset,
                ladder_form,
                judge_form,
                group_form,
                times_form,
            )
        except ValidationError as error:
            target = {
                "criteria": None,
                "ladder": ladder_form,
                "judge": judge_form,
                "group": group_form,
                "times": times_form,
            }.get(action)
            if target is times_form:
                times_form.add_moment_errors(error)
            elif target is not None:
                add_form_errors(target, error)
            else:
                _failed(request, error)
            done = None
        except Conflict as error:
            messages.error(request, error.message)
            done = None
            status = 409
        if done:
            messages.success(request, done)
            return redirect("contests:round_detail", pk=judging_round.pk)
        if status == 200:
            status = 400
    context = _round_context(
        judging_round,
        criteria_formset=criteria_formset,
        ladder_form=ladder_form,
        judge_form=judge_form,
        group_form=group_form,
        times_form=times_form,
        conflict_form=ReasonForm(),
    )
    return render(request, "contests/judging/round.html", context, status=status)


def _round_action(
    request,
    judging_round,
    action,
    criteria_formset,
    ladder_form,
    judge_form,
    group_form,
    times_form,
):
    """Carry out one of the round page's forms; the message to show, or None when the
    form had errors (shown on the page)."""
    user = request.user
    if action == "criteria":
        if not criteria_formset.is_valid():
            return None
        judging.set_criteria(
            user, judging_round, [f.cleaned_data for f in criteria_formset.forms if f.cleaned_data]
        )
        return _("The criteria are saved.")
    if action == "ladder":
        if not ladder_form.is_valid():
            return None
        judging.set_tie_break(user, judging_round, ladder_form.steps())
        return _("The tie-break rules are saved.")
    if action == "times":
        if not times_form.is_valid():
            return None
        judging.update_round(
            user,
            judging_round,
            opens_at=times_form.moment("opens"),
            closes_at=times_form.moment("closes"),
            judges_per_entry=times_form.cleaned_data["judges_per_entry"],
        )
        return _("The round's times are saved.")
    if action == "judge":
        if not judge_form.is_valid():
            return None
        judge = judging.add_judge(
            user,
            judging_round,
            judge_form.cleaned_data["email"],
            scope=judge_form.cleaned_data["scope"],
            group=judge_form.cleaned_data["group"],
        )
        return _("%(name)s is a judge of this round and has been told by e-mail.") % {
            "name": judge.user
        }
    if action == "group":
        if not group_form.is_valid():
            return None
        group = judging.create_group(user, judging_round, group_form.cleaned_data["name"])
        return _("The group 「%(name)s」 is created.") % {"name": group.name}
    if action == "remove_judge":
        judge = get_object_or_404(RoundJudge, round=judging_round, pk=request.POST.get("judge"))
        judging.remove_judge(user, judge)
        return _("%(name)s is no longer a judge of this round.") % {"name": judge.user}
    if action == "assign":
        summary = judging.assign(user, judging_round)
        text = _("%(n)d assignments made.") % {"n": summary.created}
        if summary.short:
            text += " " + _(
                "%(n)d entries still have fewer than %(k)d judges who can score them: add judges or assign them by hand."
            ) % {"n": len(summary.short), "k": judging_round.judges_per_entry}
        return text
    if action == "entry_group":
        entry = get_object_or_404(RoundEntry, round=judging_round, pk=request.POST.get("entry"))
        group_id = request.POST.get("group") or None
        group = get_object_or_404(judging_round.groups, pk=group_id) if group_id else None
        judging.set_entry_group(user, entry, group)
        return _("The entry's group is saved.")
    if action == "reassign":
        entry = get_object_or_404(RoundEntry, round=judging_round, pk=request.POST.get("entry"))
        judge = get_object_or_404(
            judging_round.judges.select_related("user"), pk=request.POST.get("judge")
        )
        judging.reassign(user, entry, judge.user)
        return _("「%(title)s」 is now also assigned to %(name)s.") % {
            "title": entry.submission.title,
            "name": judge.user,
        }
    if action == "record_conflict":
        entry = get_object_or_404(RoundEntry, round=judging_round, pk=request.POST.get("entry"))
        judge = get_object_or_404(
            judging_round.judges.select_related("user"), pk=request.POST.get("judge")
        )
        judging.record_conflict(
            user, judging_round, judge.user, entry.submission, request.POST.get("reason", "")
        )
        return _("The conflict is recorded; %(name)s no longer scores 「%(title)s」.") % {
            "name": judge.user,
            "title": entry.submission.title,
        }
    raise Http404


# --- Ranking, sensitivity, ties, the final ---------------------------------------------


def _ranking_context(judging_round):
    ranked = judging.round_ranking(judging_round)
    submissions = Submission.objects.in_bulk([s.entry for s in ranked.standings])
    criteria = list(judging_round.criteria.all())
    for standing in ranked.standings:
        standing.submission = submissions.get(standing.entry)
        standing.criterion_values = [standing.criteria.get(c.pk) for c in criteria]
    judges = {
        u.pk: u for u in get_user_model().objects.filter(pk__in=[j.judge for j in ranked.judges])
    }
    places = max(3, sum(p.winners for p in judging_round.contest.prizes.all() if not p.audience))
    panel = ranked.sensitivity(places=places)
    rows = [
        {"submission": submissions.get(entry), "places": places_by}
        for entry, places_by in panel["rows"]
    ]
    unresolved = [[submissions.get(entry) for entry in group] for group in ranked.unresolved]
    final = judging_round.contest.judging_rounds.filter(kind=RoundKind.FINAL).first()
    return {
        "round": judging_round,
        "contest": judging_round.contest,
        "ranking": ranked,
        "criteria": criteria,
        "judge_stats": [(judges.get(j.judge), j) for j in ranked.judges],
        "panel": panel,
        "panel_rows": rows,
        "places": places,
        "unresolved": unresolved,
        "decisions": judging_round.tie_decisions.select_related("decided_by"),
        "final": final if judging_round.kind == RoundKind.SCREENING else None,
        "finalists": set(final.entries.values_list("submission_id", flat=True)) if final else set(),
    }


@login_required
@two_factor_required
def round_ranking(request, pk):
    judging_round = _round(request, pk)
    return render(request, "contests/judging/ranking.html", _ranking_context(judging_round))


@login_required
@two_factor_required
@require_POST
def decide_tie(request, pk):
    judging_round = _round(request, pk)
    order = [int(value) for value in request.POST.getlist("order") if value.isdigit()]
    try:
        judging.decide_tie(request.user, judging_round, order, request.POST.get("reason", ""))
    except ValidationError as error:
        _failed(request, error)
    else:
        messages.success(request, _("The tie is decided and recorded."))
    return redirect("contests:round_ranking", pk=judging_round.pk)


@login_required
@two_factor_required
@require_POST
def advance(request, pk):
    judging_round = _round(request, pk)
    final = get_object_or_404(JudgingRound, contest=judging_round.contest, kind=RoundKind.FINAL)
    ids = [int(value) for value in request.POST.getlist("submission") if value.isdigit()]
    try:
        added = judging.advance(request.user, final, Submission.objects.filter(pk__in=ids))
    except (ValidationError, Conflict) as error:
        _failed(request, error)
    else:
        messages.success(request, _("%(n)d entries advanced to the final.") % {"n": added})
    return redirect("contests:round_ranking", pk=judging_round.pk)


@login_required
@two_factor_required
def scores_export(request, pk, fmt):
    if fmt not in ("csv", "json"):
        raise Http404
    judging_round = _round(request, pk)
    stamp = in_tokyo(timezone.now()).strftime("%Y%m%d-%H%M")
    filename = f"contest-{judging_round.contest_id}-{judging_round.kind}-scores-{stamp}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            score_exports.csv_text(judging_round).encode("utf-8"),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = JsonResponse(
            score_exports.json_data(judging_round),
            json_dumps_params={"ensure_ascii": False, "indent": 2},
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Results ----------------------------------------------------------------------------


@login_required
@two_factor_required
def results_admin(request, pk):
    contest = _contest(request, pk)
    publication = results.published(contest)
    status = 200
    if request.method == "POST" and publication is None:
        prize = get_object_or_404(contest.prizes, pk=request.POST.get("prize"))
        ids = [int(value) for value in request.POST.getlist("submission") if value.isdigit()]
        try:
            results.choose_winners(
                request.user, prize, Submission.objects.filter(pk__in=ids, contest=contest)
            )
        except (ValidationError, Conflict) as error:
            _failed(request, error)
            status = 400
        else:
            messages.success(
                request, _("The winners of 「%(prize)s」 are saved.") % {"prize": prize.name}
            )
            return redirect("contests:results_admin", pk=contest.pk)
    suggestions = results.suggested_winners(contest)
    chosen = {}
    for award in Award.objects.filter(contest=contest).select_related("submission"):
        chosen.setdefault(award.prize_id, []).append(award.submission_id)
    entries = list(
        Submission.objects.filter(contest=contest, team__withdrawn_at__isnull=True)
        .select_related("team")
        .order_by("title")
    )
    votes = results.vote_counts(contest)
    for entry in entries:
        entry.votes = (votes or {}).get(entry.pk, 0)
    prizes = []
    for prize in contest.prizes.all():
        prizes.append(
            {
                "prize": prize,
                "suggested": suggestions.get(prize.pk, []),
                "chosen": chosen[prize.pk] if prize.pk in chosen else suggestions.get(prize.pk, []),
                "saved": prize.pk in chosen,
            }
        )
    return render(
        request,
        "contests/judging/results.html",
        {
            "contest": contest,
            "prizes": prizes,
            "entries": entries,
            "titles": {s.pk: s for s in entries},
            "blockers": results.publish_blockers(contest) if publication is None else [],
            "publication": publication,
            "awards": Award.objects.filter(contest=contest).select_related(
                "prize", "submission__team"
            ),
            "deciding_round": results.deciding_round(contest),
            "votes": votes,
            "can_manage_payouts": policy.can(request.user, "contests.manage_payouts", contest),
        },
        status=status,
    )


@login_required
@two_factor_required
@require_POST
def publish(request, pk):
    contest = _contest(request, pk)
    try:
        results.publish_results(request.user, contest)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The results are published on the contest page, and every entrant has been told by e-mail."
            ),
        )
    return redirect("contests:results_admin", pk=contest.pk)


@login_required
@two_factor_required
@require_POST
def start_follow_up(request, pk):
    award = get_object_or_404(Award.objects.select_related("contest__ward", "submission"), pk=pk)
    if not policy.can(request.user, "contests.publish_results", award.contest):
        raise Http404
    try:
        created = results.start_follow_up(request.user, award)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("contests:results_admin", pk=award.contest_id)
    messages.success(
        request,
        _("A board task for carrying 「%(title)s」 on is drafted. Check it and publish it.")
        % {"title": award.submission.title},
    )
    return redirect(created.url)
