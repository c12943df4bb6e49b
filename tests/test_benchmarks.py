"""Smoke test of the benchmark harness: ``python -m benchmarks --quick`` runs and reports every subject and case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_benchmark_runs_and_reports_every_subject() -> None:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(all(f"{subject} (µs)" in line for subject in ("floor", "moto", "mockapigw")) for line in lines)
    # Every per-call case is measured for mockapigw (a number, not "n/a") now that it implements them all.
    for case in ("get_api", "create_route", "post_to_connection"):
        row = next(line for line in lines if line.startswith(f"| {case} "))
        assert "n/a" not in row, row
    # The scaling tables, at the small sizes --quick announces, and the round trip.
    assert any("N = 100 and 1,000 (a full run uses 1,000 and 10,000)" in line for line in lines), done.stdout
    for title in ("Paginating routes", "Broadcast", "WebSocket round trip"):
        assert any(title in line for line in lines), done.stdout
    for subject in ("moto", "mockapigw"):
        assert sum(line.startswith(f"| {subject} ") for line in lines) == 4, done.stdout  # 2 sizes x 2 cases
    assert any(line.startswith(("PASS", "MISS")) for line in lines), done.stdout
