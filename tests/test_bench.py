"""The benchmark harness runs end to end and reports each figure beside its target."""

import fcntl
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import redis_answers

ROOT = Path(__file__).resolve().parents[1]
# bench_messaging's channel layer (the same default as the bench's).
BENCH_REDIS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/13"


def _bench_env(database: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_TESTING")}
    env["DATABASE_URL"] = f"sqlite:///{database}"
    return env


@pytest.fixture(scope="session")
def seeded_bench_database(tmp_path_factory) -> Path:
    """One migrated and seeded bench database for the run, made by whichever test worker
    gets here first (migrating and seeding is most of a bench's minute; each test then
    works on a copy of its own)."""
    shared = tmp_path_factory.getbasetemp().parent  # the same for every xdist worker
    database = shared / "bench-seeded.sqlite3"
    with open(shared / "bench-seeded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not database.exists():
            partial = shared / "bench-seeding.sqlite3"
            partial.unlink(missing_ok=True)
            subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "from bench.harness import prepare_database, setup_django; "
                    "setup_django(); prepare_database(1)",
                ],
                cwd=ROOT,
                env=_bench_env(partial),
                check=True,
                capture_output=True,
                timeout=300,
            )
            partial.rename(database)
    return database


def run_bench(tmp_path, seeded: Path, name: str, repeat: int) -> tuple[dict, str]:
    """`python -m bench NAME` on a database of its own: its JSON report and its stderr."""
    database = tmp_path / "bench.sqlite3"
    shutil.copyfile(seeded, database)
    env = _bench_env(database)
    result = subprocess.run(
        [sys.executable, "-m", "bench", name, "--repeat", str(repeat)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stderr[-5000:]
    return json.loads(lines[-1]), result.stderr[-5000:]


def test_bench_prints_figures_with_targets_as_json(tmp_path, seeded_bench_database):
    report, _ = run_bench(tmp_path, seeded_bench_database, "home_page", 3)
    assert report["name"] == "home_page"
    p95 = report["figures"]["ja_p95_ms"]
    assert p95["target"] == "<= 60" and p95["unit"] == "ms"
    assert p95["value"] > 0
    assert report["figures"]["ja_queries"]["value"] >= 1


def test_messaging_bench_runs_real_sockets_against_daphne(tmp_path, seeded_bench_database):
    if not redis_answers(BENCH_REDIS):
        pytest.skip(f"no Redis server at {BENCH_REDIS}: the messaging bench needs a channel layer")
    # --repeat 5: one message per client, 500 clients (the quick run).
    report, stderr = run_bench(tmp_path, seeded_bench_database, "messaging", 5)
    figures = report["figures"]
    assert figures["messages_per_client"]["value"] == 1
    assert figures["clients_connected"]["value"] == 500
    assert figures["messages_delivered"]["value"] > 0, stderr
    assert figures["delivery_p95_ms"]["target"] == "<= 100"
    assert figures["delivery_p95_ms"]["unit"] == "ms"
    for name in ("messages_lost", "duplicates", "out_of_order"):
        assert figures[name]["target"] == "== 0"
    assert figures["duplicates"]["value"] == 0


def test_payouts_bench_delivers_webhooks_through_the_stripe_standin(
    tmp_path, seeded_bench_database
):
    # --repeat 3: 7 winners, 4 timed state changes, 3 re-syncs; the 100 concurrent
    # deliveries of one event always.
    report, stderr = run_bench(tmp_path, seeded_bench_database, "payouts", 3)
    figures = report["figures"]
    assert figures["resync_p95_ms"]["target"] == "<= 50"
    assert figures["resync_p95_ms"]["unit"] == "ms"
    assert figures["state_change_deliveries"]["value"] == 4
    assert figures["concurrent_deliveries"]["value"] == 100
    assert figures["concurrent_ledger_changes"]["value"] == 1, stderr
    assert figures["concurrent_emails"]["value"] == 1, stderr
    assert figures["concurrent_exactly_once"]["met"] is True, stderr
