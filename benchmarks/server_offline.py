"""serverless-offline (npm ``serverless@3`` + ``serverless-offline``) serving the benchmark application in Node.

The application is ``server_offline/handler.js`` with ``server_offline/serverless.yml``; both are copied into a
work folder where ``npm install`` installs the pinned ``server_offline/package.json`` once (later runs reuse it).
``serverless offline start`` then serves WebSocket, @connections and HTTP on three free ports of 127.0.0.1, with
``useInProcess`` so every handler shares the connection set (as mockapigw's handlers share one process).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .server_clients import Target
from .server_subjects import Unavailable, drain, read_until, spawn, stop, tree_rss

SOURCE = Path(__file__).resolve().parent / "server_offline"
DEFAULT_WORK_DIR = Path(__file__).resolve().parent / "results" / "serverless-offline"
INSTALL_TIMEOUT_S = 600


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def install(work_dir: Path) -> Path:
    """Install serverless and serverless-offline into *work_dir* (once) with the application; the folder."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise Unavailable("node and npm are not installed (Node 20: `apt-get install nodejs npm`)")
    work_dir.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "handler.js", "serverless.yml"):
        shutil.copyfile(SOURCE / name, work_dir / name)
    if not (work_dir / "node_modules" / "serverless-offline").is_dir():
        done = subprocess.run(
            [npm, "install", "--no-audit", "--no-fund"],
            cwd=work_dir,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT_S,
        )
        if done.returncode != 0:
            raise Unavailable(f"`npm install` of serverless@3 and serverless-offline failed:\n{done.stderr[-2000:]}")
    return work_dir


@contextmanager
def serverless_offline(work_dir: Path = DEFAULT_WORK_DIR) -> Iterator[Target]:
    """``serverless offline start`` serving the Node application; its URLs."""
    folder = install(work_dir)
    ports = {"OFFLINE_HTTP_PORT": _free_port(), "OFFLINE_WS_PORT": _free_port(), "OFFLINE_LAMBDA_PORT": _free_port()}
    env = {
        **os.environ,
        **{name: str(port) for name, port in ports.items()},
        # No account, no network: dummy credentials for aws-sdk, and the framework's telemetry and notices off.
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": "us-east-1",
        "SLS_TELEMETRY_DISABLED": "1",
        "SLS_NOTIFICATIONS_MODE": "off",
        "SLS_DEPRECATION_DISABLE": "*",
        "AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE": "1",
    }
    process = spawn([str(folder / "node_modules" / ".bin" / "serverless"), "offline", "start"], cwd=folder, env=env)
    lines: list[str] = []
    try:
        try:
            read_until(process, re.compile(r"Server ready"), lines)
        except RuntimeError as failed:
            raise Unavailable(f"`serverless offline start` did not start:\n{failed}") from failed
        drain(process)
        yield Target(
            f"ws://127.0.0.1:{ports['OFFLINE_WS_PORT']}",
            f"http://127.0.0.1:{ports['OFFLINE_HTTP_PORT']}/ping",
            lambda: tree_rss(process.pid),
        )
    finally:
        stop(process)
