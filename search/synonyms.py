"""Synonyms at query time: the groups editors keep in the admin (search.models.Synonym),
as a map from each word's key (search.text.word_key) to the other words of its groups.

The map is built once per process and rebuilt when a group changes: saving or deleting
one bumps a version in the cache that every process compares on each search (one cache
read; the database is read only after a change).
"""

from django.core.cache import cache

VERSION_KEY = "search:synonyms:version"
_built: dict = {"version": None, "map": {}}


def lookup() -> dict[str, list[str]]:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = 0
        cache.add(VERSION_KEY, version, timeout=None)
    if _built["version"] != version:
        _built["map"] = _build()
        _built["version"] = version
    return _built["map"]


def changed() -> None:
    """Called when a group is saved or deleted (search.signals): every process rebuilds."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)
    _built["version"] = None


def _build() -> dict[str, list[str]]:
    from .models import Synonym
    from .text import word_key

    found: dict[str, list[str]] = {}
    for group in Synonym.objects.all():
        terms = group.term_list()
        for term in terms:
            key = word_key(term)
            if not key:
                continue
            others = found.setdefault(key, [])
            # The group's words both ways, then its related words (this way only).
            for other in terms + group.related_list():
                if word_key(other) != key and other not in others:
                    others.append(other)
    return found


def rules() -> list[str]:
    """The groups as Elasticsearch's synonym rules: "hp, ホームページ, webサイト" both
    ways, "ちらし, ぽすたー => ちらし, ぽすたー, でざいん" with related words."""
    from .models import Synonym
    from .text import normalize

    def words(listed):
        # An arrow typed into a word would make a rule of its own (and a malformed one
        # makes Elasticsearch refuse the whole set); the Python expansion still has it.
        return list(dict.fromkeys(normalize(t) for t in listed if "=>" not in t))

    found = []
    for group in Synonym.objects.all():
        terms = words(group.term_list())
        related = [r for r in words(group.related_list()) if r not in terms]
        if not terms:
            continue
        if related:
            found.append(f"{', '.join(terms)} => {', '.join(terms + related)}")
        elif len(terms) > 1:
            found.append(", ".join(terms))
    return found
