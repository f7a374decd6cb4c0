"""A real Celery worker process takes a task from a real Redis broker and sends the mail."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery

from tests.servers import redis_answers

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


@pytest.fixture
def worker(tmp_path):
    if not redis_answers(BROKER):
        pytest.skip(f"no Redis server at {BROKER}: the real-worker test needs a broker")
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)} | {
        "CELERY_BROKER_URL": BROKER,
        # django-environ drops one leading slash of the path.
        "EMAIL_URL": f"filemail:///{tmp_path}",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield tmp_path, queue
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_sends_queued_email(worker):
    outbox, queue = worker
    # A bare client on the broker: the test process publishes exactly as a web process
    # with CELERY_BROKER_URL set would, whatever this process's eager setting is.
    # Not the current app: shared tasks of later tests must stay on the project's app.
    client = Celery("test-client", broker=BROKER, set_as_current=False)

    client.send_task(
        "core.tasks.send_email",
        kwargs={"subject": "応募がありました", "body": "本文", "to": ["org@example.jp"]},
        queue=queue,
    )

    deadline = time.monotonic() + 60
    sent = ""
    while time.monotonic() < deadline and "org@example.jp" not in sent:
        time.sleep(0.2)
        sent = "".join(path.read_text() for path in outbox.iterdir())
    assert "org@example.jp" in sent
    client.close()
