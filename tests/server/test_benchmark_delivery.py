"""Smoke test of ``python -m benchmarks.server_delivery``: posts to real sockets, timed in the server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_delivery_benchmark_delivers_every_round() -> None:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.server_delivery", "--connections", "50", "--rounds", "2", "--size", "40000"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rounds = re.findall(r"^round (\d): 50 posts in \d+ ms wall .* server CPU \d+ ms", done.stdout, re.MULTILINE)
    assert rounds == ["1", "2"], done.stdout
