"""プッシュ型: tasks that fit a resident, and residents who fit a task.

Two stages, as recommenders usually are: the database finds candidates through indexes
(open tasks sharing a skill, the newest first, and the same again in the resident's own
wards; discoverable residents with a skill the task asks for, the most recently updated
first, and the same again in the task's ward), POOL from each; those are then
scored here, with every reason in words. The score:

- each shared skill 3 points (a professional's 4), so skills decide first;
- the hours: enough for what the task asks 2, short of it minus 1 an hour;
- remote work both sides take 1; on-site work in the resident's own ward 2, and any
  task in the ward they live or work in 1;
- a task published in the last NEW_DAYS days 1, so new tasks are seen;
- load, so that nobody is flooded and nobody is forgotten: each application already
  waiting on a task minus 0.5; a task with CROWDED applications (or three for each
  person wanted, if more) is not recommended at all; for a resident, each
  activity under way minus 1.5 and each invitation waiting for an answer minus 1, and
  one who cannot take another invitation is not suggested.

Only discoverable residents are suggested, and only to members of verified
organizations (accounts.policy "marketplace.find_residents").
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts import policy
from core.errors import NotFound
from core.models import Ward

from ..filters import discoverable_profiles
from ..models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Match,
    MatchStatus,
    Membership,
    ResidentProfile,
    ResidentSkill,
    SkillCategory,
    SkillLevel,
    Task,
    TaskStatus,
    WorkStyle,
)
from .applications import MAX_PENDING_PER_RESIDENT

POOL = 150
NEW_DAYS = 7
CROWDED = 5
SKILL_POINTS = 3
PROFESSIONAL_BONUS = 1
HOURS_FIT_POINTS = 2
REMOTE_POINTS = 1
ONSITE_HERE_POINTS = 2
SAME_WARD_POINTS = 1
NEW_POINTS = 1
WAITING_PENALTY = 0.5
ACTIVE_MATCH_PENALTY = 1.5
PENDING_INVITATION_PENALTY = 1.0

ACTIVE_MATCHES = [MatchStatus.ACTIVE, MatchStatus.COMPLETION_REQUESTED]


@dataclass
class Recommendation:
    item: object  # a Task, or a ResidentProfile
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Fit:
    """What is compared, whichever side asks."""

    skills: dict  # resident's {category_id: level}
    skill_names: dict  # {category_id: name}
    task_skills: set
    resident_hours: int
    task_hours: int
    resident_style: str
    task_style: str
    resident_wards: frozenset
    task_ward_id: int
    task_ward_name: str
    waiting: int = 0
    published_at: object = None
    active_matches: int = 0
    pending_invitations: int = 0


def _score(
    fit: _Fit, *, for_resident: bool, explain: bool = True, new_since=None
) -> tuple[float, list[str]]:
    """The points and, if `explain`, the reasons in words. The words cost more than the
    sum: the digests score every candidate without them, then explain the best."""
    score, said = 0.0, []  # said: (message, values), put into words at the end
    shared = [c for c in fit.task_skills if c in fit.skills]
    for category in sorted(shared, key=lambda c: -fit.skills[c]):
        score += SKILL_POINTS
        if fit.skills[category] >= SkillLevel.PROFESSIONAL:
            score += PROFESSIONAL_BONUS
        said.append(("skill", category))
    if fit.resident_hours >= fit.task_hours:
        score += HOURS_FIT_POINTS
        said.append(("hours", None))
    else:
        score -= fit.task_hours - fit.resident_hours
    remote_task = fit.task_style in WorkStyle.remote_ok()
    here = fit.task_ward_id in fit.resident_wards
    if remote_task and fit.resident_style in WorkStyle.remote_ok():
        score += REMOTE_POINTS
        said.append(("remote", None))
    elif fit.task_style == WorkStyle.ONSITE and here:
        score += ONSITE_HERE_POINTS
    if here:
        score += SAME_WARD_POINTS
        said.append(("ward", None))
    if for_resident and fit.published_at and fit.published_at >= (new_since or _new_since()):
        score += NEW_POINTS
        said.append(("new", None))
    score -= WAITING_PENALTY * fit.waiting
    score -= ACTIVE_MATCH_PENALTY * fit.active_matches
    score -= PENDING_INVITATION_PENALTY * fit.pending_invitations
    return score, [
        _in_words(fit, what, value, for_resident) for what, value in said
    ] if explain else []


def _in_words(fit: _Fit, what: str, value, for_resident: bool) -> str:
    if what == "skill":
        return _("Skill “%(skill)s” matches") % {"skill": fit.skill_names[value]}
    if what == "hours":
        return _("Fits the %(hours)s hours a week wanted") % {"hours": fit.task_hours}
    if what == "remote":
        return _("Remote OK")
    if what == "ward" and for_resident:
        return _("In %(ward)s, your ward") % {"ward": fit.task_ward_name}
    if what == "ward":
        return _("Lives or works in %(ward)s") % {"ward": fit.task_ward_name}
    return pgettext("a recommended task", "New")


def _new_since():
    return timezone.now() - timedelta(days=NEW_DAYS)


def _task_skills(task) -> set:
    return {task.category_id, *(s.pk for s in task.skills.all())}


def _skill_names(categories) -> dict:
    return {c.pk: c.name for c in categories}


# --- Tasks for a resident --------------------------------------------------------------


def tasks_for(user, limit: int = 20) -> list[Recommendation]:
    """Open tasks that fit `user`'s profile, best first; [] without a profile or skills."""
    profile = (
        ResidentProfile.objects.filter(user=user).select_related("home_ward", "work_ward").first()
    )
    if profile is None:
        return []
    levels = dict(ResidentSkill.objects.filter(profile=profile).values_list("category_id", "level"))
    if not levels:
        return []
    wards = frozenset(w for w in (profile.home_ward_id, profile.work_ward_id) if w)
    ids = list(levels)
    skill_of_task = Task.skills.through.objects.filter(
        task_id=OuterRef("pk"), skillcategory_id__in=ids
    )
    # Small sets, read once, rather than a subquery for each candidate row.
    seen = {
        *Application.objects.filter(resident=user).values_list("task_id", flat=True),
        *Match.objects.filter(resident=user).values_list("task_id", flat=True),
    }
    own = Membership.objects.filter(user=user).values_list("organization_id", flat=True)
    base = (
        Task.objects.filter(
            Q(category_id__in=ids) | Exists(skill_of_task),
            status=TaskStatus.OPEN,
            apply_deadline__gte=timezone.localdate(),
            application_count__lt=_crowded_at(),
        )
        .exclude(pk__in=seen)
        .exclude(organization_id__in=list(own))
        .order_by("-published_at", "-id")
    )
    if profile.work_style == WorkStyle.REMOTE:
        base = base.exclude(work_style=WorkStyle.ONSITE)
    if profile.work_style == WorkStyle.ONSITE:
        base = base.filter(Q(work_style__in=WorkStyle.remote_ok()) | Q(ward__in=wards))
    # One pool per ward: each is a walk of the (status, ward, published) index. Scored
    # from a few columns; only the best are loaded as tasks to show.
    columns = ("pk", "category_id", "hours_per_week", "work_style", "ward_id", "published_at")
    rows = {}
    for pool in [base[:POOL], *(base.filter(ward=ward)[:POOL] for ward in sorted(wards))]:
        for row in pool.values_list(*columns):
            rows.setdefault(row[0], row)
    skills_of: dict[int, set] = {pk: {row[1]} for pk, row in rows.items()}
    for task_id, category_id in Task.skills.through.objects.filter(task_id__in=rows).values_list(
        "task_id", "skillcategory_id"
    ):
        skills_of[task_id].add(category_id)
    waiting = _counts(
        Application.objects.filter(task__in=rows, status=ApplicationStatus.PENDING), "task"
    )
    names = _skill_names(SkillCategory.objects.filter(pk__in=ids))
    ward_names = {w.pk: w.name for w in Ward.objects.filter(pk__in={r[4] for r in rows.values()})}
    scored = []
    for pk, _category, hours, style, ward_id, published_at in rows.values():
        fit = _Fit(
            skills=levels,
            skill_names=names,
            task_skills=skills_of[pk],
            resident_hours=profile.hours_per_week,
            task_hours=hours,
            resident_style=profile.work_style,
            task_style=style,
            resident_wards=wards,
            task_ward_id=ward_id,
            task_ward_name=ward_names.get(ward_id, ""),
            waiting=waiting.get(pk, 0),
            published_at=published_at,
        )
        score, reasons = _score(fit, for_resident=True)
        scored.append(Recommendation(pk, score, reasons))
    best = _best(scored, limit)
    tasks = Task.objects.select_related("organization", "ward").in_bulk([r.item for r in best])
    for recommendation in best:
        recommendation.item = tasks.get(recommendation.item)
    return [r for r in best if r.item is not None]


