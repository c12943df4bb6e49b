"""Run the AWS SDKs for JavaScript (tests/node) against a running server, and say how to get them when missing."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
NODE_DIR = ROOT / "tests" / "node"
SERVER_DOCS = ROOT / "docs" / "server-mode.md"
# Node SDKs find credentials and the region in the environment, as a Node backend on AWS does; none are checked.
NODE_ENV = {
    # Scripts outside tests/node (the docs' snippets, written to a temporary folder) find the SDKs here.
    "NODE_PATH": str(NODE_DIR / "node_modules"),
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_REGION": "us-east-1",
    # aws-sdk v2's end-of-support notice and v3's Node-version notice go to stderr on every run.
    "NODE_NO_WARNINGS": "1",
    "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
}
TIMEOUT = 60


def missing(reason: str) -> None:
    """Skip locally with *reason*; fail in CI, where .ci/run installs every tool."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def node() -> str:
    """The ``node`` executable, with the SDKs of tests/node installed beside it (or skip saying how to get them)."""
    path = shutil.which("node")
    if path is None:
        missing(
            "Node.js is not installed: install Node 20 (e.g. `apt-get install nodejs npm`), then `npm ci` in tests/node"
        )
    if not (NODE_DIR / "node_modules" / "aws-sdk").is_dir():
        missing("the JavaScript SDKs are not installed: run `npm ci` in tests/node")
    return str(path)


def run_script(script: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> str:
    """Run *script* with node from tests/node (so ``require`` finds the SDKs), *env* added; its stdout."""
    done = subprocess.run(
        [node(), str(script), *args],
        cwd=NODE_DIR,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **NODE_ENV, **(env or {})},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def calls(
    sdk: str, endpoint: str, *requests: tuple[str, dict[str, Any]], resolve_to: str | None = None
) -> list[dict[str, Any]]:
    """Make *requests* (operation, params) with one SDK client (see tests/node/call.js); one result each.

    With *resolve_to*, the client's HTTP agent resolves hosts under .localhost and .amazonaws.com to that address
    (tests/node/agent.js), so *endpoint* may be the server's host form.
    """
    payload = json.dumps([{"op": op, "params": params} for op, params in requests])
    env = {"RESOLVE_TO": resolve_to} if resolve_to else None
    results: list[dict[str, Any]] = json.loads(run_script(NODE_DIR / "call.js", sdk, endpoint, stdin=payload, env=env))
    return results


def docs_block(first_line: str, language: str) -> str:
    """The ```*language* block of docs/server-mode.md whose first line is *first_line*."""
    pattern = re.compile(rf"^```{language}\n({re.escape(first_line)}\n.*?)^```$", re.MULTILINE | re.DOTALL)
    found = pattern.search(SERVER_DOCS.read_text(encoding="utf-8"))
    assert found is not None, f"docs/server-mode.md has no ```{language} block starting {first_line!r}"
    return found.group(1)
