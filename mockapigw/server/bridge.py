"""A real WebSocket behind a runtime connection: messages for the client go out as frames, in order.

The runtime calls :class:`SocketTransport` from any thread (a handler's ``post_to_connection`` runs on a worker
thread). Every socket of one event loop hands its messages over through one outbox: the first message of a batch
schedules one callback on the loop, which writes the whole batch (a broadcast to 10,000 sockets wakes the loop a
few times, not 10,000 times). A message is written to the socket's transport at once, as its frames; only when
the transport holds back (the client reads slower than the server writes) do that socket's messages wait in a
backlog, drained by a task that awaits the transport. A socket with nothing to send keeps no task and no queue
(10,000 idle sockets should cost little memory).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
import weakref
from collections import deque
from typing import TYPE_CHECKING

from .frames import BINARY, FIN, MAX_FRAME_BYTES, TEXT, frame_header, message_frames
from .handover import Handover

if TYPE_CHECKING:
    from .websocket import WebSocket

# What a socket may hold that its client has not taken yet (the messages waiting here and the transport's write
# buffer; the operating system's socket buffers come on top) before a post answers LimitExceededException (429).
# AWS's own limit is unknown: a few MiB, which no client that reads its socket reaches (docs/server-mode.md).
MAX_UNSENT_BYTES = 4 * 1024 * 1024
_ASK_TIMEOUT_S = 5.0  # how long a post waits for the event loop to read a socket's exact buffer size
# How long a closing socket may take to hand its client what was queued before the close. A client that stops
# reading (and may have sent its own Close) would otherwise hold the socket, and a stopping server, forever.
FINISH_GRACE_S = 5.0
_FINISH_CHECK_S = 0.25  # how often a closing socket's progress is looked at


class _Close:
    __slots__ = ("code", "reason")

    def __init__(self, code: int, reason: str) -> None:
        self.code = code
        self.reason = reason


_Item = bytes | _Close


def _write_all(items: list[tuple[SocketTransport, _Item]]) -> None:
    """Write (or queue) a batch of messages, in the order they were posted (event loop thread)."""
    for socket, item in items:
        socket._take(item)


# One hand-over per event loop, for all its sockets; an entry goes when its loop does.
_outboxes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Handover[tuple[SocketTransport, _Item]]] = (
    weakref.WeakKeyDictionary()
)
_outboxes_lock = threading.Lock()


def _outbox_of(loop: asyncio.AbstractEventLoop) -> Handover[tuple[SocketTransport, _Item]]:
    with _outboxes_lock:
        outbox = _outboxes.get(loop)
        if outbox is None:
            outbox = _outboxes[loop] = Handover(loop, _write_all)
        return outbox


class SocketTransport:
    """The runtime's view of one real socket: ``send``, ``close`` and ``buffer_full``, safe from any thread."""

    __slots__ = (
        "_accepted",
        "_backlog",
        "_buffered",
        "_closing",
        "_high",
        "_loop",
        "_outbox",
        "_pump",
        "_socket",
        "_stream",
        "_written",
        "limit",
    )

    def __init__(self, loop: asyncio.AbstractEventLoop, limit: int = MAX_UNSENT_BYTES) -> None:
        self._loop = loop
        self._outbox = _outbox_of(loop)
        self.limit = limit
        self._socket: WebSocket | None = None
        self._stream: asyncio.WriteTransport | None = None
        self._high = 0  # the transport's high-water mark: above it, it has asked its writer to pause
        # Messages waiting for the handshake, or for the transport to take more; None when nothing waits.
        self._backlog: deque[_Item] | None = deque()
        self._pump: asyncio.Task[None] | None = None
        self._closing = False
        # Payload bytes handed over (by posting threads, under the outbox's lock) and written or dropped (by the
        # loop): one writer each, so either may be read from any thread.
        self._accepted = 0
        self._written = 0
        self._buffered = 0  # the transport's write buffer after the last write: it only shrinks until the next

    def send(self, data: bytes) -> None:
        """Send *data* as one message (queued until the handshake is done)."""
        if not self._closing:
            self._hand_over(data, len(data))

    def close(self, code: int, reason: str) -> None:
        """Close the socket with *code* after the messages already queued (once)."""
        if not self._closing:
            self._closing = True
            self._hand_over(_Close(code, reason), 0)

    def _hand_over(self, item: _Item, size: int) -> None:
        """Hand *item* (of *size* payload bytes) to the loop (any thread)."""
        outbox = self._outbox
        with outbox.lock:  # the count under the hand-over's lock: several threads may post to one socket
            self._accepted += size
            outbox.put_locked((self, item))

    def buffer_full(self, incoming: int) -> bool:
        """Whether *incoming* more bytes would take what the client has not taken yet over ``limit`` (any thread).

        Not taken yet: the messages waiting here and the transport's write buffer. The estimate needs no loop
        (the buffer only shrinks between writes); only near the limit is the exact figure read on the loop.
        """
        if self._accepted - self._written + self._buffered + incoming <= self.limit:
            return False
        return self._unsent_now() + incoming > self.limit

    def attach(self, socket: WebSocket, stream: asyncio.Transport) -> None:
        """The handshake is done: *socket* is open on *stream*; send what is pending (loop)."""
        self._socket = socket
        self._stream = stream
        self._high = stream.get_write_buffer_limits()[1]
        self._wake()

    async def finish(self, grace: float | None = None) -> None:
        """Wait until everything queued so far, the close included, has gone out (event loop thread).

        A client that takes nothing for *grace* seconds (``FINISH_GRACE_S``) is cut off: the connection is
        dropped, as a dead peer's is, with whatever it had not taken. A client still reading is waited for.
        """
        self._outbox.flush()  # what other threads handed over before now
        if self._socket is None:  # the handshake never completed: nothing will go out
            self._written = self._accepted
            self._backlog = None
        grace_s = FINISH_GRACE_S if grace is None else grace
        progress = self._progress()
        deadline = self._loop.time() + grace_s
        while self._pump is not None and not self._pump.done():
            pump = self._pump
            try:
                await asyncio.wait_for(asyncio.shield(pump), min(grace_s, _FINISH_CHECK_S))
                continue
            except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
                pass
            if self._progress() != progress:  # the client took something meanwhile: give it the grace again
                progress = self._progress()
                deadline = self._loop.time() + grace_s
            elif self._loop.time() >= deadline:
                await self._cut_off(pump)

    def abort(self) -> None:
        """Drop the connection at once, with whatever it had not taken; hand on nothing more (event loop thread)."""
        if self._socket is not None:
            self._socket.abort()

    def _progress(self) -> tuple[int, int]:
        """What shows a client taking data: bytes written to the transport, and what is left in its buffer."""
        stream = self._stream
        return self._written, stream.get_write_buffer_size() if stream is not None else 0

    async def _cut_off(self, pump: asyncio.Task[None]) -> None:
        """Drop the connection and stop its pump (its ``finally`` accounts for what is dropped)."""
        if self._stream is not None:
            self._stream.abort()
        pump.cancel()
        try:
            await pump
        except asyncio.CancelledError:
            task = asyncio.current_task()
            cancelling = getattr(task, "cancelling", None)  # Python 3.11+: whether the caller itself is cancelled
            if cancelling is not None and cancelling():
                raise

    # --- event loop thread

    def _take(self, item: _Item) -> None:
        backlog = self._backlog
        if backlog is None:
            if type(item) is bytes and self._buffered <= self._high:
                self._write(item)
                return
            backlog = self._backlog = deque()
        backlog.append(item)
        self._wake()

    def _wake(self) -> None:
        if self._socket is None or self._pump is not None:
            return
        if self._backlog:
            self._pump = self._loop.create_task(self._drain())
        else:
            self._backlog = None

    def _write(self, data: bytes) -> None:
        """Write *data* as one message's frames, unless the socket is closed; its bytes are written either way."""
        self._written += len(data)
        socket, stream = self._socket, self._stream
        if socket is None or socket.closed or stream is None or stream.is_closing():
            return  # the client went away, or the socket is closing: its close is on its way
        # API Gateway sends posted data as a text frame; bytes that are not UTF-8 go as a binary frame.
        opcode = TEXT
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                opcode = BINARY
        if len(data) <= MAX_FRAME_BYTES:
            stream.write(frame_header(FIN | opcode, len(data)) + data)
        else:  # all of a message's frames in one write: no other frame can come between them
            stream.writelines(message_frames(data, opcode))
        self._buffered = stream.get_write_buffer_size()

    async def _drain(self) -> None:
        """Write the backlog in order, waiting whenever the transport holds back; close when the close comes."""
        backlog, socket = self._backlog, self._socket
        assert backlog is not None
        assert socket is not None
        try:
            while backlog:
                item = backlog.popleft()
                if isinstance(item, _Close):
                    await socket.close(item.code, item.reason)
                    return
                await socket.drain()  # returns at once unless the transport holds back
                self._write(item)
        finally:
            self._written += sum(len(item) for item in backlog if isinstance(item, bytes))  # dropped
            backlog.clear()
            self._backlog = None
            self._pump = None

    def _unsent(self) -> int:
        stream = self._stream
        if stream is not None and not stream.is_closing():
            self._buffered = stream.get_write_buffer_size()
        else:
            self._buffered = 0
        return self._accepted - self._written + self._buffered

    def _unsent_now(self) -> int:
        """The bytes not taken yet, read on the loop, where they change; 0 once the loop no longer runs."""
        try:
            if asyncio.get_running_loop() is self._loop:
                return self._unsent()
        except RuntimeError:  # no loop in this thread: a worker thread, as usual
            pass
        answer: concurrent.futures.Future[int] = concurrent.futures.Future()

        def read() -> None:
            answer.set_result(self._unsent())

        if not self._loop.is_running():  # the server is stopping: its sockets are going away
            return 0
        try:
            self._loop.call_soon_threadsafe(read)
            return answer.result(timeout=_ASK_TIMEOUT_S)
        except (RuntimeError, concurrent.futures.TimeoutError):  # the loop has stopped: so has the socket
            return 0
