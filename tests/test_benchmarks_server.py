"""Smoke test of the server benchmarks: ``python -m benchmarks.server_run --quick`` measures mockapigw's server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_quick_server_benchmark_measures_every_figure(tmp_path: Path) -> None:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    figures = tmp_path / "server.json"
    done = subprocess.run(
        # serverless-offline needs an npm install of its own (about a minute): the full run does it, not the suite.
        [sys.executable, "-m", "benchmarks.server_run", "--quick", "--no-offline", "--json", str(figures)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads(figures.read_text(encoding="utf-8"))
    mock = results["mockapigw"]
    assert mock["held_connections"] == results["sizes"]["held"]
    for key in ("connect_p50_ms", "round_trip_p50_ms", "round_trip_p99_ms", "messages_per_s", "broadcast_s"):
        assert mock[key] > 0, (key, mock)
    assert results["control_plane"] > 0
    # moto's server is measured when moto[server] is installed, and otherwise says how to get it.
    assert isinstance(results["moto"], float) or "moto[server]" in results["moto"], results["moto"]
    assert results["serverless-offline"] == "skipped (--no-offline)"
    assert "| WebSocket connect, p50 (ms) |" in done.stdout
