"""Smoke test of the benchmark harness: ``python -m benchmarks --quick`` runs and reports all three subjects."""

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
    assert any(line.startswith(("PASS", "MISS")) for line in lines), done.stdout
