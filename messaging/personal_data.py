"""The messages a person sent, for the data download. Closing an account keeps them (the
other side's conversation would make no sense without them), under 「退会したユーザー」."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.models import DELETED_USER_NAME
from accounts.personal_data import Consequence, PersonalDataSection, iso

from .models import Message


@personal_data.register
class MessagesData(PersonalDataSection):
    key = "messages"
    label = gettext_lazy("Messages")
    order = 20

    def export(self, user):
        # What they wrote only: the other participants' messages are theirs.
        sent = (
            Message.objects.filter(sender=user)
            .select_related("conversation")
            .prefetch_related("attachments")
            .order_by("created_at", "id")
        )
        return {
            "sent": [
                {
                    "conversation": message.conversation.title,
                    "sent_at": iso(message.created_at),
                    "text": message.body,
                    "attachments": [attachment.name for attachment in message.attachments.all()],
                    "removed_by_a_moderator": message.removed_at is not None,
                }
                for message in sent
            ]
        }

    def consequences(self, user):
        if not Message.objects.filter(sender=user).exists():
            return []
        return [
            Consequence(
                _(
                    "Messages you sent, with their attachments, stay in their "
                    "conversations, shown as from “%(name)s”."
                )
                % {"name": DELETED_USER_NAME},
                kept=True,
            )
        ]

    def erase(self, user, answers):
        # Nothing to erase here: the messages stay, and their sender's name and address
        # are erased with the account. Inactive users get no message e-mails.
        return {"messages_kept": Message.objects.filter(sender=user).count()}
