"""The contests' searchable things: live contest pages, the entries their teams made
public, and the open datasets. Public fields only (never eligibility answers, members or
anything a team keeps to itself).

Contest pages are reindexed on publish and unpublish by cms.receivers (Wagtail sends the
specific page, which key_for gives to "contest": this type's `order` comes before
cms's "page"); entries by contests.services.submissions.save_submission.
"""

from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from search import documents
from search.documents import Document, DocumentType

from .models import ContestPage, Dataset, Submission


def _url(name: str, *args) -> str:
    with translation.override("ja"):
        return reverse(name, args=args)


def _names(obj) -> str:
    return f"{obj.name_ja} {obj.name_en}" if obj is not None else ""


def public_contests():
    """Contest pages anyone can read: published, and under no view restriction."""
    return ContestPage.objects.live().public()


def public_submissions():
    """Entries anyone can read: the team made it public, in a contest anyone can read."""
    return Submission.objects.public().select_related("team", "contest__ward")


@documents.register
class ContestDocuments(DocumentType):
    kind = "contest"
    label = _("Contests")
    badge = _("Contest")
    models = (ContestPage,)
    # Before cms's "page" (40): a ContestPage is a Page too, and key_for takes the first.
    order = 32

    def load(self, pks):
        return (
            public_contests()
            .filter(pk__in=pks)
            .select_related("ward", "locale")
            .prefetch_related("themes")
        )

    def to_document(self, page) -> Document:
        themes = list(page.themes.all())
        text = [page.summary]
        if page.body:
            text.append(strip_tags(page.body.render_as_block()))
        return Document(
            kind="contest",
            object_id=page.pk,
            title=page.title,
            body="\n".join(t for t in text if t),
            url=page.url or "/",
            language=page.locale.language_code,
            ward_id=page.ward_id,
            published_at=page.first_published_at or page.last_published_at,
            extra=" ".join(
                [_names(page.ward)] + [f"{theme.name} {theme.name_en}" for theme in themes]
            ),
        )


@documents.register
class SubmissionDocuments(DocumentType):
    """Only while the team shows its entry to everyone (Submission.is_public), its
    contest's page is live and public, and the team is still in the contest (as the
    contest's and the datasets' pages list them)."""

    kind = "submission"
    label = _("Contest entries")
    badge = _("Contest entry")
    models = (Submission,)
    order = 34

    def load(self, pks):
        return public_submissions().filter(pk__in=pks).prefetch_related("datasets")

    def to_document(self, submission) -> Document:
        return Document(
            kind="submission",
            object_id=submission.pk,
            title=submission.title,
            body="\n".join(
                t for t in (submission.summary, submission.problem, submission.solution) if t
            ),
            url=_url("contests:submission_detail", submission.pk),
            ward_id=submission.contest.ward_id,
            published_at=submission.updated_at,
            # The team's name is shown on the entry's page; the datasets it used are
            # public records.
            extra=" ".join(
                [submission.team.name, submission.contest.title, _names(submission.contest.ward)]
                + [dataset.title for dataset in submission.datasets.all()]
            ),
        )


@documents.register
class DatasetDocuments(DocumentType):
    """Every dataset: each is a copy of what a public CKAN catalog publishes."""

    kind = "dataset"
    label = _("Open datasets")
    badge = _("Open dataset")
    models = (Dataset,)
    order = 36

    def load(self, pks):
        return Dataset.objects.select_related("catalog").filter(pk__in=pks)

    def to_document(self, dataset) -> Document:
        tags = [str(tag) for tag in dataset.tags or [] if tag]
        return Document(
            kind="dataset",
            object_id=dataset.pk,
            title=dataset.title,
            body=dataset.notes,
            url=_url("contests:dataset_detail", dataset.pk),
            published_at=dataset.metadata_modified,
            extra=" ".join(
                [dataset.publisher, dataset.publisher_name, dataset.catalog.name, *tags]
            ),
        )
