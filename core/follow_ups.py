"""Follow-ups: something in one app carried on in another, linked both ways.

A winning contest entry becomes a task on the matching board (実装支援), without the
contest app knowing the board's models, nor the board knowing contests. An app that can
carry things on registers a kind in its own `<app>/follow_ups.py` (autodiscovered):

    @follow_ups.register("marketplace.task")
    def board_task(request: FollowUpRequest) -> FollowUp: ...

The function checks the actor's permissions itself, raises core.errors (Conflict with a
message saying what to do first) when it cannot, and returns where the new thing is.
"""

from dataclasses import dataclass, field

from .registry import Registry

KINDS = Registry("follow-up kind", discover="follow_ups")
register = KINDS.register


@dataclass(frozen=True)
class FollowUpRequest:
    actor: object  # the user asking
    title: str
    description: str
    ward: object  # core.models.Ward
    origin_url: str  # the page of what is carried on (absolute path)
    origin_label: str  # what it is, in words
    people: list = field(default_factory=list)  # user ids of the people behind it


@dataclass(frozen=True)
class FollowUp:
    reference: str  # "<kind>:<id>"
    url: str  # where the actor goes next (to check and publish it)
    public_url: str  # where everyone finds it


def start(kind: str, request: FollowUpRequest) -> FollowUp:
    from .errors import NotFound

    create = KINDS.get(kind)
    if create is None:
        raise NotFound
    return create(request)
