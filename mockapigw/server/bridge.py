"""A real WebSocket behind a runtime connection: messages for the client go out as frames, in order.

The runtime calls :class:`SocketTransport` from any thread (a handler's ``post_to_connection`` runs on a worker
thread); everything it does is handed to the event loop. A connection with nothing to send keeps no task and no
queue object alive: a short-lived task drains the pending messages when there are some (10,000 idle sockets
should cost little memory).
"""

from __future__ import annotations

import asyncio
from collections import deque

from aiohttp import web


class _Close:
    __slots__ = ("code", "reason")

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


class SocketTransport:
    """The runtime's view of one real socket: ``send`` and ``close``, safe from any thread."""

    __slots__ = ("_closing", "_loop", "_pending", "_socket", "_task")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._socket: web.WebSocketResponse | None = None
        self._pending: deque[bytes | _Close] = deque()
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    def send(self, data: bytes) -> None:
        """Send *data* as one message (queued until the handshake is done)."""
        if not self._closing:
            self._loop.call_soon_threadsafe(self._queue, data)

    def close(self, code: int, reason: str) -> None:
        """Close the socket with *code* after the messages already queued (once)."""
        if not self._closing:
            self._closing = True
            self._loop.call_soon_threadsafe(self._queue, _Close(code, reason))

    def attach(self, socket: web.WebSocketResponse) -> None:
        """The handshake is done: send what is pending (event loop thread)."""
        self._socket = socket
        self._drain()

    async def finish(self) -> None:
        """Wait until everything queued so far, the close included, has gone out (event loop thread)."""
        await asyncio.sleep(0)  # run the hand-overs other threads scheduled before now
        while self._task is not None and not self._task.done():
            await self._task

    def _queue(self, item: bytes | _Close) -> None:
        self._pending.append(item)
        self._drain()

    def _drain(self) -> None:
        if self._socket is not None and self._pending and (self._task is None or self._task.done()):
            self._task = self._loop.create_task(self._pump(self._socket))

    async def _pump(self, socket: web.WebSocketResponse) -> None:
        pending = self._pending
        while pending:
            item = pending.popleft()
            if isinstance(item, _Close):
                pending.clear()
                # A close reason is at most 123 bytes of UTF-8 (RFC 6455 §5.5).
                await socket.close(code=item.code, message=item.reason.encode("utf-8")[:123])
                return
            if socket.closed:
                continue
            try:
                # API Gateway sends posted data as a text frame; bytes that are not UTF-8 go as a binary frame.
                await socket.send_str(item.decode("utf-8"))
            except UnicodeDecodeError:
                await socket.send_bytes(item)
            except ConnectionError:  # the client went away mid-send: its close is on its way
                continue
