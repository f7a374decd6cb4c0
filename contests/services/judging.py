"""Judging: rounds, criteria, judges, assignment, conflicts of interest, scores, ranking.

The organizer sets a round up (criteria, tie-break ladder, judges, groups) before it
opens; criteria and ladder are fixed from then on, so every judge scores against the
same published rubric. `assign` shares the entries out so that each gets at least k
judges, the load kept even; conflicts (declared, detected, recorded) recuse a judge from
an entry in every round. Judges score until the round closes; only submitted sheets
count. The ranking itself is contests.ranking.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import affiliations, policy
from core.activity import log_action
from core.email import email_user
from core.errors import Conflict as ConflictError
from core.errors import NotFound
from core.models import ActivityLog

from .. import ranking
from ..models import (
    Assignment,
    AssignmentStatus,
    Conflict,
    ConflictSource,
    ContestPage,
    Criterion,
    JudgeScope,
    JudgingGroup,
    JudgingRound,
    RoundEntry,
    RoundJudge,
    RoundKind,
    RoundState,
    Score,
    Submission,
    SubmissionVersion,
    TeamMembership,
    TieBreakStep,
    TieDecision,
    Vote,
)

MAX_CRITERIA = 10
# What the team services log when someone is in a team (contests.services.teams).
JOINED_ACTIONS = ("contests.team_created", "contests.team_joined", "contests.team_left")


# --- Rounds -----------------------------------------------------------------------------


def _check_times(contest: ContestPage, kind: str, opens_at, closes_at, exclude=None) -> None:
    errors = {}
    if opens_at is None:
        errors["opens_at"] = _("Say when scoring opens.")
    if closes_at is None:
        errors["closes_at"] = _("Say when scoring closes.")
    if errors:
        raise ValidationError(errors)
    if closes_at <= opens_at:
        errors["closes_at"] = _("Scoring must close after it opens.")
    if opens_at <= contest.submission_deadline:
        errors["opens_at"] = _(
            "Scoring opens after the submission deadline (entries are judged as they stood then)."
        )
    if closes_at > contest.results_at:
        errors["closes_at"] = _("Scoring must close by the time the results are due.")
    others = contest.judging_rounds.exclude(pk=getattr(exclude, "pk", None))
    if kind == RoundKind.FINAL:
        screening = others.filter(kind=RoundKind.SCREENING).first()
        if screening and opens_at < screening.closes_at:
            errors["opens_at"] = _("The final opens after the first screening closes.")
    else:
        final = others.filter(kind=RoundKind.FINAL).first()
        if final and closes_at > final.opens_at:
            errors["closes_at"] = _("The first screening closes before the final opens.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_round(organizer, contest: ContestPage, *, kind, opens_at, closes_at, judges_per_entry=2):
    contest = contest.canonical
    policy.check(organizer, "contests.manage_judging", contest)
    if kind not in RoundKind.values:
        raise ValidationError({"kind": _("Choose the first screening or the final.")})
    if contest.judging_rounds.filter(kind=kind).exists():
        raise ValidationError({"kind": _("This contest already has that round.")})
    _check_times(contest, kind, opens_at, closes_at)
    judging_round = JudgingRound.objects.create(
        contest=contest,
        kind=kind,
        opens_at=opens_at,
        closes_at=closes_at,
        judges_per_entry=judges_per_entry,
    )
    log_action(organizer, "contests.round_created", judging_round, kind=kind)
    return judging_round


@transaction.atomic
def update_round(organizer, judging_round: JudgingRound, *, opens_at, closes_at, judges_per_entry):
    """Times and k. Opening may not move once scoring has begun."""
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    now = timezone.now()
    if judging_round.state_at(now) != RoundState.SETUP and opens_at != judging_round.opens_at:
        raise ValidationError({"opens_at": _("Scoring has already opened.")})
    _check_times(
        judging_round.contest, judging_round.kind, opens_at, closes_at, exclude=judging_round
    )
    judging_round.opens_at, judging_round.closes_at = opens_at, closes_at
    judging_round.judges_per_entry = judges_per_entry
    judging_round.save(update_fields=["opens_at", "closes_at", "judges_per_entry"])
    log_action(
        organizer,
        "contests.round_updated",
        judging_round,
        opens_at=opens_at.isoformat(),
        closes_at=closes_at.isoformat(),
        judges_per_entry=judges_per_entry,
    )


def _check_setup(judging_round: JudgingRound, what: str) -> None:
    if judging_round.state != RoundState.SETUP:
        raise ConflictError(
            _("Scoring has opened: the %(what)s are fixed, as the judges and the teams read them.")
            % {"what": what}
        )


@transaction.atomic
def set_criteria(organizer, judging_round: JudgingRound, criteria: list[dict]) -> list[Criterion]:
    """Replace the round's criteria (name, description, weight, scale_max), in order."""
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    _check_setup(judging_round, _("criteria"))
    criteria = [c for c in criteria if (c.get("name") or "").strip()]
    if not criteria:
        raise ValidationError(_("Add at least one criterion."))
    if len(criteria) > MAX_CRITERIA:
        raise ValidationError(_("At most %(n)d criteria.") % {"n": MAX_CRITERIA})
    names = [c["name"].strip() for c in criteria]
    if len(set(names)) != len(names):
        raise ValidationError(_("Two criteria have the same name."))
    kept = {criterion.name: criterion for criterion in judging_round.criteria.all()}
    saved = []
    for position, data in enumerate(criteria):
        criterion = kept.pop(data["name"].strip(), None) or Criterion(round=judging_round)
        criterion.name = data["name"].strip()
        criterion.description = (data.get("description") or "").strip()
        criterion.weight = int(data.get("weight") or 1)
        criterion.scale_max = int(data.get("scale_max") or 5)
        criterion.position = position
        criterion.full_clean(exclude=["round"])
        criterion.save()
        saved.append(criterion)
    removed = [criterion.pk for criterion in kept.values()]
    Criterion.objects.filter(pk__in=removed).delete()
    judging_round.tie_break = [
        step
        for step in judging_round.tie_break
        if step not in {f"criterion:{pk}" for pk in removed}
    ]
    judging_round.save(update_fields=["tie_break"])
    log_action(
        organizer,
        "contests.criteria_set",
        judging_round,
        criteria=[{"name": c.name, "weight": c.weight, "scale_max": c.scale_max} for c in saved],
    )
    return saved


