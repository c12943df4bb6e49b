"""The servers the server benchmarks compare, each started in its own process on 127.0.0.1 and stopped after.

* mockapigw: ``python -m mockapigw serve --port 0 --app benchmarks.server_app:setup`` (the CLI users run);
* moto: ``ThreadedMotoServer`` (moto's own server, for the control-plane call only: it has no WebSocket APIs);
* serverless-offline: see ``server_offline.py``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .server_app import HTTP_NAME, WS_NAME
from .server_clients import Target

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0
_PAGE = os.sysconf("SC_PAGE_SIZE")


class Unavailable(RuntimeError):
    """A subject cannot run here; the message says exactly why."""


def tree_rss(pid: int) -> int:
    """Resident memory of *pid* and all its descendants, in bytes (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
            children.setdefault(parent, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        with suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * _PAGE
        stack.extend(children.get(current, []))
    return total


def read_until(process: subprocess.Popen[str], pattern: re.Pattern[str], lines: list[str]) -> re.Match[str]:
    deadline = time.monotonic() + START_TIMEOUT_S
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("the server exited before it was ready:\n" + "".join(lines))
        lines.append(line)
        found = pattern.search(line)
        if found is not None:
            return found
    raise RuntimeError("the server was not ready in time:\n" + "".join(lines))


def drain(process: subprocess.Popen[str]) -> None:
    """Read the server's output from now on in the background, so a full pipe never blocks it."""
    assert process.stdout is not None
    stream = process.stdout
    threading.Thread(target=lambda: [None for _ in stream], daemon=True).start()


def stop(process: subprocess.Popen[str]) -> None:
    """Interrupt *process* (its whole group) as Ctrl-C would, then make sure it is gone."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def spawn(command: list[str], *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start a server process in its own session (so :func:`stop` interrupts its whole group), output piped."""
    return subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        env={**os.environ, "AWS_EC2_METADATA_DISABLED": "true"} if env is None else env,
    )


@contextmanager
def _serving(command: list[str], ready: str) -> Iterator[str]:
    """Run *command* until the block ends; yield the URL its output gives in *ready*'s group once it serves."""
    process = spawn(command)
    try:
        url = read_until(process, re.compile(ready), []).group(1)
        drain(process)
        yield url
    finally:
        stop(process)


@contextmanager
def mockapigw_server(app: str = "benchmarks.server_app:setup") -> Iterator[Target]:
    """mockapigw's CLI serving the benchmark application (*app* sets it up); the URLs it printed."""
    process = spawn([sys.executable, "-m", "mockapigw", "serve", "--port", "0", "--app", app])
    lines: list[str] = []
    try:
        ws = read_until(process, re.compile(rf"{WS_NAME} \(.*\): (ws://\S+)"), lines).group(1)
        http = read_until(process, re.compile(rf"{HTTP_NAME} \(.*\): (http://\S+)"), lines).group(1)
        drain(process)
        yield Target(ws, http.replace("/$default", "") + "/ping", lambda: tree_rss(process.pid))
    finally:
        stop(process)


@contextmanager
def mockapigw_control_plane() -> Iterator[str]:
    """The control plane of mockapigw's CLI, started empty."""
    with _serving([sys.executable, "-m", "mockapigw", "serve", "--port", "0"], r"serving on (http://\S+)") as url:
        yield url


_MOTO = """
import sys, threading
from moto.server import ThreadedMotoServer
server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
print("moto serving on http://%s:%d" % server.get_host_and_port(), flush=True)
try:
    threading.Event().wait()
except KeyboardInterrupt:
    server.stop()
"""


@contextmanager
def moto_control_plane() -> Iterator[str]:
    """moto's ``ThreadedMotoServer`` in its own process (needs ``moto[server]``)."""
    if importlib.util.find_spec("flask") is None:
        raise Unavailable("moto's server needs the moto[server] extra (Flask): pip install 'moto[server]'")
    with _serving([sys.executable, "-c", _MOTO], r"moto serving on (http://\S+)") as url:
        yield url
