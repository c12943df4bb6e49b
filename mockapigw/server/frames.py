"""Watch a WebSocket's incoming bytes for a frame over API Gateway's 32 KB frame limit (aws-behaviour.md §4).

aiohttp reassembles fragmented messages before the mock sees them and offers no per-frame size limit (its
``max_msg_size`` bounds whole messages), so a frame's own size is visible only on the wire. :class:`FrameGuard`
sits between the connection's transport and aiohttp's protocol (``asyncio.Transport.set_protocol``), reads only
the frame headers (RFC 6455 §5.2), and passes every byte on unchanged: aiohttp still parses and validates the
stream, and the guard only raises a flag and calls back when a frame's payload is over the limit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

MAX_FRAME_BYTES = 32 * 1024  # aws-behaviour.md §4: "WebSocket frame size 32 KB"; a larger frame closes with 1009


class FrameGuard(asyncio.Protocol):
    """Forward a transport's events to ``inner``, calling ``on_oversize`` once for the first frame over ``limit``.

    Install it right after the upgrade request is read and before any frame arrives, so it sees every frame
    from its first byte: a client must wait for the handshake answer before sending frames (RFC 6455 §4.1).
    """

    __slots__ = ("_head", "_on_oversize", "_skip", "inner", "limit", "messages", "oversize")  # one per open socket

    def __init__(self, inner: asyncio.BaseProtocol, on_oversize: Callable[[], None], limit: int = MAX_FRAME_BYTES):
        self.inner = inner
        self.limit = limit
        self.oversize = False
        # Data messages complete before the oversize frame: those are still handed on, as they were on AWS.
        self.messages = 0
        self._on_oversize = on_oversize
        self._head = bytearray()  # the current frame's header bytes so far
        self._skip = 0  # payload bytes of the current frame still to pass over

    @classmethod
    def install(
        cls, transport: asyncio.BaseTransport, on_oversize: Callable[[], None], limit: int = MAX_FRAME_BYTES
    ) -> FrameGuard:
        """Put a guard between ``transport`` and its protocol; the guard."""
        guard = cls(transport.get_protocol(), on_oversize, limit)
        transport.set_protocol(guard)
        return guard

    def data_received(self, data: bytes) -> None:
        if not self.oversize:  # once tripped the connection is closing: no need to read further headers
            self._scan(data)
        self.inner.data_received(data)  # type: ignore[attr-defined]  # aiohttp's protocol is an asyncio.Protocol

    def _scan(self, data: bytes) -> None:
        at, end = 0, len(data)
        while at < end:
            if self._skip:
                step = min(self._skip, end - at)
                self._skip -= step
                at += step
                continue
            self._head.append(data[at])
            at += 1
            size = _payload_size(self._head)
            if size is None:
                continue
            first = self._head[0]
            self._head.clear()
            self._skip = size
            if size > self.limit:
                self.oversize = True
                self._on_oversize()
                return
            if first & 0x80 and first & 0x0F < 0x8:  # FIN on a data frame (not a control frame): a message ends
                self.messages += 1

    # Everything else goes to aiohttp's protocol unchanged.

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        self.inner.connection_lost(exc)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()  # type: ignore[attr-defined, no-any-return]

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


def _payload_size(head: bytearray) -> int | None:
    """The payload length of a complete frame header, or None while ``head`` is still too short (RFC 6455 §5.2).

    Byte 1 holds the mask bit and a 7-bit length; 126 means a 16-bit length follows, 127 a 64-bit one; a masked
    frame then has a 4-byte masking key. The payload follows the header.
    """
    if len(head) < 2:
        return None
    code = head[1] & 0x7F
    extra = 2 if code == 126 else 8 if code == 127 else 0
    mask = 4 if head[1] & 0x80 else 0
    if len(head) < 2 + extra + mask:
        return None
    return int.from_bytes(head[2 : 2 + extra], "big") if extra else code
