"""What an organizer takes away from a contest: one row per team, as CSV or JSON.

`team_rows` builds the rows once (a fixed number of queries, however many teams) and
both formats write them. The CSV is for Japanese Excel: UTF-8 with a BOM, the header in
the active language, and every text cell that a spreadsheet would read as a formula
(= + - @, or a tab or carriage return before one) made plain text with a leading '.
"""

import csv
import io
from collections.abc import Iterator

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.japan_time import in_tokyo
from core.models import Ward

from .models import (
    Connection,
    ContestPage,
    DeadlineExtension,
    Licence,
    Submission,
    Team,
    TeamMembership,
)

# (key, header): the keys are the JSON's, the headers the CSV's (in the active language).
COLUMNS = [
    ("id", _("Team id")),
    ("team", _("Team")),
    ("leader", _("Leader")),
    ("members", _("Members")),
    ("member_count", _("Number of members")),
    ("contributors", _("Contributors")),
    ("eligibility", _("Eligibility answers")),
    ("submission_title", _("Submission")),
    ("repository_url", _("Source code repository")),
    ("demo_url", _("Demo")),
    ("video_url", _("Video")),
    ("datasets", _("Datasets used")),
    ("licence", _("Licence")),
    ("versions", _("Versions")),
    ("last_saved", _("Last saved (Japan time)")),
    ("deadline", _("Deadline (Japan time)")),
    ("extended", _("Deadline extended")),
]

# What a spreadsheet takes for the start of a formula (OWASP's CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso_tokyo(moment) -> str:
    """2027-03-01T23:59:59+09:00: Japan time with its offset, to the second."""
    return in_tokyo(moment).replace(microsecond=0).isoformat() if moment else ""


def teams_for_export(contest: ContestPage):
    """The contest's teams still in it, with everything a row needs, prefetched."""
    return (
        Team.objects.filter(contest=contest, withdrawn_at__isnull=True)
        .select_related("leader", "submission")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=TeamMembership.objects.select_related("user").order_by("joined_at", "id"),
            ),
            "contributors",
            Prefetch("extensions", queryset=DeadlineExtension.objects.order_by("-until", "-id")),
            Prefetch(
                "submission__datasets",
            ),
        )
        .order_by("name", "id")
    )


def _answers(membership, wards: dict) -> dict:
    answers = membership.answers or {}
    connection = answers.get("connection", "")
    return {
        "member": membership.user.display_name,
        "connection": connection,
        "connection_label": str(Connection(connection).label)
        if connection in Connection.values
        else "",
        "ward": answers.get("ward", ""),
        "ward_name": wards.get(answers.get("ward", ""), ""),
        "student": answers.get("student"),
    }


def team_rows(contest: ContestPage) -> Iterator[dict]:
    """One dict per team, keys as in COLUMNS (lists stay lists: the CSV joins them)."""
    contest = contest.canonical
    wards = {ward.code: ward.name for ward in Ward.objects.all()}
    for team in teams_for_export(contest):
        memberships = list(team.memberships.all())
        extensions = list(team.extensions.all())
        extended_until = extensions[0].until if extensions else None
        deadline = contest.submission_deadline
        if extended_until is not None and extended_until > deadline:
            deadline = extended_until
        try:
            submission = team.submission
        except Submission.DoesNotExist:
            submission = None
        yield {
            "id": team.pk,
            "team": team.name,
            "leader": team.leader.display_name,
            "members": [m.user.display_name for m in memberships],
            "member_count": len(memberships),
            "contributors": [
                f"{c.name} ({c.role})" if c.role else c.name for c in team.contributors.all()
            ],
            "eligibility": [_answers(m, wards) for m in memberships],
            "submission_title": submission.title if submission else "",
            "repository_url": submission.repository_url if submission else "",
            "demo_url": submission.demo_url if submission else "",
            "video_url": submission.video_url if submission else "",
            "datasets": [d.title for d in submission.datasets.all()] if submission else [],
            "licence": submission.licence if submission else "",
            "versions": submission.version_count if submission else 0,
            "last_saved": iso_tokyo(submission.updated_at) if submission else "",
            "deadline": iso_tokyo(deadline),
            "extended": extended_until is not None,
            # For the dashboard, not the files.
            "team_obj": team,
            "submission_obj": submission,
            "deadline_at": deadline,
            "extension_obj": extensions[0] if extensions else None,
        }


# What a row carries for the dashboard only.
DASHBOARD_ONLY = ("team_obj", "submission_obj", "deadline_at", "extension_obj")


def public_row(row: dict) -> dict:
    return {key: value for key, value in row.items() if key not in DASHBOARD_ONLY}


def _eligibility_text(answers: dict) -> str:
    parts = [answers["connection_label"] or answers["connection"]]
    if answers["ward_name"]:
        parts.append(answers["ward_name"])
    if answers["student"] is True:
        parts.append(str(_("student")))
    elif answers["student"] is False:
        parts.append(str(_("not a student")))
    return f"{answers['member']}: {' / '.join(p for p in parts if p)}"


def _licence_text(value: str) -> str:
    return str(Licence(value).label) if value in Licence.values else value


def neutralise(value) -> str:
    """A cell as text a spreadsheet shows and never runs."""
    if isinstance(value, bool):
        return "1" if value else "0"
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _cell(key: str, value):
    if key == "eligibility":
        return "\n".join(_eligibility_text(answers) for answers in value)
    if key == "licence":
        return _licence_text(value)
    if isinstance(value, list):
        return "; ".join(value)
    return value


def csv_document(headers, rows) -> str:
    """A CSV for Japanese Excel: BOM first, lines ending in CRLF (as Excel writes them),
    every cell neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([neutralise(str(header)) for header in headers])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue()


def csv_text(contest: ContestPage) -> str:
    return csv_document(
        [label for _key, label in COLUMNS],
        ([_cell(key, row[key]) for key, _label in COLUMNS] for row in team_rows(contest)),
    )


def json_data(contest: ContestPage, *, now) -> dict:
    contest = contest.canonical
    return {
        "contest": {
            "id": contest.pk,
            "title": contest.title,
            "ward": contest.ward.name,
            "submission_deadline": iso_tokyo(contest.submission_deadline),
            "exported_at": iso_tokyo(now),
        },
        "teams": [public_row(row) for row in team_rows(contest)],
    }
