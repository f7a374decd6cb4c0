"""What each kind of object looks like in the index: public fields only.

`build(kind, pk)` returns the document to store, or None when the object must not be
searchable (a task no longer public, a profile whose owner withdrew the consent, an
unverified organization, an unpublished page): the index then removes it.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.urls import reverse
from django.utils import translation

KINDS = ["task", "profile", "organization", "page"]


@dataclass
class Document:
    kind: str
    object_id: int
    title: str
    body: str
    url: str
    language: str = "ja"
    ward_id: int | None = None
    category_id: int | None = None
    skill_ids: list[int] = field(default_factory=list)
    remote: bool | None = None
    published_at: datetime | None = None
    deadline: date | None = None
    # Text indexed but not shown (tags, ward and category names in both languages).
    extra: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.object_id}"


def key_for(obj) -> tuple[str, int] | None:
    from wagtail.models import Page

    from marketplace.models import Organization, ResidentProfile, Task

    if isinstance(obj, Task):
        return "task", obj.pk
    if isinstance(obj, ResidentProfile):
        return "profile", obj.pk
    if isinstance(obj, Organization):
        return "organization", obj.pk
    if isinstance(obj, Page):
        return "page", obj.pk
    return None


def build(kind: str, pk: int) -> Document | None:
    documents = build_batch(kind, [pk])
    return documents.get(pk)


def build_batch(kind: str, pks) -> dict[int, Document]:
    """Documents for the searchable ones among `pks`, loaded in a few queries."""
    load, to_document = BUILDERS[kind]
    return {obj.pk: to_document(obj) for obj in load(list(pks))}


def _names(obj) -> str:
    return f"{obj.name_ja} {obj.name_en}" if obj is not None else ""


def _tasks(pks):
    from marketplace.models import Task
    from marketplace.models.tasks import TaskStatus

    return (
        Task.objects.select_related("organization", "ward", "category")
        .prefetch_related("skills", "tags")
        .filter(pk__in=pks, status=TaskStatus.OPEN)
    )


def _task(task) -> Document:
    from marketplace.models import WorkStyle

    skills = list(task.skills.all())
    with translation.override("ja"):
        url = reverse("marketplace:task_detail", args=[task.pk])
    return Document(
        kind="task",
        object_id=task.pk,
        title=task.title,
        body=f"{task.description}\n{task.deliverable}",
        url=url,
        ward_id=task.ward_id,
        category_id=task.category_id,
        skill_ids=[s.pk for s in skills],
        remote=task.work_style in (WorkStyle.REMOTE, WorkStyle.EITHER),
        published_at=task.published_at,
        deadline=task.apply_deadline,
        extra=" ".join(
            [task.organization.name, _names(task.ward), _names(task.category)]
            + [_names(s) for s in skills]
            + [t.name for t in task.tags.all()]
        ),
    )


def _profiles(pks):
    from marketplace.filters import discoverable_profiles

    return (
        discoverable_profiles()
        .prefetch_related("skill_levels__category", "tags")
        .filter(pk__in=pks)
    )


def _profile(profile) -> Document:
    from marketplace.models import WorkStyle

    skills = [level.category for level in profile.skill_levels.all()]
    with translation.override("ja"):
        url = reverse("marketplace:resident_detail", args=[profile.user_id])
    # Public fields only: display name, headline, bio, skills, ward. Never e-mail or
    # portfolio links, and nothing of users who have not agreed to be found.
    return Document(
        kind="profile",
        object_id=profile.pk,
        title=f"{profile.user.display_name} — {profile.headline}",
        body=profile.bio,
        url=url,
        ward_id=profile.home_ward_id,
        category_id=skills[0].pk if skills else None,
        skill_ids=[s.pk for s in skills],
        remote=profile.work_style in (WorkStyle.REMOTE, WorkStyle.EITHER),
        published_at=profile.updated_at,
        extra=" ".join(
            [_names(profile.home_ward)]
            + [_names(s) for s in skills]
            + [t.name for t in profile.tags.all()]
        ),
    )


def _organizations(pks):
    from marketplace.models import Organization, VerificationStatus

    return Organization.objects.select_related("ward").filter(
        pk__in=pks, status=VerificationStatus.VERIFIED
    )


def _organization(organization) -> Document:
    with translation.override("ja"):
        url = reverse("marketplace:organization_detail", args=[organization.pk])
    return Document(
        kind="organization",
        object_id=organization.pk,
        title=organization.name,
        body=organization.description,
        url=url,
        ward_id=organization.ward_id,
        published_at=organization.verified_at,
        extra=f"{organization.get_kind_display()} {_names(organization.ward)}",
    )


def _pages(pks):
    from wagtail.models import Page

    return Page.objects.live().public().filter(pk__in=pks, depth__gt=1).specific()


def _page(page) -> Document:
    text = []
    for name in ("intro", "hero_lead"):
        if getattr(page, name, ""):
            text.append(getattr(page, name))
    body = getattr(page, "body", None)
    if body:
        from django.utils.html import strip_tags

        text.append(strip_tags(body.render_as_block()))
    return Document(
        kind="page",
        object_id=page.pk,
        title=page.title,
        body="\n".join(text),
        url=page.url or "/",
        language=page.locale.language_code,
        published_at=page.last_published_at,
        extra=page.search_description or "",
    )


# kind -> (load the searchable objects among some pks, turn one into a Document)
BUILDERS = {
    "task": (_tasks, _task),
    "profile": (_profiles, _profile),
    "organization": (_organizations, _organization),
    "page": (_pages, _page),
}


def all_documents(batch_size: int = 1000):
    """Every searchable document, built a batch at a time, for a full rebuild."""
    current_kind, pks = None, []
    for kind, pk in all_keys():
        if kind != current_kind and pks:
            yield from build_batch(current_kind, pks).values()
            pks = []
        current_kind = kind
        pks.append(pk)
        if len(pks) >= batch_size:
            yield from build_batch(kind, pks).values()
            pks = []
    if pks:
        yield from build_batch(current_kind, pks).values()


def all_keys():
    """Every object that may be searchable, for a full rebuild."""
    from wagtail.models import Page

    from marketplace.models import Organization, ResidentProfile, Task

    yield from (("task", pk) for pk in Task.objects.values_list("pk", flat=True).iterator())
    yield from (
        ("profile", pk) for pk in ResidentProfile.objects.values_list("pk", flat=True).iterator()
    )
    yield from (("organization", pk) for pk in Organization.objects.values_list("pk", flat=True))
    yield from (
        ("page", pk) for pk in Page.objects.filter(depth__gt=1).values_list("pk", flat=True)
    )
