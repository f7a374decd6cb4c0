"""Real-time messages: 500 WebSocket clients in 250 conversations on one Daphne process.

The bench database gets 500 users of its own, paired into 250 conversations (one resident
and one organization member each, about a pending application) with a signed-in session
each. One `daphne config.asgi:application` process serves them on loopback, on the bench
database and the Redis channel layer (REDIS_URL, or redis://127.0.0.1:6379/13, under a
channel prefix of its own). All clients connect and stay connected; then every client
sends its messages at random intervals of 5–15 s: 500 people each writing about every
10 s, about 50 messages a second offered in all (40/s averaged over the run, with its
ramp-up and tail). That is the stated load: a peak far above what the wards' board
expects, where everyone in 250 conversations answers as fast as they can type. One
process saturates at roughly 100 messages a second (p95 climbs past 200 ms at ~85/s);
more load means more server processes, which the Redis layer joins up
(tests/messaging/test_multiprocess.py).

Figures: what was sent, acknowledged and delivered (the other participant received the
"message" event), lost (acknowledged but not delivered within GRACE seconds after the last
send), duplicates and out-of-order events, and the delivery latency from just before the
sender's socket send to the other client's receipt. Messages per client: --repeat / 5
(10 with the default --repeat 50; `--repeat 5` for a quick run).
"""

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import timedelta

from .harness import ROOT, delete_redis_keys, figure, percentile

DESCRIPTION = (
    "Chat over real sockets: 500 clients in 250 conversations, each sending every 5-15 s, on "
    "one Daphne process with the Redis channel layer; delivered, lost, duplicate and "
    "out-of-order messages and delivery latency"
)
CLIENTS = 500  # two per conversation
INTERVAL = (5.0, 15.0)  # seconds between one client's messages: the stated load
GRACE = 10.0  # seconds after the last send for deliveries to arrive
CONNECT_CONCURRENCY = 50
TARGET_P95 = "<= 100"
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"
ORIGIN = "http://localhost"  # an allowed host: the socket checks the Origin header
EMAIL = "chat-bench-{:04d}@bench.example.jp"
BODY = "こんにちは、よろしくお願いします。来週の打ち合わせの件です（{n}通目）"


