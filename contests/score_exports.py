"""A round's scores for the organizer: one row per judge's sheet, as CSV (Excel-ready,
contests.exports.csv_document) or JSON, with the ranking beside them.

Judges are named: the organizer chose them. Recused and unsubmitted sheets are listed
with their status, so the export says what is missing as well as what counts.
"""

from django.utils.translation import gettext_lazy as _

from .exports import csv_document, iso_tokyo
from .models import AssignmentStatus, Score
from .services import judging


def _sheets(judging_round):
    criteria = list(judging_round.criteria.all())
    scores = {}
    for assignment_id, criterion_id, value, comment in Score.objects.filter(
        assignment__round=judging_round
    ).values_list("assignment_id", "criterion_id", "value", "comment"):
        scores[(assignment_id, criterion_id)] = (value, comment)
    assignments = judging_round.assignments.select_related(
        "judge", "entry__submission__team"
    ).order_by("entry_id", "judge_id")
    return criteria, scores, assignments


def rows(judging_round) -> list[dict]:
    criteria, scores, assignments = _sheets(judging_round)
    ranked = {s.entry: s for s in judging.round_ranking(judging_round).standings}
    out = []
    for assignment in assignments:
        submission = assignment.entry.submission
        standing = ranked.get(submission.pk)
        counted = assignment.status == AssignmentStatus.SUBMITTED
        out.append(
            {
                "submission_id": submission.pk,
                "submission": submission.title,
                "team": submission.team.name,
                "judge": str(assignment.judge),
                "status": str(AssignmentStatus(assignment.status).label),
                "scores": {
                    criterion.name: scores.get((assignment.pk, criterion.pk), (None, ""))[0]
                    if assignment.status != AssignmentStatus.RECUSED
                    else None
                    for criterion in criteria
                },
                "comment": assignment.comment if counted else "",
                "submitted_at": iso_tokyo(assignment.submitted_at),
                "place": standing.place if standing else None,
                "raw": _round(standing.raw) if standing else None,
                "normalised": _round(standing.normalised) if standing else None,
                "rank": _round(standing.rank) if standing else None,
            }
        )
    return out


def _round(value):
    return None if value is None else round(value, 2)


def csv_text(judging_round) -> str:
    criteria = list(judging_round.criteria.all())
    headers = [
        _("Submission id"),
        _("Submission"),
        _("Team"),
        _("Judge"),
        _("Status"),
        *[f"{c.name} (1–{c.scale_max}, ×{c.weight})" for c in criteria],
        _("Comment"),
        _("Submitted (Japan time)"),
        _("Place"),
        _("Raw mean (0–100)"),
        _("Normalised (50 ± 10)"),
        _("Rank-based count (0–100)"),
    ]
    body = (
        [
            row["submission_id"],
            row["submission"],
            row["team"],
            row["judge"],
            row["status"],
            *[row["scores"][c.name] for c in criteria],
            row["comment"],
            row["submitted_at"],
            row["place"],
            row["raw"],
            row["normalised"],
            row["rank"],
        ]
        for row in rows(judging_round)
    )
    return csv_document(headers, body)


def json_data(judging_round) -> dict:
    ranked = judging.round_ranking(judging_round)
    return {
        "contest": {"id": judging_round.contest_id, "title": judging_round.contest.title},
        "round": {
            "kind": judging_round.kind,
            "opens_at": iso_tokyo(judging_round.opens_at),
            "closes_at": iso_tokyo(judging_round.closes_at),
            "method": ranked.method,
            "tie_break": judging_round.tie_break,
        },
        "criteria": [
            {"name": c.name, "weight": c.weight, "scale": [1, c.scale_max]}
            for c in judging_round.criteria.all()
        ],
        "sheets": rows(judging_round),
    }
