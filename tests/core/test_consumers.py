import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from config.asgi import application
from core.consumers import UserEventsConsumer
from core.realtime import send_user_event_on_commit
from tests.accounts.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]


def _communicator(user):
    communicator = WebsocketCommunicator(UserEventsConsumer.as_asgi(), "/ws/events/")
    communicator.scope["user"] = user
    return communicator


async def test_anonymous_socket_is_refused():
    communicator = _communicator(AnonymousUser())
    connected, code = await communicator.connect()
    assert not connected
    assert code == 4401


async def test_signed_in_user_receives_their_events_after_commit():
    user = await database_sync_to_async(UserFactory)()
    other = await database_sync_to_async(UserFactory)()
    mine, theirs = _communicator(user), _communicator(other)
    assert (await mine.connect())[0]
    assert (await theirs.connect())[0]
    assert await mine.receive_json_from() == {"type": "hello", "user": user.pk}
    await theirs.receive_json_from()

    # Outside a transaction on_commit runs at once, as after a committed service call.
    await database_sync_to_async(send_user_event_on_commit)(user.pk, {"type": "unread", "n": 3})

    assert await mine.receive_json_from(timeout=2) == {"type": "unread", "n": 3}
    assert await theirs.receive_nothing(timeout=0.2)
    await mine.disconnect()
    await theirs.disconnect()


async def test_routing_authenticates_by_session_cookie(client):
    # given a signed-in browser session
    user = await database_sync_to_async(UserFactory)()
    await database_sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"

    # when the socket connects through the full ASGI stack with that cookie
    communicator = WebsocketCommunicator(
        application,
        "/ws/events/",
        headers=[(b"cookie", cookie.encode()), (b"origin", b"http://localhost")],
    )
    connected, _ = await communicator.connect()

    # then it is the same user
    assert connected
    assert await communicator.receive_json_from() == {"type": "hello", "user": user.pk}
    await communicator.disconnect()


async def test_socket_from_another_site_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/events/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect()
    assert not connected