def ladder_choices(judging_round: JudgingRound) -> list[tuple[str, str]]:
    choices = [
        (
            f"criterion:{criterion.pk}",
            _("the higher mean on 「%(name)s」") % {"name": criterion.name},
        )
        for criterion in judging_round.criteria.all()
    ]
    return choices + [(step.value, step.label) for step in TieBreakStep]


@transaction.atomic
def set_tie_break(organizer, judging_round: JudgingRound, steps: list[str]) -> None:
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    _check_setup(judging_round, _("tie-break rules"))
    allowed = {key for key, _label in ladder_choices(judging_round)}
    steps = [step for step in steps if step]
    if any(step not in allowed for step in steps):
        raise ValidationError(_("Choose the steps from the list."))
    if len(set(steps)) != len(steps):
        raise ValidationError(_("Each step can be used once."))
    judging_round.tie_break = steps
    judging_round.save(update_fields=["tie_break"])
    log_action(organizer, "contests.tie_break_set", judging_round, steps=steps)


# --- Entries, groups and judges ---------------------------------------------------------


def standing_entries(contest: ContestPage):
    """The submissions judged in a first screening: teams still in the contest with a
    version saved by their deadline."""
    return (
        Submission.objects.filter(contest=contest, team__withdrawn_at__isnull=True)
        .filter(version_count__gt=0)
        .select_related("team")
    )


def _fill_entries(judging_round: JudgingRound) -> None:
    if judging_round.kind != RoundKind.SCREENING:
        return  # the final's entries are the ones advanced
    have = set(judging_round.entries.values_list("submission_id", flat=True))
    RoundEntry.objects.bulk_create(
        [
            RoundEntry(round=judging_round, submission=submission)
            for submission in standing_entries(judging_round.contest)
            if submission.pk not in have
        ]
    )


