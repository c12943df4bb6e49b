"""Smoke test of the benchmark harness: ``python -m benchmarks --quick`` runs and reports every subject and case."""

from __future__ import annotations

from helpers import run_module


def test_quick_benchmark_runs_and_reports_every_subject() -> None:
    done = run_module("benchmarks", "--quick")
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
