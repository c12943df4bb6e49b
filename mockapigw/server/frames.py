"""API Gateway's 32 KB frame limit (aws-behaviour.md §4) on the wire: incoming frames watched, outgoing ones split.

Incoming: aiohttp reassembles fragmented messages before the mock sees them and offers no per-frame size limit (its
``max_msg_size`` bounds whole messages), so a frame's own size is visible only on the wire. :class:`FrameGuard`
sits between the connection's transport and aiohttp's protocol (``asyncio.Transport.set_protocol``), reads only
the frame headers (RFC 6455 §5.2), and passes every byte on unchanged: aiohttp still parses and validates the
stream, and the guard only raises a flag and calls back when a frame's payload is over the limit.

Outgoing: API Gateway sends a message over 32 KB as several frames of at most 32 KB; aiohttp's writer always sends
one final frame, so :func:`message_frames` builds the frames itself (server frames are not masked).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

MAX_FRAME_BYTES = 32 * 1024  # aws-behaviour.md §4: "WebSocket frame size 32 KB"; a larger frame closes with 1009
TEXT = 0x1
BINARY = 0x2
_CONTINUATION = 0x0
FIN = 0x80


def frame_header(first: int, size: int) -> bytes:
    """The header of an unmasked frame (RFC 6455 §5.2): *first* is FIN, RSV and opcode; *size* the payload length.

    The length takes 7 bits up to 125, else 126 and 16 bits up to 65535, else 127 and 64 bits.
    """
    if size < 126:
        return bytes((first, size))
    if size < 65536:
        return bytes((first, 126)) + size.to_bytes(2, "big")
    return bytes((first, 127)) + size.to_bytes(8, "big")


def message_frames(payload: bytes, opcode: int, limit: int = MAX_FRAME_BYTES) -> list[bytes | memoryview]:
    """The bytes that send *payload* as one message of *opcode*: frames of at most *limit* payload bytes each.

    A message that fits is one final frame; a longer one is a first frame of *opcode* and continuation frames,
    FIN on the last (RFC 6455 §5.4). Text is split at byte boundaries, as the RFC allows: a client validates the
    UTF-8 of the whole message. Header and payload pieces alternate, ready for ``transport.writelines``.
    """
    size = len(payload)
    if size <= limit:
        return [frame_header(FIN | opcode, size) + payload]
    parts: list[bytes | memoryview] = []
    view = memoryview(payload)
    for start in range(0, size, limit):
        piece = view[start : start + limit]
        last = start + limit >= size
        parts.append(frame_header((FIN if last else 0) | (opcode if start == 0 else _CONTINUATION), len(piece)))
        parts.append(piece)
    return parts


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
