"""What the board holds about a person, for the data download and for closing an account.

Closing keeps the history organizations and the wards count on (matches, hours,
reviews, applications, under 「退会したユーザー」) and ends what is still waiting, through
the board's services: applications are withdrawn, invitations declined, ongoing matches
cancelled. An organization the person owns alone is handed over to a member they choose,
or closed: its unfinished tasks are cancelled (cancel_task tells everyone involved).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.models import DELETED_USER_NAME
from accounts.personal_data import Consequence, PersonalDataSection, Question, iso
from core.activity import log_action
from search.index import remove_on_commit
from search.index import update_on_commit as reindex_on_commit

from . import services
from .models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    HoursLog,
    Match,
    MatchStatus,
    Membership,
    MembershipRole,
    Organization,
    ResidentProfile,
    Review,
    Task,
)
from .services import TASK_LIFECYCLE

CLOSE = "close"
ONGOING = (MatchStatus.ACTIVE, MatchStatus.COMPLETION_REQUESTED)


def question_name(organization: Organization) -> str:
    return f"organization_{organization.pk}"


def sole_owned(user) -> list[Organization]:
    """Organizations nobody but `user` owns."""
    owned = Organization.objects.filter(
        memberships__user=user, memberships__role=MembershipRole.OWNER
    ).order_by("name", "id")
    return [
        organization
        for organization in owned
        if not organization.memberships.filter(role=MembershipRole.OWNER)
        .exclude(user=user)
        .exists()
    ]


def _other_members(organization: Organization, user):
    return organization.memberships.exclude(user=user).select_related("user").order_by("id")


def _pending(user):
    pending = Application.objects.filter(resident=user, status=ApplicationStatus.PENDING)
    return (
        pending.filter(kind=ApplicationKind.APPLICATION),
        pending.filter(kind=ApplicationKind.INVITATION),
    )


def _unfinished_tasks(organization: Organization):
    return [task for task in organization.tasks.all() if not TASK_LIFECYCLE.is_final(task.status)]


def _names(organizations) -> str:
    return "、".join(organization.name for organization in organizations)


@transaction.atomic
def hand_over(user, organization: Organization, new_owner_id: int) -> None:
    """Make another member the owner, so the organization outlives `user`'s account."""
    membership = (
        Membership.objects.select_for_update()
        .filter(organization=organization, user_id=new_owner_id)
        .exclude(user=user)
        .first()
    )
    if membership is None:
        raise ValidationError(
            _("The member you chose to take over %(name)s is no longer a member.")
            % {"name": organization.name}
        )
    membership.role = MembershipRole.OWNER
    membership.save(update_fields=["role"])
    log_action(user, "marketplace.ownership_transferred", organization, to=new_owner_id)


@transaction.atomic
def close_organization(user, organization: Organization) -> int:
    """Cancel its unfinished tasks (declining what waits, telling matched residents);
    its page and its past matches stay. Returns how many tasks were cancelled."""
    tasks = _unfinished_tasks(organization)
    for task in tasks:
        services.cancel_task(user, task)
    organization.closed_at = timezone.now()
    organization.save(update_fields=["closed_at"])
    reindex_on_commit(organization)
    log_action(user, "marketplace.organization_closed", organization, tasks_cancelled=len(tasks))
    return len(tasks)


def _cancel_match(user, match: Match) -> None:
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.status in ONGOING:
        match.status = MatchStatus.CANCELLED
        match.save(update_fields=["status"])
        log_action(user, "marketplace.match_cancelled", match, reason="account_closed")