@transaction.atomic
def advance(organizer, final: JudgingRound, submissions) -> int:
    """Put `submissions` (from the first screening) into the final. Returns how many."""
    policy.check(organizer, "contests.manage_judging", final.contest)
    if final.kind != RoundKind.FINAL:
        raise ConflictError(_("Entries are advanced into the final."))
    _check_setup(final, _("finalists"))
    screening = final.contest.judging_rounds.filter(kind=RoundKind.SCREENING).first()
    ids = {submission.pk for submission in submissions}
    if screening is not None:
        known = set(
            screening.entries.filter(submission_id__in=ids).values_list("submission_id", flat=True)
        )
    else:
        known = set(standing_entries(final.contest).filter(pk__in=ids).values_list("pk", flat=True))
    if known != ids:
        raise ValidationError(
            _("Only entries of this contest's first screening can go to the final.")
        )
    have = set(final.entries.values_list("submission_id", flat=True))
    new = [RoundEntry(round=final, submission_id=pk) for pk in sorted(ids - have)]
    RoundEntry.objects.bulk_create(new)
    log_action(organizer, "contests.entries_advanced", final, submissions=sorted(ids))
    return len(new)


@transaction.atomic
def create_group(organizer, judging_round: JudgingRound, name: str) -> JudgingGroup:
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the group a name.")})
    try:
        with transaction.atomic():
            group = JudgingGroup.objects.create(round=judging_round, name=name)
    except IntegrityError:
        raise ValidationError({"name": _("This round already has a group of that name.")}) from None
    log_action(organizer, "contests.group_created", judging_round, name=name)
    return group


@transaction.atomic
def set_entry_group(organizer, entry: RoundEntry, group: JudgingGroup | None) -> None:
    policy.check(organizer, "contests.manage_judging", entry.round.contest)
    if group is not None and group.round_id != entry.round_id:
        raise NotFound
    entry.group = group
    entry.save(update_fields=["group"])


@transaction.atomic
def add_judge(
    organizer, judging_round: JudgingRound, email: str, *, scope=JudgeScope.POOL, group=None
):
    """Make the person with this e-mail address a judge of the round, and tell them."""
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    if judging_round.state == RoundState.CLOSED:
        raise ConflictError(_("Scoring has closed for this round."))
    user = (
        get_user_model()
        .objects.filter(
            email__iexact=(email or "").strip(), is_active=True, deleted_at__isnull=True
        )
        .first()
    )
    if user is None:
        raise ValidationError(
            {
                "email": _(
                    "Nobody has an account with this address. Ask them to sign up first, then add them."
                )
            }
        )
    if scope == JudgeScope.GROUP and group is None:
        raise ValidationError({"group": _("Choose the group this judge scores.")})
    if group is not None and group.round_id != judging_round.pk:
        raise NotFound
    judge, created = RoundJudge.objects.get_or_create(
        round=judging_round,
        user=user,
        defaults={"scope": scope, "group": group if scope == JudgeScope.GROUP else None},
    )
    if not created:
        raise ValidationError({"email": _("This person is already a judge of this round.")})
    log_action(organizer, "contests.judge_added", judging_round, user=user.pk, scope=scope)
    email_user(
        user, "contests/email/judge_added.txt", round=judging_round, contest=judging_round.contest
    )
    return judge


@transaction.atomic
def remove_judge(organizer, judge: RoundJudge) -> None:
    """Take a judge off the round; their submitted sheets go with them, so only before
    they have submitted any."""
    judging_round = judge.round
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    mine = judging_round.assignments.filter(judge=judge.user)
    if mine.filter(status=AssignmentStatus.SUBMITTED).exists():
        raise ConflictError(_("This judge has submitted scores; they stay part of the round."))
    mine.delete()
    judge.delete()
    log_action(organizer, "contests.judge_removed", judging_round, user=judge.user_id)


# --- Conflicts of interest --------------------------------------------------------------


