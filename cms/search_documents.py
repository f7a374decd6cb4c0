"""CMS pages in site search: live, public pages in their own language."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from search import documents
from search.documents import Document, DocumentType


@documents.register
class PageDocuments(DocumentType):
    kind = "page"
    label = _("Pages")
    badge = _("Page")
    models = (Page,)
    order = 40

    def load(self, pks):
        pages = Page.objects.live().public().filter(pk__in=pks, depth__gt=1)
        return pages.exclude(content_type__in=_claimed_elsewhere()).specific()

    def to_document(self, page) -> Document:
        text = [getattr(page, name) for name in ("intro", "hero_lead") if getattr(page, name, "")]
        body = getattr(page, "body", None)
        if body:
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

    def all_pks(self):
        pages = Page.objects.filter(depth__gt=1).exclude(content_type__in=_claimed_elsewhere())
        return pages.values_list("pk", flat=True).iterator()


def _claimed_elsewhere():
    """Page types another app indexes as its own kind (a contest page is a "contest"):
    one document per page, so a page is found once and leaves the index with its kind."""
    from django.contrib.contenttypes.models import ContentType

    claimed = {
        model
        for document_type in documents.document_types()
        if document_type.kind != PageDocuments.kind
        for model in document_type.models
        if issubclass(model, Page) and model is not Page
    }
    return [ContentType.objects.get_for_model(model).pk for model in claimed]
