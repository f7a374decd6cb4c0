"""What a conversation is about decides who is in it, who may write and what they may share.

messaging knows nothing about applications or contest teams. Each app registers a
`ConversationSubject` for its model in `<app>/conversation_subjects.py` (found by
autodiscovery), and messaging asks it every time: who takes part, whether it is closed,
whether contact details may be shared yet, the page to link to, the ward whose
moderators handle reports about it, and the words for the events the app posts into
the conversation. The rules stay with the thing they are about; there is no second copy
of its state to keep in step.

    @subjects.register
    class ApplicationSubject(ConversationSubject):
        model = Application
        events = {"matched": _("Matched! …"), ...}
        def participants(self, application): ...
"""

from abc import ABC, abstractmethod

from django.contrib.contenttypes.models import ContentType

from core.registry import Registry

SUBJECTS = Registry("conversation subject", discover="conversation_subjects")


class ConversationSubject(ABC):
    model = None
    # event code → what the conversation shows for it (lazy translations: each reader
    # sees it in their own language).
    events: dict = {}

    @abstractmethod
    def participants(self, subject) -> list:
        """Everyone in the conversation about `subject`."""

    def may_open(self, user, subject) -> bool:
        """Whether `user` may open (and so join) the conversation about `subject`."""
        return any(person.pk == user.pk for person in self.participants(subject))

    def title(self, subject) -> str:
        return str(subject)

    def is_closed(self, subject) -> bool:
        """True once nobody may send new messages (what it was about has ended)."""
        return False

    def contact_details_allowed(self, subject) -> bool:
        """True once both sides have agreed to work together (for the board: a match)."""
        return False

    def link(self, subject, user) -> tuple[str, str] | None:
        """(label, url) of the page about the subject for `user`, if they may see one."""
        return None

    def ward_id(self, subject) -> int | None:
        """The ward whose moderators handle reports about messages here."""
        return None


def register(cls: type[ConversationSubject]) -> type[ConversationSubject]:
    if cls.model is None:
        raise TypeError(f"{cls!r} must set `model`")
    SUBJECTS.register(cls.model._meta.label_lower, cls())
    return cls


def for_model(model) -> ConversationSubject:
    return SUBJECTS[model._meta.label_lower]


def for_subject(subject) -> ConversationSubject:
    return for_model(type(subject))


def for_type(content_type_id: int) -> ConversationSubject | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return SUBJECTS.get(model._meta.label_lower) if model is not None else None


def event_label(conversation, event: str) -> str:
    kind = for_type(conversation.subject_type_id)
    return str(kind.events.get(event, "")) if kind is not None and event else ""


def event_labels(content_type_id: int) -> dict:
    kind = for_type(content_type_id)
    return {code: str(label) for code, label in kind.events.items()} if kind else {}
