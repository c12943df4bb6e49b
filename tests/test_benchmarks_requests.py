"""Smoke test of ``python -m benchmarks.requests_overhead --quick``: it runs and reports every case and state."""

from __future__ import annotations

from helpers import run_module


def test_requests_overhead_benchmark_runs_and_reports_every_case() -> None:
    done = run_module("benchmarks.requests_overhead", "--quick")
    lines = done.stdout.splitlines()
    assert lines[0].startswith("| case | no mock (µs) | mockapigw active (µs) | added by mockapigw |"), done.stdout
    for case in ("session.get", "requests.get", "get_adapter"):
        row = next(line for line in lines if line.startswith(f"| {case} "))
        assert row.count("|") == 6 and " µs (" in row, row
