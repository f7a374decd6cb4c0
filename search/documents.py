"""What each kind of object looks like in the index, declared by the app that owns it.

An app makes its objects searchable by subclassing `DocumentType` in its own
`search_documents.py` (found by autodiscovery) and registering it:

    @documents.register
    class TaskDocuments(DocumentType):
        kind = "task"
        label = _("Tasks")
        models = (Task,)
        def load(self, pks): ...          # the searchable ones among pks
        def to_document(self, task): ...  # public fields only
        def all_pks(self): ...            # every candidate, for a rebuild

and by calling `search.index.update_on_commit(obj)` from its services. search itself
imports no domain app. `build_batch(kind, pks)` returns the documents to store; a pk
missing from its result is removed from the index (a task no longer public, a profile
whose owner withdrew the consent, an unpublished page).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime

from core.registry import Registry

DOCUMENT_TYPES = Registry("search document type", discover="search_documents")


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


class DocumentType(ABC):
    kind: str = ""
    label = ""  # plural: the "what to search" choice ("Tasks")
    badge = ""  # singular: what a result is ("Task")
    models: tuple = ()
    # Position in the "what to search" choices.
    order: int = 100

    @abstractmethod
    def load(self, pks):
        """The searchable objects among `pks`, in a few queries."""

    @abstractmethod
    def to_document(self, obj) -> Document:
        """The object's public fields, as the index stores them."""

    def all_pks(self):
        """Every object that may be searchable, for a full rebuild: by default every row
        of the first model (load() then keeps the searchable ones)."""
        return self.models[0].objects.values_list("pk", flat=True).iterator()

    def visible_to(self, user) -> bool:
        """Whether `user` may find documents of this kind at all."""
        return True


def register(cls: type[DocumentType]) -> type[DocumentType]:
    if not cls.kind or not cls.models:
        raise TypeError(f"{cls!r} must set `kind` and `models`")
    DOCUMENT_TYPES.register(cls.kind, cls())
    return cls


def document_types() -> list[DocumentType]:
    return sorted(DOCUMENT_TYPES.values(), key=lambda t: (t.order, t.kind))


def kinds() -> list[str]:
    return [t.kind for t in document_types()]


def kinds_visible_to(user) -> list[str]:
    return [t.kind for t in document_types() if t.visible_to(user)]


def key_for(obj) -> tuple[str, int] | None:
    for document_type in document_types():
        if isinstance(obj, document_type.models):
            return document_type.kind, obj.pk
    return None


def build(kind: str, pk: int) -> Document | None:
    return build_batch(kind, [pk]).get(pk)


def build_batch(kind: str, pks) -> dict[int, Document]:
    """Documents for the searchable ones among `pks`, loaded in a few queries."""
    document_type = DOCUMENT_TYPES[kind]
    return {obj.pk: document_type.to_document(obj) for obj in document_type.load(list(pks))}


def all_documents(batch_size: int = 1000):
    """Every searchable document, built a batch at a time, for a full rebuild."""
    for document_type in document_types():
        pks = []
        for pk in document_type.all_pks():
            pks.append(pk)
            if len(pks) >= batch_size:
                yield from build_batch(document_type.kind, pks).values()
                pks = []
        if pks:
            yield from build_batch(document_type.kind, pks).values()


def all_keys():
    """Every object that may be searchable, for a full rebuild."""
    for document_type in document_types():
        yield from ((document_type.kind, pk) for pk in document_type.all_pks())
