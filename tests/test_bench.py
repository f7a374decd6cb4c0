"""The benchmark harness runs end to end and reports each figure beside its target."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_bench_prints_figures_with_targets_as_json(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_TESTING")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'bench.sqlite3'}"
    result = subprocess.run(
        [sys.executable, "-m", "bench", "home_page", "--repeat", "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert lines, result.stderr
    report = json.loads(lines[-1])
    assert report["name"] == "home_page"
    p95 = report["figures"]["ja_p95_ms"]
    assert p95["target"] == "<= 60" and p95["unit"] == "ms"
    assert p95["value"] > 0
    assert report["figures"]["ja_queries"]["value"] >= 1
