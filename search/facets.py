"""Facet vocabularies: the names behind the ids a facet counts (a category, a skill).

The app that owns the values registers them in its `search_documents.py`:

    facets.register(Vocabulary("category", _("Category"), _("All categories"), choices))

`choices()` returns [(id, name)] in the active language. The ward facet is core's.
"""

from collections.abc import Callable
from dataclasses import dataclass

from core.registry import Registry

VOCABULARIES = Registry("search facet vocabulary", discover="search_documents")


@dataclass(frozen=True)
class Vocabulary:
    name: str  # a SearchQuery filter: "category" or "skill"
    label: str
    empty_label: str
    choices: Callable[[], list[tuple[int, str]]]


def register(vocabulary: Vocabulary) -> Vocabulary:
    VOCABULARIES.register(vocabulary.name, vocabulary)
    return vocabulary


def vocabulary(name: str) -> Vocabulary | None:
    return VOCABULARIES.get(name)