def run(args) -> dict:
    import redis

    clients = CLIENTS
    per_client = max(1, args.repeat // 5)
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
        raise SystemExit(f"bench messaging: no Redis server at {REDIS_URL} ({error})") from error

    peers, session_keys, conversation_ids = _seed(clients)
    prefix = f"bench-msg-{os.getpid()}-{time.monotonic_ns()}"
    try:
        with _server(prefix) as port:
            load = asyncio.run(_load(port, peers, per_client))
        stored = _stored(conversation_ids)
    finally:
        _cleanup(session_keys, prefix)

    sent, acked = load["sent"], load["acked"]
    latencies = load["latencies"]
    return {
        "clients": figure(clients, "info"),
        "messages_per_client": figure(per_client, "info"),
        "clients_connected": figure(load["connected"], f">= {clients}"),
        "connect_p95_ms": figure(percentile(load["connect_ms"], 95), "info", "ms"),
        "messages_sent": figure(sent, f">= {clients * per_client}"),
        "messages_acked": figure(acked, f">= {sent}"),
        "errors": figure(dict(load["errors"]), "info"),
        "sockets_dropped_by_server": figure(load["dropped"], "== 0"),
        "messages_stored": figure(stored, "info"),
        "messages_delivered": figure(len(latencies), f">= {acked}"),
        "messages_lost": figure(load["lost"], "== 0"),
        "duplicates": figure(load["duplicates"], "== 0"),
        "out_of_order": figure(load["out_of_order"], "== 0"),
        "delivery_p50_ms": figure(percentile(latencies, 50), "info", "ms"),
        "delivery_p95_ms": figure(percentile(latencies, 95), TARGET_P95, "ms"),
        "delivery_max_ms": figure(max(latencies, default=float("nan")), "info", "ms"),
        "ack_p95_ms": figure(percentile(load["ack_ms"], 95), "info", "ms"),
        "send_rate_per_s": figure(load["rate"], "info", "msg/s"),
    }


# --- Data -------------------------------------------------------------------------------


def _seed(clients: int):
    """Users, pending applications, their conversations and sessions, in bulk; reused (with
    their messages cleared) when a previous run made them. Returns the clients as
    (user id, conversation id, session key), the session keys and the conversation ids."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from accounts.models import User
    from marketplace.models import Application, Membership, Task, TaskStatus
    from messaging.models import Conversation, Message, Participant

    pairs = clients // 2
    emails = [EMAIL.format(n) for n in range(pairs * 2)]
    password = make_password(None)
    with transaction.atomic():
        known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        User.objects.bulk_create(
            User(email=email, display_name=f"チャット {n}", password=password)
            for n, email in enumerate(emails)
            if email not in known
        )
        users = {user.email: user for user in User.objects.filter(email__in=emails)}
        residents = [users[email] for email in emails[0::2]]
        members = [users[email] for email in emails[1::2]]

        tasks = list(Task.objects.filter(status=TaskStatus.OPEN).order_by("pk")[:pairs])
        if not tasks:
            raise SystemExit("bench messaging: seed_demo left no open task to apply to")
        task_of = [tasks[n % len(tasks)] for n in range(pairs)]
        Membership.objects.bulk_create(
            [
                Membership(organization_id=task.organization_id, user=member)
                for task, member in zip(task_of, members, strict=True)
            ],
            ignore_conflicts=True,
        )
        applications = {
            a.resident_id: a
            for a in Application.objects.filter(resident__in=residents, status="pending")
        }
        far = timezone.now() + timedelta(days=365)
        Application.objects.bulk_create(
            Application(
                task=task,
                resident=resident,
                message="チャットの負荷試験です。",
                created_by=resident,
                respond_by=far,
            )
            for task, resident in zip(task_of, residents, strict=True)
            if resident.pk not in applications
        )
        applications = {
            a.resident_id: a
            for a in Application.objects.filter(
                resident__in=residents, status="pending"
            ).select_related("task")
        }
        subject_type = ContentType.objects.get_for_model(Application)
        ids = [applications[resident.pk].pk for resident in residents]
        have = set(
            Conversation.objects.filter(subject_type=subject_type, subject_id__in=ids).values_list(
                "subject_id", flat=True
            )
        )
        Conversation.objects.bulk_create(
            Conversation(
                subject_type=subject_type,
                subject_id=applications[resident.pk].pk,
                title=applications[resident.pk].task.title[:200],
            )
            for resident in residents
            if applications[resident.pk].pk not in have
        )
        conversation_of = dict(
            Conversation.objects.filter(subject_type=subject_type, subject_id__in=ids).values_list(
                "subject_id", "pk"
            )
        )
        conversation_ids = [conversation_of[applications[r.pk].pk] for r in residents]
        Participant.objects.bulk_create(
            [
                Participant(conversation_id=conversation_id, user=user)
                for conversation_id, resident, member in zip(
                    conversation_ids, residents, members, strict=True
                )
                for user in (resident, member)
            ],
            ignore_conflicts=True,
        )
        # Every run starts from empty conversations.
        Message.objects.filter(conversation_id__in=conversation_ids).delete()
        Conversation.objects.filter(pk__in=conversation_ids).update(
            last_seq=0, last_message_at=None
        )
        Participant.objects.filter(conversation_id__in=conversation_ids).update(
            last_read_seq=0, notified_seq=0, notified_at=None
        )

        # Signed-in sessions, as django.contrib.auth.login leaves them.
        store = SessionStore()
        expire = timezone.now() + timedelta(days=1)
        sessions = []
        peers = []
        for conversation_id, pair in zip(
            conversation_ids, zip(residents, members, strict=True), strict=True
        ):
            for user in pair:
                key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
                data = {
                    "_auth_user_id": str(user.pk),
                    "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                    "_auth_user_hash": user.get_session_auth_hash(),
                }
                sessions.append(
                    Session(session_key=key, session_data=store.encode(data), expire_date=expire)
                )
                peers.append((user.pk, conversation_id, key))
        Session.objects.bulk_create(sessions)
    connection.close()  # the server process has the database to itself during the run
    return peers, [session.session_key for session in sessions], conversation_ids


def _stored(conversation_ids) -> int:
    from messaging.models import Message

    return Message.objects.filter(conversation_id__in=conversation_ids).count()


def _cleanup(session_keys, prefix: str) -> None:
    from django.contrib.sessions.models import Session

    Session.objects.filter(session_key__in=session_keys).delete()
    delete_redis_keys(REDIS_URL, prefix)


# --- The server -------------------------------------------------------------------------


class _server:
    """One Daphne process on a free loopback port; its port while in the `with`."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __enter__(self) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_TESTING",)} | {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": os.environ["DATABASE_URL"],  # the bench database (harness)
            "REDIS_URL": REDIS_URL,
            "CHANNEL_LAYER_PREFIX": self.prefix,
            "CACHE_KEY_PREFIX": self.prefix,
            # The per-sender limit (30 a minute by default) would refuse most of what each
            # client sends here; the bench measures delivery, not the limit.
            "MESSAGING_SEND_LIMIT": "1000000",
        }
        self.log = tempfile.TemporaryFile("w+")
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(self.port)),
                "config.asgi:application",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"bench messaging: daphne exited:\n{self._log()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return self.port
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(f"bench messaging: daphne did not listen:\n{self._log()}")
            time.sleep(0.1)

    def _log(self) -> str:
        self.log.seek(0)
        return self.log.read()[-5000:]

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        errors = self._log()
        if errors.strip():
            print(f"bench messaging: daphne's log:\n{errors}", file=sys.stderr, flush=True)
        self.log.close()


# --- The clients ------------------------------------------------------------------------


