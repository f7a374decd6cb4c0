"""Localities: the wards a person lives or works in, from every app that knows them.

Used to tell people about what is near them (a contest in their ward) without the asking
app knowing where the others keep addresses. An app declares a source in its own
`<app>/localities.py` (found by autodiscovery):

    @localities.register("marketplace.profile")
    def profile_wards(user_ids):
        return {user_id: {ward id, ...}, ...}

A source answers for many people at once (one query, not one per person).
"""

from collections import defaultdict
from collections.abc import Iterable

from core.registry import Registry

SOURCES = Registry("locality source", discover="localities")
register = SOURCES.register


def wards_of(user_ids: Iterable[int]) -> dict[int, set[int]]:
    """user id → the ids of the wards they live or work in (only people with any)."""
    user_ids = list(set(user_ids))
    found: dict[int, set[int]] = defaultdict(set)
    if not user_ids:
        return found
    for source in SOURCES.values():
        for user_id, wards in source(user_ids).items():
            found[user_id].update(wards)
    return found
