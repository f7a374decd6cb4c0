"""What a conversation is about decides who may write in it and what they may share.

messaging knows nothing about applications or contest teams. Their models implement this
protocol, and messaging asks the subject each time a message is sent, so the rules stay
with the thing they are about and there is no second copy of its state to keep in step.
"""

from typing import Protocol


class ConversationSubject(Protocol):
    pk: int

    def conversation_title(self) -> str:
        """A short title for conversation lists and e-mails."""

    def conversation_closed(self) -> bool:
        """True once nobody may send new messages (what it was about has ended)."""

    def contact_details_allowed(self) -> bool:
        """True once both sides have agreed to work together (for the board: a match)."""

    def conversation_link(self, user) -> tuple[str, str] | None:
        """(label, url) of the page about the subject for `user`, if they may see one."""
