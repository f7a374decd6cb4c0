"""Digest topics: what the e-mail digest can tell about, from the apps that know it.

The centre knows no board or contest. An app adds a topic in its own
`<app>/digest_topics.py` (autodiscovered):

    @topics.register
    class NewTasks(DigestTopic):
        key = "marketplace.new_tasks"
        label = _("New tasks that fit you")
        def collect(self, users, window): ...  # {user id: [DigestItem, ...]}

`collect` answers for a batch of people at once (a few queries, not a few per person):
a daily run covers every subscriber. `window.memo` keeps what a topic loads once per run
(the tasks posted in the period, say) across the batches.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import datetime

from core.registry import Registry

TOPICS = Registry("digest topic", discover="digest_topics")


@dataclass(frozen=True)
class DigestItem:
    title: str
    url: str  # a path on this site
    detail: str = ""  # one line: why it fits, when it closes


@dataclass
class Window:
    """The period a digest covers: since (excluded) until (included)."""

    frequency: str
    since: datetime
    until: datetime
    memo: dict = field(default_factory=dict)


class DigestTopic(ABC):
    key: str = ""
    label = ""  # a lazy translation: the heading in the digest and the settings' checkbox
    help_text = ""
    order: int = 100
    # Ticked for someone who turns the digest on without choosing topics.
    default: bool = True
    # At most this many items of the topic in one digest.
    limit: int = 5

    @abstractmethod
    def collect(self, users: list, window: Window) -> dict[int, list[DigestItem]]:
        """{user id: the items for them, best first}; people with none may be left out."""


def register(topic_class: type[DigestTopic]) -> type[DigestTopic]:
    TOPICS.register(topic_class.key, topic_class())
    return topic_class


def ordered() -> list[DigestTopic]:
    return sorted(TOPICS.values(), key=lambda topic: (topic.order, topic.key))


def default_keys() -> list[str]:
    return [topic.key for topic in ordered() if topic.default]
