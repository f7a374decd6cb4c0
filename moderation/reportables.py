"""What can be reported: each app registers its kinds of things.

    @reportables.register
    class TaskReportable(Reportable):
        kind = "task"
        model = Task
        ...

moderation knows nothing about tasks or messages; it asks the registered kind for what
it needs: which object the reporter may see (so a report form never shows what they
could not), the ward whose moderators handle the report, how to name it, quote it and
link to it. Apps declare theirs in `<app>/reportables.py`, found by autodiscovery.
"""

from abc import ABC, abstractmethod

from django.contrib.contenttypes.models import ContentType

from core.registry import Registry

REPORTABLES = Registry("reportable kind", discover="reportables")


class Reportable(ABC):
    kind: str = ""  # in the report URL: /report/<kind>/<pk>/
    model = None

    @abstractmethod
    def get(self, user, pk: int):
        """The object `user` wants to report, if they can see it; else raise NotFound."""

    def ward_id(self, obj) -> int | None:
        """The ward whose moderators handle reports about `obj` (None: all-ward only)."""
        return None

    def describe(self, obj) -> str:
        """What is reported, in a few words ("Task: …")."""
        return str(obj)

    def quote(self, obj) -> str:
        """Text to show the moderator (a message's body), if any."""
        return ""

    def back_url(self, obj, user) -> str:
        """Where the reporter returns to."""
        return "/"

    def moderator_link(self, obj) -> tuple[str, str] | None:
        """(label, url) for the moderator to open it, if there is a page."""
        return None


def register(cls: type[Reportable]) -> type[Reportable]:
    if not cls.kind or cls.model is None:
        raise TypeError(f"{cls!r} must set `kind` and `model`")
    REPORTABLES.register(cls.kind, cls())
    return cls


def for_kind(kind: str) -> Reportable | None:
    return REPORTABLES.get(kind)


def for_object(obj) -> Reportable | None:
    return REPORTABLES.find(lambda item: isinstance(obj, item.model))


def for_content_type(content_type_id: int) -> Reportable | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return REPORTABLES.find(lambda item: item.model is model)
