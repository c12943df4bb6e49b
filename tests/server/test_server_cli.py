"""``mockapigw serve`` end to end: a subprocess with ``--app``, used, interrupted, and its port free again."""

from __future__ import annotations

import gc
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from mockapigw import MockApiGateway
from mockapigw.server.cli import GC_GEN0_THRESHOLD, SWITCH_INTERVAL_S, load_app, tune_gc

HERE = Path(__file__).resolve().parent
WAIT = 10


class Served:
    def __init__(self, process: subprocess.Popen[str], log: Path) -> None:
        self.process = process
        self.log = log
        self.lines: list[str] = []
        while True:  # read until the banner and the API's URLs are out
            line = process.stdout.readline() if process.stdout else ""
            if not line:
                raise AssertionError(f"the server exited: {process.stderr.read() if process.stderr else ''}")
            self.lines.append(line)
            if "@connections endpoint" in line:
                break
        self.url = re.search(r"serving on (http://\S+)", self.lines[0]).group(1)  # type: ignore[union-attr]
        self.port = int(self.url.rsplit(":", 1)[1])
        self.ws = next(m.group(1) for line in self.lines if (m := re.search(r"(ws://\S+)", line)))


@pytest.fixture
def start(tmp_path: Path) -> Iterator[object]:
    started: list[subprocess.Popen[str]] = []

    def run(*command: str, options: tuple[str, ...] = ()) -> Served:
        log = tmp_path / "disconnects.log"
        env = {**os.environ, "MOCKAPIGW_TEST_LOG": str(log), "PYTHONUNBUFFERED": "1"}
        process = subprocess.Popen(
            [*command, "serve", "--port", "0", "--app", "serverapp:setup", *options],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return Served(process, log)

    yield run
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(WAIT)
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _port_is_free(port: int) -> bool:
    """Nothing listens on *port* and a new server can bind it (as servers do: SO_REUSEADDR, past TIME_WAIT)."""
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=WAIT).close()
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_with_app_then_interrupt(start: object, signum: int) -> None:
    served: Served = start(sys.executable, "-m", "mockapigw")  # type: ignore[operator]
    assert "control plane" in "".join(served.lines)
    v2 = boto3.client(
        "apigatewayv2",
        region_name="us-east-1",
        endpoint_url=served.url,
        aws_access_key_id="testing",  # no mock in this process: a real, signed request
        aws_secret_access_key="testing",
    )
    apis = v2.get_apis()["Items"]
    assert [api["Name"] for api in apis] == ["chat"]
    with connect(served.ws, open_timeout=WAIT) as client:
        client.send("hello")
        assert client.recv(timeout=WAIT) == "echo: hello"
        served.process.send_signal(signum)
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=WAIT)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
    assert served.process.wait(WAIT) == 0
    assert re.fullmatch(r"disconnect \S+ 1001\n", served.log.read_text())
    assert _port_is_free(served.port)


def test_the_mockapigw_command(start: object) -> None:
    command = shutil.which("mockapigw") or shutil.which("mockapigw", path=str(Path(sys.executable).parent))
    if command is None:
        pytest.skip("the mockapigw command is not installed: pip install -e '.[server]'")
    served: Served = start(command)  # type: ignore[operator]
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(WAIT) == 0
    assert _port_is_free(served.port)


@pytest.mark.parametrize(("options", "kept"), [((), [1, 2, 3]), (("--keep-invocations", "2"), [1, 2, 2])])
def test_the_invocation_history_is_bounded(start: object, options: tuple[str, ...], kept: list[int]) -> None:
    # A long-running server would otherwise keep every invocation (and its event) for ever; 1000 by default.
    served: Served = start(sys.executable, "-m", "mockapigw", options=options)  # type: ignore[operator]
    with connect(served.ws, open_timeout=WAIT) as client:  # $connect: 1 invocation
        seen = []
        for _ in kept:  # each question is one more invocation, counted before it is recorded
            client.send("invocations?")
            seen.append(int(str(client.recv(timeout=WAIT)).removeprefix("echo: ")))
    assert seen == kept
    served.process.send_signal(signal.SIGINT)
    assert served.process.wait(WAIT) == 0


def test_only_the_command_tunes_the_collector(apigw: MockApiGateway) -> None:
    # mockapigw serve owns its process; gw.serve() runs in the user's, whose collector is left alone.
    before = gc.get_threshold()
    switch = sys.getswitchinterval()
    with apigw.serve(port=0):
        assert gc.get_threshold() == before
        assert sys.getswitchinterval() == switch
    switch = sys.getswitchinterval()
    try:
        tune_gc()
        assert gc.get_threshold() == (GC_GEN0_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0  # what was loaded before serving is out of every later collection
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
        sys.setswitchinterval(switch)


def test_app_spec_errors() -> None:
    with pytest.raises(SystemExit, match="module:function"):
        load_app("no-colon")
    with pytest.raises(SystemExit, match="no function 'missing'"):
        load_app("json:missing")
    assert load_app("json:dumps")([1]) == "[1]"  # type: ignore[arg-type]


def _python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False, cwd=HERE
    )


def test_without_the_server_extra() -> None:
    blocked = "import sys; sys.modules['aiohttp'] = None\n"
    command = _python(blocked + "sys.argv = ['mockapigw', 'serve']\nfrom mockapigw.__main__ import main\nmain()")
    assert command.returncode == 1
    assert "pip install 'mockapigw[server]'" in command.stderr
    serve = _python(blocked + "from mockapigw import mock_apigateway\nwith mock_apigateway() as gw:\n    gw.serve()")
    assert "ImportError: server mode needs the server extra" in serve.stderr


def test_in_process_use_imports_no_server_code() -> None:
    done = _python(
        "import sys, boto3\nfrom mockapigw import mock_apigateway\n"
        "with mock_apigateway() as gw:\n"
        "    boto3.client('apigatewayv2', region_name='us-east-1').get_apis()\n"
        "assert 'aiohttp' not in sys.modules and 'mockapigw.server' not in sys.modules, sorted(sys.modules)"
    )
    assert done.returncode == 0, done.stderr


def test_a_taken_port_is_a_clean_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "mockapigw", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert done.returncode == 1
    assert f"mockapigw: cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--port", "99999"], "is not a port"),
        (["--port", "-1"], "is not a port"),
        (["--account", "abc"], "is not a 12-digit AWS account id"),
        (["--keep-invocations", "-5"], "is not a count"),
        (["--app", "no_such_module_here:setup"], "cannot import 'no_such_module_here'"),
    ],
)
def test_bad_arguments_are_usage_errors_not_tracebacks(arguments: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mockapigw", "serve", "--port", "0", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert message in done.stderr
    assert "Traceback" not in done.stderr
