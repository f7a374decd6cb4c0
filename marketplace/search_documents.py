"""The board's searchable things: open tasks, verified organizations, and the profiles
of residents who agreed to be found. Public fields only."""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts import policy
from search import documents, facets
from search.documents import Document, DocumentType
from search.facets import Vocabulary

from .filters import discoverable_profiles
from .models import (
    Organization,
    ResidentProfile,
    SkillCategory,
    Task,
    TaskStatus,
    VerificationStatus,
    WorkStyle,
)


def _names(obj) -> str:
    return f"{obj.name_ja} {obj.name_en}" if obj is not None else ""


def _url(name: str, *args) -> str:
    with translation.override("ja"):
        return reverse(name, args=args)


@documents.register
class TaskDocuments(DocumentType):
    kind = "task"
    label = _("Tasks")
    badge = _("Task")
    models = (Task,)
    order = 10

    def load(self, pks):
        return (
            Task.objects.select_related("organization", "ward", "category")
            .prefetch_related("skills", "tags")
            .filter(pk__in=pks, status=TaskStatus.OPEN)
        )

    def to_document(self, task) -> Document:
        skills = list(task.skills.all())
        return Document(
            kind="task",
            object_id=task.pk,
            title=task.title,
            body=f"{task.description}\n{task.deliverable}",
            url=_url("marketplace:task_detail", task.pk),
            ward_id=task.ward_id,
            category_id=task.category_id,
            skill_ids=[s.pk for s in skills],
            remote=task.work_style in WorkStyle.remote_ok(),
            published_at=task.published_at,
            deadline=task.apply_deadline,
            extra=" ".join(
                [task.organization.name, _names(task.ward), _names(task.category)]
                + [_names(s) for s in skills]
                + [t.name for t in task.tags.all()]
            ),
        )


@documents.register
class OrganizationDocuments(DocumentType):
    kind = "organization"
    label = _("Organizations")
    badge = _("Organization")
    models = (Organization,)
    order = 20

    def load(self, pks):
        return Organization.objects.select_related("ward").filter(
            pk__in=pks, status=VerificationStatus.VERIFIED, closed_at__isnull=True
        )

    def to_document(self, organization) -> Document:
        return Document(
            kind="organization",
            object_id=organization.pk,
            title=organization.name,
            body=organization.description,
            url=_url("marketplace:organization_detail", organization.pk),
            ward_id=organization.ward_id,
            published_at=organization.verified_at,
            extra=f"{organization.get_kind_display()} {_names(organization.ward)}",
        )


@documents.register
class ProfileDocuments(DocumentType):
    """Only while the owner's `profile_discoverable` consent is active and the account is;
    found only by members of verified organizations (that is what residents agree to)."""

    kind = "profile"
    label = _("Residents")
    badge = _("Resident")
    models = (ResidentProfile,)
    order = 30

    def load(self, pks):
        return (
            discoverable_profiles()
            .prefetch_related("skill_levels__category", "tags")
            .filter(pk__in=pks)
        )

    def to_document(self, profile) -> Document:
        skills = [level.category for level in profile.skill_levels.all()]
        # Public fields only: display name, headline, bio, skills, ward. Never e-mail or
        # portfolio links.
        return Document(
            kind="profile",
            object_id=profile.pk,
            title=f"{profile.user.display_name} — {profile.headline}",
            body=profile.bio,
            url=_url("marketplace:resident_detail", profile.user_id),
            ward_id=profile.home_ward_id,
            category_id=skills[0].pk if skills else None,
            skill_ids=[s.pk for s in skills],
            remote=profile.work_style in WorkStyle.remote_ok(),
            published_at=profile.updated_at,
            extra=" ".join(
                [_names(profile.home_ward)]
                + [_names(s) for s in skills]
                + [t.name for t in profile.tags.all()]
            ),
        )

    def visible_to(self, user) -> bool:
        return policy.can(user, "marketplace.find_residents")


def _categories() -> list[tuple[int, str]]:
    return [(category.pk, category.name) for category in SkillCategory.objects.all()]


facets.register(Vocabulary("category", _("Category"), _("All categories"), _categories))
facets.register(Vocabulary("skill", _("Skill"), _("Any skill"), _categories))
