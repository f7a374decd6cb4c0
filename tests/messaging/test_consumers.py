"""The conversation socket, through the same ASGI stack as production (cookie + origin)."""

import uuid

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from config.asgi import application
from core import presence
from marketplace import services as board
from messaging import services
from messaging.models import Participant
from tests.accounts.factories import UserFactory

from .factories import application_thread

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]

db = database_sync_to_async


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def open_socket(user, path):
    headers = [(b"origin", b"http://localhost")]
    if user is not None:
        headers.append((b"cookie", await db(_cookie)(user)))
    return WebsocketCommunicator(application, path, headers=headers)


async def join(user, conversation):
    """A connected conversation socket for `user`, and its hello."""
    socket = await open_socket(user, f"/ws/conversations/{conversation.pk}/")
    connected, code = await socket.connect()
    assert connected, code
    return socket, await socket.receive_json_from()


async def next_of(socket, kind, timeout=2):
    """The next frame of type `kind`, skipping others."""
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame["type"] == kind:
            return frame


async def test_anonymous_and_outsiders_are_refused():
    thread = await db(application_thread)()
    path = f"/ws/conversations/{thread.conversation.pk}/"

    anonymous = await open_socket(None, path)
    assert await anonymous.connect() == (False, 4401)

    outsider = await open_socket(await db(UserFactory)(), path)
    assert await outsider.connect() == (False, 4404)

    nowhere = await open_socket(thread.member, "/ws/conversations/999999/")
    assert await nowhere.connect() == (False, 4404)


async def test_hello_says_where_the_reader_is_and_marks_them_online():
    thread = await db(application_thread)()

    socket, hello = await join(thread.member, thread.conversation)

    assert hello == {
        "type": "hello",
        "user": thread.member.pk,
        "conversation": thread.conversation.pk,
        "last_seq": 1,
        "last_read_seq": 0,
        "can_post": True,
        "why_not": "",
    }
    assert await db(presence.is_online)(thread.member.pk)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from() == {"type": "pong", "last_seq": 1}
    await socket.disconnect()


async def test_a_ping_tells_a_reader_whose_broadcast_went_missing_how_far_to_sync(monkeypatch):
    thread = await db(application_thread)()
    resident, _ = await join(thread.resident, thread.conversation)
    # A message whose broadcast never reached this process (pub/sub keeps nothing).
    monkeypatch.setattr("messaging.services.group_send", lambda group, event: None)
    await db(services.send_message)(thread.member, thread.conversation.pk, body="届いていない？")
    assert await resident.receive_nothing(timeout=0.2)

    await resident.send_json_to({"type": "ping"})
    assert await next_of(resident, "pong") == {"type": "pong", "last_seq": 2}
    await resident.send_json_to({"type": "sync", "after": 1})
    frame = await next_of(resident, "messages")
    assert [m["body"] for m in frame["messages"]] == ["届いていない？"]
    await resident.disconnect()


async def test_a_sent_message_is_acknowledged_and_reaches_both_sides_once():
    thread = await db(application_thread)()
    member, _ = await join(thread.member, thread.conversation)
    resident, _ = await join(thread.resident, thread.conversation)
    client_id = str(uuid.uuid4())

    await member.send_json_to({"type": "send", "client_id": client_id, "body": "面談しませんか"})

    frames = [await member.receive_json_from(timeout=2), await member.receive_json_from(timeout=2)]
    ack = next(frame for frame in frames if frame["type"] == "ack")
    echoed = next(frame for frame in frames if frame["type"] == "message")
    assert (ack["client_id"], ack["seq"]) == (client_id, 2)
    delivered = await next_of(resident, "message")
    assert delivered == echoed
    assert delivered["message"]["seq"] == 2
    assert delivered["message"]["body"] == "面談しませんか"
    assert delivered["message"]["client_id"] == client_id
    assert delivered["message"]["sender"] == {
        "id": thread.member.pk,
        "name": thread.member.display_name,
    }
    assert thread.member.email not in str(delivered)

    # A resend (no ack came through, say) gets the same answer and is not delivered again.
    await member.send_json_to({"type": "send", "client_id": client_id, "body": "面談しませんか"})
    again = await member.receive_json_from(timeout=2)
    assert again == ack
    assert await resident.receive_nothing(timeout=0.3)
    assert await member.receive_nothing(timeout=0.1)
    assert (await db(thread.refresh)()).last_seq == 2

    await member.disconnect()
    await resident.disconnect()


async def test_sync_returns_what_was_missed_in_order():
    thread = await db(application_thread)()
    for n in range(2, 6):
        await db(services.send_message)(thread.member, thread.conversation.pk, body=f"#{n}")
    socket, hello = await join(thread.resident, thread.conversation)
    assert hello["last_seq"] == 5

    await socket.send_json_to({"type": "sync", "after": 2})
    answer = await socket.receive_json_from()

    assert answer["type"] == "messages" and answer["more"] is False
    assert [m["seq"] for m in answer["messages"]] == [3, 4, 5]
    assert [m["body"] for m in answer["messages"]] == ["#3", "#4", "#5"]

    await socket.send_json_to({"type": "sync", "after": "nonsense"})
    assert [m["seq"] for m in (await socket.receive_json_from())["messages"]] == [1, 2, 3, 4, 5]
    await socket.disconnect()


