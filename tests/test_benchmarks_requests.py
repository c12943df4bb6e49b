"""Smoke test of ``python -m benchmarks.requests_overhead --quick``: it runs and reports every case and state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_requests_overhead_benchmark_runs_and_reports_every_case() -> None:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.requests_overhead", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| case | no mock (µs) | mockapigw active (µs) | added by mockapigw |"), done.stdout
    for case in ("session.get", "requests.get", "get_adapter"):
        row = next(line for line in lines if line.startswith(f"| {case} "))
        assert row.count("|") == 6 and " µs (" in row, row
