"""Shared pieces for benchmarks: a database of their own, timing, query counts, JSON output.

A benchmark module `bench/bench_<name>.py` defines `DESCRIPTION` and `run(args) -> dict`
returning `{"figure_name": figure(value, target), ...}`; `python -m bench` prints each
result as one JSON line with the target beside every figure.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(database: str | None = None) -> None:
    """Point Django at the benchmark database (its own SQLite file unless DATABASE_URL)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if "DATABASE_URL" not in os.environ:
        path = database or str(ROOT / "var" / "bench.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # Allows the test client's host and keeps e-mail in memory; DEBUG stays off.
    setup_test_environment()


def prepare_database(scale: int) -> None:
    """Migrate and seed to `scale`, once: the seed is idempotent and remembers its scale."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", scale=scale, verbosity=0, stdout=quiet)
    # Fresh planner statistics after the bulk load, as autovacuum would have by now.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def delete_redis_keys(url: str, prefix: str) -> None:
    """Remove what a run left in Redis under its own key prefix (best effort)."""
    import redis

    try:
        store = redis.Redis.from_url(url, socket_connect_timeout=2)
        keys = list(store.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            store.delete(*keys)
    except redis.exceptions.RedisError:
        pass


def figure(value, target: str, unit: str = "") -> dict:
    """A measured value with the target it is judged against, e.g. figure(12.3, '<= 60', 'ms')."""
    if isinstance(value, float):
        value = round(value, 2)
    met = _meets(value, target)
    return {"value": value, "unit": unit, "target": target, "met": met}


def _meets(value, target: str):
    if target in ("", "info"):
        return None
    operator, _, threshold = target.partition(" ")
    threshold = float(threshold)
    return {
        "<=": value <= threshold,
        "<": value < threshold,
        ">=": value >= threshold,
        ">": value > threshold,
        "==": value == threshold,
    }[operator]


def percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure_requests(client, path: str, *, repeat: int = 50, warmup: int = 3, **extra) -> dict:
    """Server time and queries for GET `path` through Django's test client (no network)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path, **extra)
        assert response.status_code == 200, (path, response.status_code)
    timings, queries = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path, **extra)
            timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        queries.append(len(captured.captured_queries))
    return {
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "queries": max(queries),
    }


def emit(name: str, description: str, figures: dict, context: dict) -> dict:
    result = {"name": name, "description": description, "context": context, "figures": figures}
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return result
