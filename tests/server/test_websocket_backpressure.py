"""The server's WebSocket protocol when its client does not read: what it writes meanwhile stays bounded."""

from __future__ import annotations

import asyncio

from test_frame_limits import frame
from test_websocket_protocol import _frames_written, _open, _settle, _Sink


def test_pings_while_the_transport_holds_back_are_answered_by_one_pong_for_the_latest() -> None:
    """A client that pings and does not read must not grow the server's write buffer without end: while the
    transport holds back, only the latest ping is answered, once it takes more (RFC 6455 §5.5.3 allows it)."""

    async def main() -> None:
        sink = _Sink()
        socket, transport = _open(sink)
        socket.pause_writing()  # the client stopped reading: the transport's buffer is over its high-water mark
        socket.data_received(b"".join(frame(f"p{i}".encode(), opcode=0x9) for i in range(1000)))
        await _settle()
        assert _frames_written(transport.written) == []
        socket.resume_writing()
        assert _frames_written(transport.written) == [(0xA, b"p999")]
        socket.data_received(frame(b"again", opcode=0x9))  # taken at once again
        assert _frames_written(transport.written)[-1] == (0xA, b"again")
        await _settle()
        assert sink.items == ["<ping>"] * 1001  # every ping still counts as activity

    asyncio.run(main())
