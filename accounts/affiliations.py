"""Affiliations: what a person belongs to, from every app that knows one.

Used to see conflicts of interest (a judge in the same organization as a team member)
without the asking app knowing the other apps' models. An app declares a source in its
own `<app>/affiliations.py` (found by autodiscovery):

    @affiliations.register("marketplace.organization")
    def organizations(user_ids):
        return {user_id: {("marketplace.organization:12", "NPO法人…"), ...}, ...}

A source answers for many people at once (one query, not one per person). An
affiliation is (key, label): the key is what two people share, the label says it in
words for the organizer.
"""

from collections import defaultdict
from collections.abc import Iterable

from core.registry import Registry

SOURCES = Registry("affiliation source", discover="affiliations")
register = SOURCES.register


def of(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """user id → {affiliation key: label}, from every source."""
    user_ids = list(set(user_ids))
    found: dict[int, dict[str, str]] = defaultdict(dict)
    if not user_ids:
        return found
    for source in SOURCES.values():
        for user_id, pairs in source(user_ids).items():
            found[user_id].update(dict(pairs))
    return found


def shared(user_id: int, others: Iterable[int], known: dict | None = None) -> dict[str, str]:
    """The affiliations `user_id` shares with any of `others`: key → label."""
    others = list(others)
    known = known if known is not None else of([user_id, *others])
    mine = known.get(user_id, {})
    return {
        key: label
        for other in others
        if other != user_id
        for key, label in known.get(other, {}).items()
        if key in mine
    }
