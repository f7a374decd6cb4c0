"""Sends made on the database thread go out from the consumer's loop, in order, after
the work is done — also when the work committed something and then failed."""

import asyncio
import time

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from core.realtime import group_send, run_sync, send_user_event, user_group

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


async def listening(group: str) -> str:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def received(channel: str) -> list[dict]:
    """Everything waiting on `channel` now."""
    layer = get_channel_layer()
    events = []
    while True:
        try:
            events.append(await asyncio.wait_for(layer.receive(channel), 0.2))
        except TimeoutError:
            return events


async def test_sends_made_in_the_work_go_out_after_it_in_order():
    channel = await listening("chat.1")
    layer = get_channel_layer()
    arrivals = []

    async def collect():
        while True:
            event = await layer.receive(channel)
            arrivals.append((time.monotonic(), event["n"]))

    collector = asyncio.create_task(collect())
    finished = []

    def work():
        with transaction.atomic():
            transaction.on_commit(lambda: group_send("chat.1", {"type": "n", "n": 1}))
        group_send("chat.1", {"type": "n", "n": 2})
        # The loop is free meanwhile: a send made now would arrive while this sleeps.
        time.sleep(0.3)
        finished.append(time.monotonic())
        return "done"

    assert await run_sync(work) == "done"
    await asyncio.sleep(0.3)
    collector.cancel()

    assert [n for _, n in arrivals] == [1, 2]
    assert all(at > finished[0] for at, _ in arrivals)


async def test_what_was_committed_is_announced_even_if_the_work_then_fails():
    channel = await listening(user_group(7))

    def work():
        send_user_event(7, {"type": "unread", "total": 1})
        raise ValueError("after the commit")

    with pytest.raises(ValueError, match="after the commit"):
        await run_sync(work)

    assert [event["event"] for event in await received(channel)] == [{"type": "unread", "total": 1}]


async def test_plain_synchronous_code_sends_at_once():
    from asgiref.sync import sync_to_async

    channel = await listening("chat.2")

    await sync_to_async(group_send, thread_sensitive=False)("chat.2", {"type": "n", "n": 3})

    assert [event["n"] for event in await received(channel)] == [3]
