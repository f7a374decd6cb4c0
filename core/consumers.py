from .presence import touch
from .realtime import run_sync, user_group
from .sockets import JsonSocketConsumer


class UserEventsConsumer(JsonSocketConsumer):
    """A signed-in user's event stream (notifications, unread counts).

    Authenticated by the session cookie through AuthMiddlewareStack; anonymous sockets
    are refused with close code 4401 so the client knows not to retry.
    """

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.group_name = user_group(user.pk)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()
        await run_sync(touch, user.pk)
        await self.send_json({"type": "hello", "user": user.pk})

    async def disconnect(self, code):
        if hasattr(self, "group_name"):
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if content.get("type") == "ping":
            # Pages ping every 30 s; that is what "online" means for message e-mails.
            await run_sync(touch, self.scope["user"].pk)
            await self.send_json({"type": "pong"})

    async def user_event(self, message):
        await self.send_json(message["event"])
