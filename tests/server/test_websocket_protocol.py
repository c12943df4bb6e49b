"""The server's WebSocket protocol on its own: frames in any reads, messages in order, API Gateway's limits."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_frame_limits import frame

from mockapigw.server import websocket
from mockapigw.server.websocket import NO_STATUS_REASON, WebSocket


class _Transport:
    """What the protocol uses of its transport, recording what it writes."""

    def __init__(self) -> None:
        self.written = b""
        self.closed = False
        self.reading = True

    def write(self, data: bytes) -> None:
        assert not self.closed, "written after close"
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True


class _Sink:
    """The gateway's side: the messages and pings handed on, and how the socket ended."""

    def __init__(self, hold: asyncio.Event | None = None) -> None:
        self.items: list[Any] = []
        self.endings: list[tuple[int, str]] = []
        self.hold = hold

    async def message(self, connection: Any, data: str | bytes) -> None:
        if self.hold is not None:
            await self.hold.wait()
        self.items.append(data)

    async def ping(self, connection: Any) -> None:
        self.items.append("<ping>")

    def ended(self, connection: Any, code: int, reason: str) -> None:
        assert not self.endings, "ended twice"
        self.items.append("<end>")
        self.endings.append((code, reason))


def _open(sink: _Sink) -> tuple[WebSocket, _Transport]:
    socket = WebSocket(sink, connection=None)  # type: ignore[arg-type]  # the sink never reads it
    transport = _Transport()
    socket.connection_made(transport)  # type: ignore[arg-type]
    return socket, transport


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def _frames_written(data: bytes) -> list[tuple[int, bytes]]:
    """The (opcode, payload) of each unmasked frame in *data*."""
    frames, at = [], 0
    while at < len(data):
        first, second = data[at], data[at + 1]
        size, at = second & 0x7F, at + 2
        if size == 126:
            size, at = int.from_bytes(data[at : at + 2], "big"), at + 2
        elif size == 127:
            size, at = int.from_bytes(data[at : at + 8], "big"), at + 8
        frames.append((first & 0x0F, data[at : at + size]))
        at += size
    return frames


def _run(
    stream: bytes, cuts: list[int] | None = None, sink: _Sink | None = None, errors: list[Any] | None = None
) -> tuple[_Sink, _Transport]:
    """Feed *stream* to a new socket in reads cut at *cuts*; what the loop reports as unhandled goes to *errors*."""
    sink = sink or _Sink()

    async def main() -> None:
        if errors is not None:
            asyncio.get_running_loop().set_exception_handler(lambda loop, context: errors.append(context))
        socket, transport = _open(sink)
        points = sorted({0, len(stream), *(c for c in cuts or [] if c < len(stream))})
        for start, end in itertools.pairwise(points):
            socket.data_received(stream[start:end])
            await _settle()
        await _settle()
        nonlocal result
        result = transport

    result: _Transport | None = None
    asyncio.run(main())
    assert result is not None
    return sink, result


_text = st.text(max_size=60)
_messages = st.lists(
    st.tuples(st.one_of(_text, st.binary(max_size=60)), st.lists(st.integers(0, 60), max_size=3), st.booleans()),
    max_size=6,
)


def _encode(message: str | bytes, cuts: list[int], ping: bool) -> bytes:
    """*message* as frames cut at *cuts*, with a ping between its first two frames when *ping*."""
    data = message.encode() if isinstance(message, str) else message
    points = sorted({0, len(data), *(c for c in cuts if c < len(data))})
    pieces = [data[a:b] for a, b in itertools.pairwise(points)] or [b""]
    out = b""
    for index, piece in enumerate(pieces):
        opcode = (0x1 if isinstance(message, str) else 0x2) if index == 0 else 0x0
        out += frame(piece, opcode=opcode, fin=index == len(pieces) - 1)
        if ping and index == 0:
            out += frame(b"p", opcode=0x9)
    return out