def _counts(rows, by: str) -> dict:
    """{value of `by`: how many of `rows` have it}, in one grouped query."""
    return dict(rows.values(by).annotate(n=Count("id")).values_list(by, "n"))


def _crowded_at():
    # Three waiting applications for each person wanted, and never fewer than CROWDED.
    return Case(
        When(people_wanted__gt=CROWDED // 3, then=F("people_wanted") * 3),
        default=Value(CROWDED),
        output_field=IntegerField(),
    )


def _best(scored: list[Recommendation], limit: int) -> list[Recommendation]:
    # Stable: among equal scores the order found stands (newest first).
    return sorted(scored, key=lambda r: -r.score)[:limit]


# --- Residents for a task --------------------------------------------------------------


def residents_for(viewer, task, limit: int = 20) -> list[Recommendation]:
    """Discoverable residents who fit `task`, best first, for a member of its verified
    organization; anyone else is refused as if the task had no such page (NotFound)."""
    if not (
        policy.can(viewer, "marketplace.find_residents")
        and policy.can(viewer, "marketplace.manage_task", task)
    ):
        raise NotFound
    if task.status != TaskStatus.OPEN:
        return []
    task_skills = _task_skills(task)
    # Small sets, read once, rather than a subquery for each candidate row.
    excluded = {
        *Application.objects.filter(task=task).values_list("resident_id", flat=True),
        *Match.objects.filter(task=task).values_list("resident_id", flat=True),
        *Membership.objects.filter(organization_id=task.organization_id).values_list(
            "user_id", flat=True
        ),
    }
    has_skill = ResidentSkill.objects.filter(profile=OuterRef("pk"), category_id__in=task_skills)
    base = (
        discoverable_profiles()
        .filter(Exists(has_skill))
        .exclude(user_id__in=excluded)
        .order_by("-updated_at", "-id")
    )
    if task.work_style == WorkStyle.ONSITE:
        base = base.exclude(work_style=WorkStyle.REMOTE)
    elif task.work_style == WorkStyle.REMOTE:
        base = base.exclude(work_style=WorkStyle.ONSITE)
    here = base.filter(Q(home_ward=task.ward_id) | Q(work_ward=task.ward_id))
    # Scored from a few columns; only the best are loaded as profiles to show.
    columns = ("pk", "user_id", "hours_per_week", "work_style", "home_ward_id", "work_ward_id")
    rows = {}
    for pool in (here[:POOL], base[:POOL]):
        for row in pool.values_list(*columns):
            rows.setdefault(row[0], row)
    levels: dict[int, dict] = {pk: {} for pk in rows}
    for profile_id, category_id, level in ResidentSkill.objects.filter(
        profile_id__in=rows
    ).values_list("profile_id", "category_id", "level"):
        levels[profile_id][category_id] = level
    users = [row[1] for row in rows.values()]
    active = _counts(
        Match.objects.filter(resident__in=users, status__in=ACTIVE_MATCHES), "resident"
    )
    invitations = _counts(
        Application.objects.filter(
            resident__in=users, kind=ApplicationKind.INVITATION, status=ApplicationStatus.PENDING
        ),
        "resident",
    )
    names = _skill_names([task.category, *task.skills.all()])
    scored = []
    for pk, user_id, hours, style, home_ward_id, work_ward_id in rows.values():
        # One who cannot take another invitation is not suggested.
        if invitations.get(user_id, 0) >= MAX_PENDING_PER_RESIDENT:
            continue
        fit = _Fit(
            skills=levels[pk],
            skill_names=names,
            task_skills=task_skills,
            resident_hours=hours,
            task_hours=task.hours_per_week,
            resident_style=style,
            task_style=task.work_style,
            resident_wards=frozenset(w for w in (home_ward_id, work_ward_id) if w),
            task_ward_id=task.ward_id,
            task_ward_name=task.ward.name,
            active_matches=active.get(user_id, 0),
            pending_invitations=invitations.get(user_id, 0),
        )
        score, reasons = _score(fit, for_resident=False)
        scored.append(Recommendation(pk, score, reasons))
    best = _best(scored, limit)
    profiles = (
        discoverable_profiles()
        .prefetch_related("skill_levels__category")
        .in_bulk([r.item for r in best])
    )
    for recommendation in best:
        recommendation.item = profiles.get(recommendation.item)
    # A profile that stopped being discoverable between the two reads is left out.
    return [r for r in best if r.item is not None]


# --- New tasks for many residents (the e-mail digests) -----------------------------------


@dataclass(frozen=True)
class _NewTasks:
    """The open tasks published in a digest's period, read once for every batch."""

    rows: dict  # {task id: (id, title, hours, style, ward id, published, organization id)}
    skills_of: dict  # {task id: {category id}}
    by_skill: dict  # {category id: [task id, newest first]}
    waiting: dict  # {task id: applications waiting}
    rank: dict  # {task id: 0 for the newest, 1 for the next, ...}


def _new_tasks(since, until) -> _NewTasks:
    columns = ("pk", "title", "hours_per_week", "work_style", "ward_id", "published_at")
    found = (
        Task.objects.filter(
            status=TaskStatus.OPEN,
            published_at__gt=since,
            published_at__lte=until,
            apply_deadline__gte=timezone.localdate(),
            application_count__lt=_crowded_at(),
        )
        .order_by("-published_at", "-id")
        .values_list(*columns, "organization_id", "category_id")
    )
    rows, skills_of = {}, {}
    for *row, category_id in found:
        rows[row[0]] = tuple(row)
        skills_of[row[0]] = {category_id}
    for task_id, category_id in Task.skills.through.objects.filter(task_id__in=rows).values_list(
        "task_id", "skillcategory_id"
    ):
        skills_of[task_id].add(category_id)
    by_skill: dict[int, list] = {}
    for task_id in rows:  # newest first, as read
        for category_id in skills_of[task_id]:
            by_skill.setdefault(category_id, []).append(task_id)
    waiting = _counts(
        Application.objects.filter(task__in=rows, status=ApplicationStatus.PENDING), "task"
    )
    return _NewTasks(rows, skills_of, by_skill, waiting, {pk: n for n, pk in enumerate(rows)})


def new_tasks_for(
    user_ids, since, until, *, limit: int = 5, memo: dict | None = None
) -> dict[int, list[Recommendation]]:
    """For each of `user_ids`: the tasks published in (since, until] that fit them, best
    first, scored and explained as tasks_for does; `item` is (task id, title).

    The period's new tasks are read once (kept in `memo` across calls); each call then
    reads the profiles, skills and history of its own people in a few queries.
    """
    memo = memo if memo is not None else {}
    key = ("marketplace.new_tasks", since, until)
    if key not in memo:
        memo[key] = _new_tasks(since, until)
    new: _NewTasks = memo[key]
    if not new.rows:
        return {}
    profiles = list(
        ResidentProfile.objects.filter(user_id__in=user_ids).values_list(
            "pk", "user_id", "hours_per_week", "work_style", "home_ward_id", "work_ward_id"
        )
    )
    levels: dict[int, dict] = {row[0]: {} for row in profiles}
    for profile_id, category_id, level in ResidentSkill.objects.filter(
        profile_id__in=levels
    ).values_list("profile_id", "category_id", "level"):
        levels[profile_id][category_id] = level
    users = [row[1] for row in profiles]
    seen: dict[int, set] = {}
    for model in (Application, Match):
        for user_id, task_id in model.objects.filter(
            resident__in=users, task__in=new.rows
        ).values_list("resident_id", "task_id"):
            seen.setdefault(user_id, set()).add(task_id)
    own: dict[int, set] = {}
    for user_id, organization_id in Membership.objects.filter(user__in=users).values_list(
        "user_id", "organization_id"
    ):
        own.setdefault(user_id, set()).add(organization_id)
    names = _skill_names(SkillCategory.objects.all())
    ward_names = {w.pk: w.name for w in Ward.objects.all()}
    new_since = _new_since()
    found = {}
    for profile_id, user_id, hours, resident_style, home_ward_id, work_ward_id in profiles:
        skills = levels[profile_id]
        wards = frozenset(w for w in (home_ward_id, work_ward_id) if w)
        candidates = {t for c in skills for t in new.by_skill.get(c, ())}
        scored = []
        for task_id in sorted(candidates, key=new.rank.__getitem__):
            pk, title, task_hours, task_style, ward_id, published_at, organization_id = new.rows[
                task_id
            ]
            if task_id in seen.get(user_id, ()) or organization_id in own.get(user_id, ()):
                continue
            # The same limits as tasks_for: a remote-only resident sees no on-site task,
            # an on-site-only one no on-site task outside their wards.
            if resident_style == WorkStyle.REMOTE and task_style == WorkStyle.ONSITE:
                continue
            if (
                resident_style == WorkStyle.ONSITE
                and task_style not in WorkStyle.remote_ok()
                and ward_id not in wards
            ):
                continue
            fit = _Fit(
                skills=skills,
                skill_names=names,
                task_skills=new.skills_of[task_id],
                resident_hours=hours,
                task_hours=task_hours,
                resident_style=resident_style,
                task_style=task_style,
                resident_wards=wards,
                task_ward_id=ward_id,
                task_ward_name=ward_names.get(ward_id, ""),
                waiting=new.waiting.get(task_id, 0),
                published_at=published_at,
            )
            score, _unsaid = _score(fit, for_resident=True, explain=False, new_since=new_since)
            scored.append((score, (pk, title), fit))
        # Stable, as _best: among equal scores the newest first. Only the shown are explained.
        best = sorted(scored, key=lambda candidate: -candidate[0])[:limit]
        if best:
            found[user_id] = [
                Recommendation(item, score, _score(fit, for_resident=True, new_since=new_since)[1])
                for score, item, fit in best
            ]
    return found
