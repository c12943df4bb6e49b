"""Smoke test of ``python -m benchmarks.frontdoor --quick``: it runs and reports its three figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_front_door_benchmark_reports_deploy_cost_unrelated_requests_and_resolutions() -> None:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.frontdoor", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "create_route with an AutoDeploy stage:" in out and " at 10 routes, " in out and " at 290" in out
    assert "an active mock adds" in out
    # Exactly one resolution per request, for every entry point (a count, not a timing).
    counts = [line for line in out.splitlines() if line.startswith("resolutions per request")]
    assert len(counts) == 5 and all(line.endswith(": 1") for line in counts), out
    assert any(line.startswith("Verdict: ") for line in out.splitlines()), out