@settings(max_examples=60, deadline=None)
@given(messages=_messages, reads=st.lists(st.integers(0, 2000), max_size=8))
def test_messages_arrive_whole_and_in_order_however_the_bytes_are_read(messages: list[Any], reads: list[int]) -> None:
    stream = b"".join(_encode(*m) for m in messages) + frame((1000).to_bytes(2, "big"), opcode=0x8)
    sink, transport = _run(stream, reads)
    expected: list[Any] = []
    for message, cuts, ping in messages:
        size = len(message.encode() if isinstance(message, str) else message)
        fragmented = any(0 < cut < size for cut in cuts)  # the ping comes between its frames, so before it
        expected += ([] if not ping else ["<ping>", message] if fragmented else [message, "<ping>"]) or [message]
    assert sink.items == [*expected, "<end>"]
    assert sink.endings == [(1000, "")]
    pongs = [payload for opcode, payload in _frames_written(transport.written) if opcode == 0xA]
    assert pongs == [b"p" for _, _, ping in messages if ping]
    assert _frames_written(transport.written)[-1] == (0x8, (1000).to_bytes(2, "big"))
    assert transport.closed


@settings(max_examples=40, deadline=None)
@given(
    before=st.lists(st.text(max_size=16), max_size=4),  # at most 64 bytes each: under the limit
    size=st.integers(65, 200),
    reads=st.lists(st.integers(0, 600), max_size=5),
)
def test_a_frame_over_the_limit_closes_with_1009_after_the_messages_before_it(
    before: list[str], size: int, reads: list[int]
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(websocket, "MAX_FRAME_BYTES", 64)
        stream = b"".join(frame(text.encode()) for text in before) + frame(b"x" * size) + frame(b"after")
        sink, transport = _run(stream, reads)
    assert sink.items == [*before, "<end>"]
    assert sink.endings == [(1009, "")]
    assert _frames_written(transport.written)[-1] == (0x8, (1009).to_bytes(2, "big"))
    assert transport.closed


@pytest.mark.parametrize(
    ("stream", "code"),
    [
        (frame(b"\xff\xfe"), 1007),  # text that is not UTF-8
        (frame(b"hi", mask=False), 1002),  # a client's frames are masked
        (frame(b"hi", opcode=0x0), 1002),  # a continuation with nothing to continue
        (frame(b"a", fin=False) + frame(b"b"), 1002),  # a new message before the last one ended
        (frame(b"p" * 126, opcode=0x9, width=16), 1002),  # a control frame over 125 bytes
        (frame(b"\x80"), 1007),  # a lone continuation byte
        (frame(b"x", opcode=0x3), 1002),  # a reserved opcode
        (frame(b"\x03", opcode=0x8), 1002),  # a close frame one byte long
        (frame((999).to_bytes(2, "big"), opcode=0x8), 1002),  # a close code no endpoint may send
    ],
)
def test_a_frame_that_breaks_a_rule_closes_with_its_code(stream: bytes, code: int) -> None:
    sink, transport = _run(stream)
    assert sink.endings == [(code, "")]
    assert _frames_written(transport.written)[-1] == (0x8, code.to_bytes(2, "big"))
    assert transport.closed


def test_a_message_over_128_kb_in_fragments_closes_with_1009() -> None:
    piece = b"a" * (32 * 1024)
    stream = frame(piece, fin=False) + b"".join(frame(piece, opcode=0x0, fin=False) for _ in range(4))
    sink, _ = _run(stream + frame(b"", opcode=0x0))
    assert sink.endings == [(1009, "")]
    assert sink.items == ["<end>"]


def test_exactly_128_kb_in_fragments_is_one_message() -> None:
    piece = b"a" * (32 * 1024)
    stream = frame(piece, fin=False) + frame(piece, opcode=0x0, fin=False) + frame(piece, opcode=0x0, fin=False)
    sink, _ = _run(stream + frame(piece, opcode=0x0) + frame(b"", opcode=0x8))
    assert sink.items == ["a" * (128 * 1024), "<end>"]


def test_a_close_without_a_code_is_1005_with_api_gateways_reason() -> None:
    sink, transport = _run(frame(b"", opcode=0x8))
    assert sink.endings == [(1005, NO_STATUS_REASON)]
    assert [type(code) for code, _ in sink.endings] == [int]  # not websockets' CloseCode: events carry plain ints
    assert _frames_written(transport.written) == [(0x8, (1000).to_bytes(2, "big"))]


def test_a_close_with_a_code_and_reason_reaches_disconnect_as_sent() -> None:
    sink, _ = _run(frame((4000).to_bytes(2, "big") + "au revoir é".encode(), opcode=0x8))
    assert sink.endings == [(4000, "au revoir é")]


def test_the_end_waits_for_the_messages_read_before_it_and_reading_pauses_meanwhile() -> None:
    async def main() -> None:
        hold = asyncio.Event()
        sink = _Sink(hold)
        socket, transport = _open(sink)
        socket.data_received(b"".join(frame(f"m{i}".encode()) for i in range(20)))
        await _settle()
        assert not transport.reading  # more than a few waiting: the socket stops reading
        socket.connection_lost(None)  # the client hangs up with messages still waiting
        assert sink.endings == []
        hold.set()
        await _settle()
        assert sink.items == [f"m{i}" for i in range(20)] + ["<end>"]
        assert sink.endings == [(1006, "")]

    asyncio.run(main())


def test_a_close_from_the_server_waits_for_the_clients_answer() -> None:
    async def main() -> None:
        sink = _Sink()
        socket, transport = _open(sink)
        closing = asyncio.ensure_future(socket.close(1001, "Going away"))
        await _settle()
        assert not closing.done() and socket.closed
        assert _frames_written(transport.written) == [(0x8, (1001).to_bytes(2, "big") + b"Going away")]
        socket.data_received(frame(b"late", opcode=0x1))  # dropped: the socket is closing
        socket.data_received(frame((1001).to_bytes(2, "big"), opcode=0x8))
        await closing
        assert transport.closed
        assert sink.endings == [(1001, "Going away")]
        assert sink.items == ["<end>"]

    asyncio.run(main())


def test_a_close_from_the_server_gives_up_on_a_silent_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(websocket, "CLOSE_TIMEOUT_S", 0.05)

    async def main() -> None:
        socket, transport = _open(_Sink())
        await asyncio.wait_for(socket.close(1000, ""), 5)
        assert transport.closed

    asyncio.run(main())


def test_a_long_close_reason_is_cut_to_123_bytes_where_a_character_ends() -> None:
    async def main() -> None:
        socket, transport = _open(_Sink())
        closing = asyncio.ensure_future(socket.close(1000, "é" * 100))
        await _settle()
        ((opcode, payload),) = _frames_written(transport.written)
        assert opcode == 0x8 and payload[2:] == ("é" * 61).encode()
        socket.connection_lost(None)
        await closing

    asyncio.run(main())


# Mostly frames a client may send (masked data, continuation, ping, pong and close frames), now and then one that
# breaks a rule or bytes that are no frame at all.
_payload = st.binary(max_size=40) | st.text(max_size=20).map(str.encode)
_sendable = (
    st.builds(_encode, _text | st.binary(max_size=60), st.lists(st.integers(0, 60), max_size=3), st.booleans())
    | st.builds(lambda payload: frame(payload, opcode=0xA), _payload)
    | st.sampled_from([frame(b"\x03\xe8bye", opcode=0x8), frame(b"", opcode=0x8), frame(b"\x0f\xa0app", opcode=0x8)])
)
_breaking = (
    st.builds(lambda payload: frame(payload, mask=False), _payload)
    | st.builds(lambda payload, opcode: frame(payload, opcode=opcode), _payload, st.sampled_from([0x3, 0xB, 0x8]))
    | st.just(frame(b"x" * 32769))
    | st.binary(min_size=1, max_size=40)
)
_pieces = st.lists(st.one_of(*[_sendable] * 8, _breaking), max_size=10)


@settings(max_examples=200, deadline=None)
@given(pieces=_pieces, reads=st.lists(st.integers(0, 400), max_size=6))
def test_any_bytes_leave_the_socket_open_or_end_it_once_with_a_close_code(
    pieces: list[bytes], reads: list[int]
) -> None:
    errors: list[Any] = []
    sink, transport = _run(b"".join(pieces), reads, errors=errors)
    assert errors == []
    written = _frames_written(transport.written)
    assert {opcode for opcode, _ in written} <= {0x8, 0xA}  # only pongs and a Close go out here
    closes = [payload for opcode, payload in written if opcode == 0x8]
    assert len(closes) <= 1
    if closes:
        assert written[-1][0] == 0x8  # nothing after the Close
        assert int.from_bytes(closes[0][:2], "big") in {1000, 1002, 1007, 1009}
    assert len(sink.endings) <= 1
    if sink.endings:
        assert sink.items[-1] == "<end>"
        assert transport.closed
    else:
        assert not transport.closed
        assert not closes
    assert all(isinstance(item, str | bytes) for item in sink.items)
