"""プッシュ型: tasks that fit a resident, and residents who fit a task.

Two stages, as recommenders usually are: the database narrows the open tasks (or the
discoverable residents) to those sharing at least one skill and able to work the way
asked, ordered by what it can read from the rows themselves (the same ward, hours
enough, fewest waiting applications, newest); the best CANDIDATES of them are then
scored here, with every reason in words. The score:

- each shared skill 3 points (a professional's 4), so skills decide first;
- the hours: enough for what the task asks 2, short of it minus 1 an hour;
- remote work both sides take 1; on-site work in the resident's own ward 2, and any
  task in the ward they live or work in 1;
- a task published in the last NEW_DAYS days 1, so new tasks are seen;
- load, so that nobody is flooded and nobody is forgotten: each application already
  waiting on a task minus 0.5; a task with CROWDED waiting applications (or three for
  each person wanted, if more) is not recommended at all; for a resident, each
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
    SkillLevel,
    Task,
    TaskStatus,
    WorkStyle,
)
from .applications import MAX_PENDING_PER_RESIDENT

CANDIDATES = 200
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


def _score(fit: _Fit, *, for_resident: bool) -> tuple[float, list[str]]:
    score, reasons = 0.0, []
    shared = [c for c in fit.task_skills if c in fit.skills]
    for category in sorted(shared, key=lambda c: -fit.skills[c]):
        score += SKILL_POINTS
        if fit.skills[category] >= SkillLevel.PROFESSIONAL:
            score += PROFESSIONAL_BONUS
        reasons.append(_("Skill “%(skill)s” matches") % {"skill": fit.skill_names[category]})
    if fit.resident_hours >= fit.task_hours:
        score += HOURS_FIT_POINTS
        reasons.append(_("Fits the %(hours)s hours a week wanted") % {"hours": fit.task_hours})
    else:
        score -= fit.task_hours - fit.resident_hours
    remote_task = fit.task_style in WorkStyle.remote_ok()
    here = fit.task_ward_id in fit.resident_wards
    if remote_task and fit.resident_style in WorkStyle.remote_ok():
        score += REMOTE_POINTS
        reasons.append(_("Remote OK"))
    elif fit.task_style == WorkStyle.ONSITE and here:
        score += ONSITE_HERE_POINTS
    if here:
        score += SAME_WARD_POINTS
        if for_resident:
            reasons.append(_("In %(ward)s, your ward") % {"ward": fit.task_ward_name})
        else:
            reasons.append(_("Lives or works in %(ward)s") % {"ward": fit.task_ward_name})
    if for_resident and fit.published_at and fit.published_at >= _new_since():
        score += NEW_POINTS
        reasons.append(pgettext("a recommended task", "New"))
    score -= WAITING_PENALTY * fit.waiting
    score -= ACTIVE_MATCH_PENALTY * fit.active_matches
    score -= PENDING_INVITATION_PENALTY * fit.pending_invitations
    return score, reasons


def _new_since():
    return timezone.now() - timedelta(days=NEW_DAYS)


def _task_skills(task) -> set:
    return {task.category_id, *(s.pk for s in task.skills.all())}


def _skill_names(categories) -> dict:
    return {c.pk: c.name for c in categories}


def _pending(**filters):
    return Count("applications", filter=Q(applications__status=ApplicationStatus.PENDING, **filters))


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
    candidates = (
        Task.objects.filter(
            Q(category_id__in=ids) | Exists(skill_of_task),
            status=TaskStatus.OPEN,
            apply_deadline__gte=timezone.localdate(),
        )
        .exclude(applications__resident=user)
        .exclude(matches__resident=user)
        .exclude(organization__memberships__user=user)
        .annotate(waiting=_pending())
        .filter(waiting__lt=_crowded_at())
    )
    if profile.work_style == WorkStyle.REMOTE:
        candidates = candidates.exclude(work_style=WorkStyle.ONSITE)
    if profile.work_style == WorkStyle.ONSITE:
        candidates = candidates.filter(Q(work_style__in=WorkStyle.remote_ok()) | Q(ward__in=wards))
    candidates = candidates.annotate(
        here=_flag(Q(ward__in=wards)),
        enough_hours=_flag(Q(hours_per_week__lte=profile.hours_per_week)),
    ).order_by("-here", "-enough_hours", "waiting", "-published_at", "-pk")
    tasks = list(
        candidates.select_related("organization", "ward", "category").prefetch_related(
            "skills"
        )[:CANDIDATES]
    )
    names = _skill_names(c for t in tasks for c in [t.category, *t.skills.all()])
    scored = []
    for task in tasks:
        fit = _Fit(
            skills=levels,
            skill_names=names,
            task_skills=_task_skills(task),
            resident_hours=profile.hours_per_week,
            task_hours=task.hours_per_week,
            resident_style=profile.work_style,
            task_style=task.work_style,
            resident_wards=wards,
            task_ward_id=task.ward_id,
            task_ward_name=task.ward.name,
            waiting=task.waiting,
            published_at=task.published_at,
        )
        score, reasons = _score(fit, for_resident=True)
        scored.append(Recommendation(task, score, reasons))
    return _best(scored, limit)


def _crowded_at():
    # Three waiting applications for each person wanted, and never fewer than CROWDED.
    return Case(
        When(people_wanted__gt=CROWDED // 3, then=F("people_wanted") * 3),
        default=Value(CROWDED),
        output_field=IntegerField(),
    )


def _flag(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _best(scored: list[Recommendation], limit: int) -> list[Recommendation]:
    # Stable: among equal scores the database's order (same ward, newest) stands.
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
    asked = Application.objects.filter(task=task).values("resident_id")
    matched = Match.objects.filter(task=task).values("resident_id")
    members = Membership.objects.filter(organization_id=task.organization_id).values("user_id")
    has_skill = ResidentSkill.objects.filter(
        profile=OuterRef("pk"), category_id__in=task_skills
    )
    candidates = (
        discoverable_profiles()
        .filter(Exists(has_skill))
        .exclude(user_id__in=asked)
        .exclude(user_id__in=matched)
        .exclude(user_id__in=members)
        .annotate(
            active_matches=Count(
                "user__matches",
                filter=Q(user__matches__status__in=ACTIVE_MATCHES),
                distinct=True,
            ),
            pending_invitations=Count(
                "user__applications",
                filter=Q(
                    user__applications__kind=ApplicationKind.INVITATION,
                    user__applications__status=ApplicationStatus.PENDING,
                ),
                distinct=True,
            ),
        )
        .filter(pending_invitations__lt=MAX_PENDING_PER_RESIDENT)
    )
    if task.work_style == WorkStyle.ONSITE:
        candidates = candidates.exclude(work_style=WorkStyle.REMOTE)
    elif task.work_style == WorkStyle.REMOTE:
        candidates = candidates.exclude(work_style=WorkStyle.ONSITE)
    candidates = candidates.annotate(
        here=_flag(Q(home_ward=task.ward_id) | Q(work_ward=task.ward_id)),
        enough_hours=_flag(Q(hours_per_week__gte=task.hours_per_week)),
    ).order_by("-here", "-enough_hours", "active_matches", "pending_invitations", "-updated_at")
    profiles = list(candidates.prefetch_related("skill_levels__category")[:CANDIDATES])
    categories = [task.category, *task.skills.all()]
    names = _skill_names(categories)
    scored = []
    for profile in profiles:
        levels = {s.category_id: s.level for s in profile.skill_levels.all()}
        fit = _Fit(
            skills=levels,
            skill_names=names,
            task_skills=task_skills,
            resident_hours=profile.hours_per_week,
            task_hours=task.hours_per_week,
            resident_style=profile.work_style,
            task_style=task.work_style,
            resident_wards=frozenset(w for w in (profile.home_ward_id, profile.work_ward_id) if w),
            task_ward_id=task.ward_id,
            task_ward_name=task.ward.name,
            active_matches=profile.active_matches,
            pending_invitations=profile.pending_invitations,
        )
        score, reasons = _score(fit, for_resident=False)
        scored.append(Recommendation(profile, score, reasons))
    return _best(scored, limit)