def _team_history(submission_ids) -> dict[int, set[int]]:
    """submission id → everyone who is or was in its team: members now, those who left
    or were removed (the activity log), and whoever saved a version."""
    submissions = Submission.objects.filter(pk__in=submission_ids).values_list("pk", "team_id")
    team_of = dict(submissions)
    people = defaultdict(set)
    by_team = defaultdict(set)
    for team_id, user_id in TeamMembership.objects.filter(team_id__in=team_of.values()).values_list(
        "team_id", "user_id"
    ):
        by_team[team_id].add(user_id)
    from django.contrib.contenttypes.models import ContentType

    from ..models import Team

    team_type = ContentType.objects.get_for_model(Team)
    logged = ActivityLog.objects.filter(
        target_type=team_type,
        target_id__in=[str(pk) for pk in team_of.values()],
        action__in=[*JOINED_ACTIONS, "contests.invitation_answered", "contests.member_removed"],
    ).values_list("target_id", "actor_id", "action", "data")
    for target_id, actor_id, action, data in logged:
        data = data or {}
        if action == "contests.member_removed":
            if data.get("user"):
                by_team[int(target_id)].add(int(data["user"]))
        elif action == "contests.invitation_answered" and not data.get("accepted"):
            continue
        elif actor_id:
            by_team[int(target_id)].add(actor_id)
    for submission_id, user_id in SubmissionVersion.objects.filter(
        submission_id__in=submission_ids, saved_by__isnull=False
    ).values_list("submission_id", "saved_by_id"):
        people[submission_id].add(user_id)
    for submission_id, team_id in team_of.items():
        people[submission_id] |= by_team[team_id]
    return people


def detect_conflicts(judging_round: JudgingRound, judge_ids=None) -> list[Conflict]:
    """Record the obvious conflicts between the round's judges and entries: the judge is
    or was in the team, or shares an organization with one of its members. Returns the
    new ones. Called on assignment; idempotent."""
    contest = judging_round.contest
    if judge_ids is None:
        judge_ids = list(judging_round.judges.values_list("user_id", flat=True))
    submission_ids = list(judging_round.entries.values_list("submission_id", flat=True))
    if not judge_ids or not submission_ids:
        return []
    history = _team_history(submission_ids)
    known = affiliations.of([*judge_ids, *{u for people in history.values() for u in people}])
    existing = set(
        Conflict.objects.filter(
            judge_id__in=judge_ids, submission_id__in=submission_ids
        ).values_list("judge_id", "submission_id")
    )
    new = []
    for submission_id in submission_ids:
        people = history.get(submission_id, set())
        for judge_id in judge_ids:
            if (judge_id, submission_id) in existing:
                continue
            if judge_id in people:
                reason = _("The judge is or was a member of this team.")
            else:
                shared = affiliations.shared(judge_id, people, known)
                if not shared:
                    continue
                reason = _(
                    "The judge and a member of this team belong to the same organization: %(names)s."
                ) % {"names": "、".join(sorted(shared.values()))}
            new.append(
                Conflict(
                    contest=contest,
                    judge_id=judge_id,
                    submission_id=submission_id,
                    source=ConflictSource.DETECTED,
                    reason=reason,
                )
            )
    Conflict.objects.bulk_create(new, ignore_conflicts=True)
    _recuse_conflicted(contest)
    return new


def _recuse_conflicted(contest: ContestPage) -> int:
    """Every assignment of a judge to an entry they have a conflict with is recused."""
    conflicted = Conflict.objects.filter(contest=contest).values_list("judge_id", "submission_id")
    pairs = Q()
    for judge_id, submission_id in conflicted:
        pairs |= Q(judge_id=judge_id, entry__submission_id=submission_id)
    if not pairs:
        return 0
    return (
        Assignment.objects.filter(round__contest=contest)
        .filter(pairs)
        .exclude(status=AssignmentStatus.RECUSED)
        .update(status=AssignmentStatus.RECUSED, updated_at=timezone.now())
    )


