from django.urls import reverse
from django.utils.translation import gettext as _

from core.errors import NotFound
from moderation import reportables
from moderation.reportables import Reportable

from . import subjects
from .models import Message


@reportables.register
class MessageReportable(Reportable):
    kind = "message"
    model = Message

    def get(self, user, pk):
        from .services import access_conversation

        message = Message.objects.select_related("sender", "conversation").filter(pk=pk).first()
        if message is None:
            raise NotFound
        _conversation, participant = access_conversation(user, message.conversation_id)
        # Participants report what others wrote; nobody reports a platform event.
        if participant is None or message.sender_id in (None, user.pk):
            raise NotFound
        return message

    def ward_id(self, message):
        subject = message.conversation.subject
        return subjects.for_subject(subject).ward_id(subject) if subject is not None else None

    def describe(self, message):
        name = message.sender.display_name if message.sender_id else "—"
        return _("Message from %(name)s") % {"name": name}

    def quote(self, message):
        return message.body

    def back_url(self, message, user):
        return reverse("messaging:conversation", args=[message.conversation_id])

    def moderator_link(self, message):
        url = reverse("messaging:conversation", args=[message.conversation_id])
        return _("Open the conversation (your reading is logged)"), f"{url}#m{message.seq}"
