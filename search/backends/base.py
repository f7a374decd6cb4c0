"""The one search interface; backends (embedded, Elasticsearch) implement it."""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

SORTS = ("relevance", "newest", "deadline")
FACETS = ("kind", "ward", "category", "skill", "remote")


@dataclass
class SearchQuery:
    text: str = ""
    kinds: list[str] = field(default_factory=list)
    ward: int | None = None
    category: int | None = None
    skill: int | None = None
    remote: bool | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20


@dataclass
class Hit:
    kind: str
    object_id: int
    title: str
    url: str
    snippet: str  # body excerpt, HTML-escaped, matched words in <mark>
    title_html: str  # title, HTML-escaped, matched words in <mark>
    ward_id: int | None = None
    deadline: object = None
    score: float = 0.0


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, dict]  # facet -> {value: count}
    query: SearchQuery
    # 「もしかして」: the query with a misspelt word corrected, when that finds more.
    suggestion: str | None = None
    # The query had words but none that can be searched for (only `*`, quotes, "-x").
    unsearchable: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.query.per_page))


class SearchBackend(ABC):
    @abstractmethod
    def index(self, documents) -> None:
        """Add or replace `documents` (search.documents.Document)."""

    @abstractmethod
    def remove(self, keys) -> None:
        """Remove the documents with these keys ("task:12"); unknown keys are ignored."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Hits for one page, the total, and facet counts over the whole result set."""

    @abstractmethod
    def count(self, query: SearchQuery) -> int:
        """How many documents `query` finds (its filters applied)."""

    @abstractmethod
    def suggest(self, prefix: str, limit: int = 8, kinds=()) -> list[str]:
        """Titles (of `kinds`, all when empty) completing what the user is typing."""

    @abstractmethod
    def matching_ids(self, text: str, kind: str):
        """Object ids of `kind` matching `text`: a queryset or a list, for pk__in filters."""

    @abstractmethod
    def rebuild(self, documents) -> int:
        """Replace the whole index with `documents` (an iterable); return the count."""


# Fewer results than this and a 「もしかして」 suggestion is looked for.
SUGGEST_BELOW = 3


def add_suggestion(backend, results: SearchResults) -> SearchResults:
    """Offer the query with its misspelt words corrected from the index's vocabulary
    (search.vocabulary), when the corrected query finds more."""
    if results.total >= SUGGEST_BELOW or not results.query.text:
        return results
    from dataclasses import replace

    from ..vocabulary import corrected

    better = corrected(results.query.text, results.total)
    if better and better != results.query.text:
        found = backend.count(replace(results.query, text=better, page=1))
        if found > results.total:
            results.suggestion = better
    return results


_backend = None


def get_backend() -> SearchBackend:
    global _backend
    if (
        _backend is None
        or type(_backend).__module__ + "." + type(_backend).__name__ != settings.SEARCH_BACKEND
    ):
        _backend = import_string(settings.SEARCH_BACKEND)()
    return _backend
