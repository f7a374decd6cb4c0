"""Pushing events to open sockets over the channel layer, and the sockets' database work.

Services call `group_send` (usually from `transaction.on_commit`). From plain synchronous
code — a view, a task — it sends at once. Socket consumers run their synchronous work
through `run_sync`, on a pool of database threads of their own; the sends that work makes
are gathered and then awaited on the consumer's event loop, in order.

Why not channels' `database_sync_to_async`: it puts every call of the process on one
thread, and a broadcast sent from that thread waits for the event loop, which is busy
with every other socket. Under load each message then queues behind every other
message's commit and broadcast. With PostgreSQL a second thread runs while the first waits
for the server; more than two lose more to the GIL than they gain (measured with
`python -m bench messaging`). SQLite takes one writer at a time, so it gets one.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from weakref import WeakKeyDictionary

from asgiref.sync import async_to_sync
from channels.db import DatabaseSyncToAsync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection, transaction

_outbox: ContextVar[list | None] = ContextVar("realtime_outbox", default=None)

# Sends in flight at once from one event loop. Every send holds a Redis connection while
# it runs; a burst from hundreds of sockets waits here rather than opening hundreds.
CONCURRENT_SENDS = 32
_send_gates: WeakKeyDictionary = WeakKeyDictionary()
_executor: ThreadPoolExecutor | None = None


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


def group_send(group: str, event: dict) -> None:
    """Send `event` to `group`: now, or when the consumer that ran this work gets to it."""
    outbox = _outbox.get()
    if outbox is not None:
        outbox.append((group, event))
        return
    async_to_sync(get_channel_layer().group_send)(group, event)


def send_user_event(user_id: int, event: dict) -> None:
    """Tell every open socket of `user_id` about `event`."""
    group_send(user_group(user_id), {"type": "user.event", "event": event})


def send_user_event_on_commit(user_id: int, event: dict) -> None:
    """Tell every socket of `user_id` about `event`, once the change behind it is committed."""
    transaction.on_commit(lambda: send_user_event(user_id, event))


def database_threads() -> int:
    if settings.SOCKET_DATABASE_THREADS:
        return settings.SOCKET_DATABASE_THREADS
    return 1 if connection.vendor == "sqlite" else 2


def _database_executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(database_threads(), thread_name_prefix="socket-db")
    return _executor


@contextmanager
def _collecting():
    outbox: list = []
    token = _outbox.set(outbox)
    try:
        yield outbox
    finally:
        _outbox.reset(token)


async def run_sync(function, *args, **kwargs):
    """`function(*args, **kwargs)` on a socket database thread; then, from the calling
    event loop, the sends it made, in the order it made them (also when it raised after
    committing something). Returns its result or raises its exception."""

    def call():
        with _collecting() as outbox:
            try:
                return function(*args, **kwargs), None, outbox
            except Exception as error:  # re-raised below, after the sends
                return None, error, outbox

    # DatabaseSyncToAsync: stale connections are closed around the call, as in a request.
    run = DatabaseSyncToAsync(call, thread_sensitive=False, executor=_database_executor())
    result, error, outbox = await run()
    if outbox:
        loop = asyncio.get_running_loop()
        gate = _send_gates.get(loop) or _send_gates.setdefault(
            loop, asyncio.Semaphore(CONCURRENT_SENDS)
        )
        layer = get_channel_layer()
        async with gate:
            for group, event in outbox:
                await layer.group_send(group, event)
    if error is not None:
        raise error
    return result
