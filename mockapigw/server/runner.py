"""Start and stop the server: on a background thread (``gw.serve()``) or in the main thread (the CLI)."""

from __future__ import annotations

import asyncio
import ipaddress
import signal
import socket
import sys
import threading
import warnings
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import TYPE_CHECKING, Any

from aiohttp import web

from ..core.hints import MockApiGatewayWarning, user_stacklevel
from .app import Gateway

if TYPE_CHECKING:
    from ..mock import MockApiGateway

DEFAULT_HOST = "127.0.0.1"
DEFAULT_REGION = "us-east-1"
# Connections the kernel queues until the loop accepts them (capped by net.core.somaxconn). aiohttp's 128 overflowed
# while a burst of handshakes waited for the GIL: each dropped SYN costs its client a one-second retransmit.
BACKLOG = 1024


def new_loop() -> asyncio.AbstractEventLoop:
    """A new event loop for the server: uvloop's where it is installed (the server extra brings it, except on
    Windows, which uvloop does not support), else asyncio's own.

    uvloop keeps a socket's transport in C: an open WebSocket costs less memory, and a handshake less time.
    """
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _run(main: Coroutine[Any, Any, None]) -> None:
    """Run *main* as ``asyncio.run`` does, in a loop from :func:`new_loop` (Python 3.11+; before, asyncio's)."""
    if sys.version_info >= (3, 11):
        with asyncio.Runner(loop_factory=new_loop) as runner:
            runner.run(main)
    else:  # pragma: no cover - Python 3.10 has no Runner
        asyncio.run(main)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket on *host*:*port* (port 0: a free one), bound before the loop starts."""
    if not _is_loopback(host):
        warnings.warn(
            f"mockapigw is serving on {host}, which is reachable from other machines; it has no authentication. "
            "Bind 127.0.0.1 unless you mean it.",
            MockApiGatewayWarning,
            stacklevel=user_stacklevel(),
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, backlog=BACKLOG)


class Server:
    """The mock served on one port: ``url``, ``stop()``, and a context manager that stops it on exit."""

    def __init__(
        self, gw: MockApiGateway, host: str = DEFAULT_HOST, port: int = 0, *, region: str = DEFAULT_REGION
    ) -> None:
        self.gw = gw
        self.gateway = Gateway(gw, region)
        self.host = host
        self._socket = _listen(host, port)
        self.port: int = self._socket.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.ServerRunner | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._stop_lock = threading.Lock()
        self._stopping = False

    @property
    def url(self) -> str:
        """``http://{host}:{port}``: the control plane's endpoint URL, and the base of the local URL forms."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def ws_url(self) -> str:
        """``ws://{host}:{port}``: the base of WebSocket URLs."""
        return "ws" + self.url[4:]

    # --- the loop

    async def open(self) -> None:
        """Start serving on the bound socket (in the running loop)."""
        self._loop = asyncio.get_running_loop()
        self._runner = web.ServerRunner(self.gateway.server(), handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        # aiohttp listens again with its own backlog (128 by default): pass ours, or it is the one that counts.
        await web.SockSite(self._runner, self._socket, backlog=BACKLOG).start()
        self.gw.send_over_socket(self.url, on=True)  # the process's own boto3 clients reach it too

    async def close(self) -> None:
        """Close every WebSocket with 1001 (running ``$disconnect``), then stop listening."""
        self.gw.send_over_socket(self.url, on=False)
        if self._runner is not None:
            await self.gateway.shutdown()  # before aiohttp's own shutdown, which waits for open handlers
            await self._runner.cleanup()
            self._runner = None
        if self.gateway.workers is not None:
            self.gateway.workers.shutdown()
        self._socket.close()

    # --- the main thread (the CLI)

    def run(self, ready: Callable[[Server], None] | None = None) -> None:
        """Serve in this thread until SIGINT or SIGTERM; call *ready* once the port accepts connections."""

        async def main() -> None:
            await self.open()
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                try:
                    loop.add_signal_handler(signum, stop.set)
                except NotImplementedError:  # Windows: no signal handlers on the loop
                    signal.signal(signum, lambda *_: loop.call_soon_threadsafe(stop.set))
            if ready is not None:
                ready(self)
            try:
                await stop.wait()
            finally:
                await self.close()

        _run(main())

    # --- a background thread (gw.serve)

    def start(self) -> Server:
        """Serve on a background thread; return once the port accepts connections."""
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = new_loop()
            try:
                loop.run_until_complete(self.open())
            except BaseException as error:  # noqa: BLE001 - reported to the caller of start()
                failure.append(error)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(self.close())
                loop.close()
                self._stopped.set()

        self._thread = threading.Thread(target=run, name=f"mockapigw-server-{self.port}", daemon=True)
        self._thread.start()
        ready.wait()
        if failure:
            raise failure[0]
        return self

    def stop(self) -> None:
        """Stop serving: sockets close with 1001 and run ``$disconnect``; the port is free on return."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        with self._stop_lock:
            # Only the first caller stops the loop: a second loop.stop() while the shutdown itself runs on the
            # loop would abort it (no $disconnect, sockets left open). Later callers wait for the first.
            first, self._stopping = not self._stopping, True
        if first and thread.is_alive():
            loop.call_soon_threadsafe(loop.stop)
        if thread is not threading.current_thread():
            thread.join()

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<mockapigw Server {self.url}>"
