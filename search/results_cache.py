"""Search results kept until the index changes, as Elasticsearch's request cache keeps
them until a refresh: what a search finds is the same for everyone who asks it (a
person's kinds are part of the query), and a common word costs the embedded backend a
pass over thousands of matches to count and rank them.

Every change to the index, the vocabulary or the synonyms moves a generation number in
the shared cache ("default"); results are stored (in the cache "search": Redis when
there is one, else each process's memory) under the generation they were computed in,
so a change makes every earlier result unreachable at once (a withdrawn profile is not
shown from a cache) and they expire on their own.
"""

import hashlib
import time
from dataclasses import astuple

from django.core.cache import cache, caches
from django.db import transaction

from .synonyms import VERSION_KEY as SYNONYMS_KEY

GENERATION_KEY = "search:generation"
TIMEOUT = 600


def _key(query) -> str | None:
    versions = cache.get_many([GENERATION_KEY, SYNONYMS_KEY])
    generation = versions.get(GENERATION_KEY)
    if generation is None:
        # Unknown (the shared cache emptied, restarted, or culled it): start one that
        # was never used, so nothing stored before can be reached.
        cache.add(GENERATION_KEY, _unused_generation(), timeout=None)
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            return None  # a cache that keeps nothing (DummyCache)
    digest = hashlib.sha256(repr(astuple(query)).encode()).hexdigest()[:32]
    return f"search:results:{generation}:{versions.get(SYNONYMS_KEY, 0)}:{digest}"


def cached(query, compute):
    """The results of `query`, from the cache or from `compute()` (then stored)."""
    key = _key(query)
    store = caches["search"]
    results = store.get(key) if key else None
    if results is None:
        results = compute()
        if key:
            store.set(key, results, timeout=TIMEOUT)
    return results


def changed() -> None:
    """The index (or what a search reads beside it) changed: no search may answer from
    what was stored before. At once, for this transaction's own next search, and again
    on commit, for what another process stored meanwhile without seeing the change."""
    _next_generation()
    transaction.on_commit(_next_generation)


def _next_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _unused_generation(), timeout=None)


def _unused_generation() -> int:
    # The results outlive the number when they are kept apart from it (each process's
    # memory, the embedded default): counting again from 1 would reach what was stored
    # under 1 before. Nanoseconds since 1970 are past every number counted up to now.
    return time.time_ns()