@transaction.atomic
def declare_conflict(judge, assignment: Assignment, reason: str) -> Conflict:
    """The judge says they cannot score this entry fairly; they never see its form again."""
    policy.check(judge, "contests.declare_conflict", assignment)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Say briefly why (for example 「チームの一人が同僚です」). Only the organizers read it."
                )
            }
        )
    conflict = _record_conflict(
        assignment.round.contest,
        assignment.judge,
        assignment.entry.submission,
        ConflictSource.DECLARED,
        reason,
        judge,
    )
    log_action(
        judge,
        "contests.conflict_declared",
        assignment.round,
        submission=assignment.entry.submission_id,
    )
    return conflict


@transaction.atomic
def record_conflict(
    organizer, judging_round: JudgingRound, judge_user, submission, reason: str
) -> Conflict:
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this judge may not score this entry.")})
    conflict = _record_conflict(
        judging_round.contest, judge_user, submission, ConflictSource.ORGANIZER, reason, organizer
    )
    log_action(
        organizer,
        "contests.conflict_recorded",
        judging_round,
        judge=judge_user.pk,
        submission=submission.pk,
    )
    return conflict


def _record_conflict(contest, judge_user, submission, source, reason, recorded_by) -> Conflict:
    conflict, _created = Conflict.objects.get_or_create(
        judge=judge_user,
        submission=submission,
        defaults={
            "contest": contest,
            "source": source,
            "reason": reason,
            "recorded_by": recorded_by,
        },
    )
    # What they scored stays on record but no longer counts (the sheet is recused).
    _recuse_conflicted(contest)
    return conflict


# --- Assignment -------------------------------------------------------------------------


@dataclass
class AssignmentSummary:
    created: int
    loads: dict  # judge user id → assignments (not recused)
    short: list  # RoundEntry ids with fewer than k judges who can score them


@transaction.atomic
def assign(organizer, judging_round: JudgingRound) -> AssignmentSummary:
    """Entries to judges: every entry to the judges of 'every entry', a group's entries
    to its judges, then the pool shared out so that each entry has at least k judges
    able to score it, always to the pool judge with the fewest so far. Conflicted pairs
    are never assigned. Existing assignments stay; running it again adds what is
    missing (after a recusal, say)."""
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    if judging_round.state == RoundState.CLOSED:
        raise ConflictError(_("Scoring has closed for this round."))
    _fill_entries(judging_round)
    detect_conflicts(judging_round)
    entries = list(judging_round.entries.order_by("id"))
    judges = list(judging_round.judges.order_by("added_at", "id"))
    conflicted = set(
        Conflict.objects.filter(contest=judging_round.contest).values_list(
            "judge_id", "submission_id"
        )
    )
    have = defaultdict(set)  # entry id → judge ids (any status)
    loads = defaultdict(int)
    for entry_id, judge_id, status in judging_round.assignments.values_list(
        "entry_id", "judge_id", "status"
    ):
        have[entry_id].add(judge_id)
        if status != AssignmentStatus.RECUSED:
            loads[judge_id] += 1
    new = []

    def give(entry, judge_id):
        if judge_id in have[entry.pk] or (judge_id, entry.submission_id) in conflicted:
            return False
        have[entry.pk].add(judge_id)
        loads[judge_id] += 1
        new.append(Assignment(round=judging_round, judge_id=judge_id, entry=entry))
        return True

    for judge in judges:
        if judge.scope == JudgeScope.ALL:
            for entry in entries:
                give(entry, judge.user_id)
        elif judge.scope == JudgeScope.GROUP:
            for entry in entries:
                if entry.group_id == judge.group_id:
                    give(entry, judge.user_id)
    pool = [judge.user_id for judge in judges if judge.scope == JudgeScope.POOL]
    k = judging_round.judges_per_entry

    def able(entry):
        return sum(
            1 for judge_id in have[entry.pk] if (judge_id, entry.submission_id) not in conflicted
        )

    # The entries with the fewest judges first, so that a short pool is spread evenly.
    for entry in sorted(entries, key=lambda entry: (able(entry), entry.pk)):
        while able(entry) < k:
            candidates = [
                judge_id
                for judge_id in pool
                if judge_id not in have[entry.pk]
                and (judge_id, entry.submission_id) not in conflicted
            ]
            if not candidates:
                break
            chosen = min(candidates, key=lambda judge_id: (loads[judge_id], pool.index(judge_id)))
            give(entry, chosen)
    Assignment.objects.bulk_create(new)
    short = [entry.pk for entry in entries if able(entry) < k]
    log_action(
        organizer, "contests.judges_assigned", judging_round, created=len(new), short=len(short)
    )
    return AssignmentSummary(created=len(new), loads=dict(loads), short=short)


