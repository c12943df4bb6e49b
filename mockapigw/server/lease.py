"""Every connection starts with aiohttp; a WebSocket takes its socket back after the handshake.

aiohttp parses HTTP and answers every request, but a WebSocket it serves keeps the whole request (its message,
headers, parser, two tasks and their coroutines) for as long as the socket is open: about 12 KiB, most of an open
connection's memory. So the protocol asyncio creates for each accepted connection is a :class:`Lease`, which
lends the socket's transport to aiohttp's ``RequestHandler`` and stands in for it: aiohttp writes and closes
through the lease. When a WebSocket upgrade is accepted, :meth:`Lease.hand_over` gives the transport to the
WebSocket's own small protocol and tells aiohttp the connection is gone (``connection_lost``), the same event a
client hanging up would be; aiohttp then lets go of everything it held, and whatever it still writes or closes
through the lease goes nowhere.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from aiohttp import web


class Lease(asyncio.Protocol):
    """The protocol of one accepted connection, and the transport aiohttp's handler sees until a hand-over."""

    __slots__ = ("_inner", "_transport")

    def __init__(self, inner: web.RequestHandler) -> None:
        self._inner: web.RequestHandler | None = inner
        self._transport: asyncio.Transport | None = None

    # --- asyncio's protocol side: events of the real transport, for aiohttp while it holds the lease

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)  # uvloop's is one without subclassing it
        if self._inner is not None:
            self._inner.connection_made(self)  # type: ignore[arg-type]  # the lease stands in for the transport

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._inner is not None else None  # type: ignore[func-returns-value]

    def connection_lost(self, exc: Exception | None) -> None:
        inner, self._inner = self._inner, None
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

    # --- the hand-over

    def hand_over(self, protocol: asyncio.BaseProtocol) -> asyncio.Transport | None:
        """Give the socket to *protocol* and release aiohttp's handler; the transport, or None if it is gone."""
        transport, inner = self._transport, self._inner
        if transport is None or inner is None or transport.is_closing():
            return None
        self._inner = None  # from here on, aiohttp's writes and closes go nowhere
        transport.set_protocol(protocol)
        protocol.connection_made(transport)
        inner.connection_lost(None)  # to aiohttp, the client has gone: it frees the request and its tasks end
        return transport


class LeasingServer(web.Server):
    """aiohttp's low-level server, each of whose connections is a :class:`Lease`."""

    def __call__(self) -> Lease:  # type: ignore[override]  # asyncio only needs a protocol
        return Lease(super().__call__())


def lease_of(request: web.BaseRequest) -> Lease | None:
    """The lease of the connection *request* came on, if it is one (aiohttp sees the lease as its transport)."""
    transport = request.transport
    return transport if isinstance(transport, Lease) else None