class _Run:
    """What all clients saw, in one place (one event loop, so no locks)."""

    def __init__(self):
        self.sent_at: dict[str, float] = {}  # client_id → just before the send
        self.acked_at: dict[str, float] = {}
        self.delivered_at: dict[str, float] = {}  # by the other participant
        self.errors: Counter = Counter()
        self.dropped = 0  # sockets the server closed while the bench used them
        self.duplicates = 0
        self.out_of_order = 0


class _Client:
    def __init__(self, run: _Run, user_id: int, conversation_id: int, session: str, port: int):
        self.run, self.user_id, self.conversation_id = run, user_id, conversation_id
        self.url = f"ws://127.0.0.1:{port}/ws/conversations/{conversation_id}/"
        self.session = session
        self.seen: set[int] = set()
        self.highest = 0
        self.hello = asyncio.Event()
        self.connect_ms: float | None = None
        self.closing = False

    async def connect(self, gate: asyncio.Semaphore) -> None:
        from websockets.asyncio.client import connect

        async with gate:
            start = time.perf_counter()
            self.ws = await connect(
                self.url,
                origin=ORIGIN,
                additional_headers={"Cookie": f"sessionid={self.session}"},
                proxy=None,
                open_timeout=60,
                ping_interval=None,
            )
            self.reader = asyncio.create_task(self.read())
            await asyncio.wait_for(self.hello.wait(), 60)
            self.connect_ms = (time.perf_counter() - start) * 1000

    async def read(self) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self._read()
        except ConnectionClosed:
            pass
        if not self.closing:
            self.run.dropped += 1

    async def _read(self) -> None:
        run = self.run
        async for raw in self.ws:
            now = time.perf_counter()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "message":
                message = frame["message"]
                seq = message["seq"]
                if seq in self.seen:
                    run.duplicates += 1
                    continue
                self.seen.add(seq)
                if seq < self.highest:
                    run.out_of_order += 1
                self.highest = max(self.highest, seq)
                client_id = message.get("client_id")
                sender = (message.get("sender") or {}).get("id")
                if sender != self.user_id and client_id in run.sent_at:
                    run.delivered_at[client_id] = now
            elif kind == "ack":
                run.acked_at.setdefault(frame["client_id"], now)
            elif kind == "error":
                run.errors[frame.get("code") or "error"] += 1
            elif kind == "hello":
                self.hello.set()

    async def send_all(self, count: int, rng: random.Random) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            await self._send_all(count, rng)
        except ConnectionClosed:
            pass  # counted by read()

    async def _send_all(self, count: int, rng: random.Random) -> None:
        await asyncio.sleep(rng.uniform(0, INTERVAL[1]))
        for n in range(1, count + 1):
            client_id = str(uuid.uuid4())
            data = json.dumps(
                {"type": "send", "client_id": client_id, "body": BODY.format(n=n)},
                ensure_ascii=False,
            )
            self.run.sent_at[client_id] = time.perf_counter()
            await self.ws.send(data)
            if n < count:
                await asyncio.sleep(rng.uniform(*INTERVAL))


async def _load(port: int, peers, per_client: int) -> dict:
    run = _Run()
    clients = [_Client(run, user_id, conv, key, port) for user_id, conv, key in peers]
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    results = await asyncio.gather(
        *(client.connect(gate) for client in clients), return_exceptions=True
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    if failures:
        print(
            f"bench messaging: {len(failures)} clients could not connect: {failures[0]!r}",
            file=sys.stderr,
            flush=True,
        )
    connected = [c for c, r in zip(clients, results, strict=True) if r is None]

    rng = random.Random(2026)
    start = time.perf_counter()
    await asyncio.gather(*(client.send_all(per_client, rng) for client in connected))
    last_send = time.perf_counter()
    # Wait for every acknowledged message to reach the other participant, GRACE at most.
    while time.perf_counter() - last_send < GRACE:
        if len(run.acked_at) >= len(run.sent_at) and set(run.acked_at) <= set(run.delivered_at):
            break
        await asyncio.sleep(0.1)
    for client in connected:
        client.closing = True
    await asyncio.gather(*(client.ws.close() for client in connected), return_exceptions=True)
    await asyncio.gather(*(client.reader for client in connected), return_exceptions=True)

    latencies = [
        (run.delivered_at[cid] - sent) * 1000
        for cid, sent in run.sent_at.items()
        if cid in run.delivered_at
    ]
    return {
        "connected": len(connected),
        "connect_ms": [c.connect_ms for c in connected],
        "sent": len(run.sent_at),
        "acked": len(run.acked_at),
        "errors": run.errors,
        "dropped": run.dropped,
        "lost": len(set(run.acked_at) - set(run.delivered_at)),
        "duplicates": run.duplicates,
        "out_of_order": run.out_of_order,
        "latencies": latencies,
        "ack_ms": [(run.acked_at[cid] - run.sent_at[cid]) * 1000 for cid in run.acked_at],
        "rate": len(run.sent_at) / max(last_send - start, 1e-9),
    }
