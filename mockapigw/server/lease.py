"""Every connection starts as a lease: aiohttp serves it, or a WebSocket takes its socket once its handshake is done.

aiohttp parses HTTP and answers every request, but a WebSocket it serves keeps the whole request (its message,
headers, parser, two tasks and their coroutines) for as long as the socket is open: about 12 KiB, most of an open
connection's memory. So the protocol asyncio creates for each accepted connection is a :class:`Lease`, which
lends the socket's transport to aiohttp's ``RequestHandler`` and stands in for it: aiohttp writes and closes
through the lease. When a WebSocket upgrade is accepted, :meth:`Lease.hand_over` gives the transport to the
WebSocket's own small protocol and tells aiohttp the connection is gone (``connection_lost``), the same event a
client hanging up would be; aiohttp then lets go of everything it held, and whatever it still writes or closes
through the lease goes nowhere.

Making aiohttp's handler (its parser, timers, tasks and request) costs a handshake more than the rest of the
server's work, so the handler is made only when the connection's first bytes need it: a first request that is a
WebSocket upgrade the server answers itself (``first_request``, :mod:`.upgrade`) goes straight to the hand-over.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

from aiohttp import web
from aiohttp.tcp_helpers import tcp_keepalive, tcp_nodelay

_NEW, _LENT, _OWN, _DONE = 0, 1, 2, 3  # _OWN: the lease answers the connection's first request, an upgrade
# What the lease keeps of a client's bytes while it answers an upgrade; past it, it stops reading, as aiohttp's
# handler stops reading an upgraded connection past its read buffer (read_bufsize, 64 KiB).
EARLY_BYTES = 2**16
# A connection that sends nothing is closed after this long, as aiohttp's handler (keepalive_timeout) closes one.
QUIET_TIMEOUT_S = 75.0

# Takes a connection whose first bytes are *data* (true), or leaves it to aiohttp (false).
FirstRequest = Callable[["Lease", bytes], bool]


class Lease(asyncio.Protocol):
    """The protocol of one accepted connection, and the transport aiohttp's handler sees until a hand-over.

    aiohttp's handler is made only once it is needed: a connection whose first request is an upgrade the server
    answers itself (``first_request``) never has one, unless that upgrade is refused (the connection may go on).
    """

    __slots__ = ("_early", "_inner", "_quiet", "_server", "_state", "_transport")

    def __init__(self, server: LeasingServer) -> None:
        self._server = server
        self._state = _NEW
        self._inner: web.RequestHandler | None = None
        self._transport: asyncio.Transport | None = None
        self._early: bytearray | None = None  # bytes read while the lease answers an upgrade
        self._quiet: asyncio.TimerHandle | None = None  # closes a connection that sends nothing

    # --- asyncio's protocol side: events of the real transport, for aiohttp while it holds the lease

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is one without subclassing it
        self._server.unlent.add(self)
        self._quiet = asyncio.get_running_loop().call_later(QUIET_TIMEOUT_S, self._close_quiet)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)
        elif self._state == _NEW:
            self._stop_quiet()
            first = self._server.first_request
            self._state = _OWN
            if first is None or not first(self, data):
                self.lend(data)
        elif self._state == _OWN:
            # A client may send before the 101 comes (its first frames): kept for the socket's protocol.
            if self._early is None:
                self._early = bytearray()
            self._early += data
            if len(self._early) >= EARLY_BYTES and self._transport is not None:
                self._transport.pause_reading()  # resumed by whoever gets the connection

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None  # type: ignore[func-returns-value]

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_quiet()
        inner, self._inner = self._inner, None
        self._state = _DONE
        self._server.unlent.discard(self)
        if inner is not None:
            inner.connection_lost(exc)

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()

    # --- the transport side: every method aiohttp's server calls on its transport (3.9 to 3.14)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.write(data)

    def writelines(self, list_of_data: Any) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.writelines(list_of_data)

    def close(self) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.close()

    def abort(self) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.abort()

    def pause_reading(self) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.pause_reading()

    def resume_reading(self) -> None:
        if self._inner is not None and self._transport is not None:
            self._transport.resume_reading()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default) if self._transport is not None else default

    def is_closing(self) -> bool:
        return self._inner is None or self._transport is None or self._transport.is_closing()

    # --- the first request, answered by the lease

    def lend(self, data: bytes = b"") -> None:
        """Give the connection to a new aiohttp handler, with the bytes read and not answered yet.

        For a connection the lease does not answer, and after an upgrade it answered with a refusal.
        """
        if self._state != _OWN or self._transport is None:
            return  # the client has gone meanwhile
        early, self._early = self._early, None
        self._state = _LENT
        self._server.unlent.discard(self)
        inner = self._inner = web.Server.__call__(self._server)
        inner.connection_made(self)  # type: ignore[arg-type]  # the lease stands in for the transport
        if early is not None and len(early) >= EARLY_BYTES:
            self._transport.resume_reading()  # aiohttp pauses it again if it must
        if data or early:
            inner.data_received(bytes(data) + bytes(early or b""))

    def answer(self, data: bytes) -> None:
        """Write the answer to a first request the lease took (before :meth:`lend` or :meth:`hand_over`)."""
        if self._state == _OWN and self._transport is not None:
            self._transport.write(data)

    def close_after_answer(self) -> None:
        """Close a connection whose first request the lease answered, once the answer is written."""
        if self._state == _OWN and self._transport is not None:
            self._transport.close()

    def _close_quiet(self) -> None:
        self._quiet = None
        if self._state == _NEW and self._transport is not None:
            self._transport.close()

    def _stop_quiet(self) -> None:
        if self._quiet is not None:
            self._quiet.cancel()
            self._quiet = None

    def drop(self) -> None:
        """Close a connection aiohttp has not had yet (the server stops)."""
        if self._state in (_NEW, _OWN) and self._transport is not None:
            self._transport.abort()

    # --- the hand-over

    def hand_over(self, protocol: asyncio.BaseProtocol) -> asyncio.Transport | None:
        """Give the socket to *protocol* and release aiohttp's handler; the transport, or None if it is gone."""
        transport, inner = self._transport, self._inner
        if transport is None or self._state not in (_LENT, _OWN) or transport.is_closing():
            return None
        early, self._early = self._early, None
        self._inner = None  # from here on, aiohttp's writes and closes go nowhere
        self._state = _DONE
        self._server.unlent.discard(self)
        if inner is None:
            tcp_nodelay(transport, True)  # as aiohttp sets it: small frames go out at once
            tcp_keepalive(transport)
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        if early is not None and len(early) >= EARLY_BYTES:
            transport.resume_reading()  # the protocol pauses it again if it must
        if inner is not None:
            inner.connection_lost(None)  # to aiohttp, the client has gone: it frees the request and its tasks end
        if early and isinstance(protocol, asyncio.Protocol):
            protocol.data_received(bytes(early))
        return transport


class LeasingServer(web.Server):
    """aiohttp's low-level server, each of whose connections is a :class:`Lease`.

    *first_request* may take a connection by its first bytes (see :class:`Lease`).
    """

    def __init__(self, handler: Any, *, first_request: FirstRequest | None = None, **kwargs: Any) -> None:
        super().__init__(handler, **kwargs)
        self.first_request = first_request
        self.unlent: set[Lease] = set()  # connections aiohttp does not know of (its shutdown would not close them)

    async def shutdown(self, timeout: float | None = None) -> None:
        for lease in list(self.unlent):
            lease.drop()
        await super().shutdown(timeout)

    def __call__(self) -> Lease:  # type: ignore[override]  # asyncio only needs a protocol
        return Lease(self)


def lease_of(request: web.BaseRequest) -> Lease | None:
    """The lease of the connection *request* came on, if it is one (aiohttp sees the lease as its transport)."""
    transport = request.transport
    return transport if isinstance(transport, Lease) else None
