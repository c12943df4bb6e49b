"""One open WebSocket, after its handshake: frames in, messages to the runtime, control frames answered.

The socket's transport comes from aiohttp's handler by a hand-over (:mod:`.lease`), so an open connection keeps only
this slotted object and its transport: no request, no task and no coroutine while it is idle. Frames are parsed
and checked by the ``websockets`` library's frame parser, once each frame is complete in the buffer; this module
reassembles messages and applies API Gateway's limits (aws-behaviour.md §4): a frame over 32 KB or a message over
128 KB closes the socket with 1009, text that is not UTF-8 with 1007, a protocol error with 1002.

A connection's messages go to the runtime one at a time, in order: a message read while the one before is still
with its handler waits here (and past a few waiting, the socket stops reading until they are handed on). The end
of the socket, however it comes, waits behind them too, so ``$disconnect`` runs after every earlier message.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Generator
from typing import Protocol, cast

from websockets.exceptions import ProtocolError
from websockets.frames import Close, Frame, Opcode

from ..management.connections import Connection
from ..runtime.websocket import MAX_MESSAGE_BYTES
from ..runtime.ws_inputs import NO_STATUS_REASON
from .frames import FIN, MAX_FRAME_BYTES, frame_header

CLOSE_TIMEOUT_S = 10.0  # how long a close we send waits for the client's Close before the socket is dropped
MAX_WAITING = 16  # messages read ahead of the runtime before the socket stops reading
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_INVALID_DATA = 1007
CLOSE_MESSAGE_TOO_BIG = 1009  # aws-behaviour.md §4: a message over 128 KB or a frame over 32 KB closes with 1009
CLOSE_NO_STATUS = 1005
CLOSE_ABNORMAL = 1006
# API Gateway's disconnectReason for a client's Close without a status code (aws-facts.md §9, a recorded event).

_OPEN, _CLOSING, _DONE = 0, 1, 2  # _CLOSING: our Close is sent and the client's is awaited
_PING = object()  # a ping from the client, for the runtime (its pong is sent at once)


class Sink(Protocol):
    """Where an open socket's messages go (the server's gateway)."""

    def message(self, connection: Connection, data: str | bytes) -> Awaitable[None]:
        """Hand one message to the runtime; done when its handler is."""

    def ping(self, connection: Connection) -> Awaitable[None]:
        """Tell the runtime the client pinged."""

    def ended(self, connection: Connection, code: int, reason: str) -> None:
        """The socket is over, with *code*: run ``$disconnect`` and let it go (called once)."""


class _End:
    __slots__ = ("close", "code", "reason")

    def __init__(self, code: int, reason: str, close: int | None) -> None:
        self.code = code  # for $disconnect
        self.reason = reason
        self.close = close  # the Close code to send first, if one is due


def _control_frame(opcode: Opcode, payload: bytes) -> bytes:
    """A control frame (RFC 6455 §5.5): one final frame; server frames are not masked."""
    return frame_header(FIN | opcode, len(payload)) + payload


def _close_frame(code: int, reason: bytes) -> bytes:
    """A Close frame: the code in two bytes, then the reason (RFC 6455 §5.5.1)."""
    return _control_frame(Opcode.CLOSE, code.to_bytes(2, "big") + reason)


class WebSocket(asyncio.Protocol):
    """The server side of one open WebSocket (the protocol of its transport after the handshake)."""

    __slots__ = (
        "_buffer",
        "_closed",
        "_delivering",
        "_drained",
        "_ending",
        "_fragment_bytes",
        "_fragments",
        "_paused_reading",
        "_paused_writing",
        "_pending",
        "_pong",
        "_sink",
        "_state",
        "_timer",
        "connection",
        "transport",
    )

    def __init__(self, sink: Sink, connection: Connection) -> None:
        self._sink = sink
        self.connection = connection
        self.transport: asyncio.Transport | None = None
        self._state = _OPEN
        self._ending = False  # the socket's end is decided (queued behind the messages still waiting)
        self._buffer: bytearray | None = None  # bytes of a frame not complete yet
        self._fragments: list[bytes] | None = None  # a fragmented message so far: its first frame's opcode first
        self._fragment_bytes = 0
        self._pending: deque[object] | None = None  # messages (and pings, and the end) waiting for the runtime
        self._delivering: asyncio.Task[None] | None = None
        self._paused_reading = False
        self._paused_writing = False
        self._pong: bytes | None = None  # the latest ping's payload, while the transport holds back its pong
        self._drained: asyncio.Future[None] | None = None
        self._closed: asyncio.Future[None] | None = None  # set once a close we sent is done
        self._timer: asyncio.TimerHandle | None = None

    @property
    def closed(self) -> bool:
        """Whether the socket takes no more messages: a Close was sent, or the socket is gone.

        A Close received (or a broken rule) still lets the replies to the messages read before it go out: the
        answering Close waits behind them, as the client may receive until it comes (RFC 6455 §5.5.1).
        """
        return self._state != _OPEN or self.transport is None

    # --- asyncio protocol

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is one without subclassing it

    def data_received(self, data: bytes) -> None:
        if self._ending and self._state != _CLOSING:
            return  # the end is decided: nothing more is read
        buffer = self._buffer
        if buffer is None:
            buffer = self._buffer = bytearray(data)
        else:
            buffer += data
        used = self._frames(buffer)
        if used == len(buffer) or (self._ending and self._state != _CLOSING):
            self._buffer = None
        elif used:
            del buffer[:used]

    def eof_received(self) -> bool | None:
        return None  # close the transport: a client that stops sending has gone

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if self._state == _CLOSING:
            self._close_done()
        elif not self._ending:
            self._end(_End(CLOSE_ABNORMAL, "", None))
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)

    def pause_writing(self) -> None:
        self._paused_writing = True

    def resume_writing(self) -> None:
        self._paused_writing = False
        pong, self._pong = self._pong, None
        if pong is not None:
            self._write(_control_frame(Opcode.PONG, pong))
        if self._drained is not None and not self._drained.done():
            self._drained.set_result(None)
        self._drained = None

    # --- what the socket's outbox uses

    async def drain(self) -> None:
        """Wait while the transport holds back (the client reads slower than the server writes)."""
        if self._paused_writing and self.transport is not None:
            if self._drained is None:
                self._drained = asyncio.get_running_loop().create_future()
            await self._drained

    async def close(self, code: int, reason: str) -> None:
        """Send a Close with *code* and wait for the client's answer, as a closing server does."""
        if self._state == _OPEN and not self._ending and self.transport is not None:
            self._send_close(code, reason)
        if self._state == _CLOSING and self._closed is not None:
            await asyncio.shield(self._closed)

    def abort(self) -> None:
        """Drop the socket now and hand on nothing more: the server is stopping and this socket outlasted it."""
        if self._delivering is not None:
            self._delivering.cancel()  # waiting on a handler that outlasts the server: its task would be left pending
        if self.transport is not None:
            self.transport.abort()

    # --- reading

    def _frames(self, buffer: bytearray) -> int:
        """Take every complete frame from the start of *buffer*; how many bytes were used."""
        at, end = 0, len(buffer)
        while end - at >= 2:
            second = buffer[at + 1]
            length = second & 0x7F
            extra = 2 if length == 126 else 8 if length == 127 else 0
            head = 2 + extra + (4 if second & 0x80 else 0)
            if end - at < head:
                break
            size = int.from_bytes(buffer[at + 2 : at + 2 + extra], "big") if extra else length
            if size > MAX_FRAME_BYTES:
                self._fail(CLOSE_MESSAGE_TOO_BIG)
                return end
            if end - at < head + size:
                break
            frame = _parse(bytes(buffer[at : at + head + size]))
            at += head + size
            if frame is None:
                self._fail(CLOSE_PROTOCOL_ERROR)
                return end
            self._frame(frame)
            if self._ending and self._state != _CLOSING:
                return end
        return at

    def _frame(self, frame: Frame) -> None:
        opcode, data = frame.opcode, bytes(frame.data)  # bytes already: no copy
        if opcode is Opcode.CLOSE:
            self._close_received(data)
        elif opcode is Opcode.PING:
            if self._paused_writing:
                # A client that pings but does not read would grow the write buffer without end: only the latest
                # ping is answered, once the transport takes more (RFC 6455 §5.5.3 allows it).
                self._pong = data
            else:
                self._write(_control_frame(Opcode.PONG, data))
            if self._state == _OPEN:
                self._queue(_PING)
        elif opcode is Opcode.PONG:
            return
        elif opcode is Opcode.CONT:
            fragments = self._fragments
            if fragments is None:
                self._fail(CLOSE_PROTOCOL_ERROR)  # a continuation with no message to continue
                return
            fragments.append(data)
            self._fragment_bytes += len(data)
            if self._fragment_bytes > MAX_MESSAGE_BYTES:
                self._fail(CLOSE_MESSAGE_TOO_BIG)
            elif frame.fin:
                self._fragments = None
                self._message(fragments[0] == b"\x01", b"".join(fragments[1:]))
        elif self._fragments is not None:
            self._fail(CLOSE_PROTOCOL_ERROR)  # a new message before the last one's final frame
        elif frame.fin:
            self._message(opcode is Opcode.TEXT, data)
        else:
            self._fragments = [b"\x01" if opcode is Opcode.TEXT else b"\x02", data]
            self._fragment_bytes = len(data)

    def _message(self, text: bool, data: bytes) -> None:
        if len(data) > MAX_MESSAGE_BYTES:
            self._fail(CLOSE_MESSAGE_TOO_BIG)
            return
        if self._state != _OPEN:
            return  # a message after our Close: dropped, as a closing endpoint does
        if not text:
            self._queue(data)  # the runtime answers binary as API Gateway does
            return
        try:
            self._queue(data.decode("utf-8"))
        except UnicodeDecodeError:
            self._fail(CLOSE_INVALID_DATA)

    def _close_received(self, payload: bytes) -> None:
        if self._state == _CLOSING:  # the answer to our Close: the close is done
            self._close_done()
            return
        try:
            close = Close.parse(payload)
        except ProtocolError:
            self._fail(CLOSE_PROTOCOL_ERROR)
            return
        except UnicodeDecodeError:
            self._fail(CLOSE_INVALID_DATA)
            return
        reason = NO_STATUS_REASON if close.code == CLOSE_NO_STATUS else close.reason
        # Answered with a normal Close, as aiohttp does; the client's code is the one $disconnect sees, as the plain
        # int a JSON event has (websockets parses it into its CloseCode enum where it knows the code).
        self._end(_End(int(close.code), reason, 1000))

    def _fail(self, code: int) -> None:
        """A frame broke a rule: close with *code* once the messages before it are handed on."""
        self._fragments = None
        if self._state == _CLOSING:
            self._close_done()  # no answer to our Close will make sense of the rest
        elif not self._ending:
            self._end(_End(code, "", code))

    # --- handing on, in order

    def _queue(self, item: object) -> None:
        pending = self._pending
        if pending is None:
            pending = self._pending = deque()
        pending.append(item)
        if self._delivering is None:
            self._delivering = asyncio.get_running_loop().create_task(self._deliver())
        elif len(pending) >= MAX_WAITING and not self._paused_reading and self.transport is not None:
            self._paused_reading = True
            self.transport.pause_reading()

    def _end(self, end: _End) -> None:
        self._ending = True
        if self._delivering is None:
            self._finish(end)
        else:
            assert self._pending is not None
            self._pending.append(end)

    async def _deliver(self) -> None:
        pending, sink, connection = self._pending, self._sink, self.connection
        assert pending is not None
        try:
            while pending:
                item = pending.popleft()
                if self._paused_reading and len(pending) < MAX_WAITING // 2 and self.transport is not None:
                    self._paused_reading = False
                    self.transport.resume_reading()
                if isinstance(item, _End):
                    self._finish(item)
                    return
                if item is _PING:
                    await sink.ping(connection)
                else:
                    await sink.message(connection, item)  # type: ignore[arg-type]  # str or bytes
        finally:
            self._delivering = None
            self._pending = None

    def _finish(self, end: _End) -> None:
        """The socket's end, once every earlier message is handed on: send what Close is due, then hang up."""
        transport = self.transport
        if transport is not None and self._state == _OPEN:
            if end.close is not None:
                transport.write(_close_frame(end.close, b""))
            transport.close()  # the server closes the TCP connection first (RFC 6455 §7.1.1)
        if self._state == _OPEN:
            self._state = _DONE
        self._sink.ended(self.connection, end.code, end.reason)

    # --- closing from our side

    def _send_close(self, code: int, reason: str) -> None:
        assert self.transport is not None
        # A Close carries at most 123 bytes of reason (RFC 6455 §5.5), cut where a character ends.
        self.transport.write(_close_frame(code, reason.encode("utf-8")[:123].decode("utf-8", "ignore").encode()))
        self._state = _CLOSING
        loop = asyncio.get_running_loop()
        self._closed = loop.create_future()
        self._timer = loop.call_later(CLOSE_TIMEOUT_S, self._close_done)
        if not self._ending:
            self._end(_End(code, reason, None))

    def _close_done(self) -> None:
        """The client answered our Close, went away, or took too long: hang up."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.transport is not None:
            self.transport.close()
        self._state = _DONE
        if self._closed is not None and not self._closed.done():
            self._closed.set_result(None)

    def _write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)


def _parse(data: bytes) -> Frame | None:
    """The frame that is all of *data* (a client's: masked), checked by ``websockets``; None if it breaks a rule."""
    at = 0

    def read_exact(size: int) -> Generator[None, None, bytes]:  # websockets' generator-based reader
        nonlocal at
        chunk = data[at : at + size]
        at += size
        return chunk
        yield  # makes this a generator, as Frame.parse expects

    parser = Frame.parse(read_exact, mask=True)
    try:
        next(parser)
    except StopIteration as done:
        frame: Frame = done.value
        return frame
    except ProtocolError:
        return None
    return None  # unreachable: the whole frame is in *data*