@transaction.atomic
def reassign(organizer, entry: RoundEntry, judge_user) -> Assignment:
    """Give one entry to one more judge (after a recusal, say)."""
    judging_round = entry.round
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    if judging_round.state == RoundState.CLOSED:
        raise ConflictError(_("Scoring has closed for this round."))
    if not judging_round.judges.filter(user=judge_user).exists():
        raise ValidationError({"judge": _("Add this person as a judge of the round first.")})
    if Conflict.objects.filter(judge=judge_user, submission_id=entry.submission_id).exists():
        raise ValidationError(
            {"judge": _("This judge has a conflict of interest with this entry.")}
        )
    detect_conflicts(judging_round, [judge_user.pk])
    if Conflict.objects.filter(judge=judge_user, submission_id=entry.submission_id).exists():
        raise ValidationError(
            {"judge": _("This judge has a conflict of interest with this entry.")}
        )
    assignment, created = Assignment.objects.get_or_create(
        round=judging_round, judge=judge_user, entry=entry
    )
    if not created:
        raise ValidationError({"judge": _("This judge already has this entry.")})
    log_action(
        organizer, "contests.entry_reassigned", judging_round, entry=entry.pk, judge=judge_user.pk
    )
    email_user(
        judge_user,
        "contests/email/judge_assigned.txt",
        round=judging_round,
        contest=judging_round.contest,
    )
    return assignment


# --- Scoring ----------------------------------------------------------------------------


