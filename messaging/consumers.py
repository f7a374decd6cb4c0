"""The conversation socket: ws/conversations/<id>/.

Client → server (JSON):
  {"type": "send", "client_id": uuid, "body": str, "share_contact": bool}
      → {"type": "ack", "client_id", "seq", "id"}  or  {"type": "error", "client_id", "code", "message"}
  {"type": "sync", "after": n}   → {"type": "messages", "messages": [...], "more": bool}
  {"type": "read", "seq": n}     → (read mark moves; everyone gets {"type": "read", ...})
  {"type": "ping"}               → {"type": "pong", "last_seq": n}  (a client behind n syncs:
                                   a broadcast that never arrived is noticed within a ping)
Server → client: {"type": "hello", ...} on connect, then {"type": "message", "message": {...}}
for every stored message and {"type": "read", "user", "seq"} when someone reads.

Messages are broadcast only after they are stored (committed on channels' database thread,
then sent from this consumer's event loop: `core.realtime.run_sync`); the client renders by seq, ignores
what it already has and asks for "sync" when it sees a gap or reconnects.
"""

from django.core.exceptions import ValidationError
from django.utils import translation

from core import presence
from core.errors import DomainError, NotFound
from core.realtime import run_sync
from core.sockets import REFUSED_NOT_FOUND, JsonSocketConsumer

from . import services

REFUSED_ANONYMOUS = 4401


class ConversationConsumer(JsonSocketConsumer):
    async def connect(self):
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=REFUSED_ANONYMOUS)
            return
        try:
            hello = await run_sync(
                self._hello, int(self.scope["url_route"]["kwargs"]["conversation_id"])
            )
        except NotFound:
            await self.close(code=REFUSED_NOT_FOUND)
            return
        self.group_name = services.group_name(self.conversation.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await self.send_json(hello)

    def _hello(self, conversation_id: int) -> dict:
        conversation, participant = services.access_conversation(self.user, conversation_id)
        if participant is None:
            raise NotFound  # moderators read reports on the page, not live
        self.conversation = conversation
        presence.touch(self.user.pk)
        # Texts go to the page as they are: in the user's language (a socket has no URL
        # prefix or LocaleMiddleware to choose one).
        with translation.override(self.user.language):
            refusal = services.why_cannot_post(self.user, conversation)
        return {
            "type": "hello",
            "user": self.user.pk,
            "conversation": conversation.pk,
            "last_seq": conversation.last_seq,
            "last_read_seq": participant.last_read_seq,
            "can_post": not refusal,
            "why_not": refusal,
        }

    async def disconnect(self, code):
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")
        # (Not `_send`/`_sync`: channels' consumer base uses `_sync` to mean "sync consumer".)
        handler = {
            "send": self.on_send,
            "sync": self.on_sync,
            "read": self.on_read,
            "ping": self.on_ping,
        }.get(kind)
        if handler is None:
            await self.send_json(
                {"type": "error", "code": "bad_request", "message": "unknown type"}
            )
            return
        await handler(content)

    async def on_send(self, content):
        client_id = content.get("client_id")
        try:
            # Stored and committed on a database thread; the broadcast goes out from here.
            message = await run_sync(
                self.store_message,
                body=str(content.get("body") or ""),
                client_id=client_id,
                share_contact=bool(content.get("share_contact")),
            )
        except (ValidationError, DomainError) as error:
            await self.send_json(
                {
                    "type": "error",
                    "client_id": client_id,
                    "code": error.code or "invalid",
                    "message": " ".join(error.messages),
                }
            )
        except (ValueError, TypeError):
            await self.send_json(
                {"type": "error", "client_id": client_id, "code": "bad_request", "message": ""}
            )
        else:
            await self.send_json(
                {"type": "ack", "client_id": client_id, "seq": message.seq, "id": message.pk}
            )

    def store_message(self, **fields):
        with translation.override(self.user.language):  # refusals are shown to the user
            return services.send_message(self.user, self.conversation.pk, **fields)

    async def on_sync(self, content):
        try:
            after = int(content.get("after", 0))
        except (TypeError, ValueError):
            after = 0
        messages = await run_sync(
            services.messages_after, self.conversation, after, services.SYNC_BATCH + 1
        )
        more = len(messages) > services.SYNC_BATCH
        await self.send_json(
            {"type": "messages", "messages": messages[: services.SYNC_BATCH], "more": more}
        )

    async def on_read(self, content):
        try:
            seq = int(content.get("seq", 0))
        except (TypeError, ValueError):
            return
        await run_sync(services.mark_read, self.user, self.conversation, seq)

    async def on_ping(self, content):
        last_seq = await run_sync(self._pong)
        await self.send_json({"type": "pong", "last_seq": last_seq})

    def _pong(self) -> int:
        presence.touch(self.user.pk)
        return services.last_seq(self.conversation.pk)

    # Group events (sent by messaging.services after commit)

    async def conversation_message(self, event):
        await self.send_json({"type": "message", "message": event["message"]})

    async def conversation_read(self, event):
        await self.send_json({"type": "read", "user": event["user"], "seq": event["seq"]})
