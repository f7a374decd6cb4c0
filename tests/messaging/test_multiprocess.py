"""Two ASGI server processes share the Redis channel layer: a message sent through one
reaches a client connected to the other.

Real Daphne processes, real sockets (websockets' client), the real Redis layer and the
test's own database (tests/servers.py), so what is checked is what two production web processes do.
"""

import asyncio
import json
import os
import time
import uuid
from contextlib import ExitStack

import pytest
from django.test import Client
from websockets.asyncio.client import connect

from bench.harness import delete_redis_keys
from marketplace import services as board
from messaging.models import Conversation
from messaging.services import conversation_for
from tests.marketplace import factories
from tests.servers import daphne, redis_answers

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.asyncio,
]

REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"
ORIGIN = "http://localhost"  # in ALLOWED_HOSTS' default, which DJANGO_TESTING keeps
WAIT = 5  # seconds for any one expected frame
IDLE = 6  # seconds both sockets wait before the first message


@pytest.fixture
def redis_server():
    if not redis_answers(REDIS):
        pytest.skip(f"no Redis server at {REDIS}: the multi-process test needs a channel layer")
    return REDIS


@pytest.fixture
def chat():
    """A resident's application: the resident and the organization's member talk about it."""
    org = factories.organization()
    member = org.memberships.get().user
    task = factories.task(org)
    resident = factories.resident(display_name="山田 花子")
    application = board.apply_to_task(resident, task, "応募します。SNS運用の経験があります。")
    conversation = conversation_for(application)
    sessions = {}
    for role, user in (("resident", resident), ("member", member)):
        browser = Client()
        browser.force_login(user)
        sessions[role] = browser.cookies["sessionid"].value
    return {
        "conversation": conversation,
        "resident": resident,
        "member": member,
        "sessions": sessions,
    }


@pytest.fixture
def servers(redis_server, chat):
    """Two daphne processes on one database and one Redis channel layer; their ports."""
    prefix = f"test-mp-{os.getpid()}-{time.monotonic_ns()}"
    env = {"REDIS_URL": redis_server, "CHANNEL_LAYER_PREFIX": prefix, "CACHE_KEY_PREFIX": prefix}
    try:
        with ExitStack() as stack:
            urls = [stack.enter_context(daphne(**env)) for _ in range(2)]
            yield [int(url.rsplit(":", 1)[1]) for url in urls]
    finally:
        delete_redis_keys(redis_server, prefix)


class Socket:
    """A connected client that remembers every frame it received."""

    def __init__(self, ws):
        self.ws = ws
        self.frames: list[dict] = []
        self._unread: list[dict] = []

    async def send(self, data: dict) -> None:
        await self.ws.send(json.dumps(data, ensure_ascii=False))

    async def _next(self, timeout: float) -> dict:
        frame = json.loads(await asyncio.wait_for(self.ws.recv(), timeout))
        self.frames.append(frame)
        return frame

    async def expect(self, kind: str, timeout: float = WAIT, **match) -> dict:
        """The first not yet taken frame of type `kind` whose fields include `match`."""

        def fits(frame):
            if frame.get("type") != kind:
                return False
            inner = frame.get("message", frame)
            return all(inner.get(key) == value for key, value in match.items())

        for frame in self._unread:
            if fits(frame):
                self._unread.remove(frame)
                return frame
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {kind} {match} within {timeout} s; got {self.frames}")
            try:
                frame = await self._next(remaining)
            except TimeoutError:
                continue
            if fits(frame):
                return frame
            self._unread.append(frame)

    async def drain(self, seconds: float) -> None:
        """Receive whatever comes for `seconds`."""
        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                self._unread.append(await self._next(remaining))
            except TimeoutError:
                return


def _open(port: int, conversation: Conversation, session: str):
    return connect(
        f"ws://127.0.0.1:{port}/ws/conversations/{conversation.pk}/",
        origin=ORIGIN,
        additional_headers={"Cookie": f"sessionid={session}"},
        proxy=None,
        open_timeout=10,
    )


async def test_message_through_one_process_reaches_a_client_of_the_other(servers, chat):
    port_a, port_b = servers
    conversation, sessions = chat["conversation"], chat["sessions"]
    resident, member = chat["resident"], chat["member"]
    assert port_a != port_b

    async with (
        _open(port_a, conversation, sessions["resident"]) as ws_a,
        _open(port_b, conversation, sessions["member"]) as ws_b,
    ):
        a, b = Socket(ws_a), Socket(ws_b)
        hello_a = await a.expect("hello")
        hello_b = await b.expect("hello")
        assert (hello_a["user"], hello_b["user"]) == (resident.pk, member.pk)
        assert hello_a["conversation"] == hello_b["conversation"] == conversation.pk
        assert hello_a["can_post"] and hello_b["can_post"]
        opening_seq = hello_a["last_seq"]  # the application's message is message 1
        assert opening_seq == 1

        # Sockets outlive an idle spell longer than the layer's blocking read (5 s), as a
        # reader's open page does; a Redis read timeout there would close them (1011).
        await asyncio.sleep(IDLE)

        # The resident writes through process A…
        client_id = str(uuid.uuid4())
        body = "こんにちは、よろしくお願いします"
        await a.send({"type": "send", "client_id": client_id, "body": body})
        ack = await a.expect("ack", client_id=client_id)
        assert ack["seq"] == opening_seq + 1

        # …and the member, on process B, gets it over the shared channel layer.
        delivered = await b.expect("message", seq=ack["seq"])
        assert delivered["message"]["body"] == body
        assert delivered["message"]["id"] == ack["id"]
        assert delivered["message"]["client_id"] == client_id
        assert delivered["message"]["sender"]["id"] == resident.pk

        # The member answers through B; the resident on A gets it.
        reply_id = str(uuid.uuid4())
        reply = "ご応募ありがとうございます。来週お話しできますか？"
        await b.send({"type": "send", "client_id": reply_id, "body": reply})
        reply_ack = await b.expect("ack", client_id=reply_id)
        assert reply_ack["seq"] == ack["seq"] + 1
        answered = await a.expect("message", seq=reply_ack["seq"])
        assert answered["message"]["body"] == reply
        assert answered["message"]["sender"]["id"] == member.pk

        # A resend of an acknowledged client_id stores nothing new and tells nobody.
        await a.send({"type": "send", "client_id": client_id, "body": body})
        again = await a.expect("ack", client_id=client_id)
        assert (again["seq"], again["id"]) == (ack["seq"], ack["id"])
        await b.drain(1.0)
        seen_by_b = [
            frame["message"]["seq"] for frame in b.frames if frame.get("type") == "message"
        ]
        assert seen_by_b.count(ack["seq"]) == 1, b.frames
        assert max(seen_by_b) == reply_ack["seq"], b.frames

        # A client catching up gets everything from the database, in order.
        await b.send({"type": "sync", "after": 0})
        synced = await b.expect("messages")
        assert [m["seq"] for m in synced["messages"]] == [1, ack["seq"], reply_ack["seq"]]
        assert [m["body"] for m in synced["messages"][1:]] == [body, reply]
        assert synced["more"] is False
