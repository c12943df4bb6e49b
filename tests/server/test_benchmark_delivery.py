"""Smoke test of ``python -m benchmarks.server_delivery``: posts to real sockets, timed in the server."""

from __future__ import annotations

import re

from helpers import run_module


def test_delivery_benchmark_delivers_every_round() -> None:
    done = run_module("benchmarks.server_delivery", "--connections", "50", "--rounds", "2", "--size", "40000")
    rounds = re.findall(r"^round (\d): 50 posts in \d+ ms wall .* server CPU \d+ ms", done.stdout, re.MULTILINE)
    assert rounds == ["1", "2"], done.stdout
