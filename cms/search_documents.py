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
    models = (Page,)
    order = 40

    def load(self, pks):
        return Page.objects.live().public().filter(pk__in=pks, depth__gt=1).specific()

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
        return Page.objects.filter(depth__gt=1).values_list("pk", flat=True).iterator()
