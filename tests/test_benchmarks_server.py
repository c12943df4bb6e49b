"""Smoke test of the server benchmarks: ``python -m benchmarks.server_run --quick`` measures mockapigw's server."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_module


def test_quick_server_benchmark_measures_every_figure(tmp_path: Path) -> None:
    figures = tmp_path / "server.json"
    # serverless-offline needs an npm install of its own (about a minute): the full run does it, not the suite.
    done = run_module("benchmarks.server_run", "--quick", "--no-offline", "--json", str(figures))
    results = json.loads(figures.read_text(encoding="utf-8"))
    mock = results["mockapigw"]
    assert mock["held_connections"] == results["sizes"]["held"]
    for key in ("connect_p50_ms", "round_trip_p50_ms", "round_trip_p99_ms", "messages_per_s", "broadcast_s"):
        assert mock[key] > 0, (key, mock)
    assert results["control_plane"] > 0
    assert results["broadcast_floor_s"] > 0
    # moto's server is measured when moto[server] is installed, and otherwise says how to get it.
    assert isinstance(results["moto"], float) or "moto[server]" in results["moto"], results["moto"]
    assert results["serverless-offline"] == "skipped (--no-offline)"
    assert "| WebSocket connect, p50 (ms) |" in done.stdout
    assert "botocore's own part of the broadcast's 21 calls (canned answers, no mock)" in done.stdout
