from search import documents
from search.documents import Document, DocumentType

from .models import StudyCircle


@documents.register
class StudyCircleDocuments(DocumentType):
    kind = "circle"
    label = "Study circles"
    models = (StudyCircle,)
    order = 90

    def load(self, pks):
        return StudyCircle.objects.filter(pk__in=pks, public=True, closed=False)

    def to_document(self, circle) -> Document:
        return Document(
            kind="circle",
            object_id=circle.pk,
            title=circle.name,
            body=circle.description,
            url=f"/circles/{circle.pk}/",
            ward_id=circle.ward_id,
        )
