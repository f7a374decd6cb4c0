"""Bad frames get an error frame; the connection stays and nothing is lost."""

import logging

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from config.asgi import application
from tests.messaging.factories import application_thread
from tests.messaging.test_consumers import join, next_of, open_socket

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]

MALFORMED_TEXT = [
    "",
    "not json",
    "{",
    "1e999",
    '{"type": "send", "body": 1e999}',
    "NaN",
    '{"type": "read", "seq": Infinity}',
    "[" * 5000 + "]" * 5000,  # deeper than the parser goes
    "[1, 2, 3]",
    '"a string"',
    "null",
    '{"type": "nonsense"}',
    '{"type": "sync", "after": "many"}',
    '{"type": "send", "client_id": "not-a-uuid", "body": "x"}',
    '{"type": "send", "client_id": {"a": 1}, "body": "x"}',
    '{"type": "x", "padding": "' + "x" * 70_000 + '"}',
]
MALFORMED_BYTES = [b"\x00\x01", b'{"type": "ping"}', b""]


async def test_two_hundred_malformed_frames_each_get_an_error_and_the_socket_still_works(caplog):
    # given a participant's conversation socket
    thread = await database_sync_to_async(application_thread)()
    socket, _hello = await join(thread.member, thread.conversation)
    caplog.set_level(logging.INFO)

    # when 200 malformed frames arrive
    frames = [("text", t) for t in MALFORMED_TEXT] + [("bytes", b) for b in MALFORMED_BYTES]
    for n in range(200):
        kind, frame = frames[n % len(frames)]
        # send_input: the test client refuses empty frames, a browser can send them
        await socket.send_input({"type": "websocket.receive", kind: frame})
        reply = await socket.receive_json_from(timeout=5)

        # then each gets an error reply (sync with a bad "after" syncs from the start)
        assert reply["type"] in ("error", "messages"), (frame[:40], reply)

    # and the connection still carries a real message, stored once
    await socket.send_json_to({"type": "send", "client_id": None, "body": "まだ届きます"})
    ack = await next_of(socket, "ack")
    assert ack["seq"] == 2
    await socket.disconnect()
    assert "Traceback" not in caplog.text
    bad_lines = [r for r in caplog.records if r.name == "core.sockets"]
    assert 1 <= len(bad_lines) <= 2  # the first bad frame, and the count at the end


async def test_the_event_socket_answers_bad_frames_too():
    thread = await database_sync_to_async(application_thread)()
    socket = await open_socket(thread.resident, "/ws/events/")
    assert (await socket.connect())[0]
    await socket.receive_json_from()  # hello
    await socket.send_to(text_data="{oops")
    assert (await socket.receive_json_from())["code"] == "bad_json"
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.disconnect()


async def test_an_unknown_socket_path_is_refused_not_an_error():
    socket = WebsocketCommunicator(
        application, "/ws/nothing-here/", headers=[(b"origin", b"http://localhost")]
    )
    connected, code = await socket.connect()
    assert (connected, code) == (False, 4404)
