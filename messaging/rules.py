"""Who may do what in conversations beyond taking part (participants are the subject's
business: messaging.subjects)."""

from accounts import policy
from accounts.policy import predicate


def _may_handle_an_open_report(user, conversation) -> bool:
    from .services import open_reports

    return policy.scope(user, "moderation.handle_report", open_reports(conversation)).exists()


@predicate("a moderator who may handle an open report about one of its messages")
def moderator_of_open_report(user, conversation):
    return _may_handle_an_open_report(user, conversation)


@predicate("a moderator who may handle an open report about its conversation")
def moderator_of_reported_conversation(user, message):
    return _may_handle_an_open_report(user, message.conversation)


policy.register(
    {
        # Object: the conversation. Read-only, while the report is open; each reading is
        # logged (messaging.moderator_read).
        "messaging.read_reported_conversation": moderator_of_open_report,
        # Object: the message.
        "messaging.remove_message": moderator_of_reported_conversation,
    }
)
