"""A real WebSocket behind a runtime connection: frames in go to the runtime, messages out come back as frames.

The runtime calls :class:`SocketTransport` from any thread (a handler's ``post_to_connection`` runs on a worker
thread); everything it does is handed to the event loop, where one writer task per socket sends in order.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web


@dataclass(frozen=True)
class _Close:
    code: int
    reason: str


class SocketTransport:
    """The runtime's view of one real socket: ``send`` and ``close``, safe from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._outbox: asyncio.Queue[bytes | _Close] = asyncio.Queue()
        self._closing = False

    def send(self, data: bytes) -> None:
        """Queue *data* as one message (sent once the handshake is done)."""
        if not self._closing:
            self._loop.call_soon_threadsafe(self._outbox.put_nowait, data)

    def close(self, code: int, reason: str) -> None:
        """Close the socket with *code* after the messages already queued (once)."""
        if not self._closing:
            self._closing = True
            self._loop.call_soon_threadsafe(self._outbox.put_nowait, _Close(code, reason))

    async def pump(self, socket: web.WebSocketResponse) -> None:
        """Send queued messages until a close is queued; then close the socket with its code."""
        while True:
            item = await self._outbox.get()
            if isinstance(item, _Close):
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
            except ConnectionError:
                continue