async def test_reading_moves_the_mark_and_tells_the_other_side():
    thread = await db(application_thread)()
    await db(services.send_message)(thread.resident, thread.conversation.pk, body="追伸です")
    member, _ = await join(thread.member, thread.conversation)
    resident, _ = await join(thread.resident, thread.conversation)

    await member.send_json_to({"type": "read", "seq": 2})

    assert await next_of(resident, "read") == {"type": "read", "user": thread.member.pk, "seq": 2}
    participant = await db(Participant.objects.get)(
        conversation=thread.conversation, user=thread.member
    )
    assert participant.last_read_seq == 2

    # Going back changes nothing and tells nobody.
    await member.send_json_to({"type": "read", "seq": 1})
    assert await resident.receive_nothing(timeout=0.3)
    await member.disconnect()
    await resident.disconnect()


async def test_refusals_come_back_as_errors_with_a_code():
    thread = await db(application_thread)()
    socket, _ = await join(thread.resident, thread.conversation)
    client_id = str(uuid.uuid4())

    await socket.send_json_to(
        {"type": "send", "client_id": client_id, "body": "携帯は090-1234-5678です"}
    )
    error = await socket.receive_json_from(timeout=2)
    assert (error["type"], error["client_id"], error["code"]) == (
        "error",
        client_id,
        "contact_details",
    )
    assert error["message"]

    await socket.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": None})
    assert (await socket.receive_json_from(timeout=2))["code"] == "empty"
    await socket.send_json_to({"type": "send", "client_id": "not-a-uuid", "body": "hi"})
    assert (await socket.receive_json_from(timeout=2))["code"] == "bad_request"
    await socket.send_json_to({"type": "dance"})
    assert (await socket.receive_json_from())["code"] == "bad_request"

    await socket.send_json_to(
        {
            "type": "send",
            "client_id": client_id,
            "body": "携帯は090-1234-5678です",
            "share_contact": True,
        }
    )
    assert (await next_of(socket, "ack"))["seq"] == 2
    await socket.disconnect()


async def test_the_recipients_other_pages_get_the_new_unread_total():
    thread = await db(application_thread)()
    events = await open_socket(thread.resident, "/ws/events/")
    assert (await events.connect())[0]
    assert (await events.receive_json_from())["type"] == "hello"
    member, _ = await join(thread.member, thread.conversation)

    await member.send_json_to(
        {"type": "send", "client_id": str(uuid.uuid4()), "body": "こんにちは"}
    )
    await member.send_json_to(
        {"type": "send", "client_id": str(uuid.uuid4()), "body": "いかがですか"}
    )

    assert await events.receive_json_from(timeout=2) == {
        "type": "unread",
        "conversation": thread.conversation.pk,
        "unread": 1,
        "total": 1,
    }
    assert (await events.receive_json_from(timeout=2))["total"] == 2

    # Reading on the conversation page brings every page of the reader back to zero.
    resident, _ = await join(thread.resident, thread.conversation)
    await resident.send_json_to({"type": "read", "seq": 3})
    assert await events.receive_json_from(timeout=2) == {
        "type": "unread",
        "conversation": thread.conversation.pk,
        "unread": 0,
        "total": 0,
    }
    for socket in (events, member, resident):
        await socket.disconnect()


async def test_a_closed_conversation_says_so_and_refuses_messages():
    thread = await db(application_thread)()
    resident, _ = await join(thread.resident, thread.conversation)

    await db(board.withdraw_application)(thread.resident, thread.application)
    event = await next_of(resident, "message")
    assert (event["message"]["event"], event["message"]["sender"]) == ("withdrawn", None)

    await resident.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": "待って"})
    assert (await resident.receive_json_from(timeout=2))["code"] == "closed"
    await resident.disconnect()

    again, hello = await join(thread.resident, thread.conversation)
    assert hello["can_post"] is False and hello["why_not"]
    await again.disconnect()


async def test_refusals_are_in_the_readers_language():
    thread = await db(application_thread)(language="en")
    english, _ = await join(thread.resident, thread.conversation)
    japanese, _ = await join(thread.member, thread.conversation)

    for socket in (english, japanese):
        await socket.send_json_to({"type": "send", "client_id": str(uuid.uuid4()), "body": ""})
    assert (await english.receive_json_from(timeout=2))["message"] == (
        "Write a message or attach a file."
    )
    assert (await japanese.receive_json_from(timeout=2))["message"] == (
        "メッセージを書くか、ファイルを添付してください。"
    )

    await db(board.withdraw_application)(thread.resident, thread.application)
    for socket in (english, japanese):
        await socket.disconnect()
    english, hello = await join(thread.resident, thread.conversation)
    assert hello["why_not"] == "This conversation is closed. You can still read it."
    await english.disconnect()