@personal_data.register
class BoardData(PersonalDataSection):
    key = "board"
    label = gettext_lazy("Matching board")
    order = 10

    # --- Download -------------------------------------------------------------------

    def export(self, user):
        profile = (
            ResidentProfile.objects.filter(user=user)
            .select_related("home_ward", "work_ward")
            .first()
        )
        matches = list(
            Match.objects.filter(resident=user)
            .select_related("task", "organization", "resident_ward", "task_ward")
            .order_by("created_at", "id")
        )
        hours = {}
        for entry in HoursLog.objects.filter(match__in=matches).order_by("date", "id"):
            hours.setdefault(entry.match_id, []).append(
                {
                    "date": iso(entry.date),
                    "hours": str(entry.hours),
                    "what_you_did": entry.note,
                    "status": entry.status,
                }
            )
        return {
            "profile": self._profile(profile),
            "skills": [
                {
                    "code": row.category.code,
                    "name": row.category.name,
                    "level": row.level,
                    "level_label": str(row.get_level_display()),
                }
                for row in (profile.skill_levels.select_related("category") if profile else [])
            ],
            "memberships": [
                {
                    "organization": row.organization.name,
                    "role": row.role,
                    "since": iso(row.created_at),
                }
                for row in Membership.objects.filter(user=user).select_related("organization")
            ],
            "tasks_created": [
                {
                    "title": task.title,
                    "organization": task.organization.name,
                    "at": iso(task.created_at),
                }
                for task in Task.objects.filter(created_by=user)
                .select_related("organization")
                .order_by("created_at", "id")
            ],
            "applications": [
                {
                    "task": row.task.title,
                    "organization": row.task.organization.name,
                    "kind": row.kind,
                    "status": row.status,
                    "message": row.message,
                    "created_at": iso(row.created_at),
                    "respond_by": iso(row.respond_by),
                    "decided_at": iso(row.decided_at),
                    "answer": row.decision_message,
                }
                for row in Application.objects.filter(resident=user)
                .select_related("task__organization")
                .order_by("created_at", "id")
            ],
            "matches": [
                {
                    "task": match.task.title,
                    "organization": match.organization.name,
                    "status": match.status,
                    "matched_on": iso(match.created_at),
                    "your_ward": match.resident_ward.name,
                    "task_ward": match.task_ward.name,
                    "cross_ward": match.cross_ward,
                    "you_confirmed_completion_at": iso(match.resident_confirmed_at),
                    "organization_confirmed_completion_at": iso(match.organization_confirmed_at),
                    "completed_at": iso(match.completed_at),
                    "hours": hours.get(match.pk, []),
                }
                for match in matches
            ],
            "reviews_given": [
                self._review(review)
                for review in Review.objects.filter(author=user)
                .select_related("match__task", "match__organization")
                .order_by("created_at", "id")
            ],
            # About them: what organizations wrote of their work (not by whom).
            "reviews_received": [
                self._review(review)
                for review in Review.objects.filter(match__resident=user, by_organization=True)
                .select_related("match__task", "match__organization")
                .order_by("created_at", "id")
            ],
        }

    def _profile(self, profile):
        if profile is None:
            return None
        return {
            "home_ward": profile.home_ward.name,
            "work_ward": profile.work_ward.name if profile.work_ward_id else None,
            "headline": profile.headline,
            "about": profile.bio,
            "hours_per_week": profile.hours_per_week,
            "weekday_daytime": profile.available_weekdays,
            "weekday_evenings": profile.available_evenings,
            "weekends": profile.available_weekends,
            "work_style": profile.work_style,
            "languages": list(profile.languages),
            "portfolio_links": list(profile.portfolio_links),
            "tags": sorted(profile.tags.names()),
            "created_at": iso(profile.created_at),
            "updated_at": iso(profile.updated_at),
        }

    def _review(self, review):
        return {
            "task": review.match.task.title,
            "organization": review.match.organization.name,
            "by_organization": review.by_organization,
            "rating": review.rating,
            "comment": review.comment,
            "created_at": iso(review.created_at),
        }

    # --- Closing the account --------------------------------------------------------

    def questions(self, user):
        asked = []
        for organization in sole_owned(user):
            others = _other_members(organization, user)
            if not others:
                continue
            asked.append(
                Question(
                    name=question_name(organization),
                    label=_("Who takes over %(name)s?") % {"name": organization.name},
                    choices=[(str(m.user_id), m.user.display_name) for m in others]
                    + [(CLOSE, _("Nobody: close the organization"))],
                    help_text=_(
                        "You are its only owner. The member you choose becomes its owner. "
                        "If you close it instead, its unfinished tasks are cancelled."
                    ),
                )
            )
        return asked

    def consequences(self, user):
        said = []
        if ResidentProfile.objects.filter(user=user).exists():
            said.append(
                Consequence(
                    _(
                        "Your skills profile (wards, headline, introduction, skills, tags, "
                        "availability) is deleted. Organizations can no longer find you."
                    )
                )
            )
        applications, invitations = _pending(user)
        if applications.exists():
            said.append(
                Consequence(
                    _("Your applications still waiting for an answer are withdrawn: %(n)d.")
                    % {"n": applications.count()}
                )
            )
        if invitations.exists():
            said.append(
                Consequence(
                    _("Invitations waiting for your answer are declined: %(n)d.")
                    % {"n": invitations.count()}
                )
            )
        ongoing = Match.objects.filter(resident=user, status__in=ONGOING).count()
        if ongoing:
            said.append(
                Consequence(
                    _(
                        "Matches still in progress end, and their organizations see them "
                        "as cancelled: %(n)d."
                    )
                    % {"n": ongoing}
                )
            )
        alone = sole_owned(user)
        left = Organization.objects.filter(memberships__user=user).exclude(
            pk__in=[o.pk for o in alone]
        )
        if left:
            said.append(
                Consequence(
                    _("You leave these organizations: %(names)s.") % {"names": _names(left)}
                )
            )
        for organization in alone:
            if _other_members(organization, user):
                said.append(
                    Consequence(
                        _(
                            "You are the only owner of %(name)s: choose below who takes "
                            "over, or close it."
                        )
                        % {"name": organization.name}
                    )
                )
            elif _unfinished_tasks(organization):
                said.append(
                    Consequence(
                        _(
                            "You are the only member of %(name)s, so it is closed: its "
                            "unfinished tasks are cancelled and anyone who applied is told. "
                            "Its page and its past matches stay."
                        )
                        % {"name": organization.name}
                    )
                )
            else:
                said.append(
                    Consequence(
                        _(
                            "You are the only member of %(name)s, so it is closed. Its page "
                            "and its past matches stay."
                        )
                        % {"name": organization.name}
                    )
                )
        said += [
            Consequence(
                _(
                    "Your applications, matches, hours and reviews (given and received) "
                    "stay, shown under “%(name)s”, so organizations keep their history."
                )
                % {"name": DELETED_USER_NAME},
                kept=True,
            ),
            Consequence(
                _(
                    "The wards' statistics keep counting your matches and hours, as "
                    "numbers that do not name you."
                ),
                kept=True,
            ),
        ]
        return said

    def erase(self, user, answers):
        counts = {"handed_over": 0, "organizations_closed": 0, "tasks_cancelled": 0}
        for organization in sole_owned(user):
            answer = str(answers.get(question_name(organization), CLOSE))
            if _other_members(organization, user) and answer != CLOSE:
                hand_over(user, organization, int(answer))
                counts["handed_over"] += 1
            else:
                counts["tasks_cancelled"] += close_organization(user, organization)
                counts["organizations_closed"] += 1
        applications, invitations = _pending(user)
        counts["applications_withdrawn"] = 0
        for application in applications:
            services.withdraw_application(user, application)
            counts["applications_withdrawn"] += 1
        counts["invitations_declined"] = 0
        for application in invitations:
            services.decline_application(user, application)
            counts["invitations_declined"] += 1
        counts["matches_cancelled"] = 0
        for match in Match.objects.filter(resident=user, status__in=ONGOING):
            _cancel_match(user, match)
            counts["matches_cancelled"] += 1
        profile = ResidentProfile.objects.filter(user=user).first()
        if profile is not None:
            remove_on_commit(profile)
            profile.tags.clear()
            profile.delete()
        counts["profile_deleted"] = profile is not None
        counts["memberships"] = Membership.objects.filter(user=user).delete()[0]
        return counts
