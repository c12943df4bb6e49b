"""Smoke test of ``python -m benchmarks.frontdoor --quick``: it runs and reports its three figures."""

from __future__ import annotations

from helpers import run_module


def test_quick_front_door_benchmark_reports_deploy_cost_unrelated_requests_and_resolutions() -> None:
    done = run_module("benchmarks.frontdoor", "--quick")
    out = done.stdout
    assert "create_route with an AutoDeploy stage:" in out and " at 10 routes, " in out and " at 290" in out
    assert "an active mock adds" in out
    # Exactly one resolution per request, for every entry point (a count, not a timing).
    counts = [line for line in out.splitlines() if line.startswith("resolutions per request")]
    assert len(counts) == 5 and all(line.endswith(": 1") for line in counts), out
    assert any(line.startswith("Verdict: ") for line in out.splitlines()), out
