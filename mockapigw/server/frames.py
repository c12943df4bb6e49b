"""The frames the server sends (RFC 6455 §5.2), with API Gateway's 32 KB frame limit (aws-behaviour.md §4).

API Gateway sends a message over 32 KB as several frames of at most 32 KB. Server frames are not masked, so
building them is a header and the payload; ``websockets`` parses the frames clients send
(:mod:`mockapigw.server.websocket`).
"""

from __future__ import annotations

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