@transaction.atomic
def save_scores(
    judge,
    assignment: Assignment,
    scores: dict,
    *,
    comment="",
    private_note="",
    submit=False,
    now=None,
) -> Assignment:
    """Keep the judge's scores: `scores` maps criterion id → (value or None, comment).
    A draft may be partial; submitting needs every criterion. Changes are allowed until
    the round closes."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.select_for_update()
        .select_related("round", "entry")
        .get(pk=assignment.pk)
    )
    policy.check(judge, "contests.score_assignment", assignment)
    judging_round = assignment.round
    state = judging_round.state_at(now)
    if state == RoundState.SETUP:
        raise ConflictError(_("Scoring has not opened yet."))
    if state == RoundState.CLOSED:
        raise ConflictError(_("Scoring has closed: the scores stand as they were."))
    criteria = list(judging_round.criteria.all())
    errors = {}
    cleaned = {}
    for criterion in criteria:
        value, note = scores.get(criterion.pk, (None, ""))
        if value in (None, ""):
            if submit:
                errors[f"criterion_{criterion.pk}"] = _("Give a score from 1 to %(max)d.") % {
                    "max": criterion.scale_max
                }
            cleaned[criterion.pk] = (None, (note or "").strip())
            continue
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = None
        if value is None or value not in criterion.scale:
            errors[f"criterion_{criterion.pk}"] = _("Give a score from 1 to %(max)d.") % {
                "max": criterion.scale_max
            }
            continue
        cleaned[criterion.pk] = (value, (note or "").strip()[:1000])
    if errors:
        raise ValidationError(errors)
    existing = {score.criterion_id: score for score in assignment.scores.all()}
    for criterion_id, (value, note) in cleaned.items():
        score = existing.get(criterion_id)
        if value is None:
            if score is not None:
                score.delete()
            continue
        if score is None:
            Score.objects.create(
                assignment=assignment, criterion_id=criterion_id, value=value, comment=note
            )
        elif (score.value, score.comment) != (value, note):
            score.value, score.comment = value, note
            score.save(update_fields=["value", "comment"])
    assignment.comment = (comment or "").strip()[:2000]
    assignment.private_note = (private_note or "").strip()[:2000]
    was_submitted = assignment.status == AssignmentStatus.SUBMITTED
    if submit:
        assignment.status = AssignmentStatus.SUBMITTED
        assignment.submitted_at = now
    elif not was_submitted:
        assignment.status = AssignmentStatus.DRAFT
    else:
        # A submitted sheet changed and saved again: still submitted, with the new scores,
        # unless it is now incomplete.
        if any(value is None for value, _note in cleaned.values()):
            assignment.status = AssignmentStatus.DRAFT
            assignment.submitted_at = None
    assignment.save(
        update_fields=["comment", "private_note", "status", "submitted_at", "updated_at"]
    )
    log_action(
        judge,
        "contests.scores_saved",
        judging_round,
        assignment=assignment.pk,
        submitted=assignment.status == AssignmentStatus.SUBMITTED,
    )
    return assignment


# --- Progress and ranking ---------------------------------------------------------------


def progress(judging_round: JudgingRound) -> dict:
    """Who has scored what, what is missing: per judge and per entry."""
    rows = judging_round.assignments.values("judge_id", "entry_id", "status")
    per_judge = defaultdict(lambda: defaultdict(int))
    per_entry = defaultdict(lambda: defaultdict(int))
    for row in rows:
        per_judge[row["judge_id"]][row["status"]] += 1
        per_entry[row["entry_id"]][row["status"]] += 1
    return {"judges": per_judge, "entries": per_entry}


def round_ranking(judging_round: JudgingRound) -> ranking.Ranking:
    criteria = list(judging_round.criteria.all())
    specs = [
        ranking.Criterion(
            key=criterion.pk,
            weight=criterion.weight,
            scale_min=Criterion.SCALE_MIN,
            scale_max=criterion.scale_max,
        )
        for criterion in criteria
    ]
    wanted = {criterion.pk for criterion in criteria}
    values = defaultdict(dict)
    owner = {}
    rows = Score.objects.filter(
        assignment__round=judging_round, assignment__status=AssignmentStatus.SUBMITTED
    ).values_list(
        "assignment_id",
        "assignment__judge_id",
        "assignment__entry__submission_id",
        "criterion_id",
        "value",
    )
    for assignment_id, judge_id, submission_id, criterion_id, value in rows:
        values[assignment_id][criterion_id] = value
        owner[assignment_id] = (judge_id, submission_id)
    sheets = [
        ranking.Sheet(judge=owner[pk][0], entry=owner[pk][1], values=scored)
        for pk, scored in values.items()
        if set(scored) >= wanted
    ]
    entries = list(judging_round.entries.order_by("id").values_list("submission_id", flat=True))
    votes = dict(
        Vote.objects.filter(contest=judging_round.contest, submission_id__in=entries)
        .values_list("submission_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    decisions = [decision.order for decision in judging_round.tie_decisions.all()]
    return ranking.rank(
        specs,
        sheets,
        entries=entries,
        ladder=judging_round.tie_break,
        votes=votes,
        decisions=decisions,
    )


@transaction.atomic
def decide_tie(
    organizer, judging_round: JudgingRound, order: list[int], reason: str
) -> TieDecision:
    """The organizer orders entries the ladder left level; recorded with the reason."""
    policy.check(organizer, "contests.manage_judging", judging_round.contest)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Say how the tie was decided: it is recorded and published with the results."
                )
            }
        )
    current = round_ranking(judging_round)
    groups = [set(group) for group in current.unresolved]
    if set(order) not in groups or len(order) != len(set(order)):
        raise ValidationError({"order": _("Put every entry of the tie in order, each once.")})
    decision = TieDecision.objects.create(
        round=judging_round, order=list(order), reason=reason, decided_by=organizer
    )
    log_action(organizer, "contests.tie_decided", judging_round, order=list(order), reason=reason)
    return decision
