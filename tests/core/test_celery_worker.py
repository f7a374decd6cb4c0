"""A real Celery worker process takes a task from a real Redis broker and sends the mail."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from config.celery import app
from core.tasks import send_email

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/14"


def _redis_available() -> bool:
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


@pytest.fixture
def worker(tmp_path):
    if not _redis_available():
        pytest.skip(f"no Redis server at {BROKER}: the real-worker test needs a broker")
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        **os.environ,
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
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
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = dict(app.conf)
    app.conf.update(
        broker_url=BROKER,
        result_backend=BROKER,
        task_always_eager=False,
        task_default_queue=queue,
    )
    yield tmp_path, queue
    app.conf.update(
        {
            k: previous[k]
            for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
        }
    )
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_sends_queued_email(worker):
    outbox, queue = worker

    result = send_email.apply_async(
        kwargs={"subject": "応募がありました", "body": "本文", "to": ["org@example.jp"]},
        queue=queue,
    )

    assert result.get(timeout=60) == 1
    sent = "".join(path.read_text() for path in outbox.iterdir())
    assert "org@example.jp" in sent
