"""One aiohttp handler for every request: control plane, @connections, HTTP APIs and WebSocket upgrades.

Which face of the mock answers is decided by where the request is sent, as on AWS:

* a local execute-api form (``/_aws/execute-api/{apiId}/...`` or ``Host: {apiId}.execute-api.{anything}``) or a
  custom domain name of the mock, by ``Host``: a WebSocket upgrade opens a connection, a path with an
  ``@connections`` segment is the management API, anything else is an HTTP API request;
* anything else is the apigatewayv2 control plane, routed by method and path with the model's router.

The front door (:mod:`mockapigw.runtime.endpoints`) resolves every data-plane request; this module only turns
sockets into calls. Every call into the mock runs on a worker thread, so a slow handler holds up no other request.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import HttpVersion11, StreamReader, WSMsgType, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import RawRequestMessage

from ..core.codec import WireResponse
from ..management.connections import Connection, now_ms
from ..runtime.endpoints import Address, ConnectionsTarget
from ..runtime.websocket import MAX_MESSAGE_BYTES, ConnectionClosed, ConnectionRejected
from .bridge import SocketTransport
from .frames import FrameGuard
from .workers import Workers

if TYPE_CHECKING:
    from ..mock import MockApiGateway

T = TypeVar("T")
_log = logging.getLogger("mockapigw.server")

# The region of a SigV4-signed request: the third part of the credential scope (key/date/region/service/...).
_CREDENTIAL_REGION = re.compile(r"Credential=[^/,\s]+/\d{8}/([a-z0-9-]+)/")
MAX_BODY_BYTES = 10 * 1024 * 1024 + 1  # one byte over the HTTP API payload limit: the runtime answers 413
MAX_HEAD_BYTES = 2 * 10240  # room for any head API Gateway's own limit then refuses
WORKERS = 256
CLOSE_MESSAGE_TOO_BIG = 1009  # aws-behaviour.md §4: a message over 128 KB or a frame over 32 KB closes with 1009
# Closing a socket still waits this long for its $disconnect, so a stopping server does not hang on a handler.
_SHUTDOWN_GRACE_S = 10.0


def _region(headers: Any, default: str) -> str:
    match = _CREDENTIAL_REGION.search(headers.get("Authorization", ""))
    return match.group(1) if match is not None else default


def _is_upgrade(request: web.BaseRequest) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


class _Reading:
    """Where a socket's reader is, so a frame over 32 KB closes it after the messages complete before that frame.

    The reader closes the socket itself when it comes to the oversize frame's message. Only while it waits for a
    message that may never complete (a client that stops mid-message) does a separate task close the socket,
    through ``close()``, which wakes the waiting reader (aiohttp allows ``close()`` from another task).
    """

    __slots__ = ("closer", "closer_started", "guard", "handed", "socket", "waiting")

    def __init__(self, socket: web.WebSocketResponse) -> None:
        self.socket = socket
        self.guard: FrameGuard | None = None
        self.handed = 0  # data messages handed to the runtime
        self.waiting = False  # the reader is waiting in receive()
        self.closer: asyncio.Task[None] | None = None  # held here so the task is not collected mid-close
        self.closer_started = False

    def over_limit(self) -> bool:
        """Whether every message complete before the oversize frame has been handed on."""
        return self.guard is not None and self.guard.oversize and self.handed >= self.guard.messages

    def frame_too_big(self) -> None:
        """The guard saw a frame over 32 KB (called on the event loop)."""
        self.closer = asyncio.get_running_loop().create_task(self._close_if_idle())

    async def _close_if_idle(self) -> None:
        """Close with 1009 if the reader is waiting for the oversize frame's message; else the reader will."""
        if self.waiting and self.over_limit():
            self.closer_started = True
            await self.socket.close(code=CLOSE_MESSAGE_TOO_BIG)


# can_prepare() only reads the request, so one probe checks every upgrade (no WebSocketResponse per request).
_UPGRADE_PROBE = web.WebSocketResponse()


async def _expect(request: web.BaseRequest) -> web.Response | None:
    """Answer an ``Expect`` header as aiohttp's applications do: ``100 Continue``, or 417 for anything else."""
    if request.version == HttpVersion11:
        expect = request.headers.get("Expect", "")
        if expect.lower() != "100-continue":
            return web.Response(status=417, text=f"Unknown Expect: {expect}")
        await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        request.writer.output_size = 0  # the body's bytes are still to come
    await request.writer.drain()
    return None


def _wire(answer: WireResponse) -> web.Response:
    return web.Response(status=answer.status, headers=answer.headers, body=answer.body)


class Gateway:
    """The aiohttp face of one mock: its request handler, its live sockets and its worker threads."""

    def __init__(self, gw: MockApiGateway, region: str, sweep_interval: float = 1.0) -> None:
        self.gw = gw
        self.region = region
        self.sweep_interval = sweep_interval
        self.workers: Workers | None = None  # made with the server, in its event loop
        self.connections: set[Connection] = set()  # open sockets' connections
        self._sweeper: asyncio.Task[None] | None = None

    def server(self) -> web.Server:
        """aiohttp's low-level server, calling :meth:`handle` for every request; starts the idle sweeper.

        Made in the running loop. No ``web.Application``: with one catch-all route, its router's match info and
        its handler frame would only cost every open WebSocket memory and every request time.
        """
        loop = asyncio.get_running_loop()
        self.workers = Workers(loop, WORKERS)
        self._sweeper = loop.create_task(self._sweep())

        def request(
            message: RawRequestMessage,
            payload: StreamReader,
            protocol: web.RequestHandler,
            writer: AbstractStreamWriter,
            task: asyncio.Task[None],
        ) -> web.BaseRequest:
            return web.BaseRequest(message, payload, protocol, writer, task, loop, client_max_size=MAX_BODY_BYTES)

        # aiohttp's default line and header limits (8190 bytes) are below API Gateway's 10240-byte request head:
        # raised, so that the runtime answers an oversized head as API Gateway does (431).
        return web.Server(
            self.handle,
            request_factory=request,
            access_log=None,
            max_line_size=MAX_HEAD_BYTES,
            max_field_size=MAX_HEAD_BYTES,
        )

    async def _run(self, call: Callable[[], T]) -> T:
        assert self.workers is not None, "requests come only once server() has made the workers"
        return await self.workers.run(call)

    # --- dispatch

    def handle(self, request: web.BaseRequest) -> Awaitable[web.StreamResponse]:
        """The answer to one request, whichever face of the mock it is for (aiohttp awaits it).

        A plain function that returns the chosen face's coroutine: no frame of its own stays alive for as long
        as a WebSocket is open.
        """
        if request.headers.get("Expect"):
            return self._after_expect(request)
        return self._face(request)

    async def _after_expect(self, request: web.BaseRequest) -> web.StreamResponse:
        refused = await _expect(request)
        return refused if refused is not None else await self._face(request)

    def _face(self, request: web.BaseRequest) -> Awaitable[web.StreamResponse]:
        host = request.headers.get("Host", "")
        path, _, query = request.raw_path.partition("?")
        address = Address.local(host, path)
        if address is None and self.gw.endpoints.knows(host):
            address = Address.of(host, path, tuple(request.headers.items()))  # a custom domain name (its rules)
        if address is None:
            return self._control_plane(request, host, path, query)
        if _is_upgrade(request):
            return self._websocket(request, address)
        segments = address.path.split("/")
        if "@connections" in segments:
            return self._connections(request, address, query)
        if "%40connections" in (segment.lower() for segment in segments):
            # AWS accepts the @ percent-encoded (its docs' curl example does it; so may SDKs): the same request.
            decoded = "/".join("@connections" if s.lower() == "%40connections" else s for s in segments)
            return self._connections(request, Address(address.host, decoded, address.api_id, address.region), query)
        return self._http_api(request, address, query)

    async def _read(self, request: web.BaseRequest) -> bytes | web.Response:
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413, text="HTTP content length exceeded 10485760 bytes.")

    async def _control_plane(self, request: web.BaseRequest, host: str, path: str, query: str) -> web.Response:
        body = await self._read(request)
        if isinstance(body, web.Response):
            return body
        url = f"http://{host}{path}" + (f"?{query}" if query else "")
        region = _region(request.headers, self.region)
        dispatcher = self.gw.dispatcher
        method, headers = request.method, request.headers
        answer = await self._run(lambda: dispatcher.answer("apigatewayv2", method, url, headers, body, region))
        return _wire(answer)

    async def _connections(self, request: web.BaseRequest, address: Address, query: str) -> web.Response:
        body = await self._read(request)
        if isinstance(body, web.Response):
            return body
        # The management service reads the API and stage from AWS's host and the stage path, as a client sends it.
        host = self.gw.endpoints.execute_api_host(address)
        url = f"https://{host}{address.path}" + (f"?{query}" if query else "")
        region = _region(request.headers, address.region or self.region)
        dispatcher = self.gw.dispatcher
        method, headers = request.method, request.headers
        answer = await self._run(
            lambda: dispatcher.answer("apigatewaymanagementapi", method, url, headers, body, region)
        )
        return _wire(answer)

    async def _http_api(self, request: web.BaseRequest, address: Address, query: str) -> web.Response:
        body = await self._read(request)
        if isinstance(body, web.Response):
            return body
        # The client's Host is local; the front door gives the event AWS's host instead.
        headers = [(name, value) for name, value in request.headers.items() if name.lower() != "host"]
        url = f"https://{address.host}{address.path}" + (f"?{query}" if query else "")
        peer = request.remote or "127.0.0.1"
        runtime = self.gw.http
        method = request.method
        answer = await self._run(lambda: runtime.handle(method, url, headers, body, address=address, source_ip=peer))
        if answer is None:
            return web.Response(status=404, text='{"message":"Not Found"}', content_type="application/json")
        response = web.Response(status=answer.status, body=answer.body)
        for name, value in answer.headers:
            if name.lower() not in ("content-length", "date"):  # aiohttp writes its own, for the body it sends
                response.headers.add(name, value)
        return response

    # --- WebSocket

    async def _websocket(self, request: web.BaseRequest, address: Address) -> web.StreamResponse:
        if not _UPGRADE_PROBE.can_prepare(request).ok:
            return web.Response(status=400, text="Bad WebSocket upgrade request")
        transport = SocketTransport(asyncio.get_running_loop())
        try:
            connection = await self._run(self._connect_call(request, address, transport))
        except ConnectionRejected as rejected:
            # API Gateway refuses the upgrade with an HTTP status; the socket is never opened. Say why in the log.
            _log.warning("WebSocket handshake to %s%s refused: %s", address.host, address.path, rejected)
            return web.Response(status=rejected.status_code, text=rejected.body, content_type="application/json")
        protocols = (connection.subprotocol,) if connection.subprotocol else ()
        # No permessage-deflate: API Gateway is not known to negotiate it (a choice, in docs/server-mode.md).
        socket = web.WebSocketResponse(
            protocols=protocols, autoping=False, max_msg_size=MAX_MESSAGE_BYTES, compress=False
        )
        self.connections.add(connection)
        code = 1006  # abnormal closure, unless the socket closes with a code
        reading = _Reading(socket)
        # Installed before the 101 answer goes out, so the guard sees every frame from its first byte.
        if request.transport is not None:
            reading.guard = FrameGuard.install(request.transport, reading.frame_too_big)
        try:
            writer = await socket.prepare(request)  # the client may be gone already: then only $disconnect is left
            transport.attach(socket, writer)
            code = await self._read_frames(socket, connection, reading)
        finally:
            await self._run(partial(self.gw.websockets.close, connection, code, ""))  # $disconnect, once
            transport.close(code, "")
            await transport.finish()
            connection.socket_closed()  # the closed connection's record stays; the socket's objects need not
            reading.guard = None
            self.connections.discard(connection)
        return socket

    def _connect_call(
        self, request: web.BaseRequest, address: Address, transport: SocketTransport
    ) -> Callable[[], Connection]:
        """The handshake's ``$connect`` call, with what it reads of the request copied into it.

        Made here rather than in ``_websocket``, so the copies go once the call is made instead of living in the
        socket's coroutine for as long as the socket is open.
        """
        target = self.gw.endpoints.websocket_target(address) or ConnectionsTarget("", self.region, "")
        headers = {name: value for name, value in request.headers.items() if name.lower() != "host"}
        query: dict[str, str | list[str]] = {key: request.query.getall(key) for key in request.query}
        return partial(
            self.gw.websockets.connect,
            target.api_id,
            target.stage,
            headers=headers,
            query=query,
            source_ip=request.remote or "127.0.0.1",
            user_agent=request.headers.get("User-Agent"),
            region=target.region,
            transport=transport,
            domain_name=address.host if address.api_id is None else None,  # a custom domain name
        )

    async def _read_frames(self, socket: web.WebSocketResponse, connection: Connection, reading: _Reading) -> int:
        """Hand the socket's messages to the runtime, one at a time and in order, until it closes; the close code.

        One at a time per connection keeps a connection's replies in the order of its messages (AWS promises no
        order); other connections are served meanwhile, each message on a worker thread. The message with a frame
        over 32 KB, and any after it, is not handed on: the socket closes with 1009, as on AWS.
        """
        websockets = self.gw.websockets
        while True:
            if reading.over_limit() and not reading.closer_started:
                await socket.close(code=CLOSE_MESSAGE_TOO_BIG)
                return CLOSE_MESSAGE_TOO_BIG
            reading.waiting = True
            message = await socket.receive()
            reading.waiting = False
            if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED):
                break
            if reading.over_limit():  # past the oversize frame: hand on nothing; the loop's top or the closer closes
                continue
            if message.type in (WSMsgType.TEXT, WSMsgType.BINARY):  # binary: the runtime closes with 1003
                reading.handed += 1
                try:
                    await self._run(partial(websockets.send, connection, message.data))
                except ConnectionClosed:  # closed meanwhile (expiry, @connections): the socket is closing already
                    continue
                except Exception:  # noqa: BLE001 - a failure of the mock itself: nothing for the client, logged
                    _log.exception("message on connection %s failed", connection.connection_id)
            elif message.type == WSMsgType.PING:
                await socket.pong(message.data)
                try:
                    await self._run(partial(websockets.ping, connection))
                except ConnectionClosed:  # it expired just now: the runtime is closing the socket
                    continue
            elif message.type == WSMsgType.ERROR:
                # A protocol error or an oversized message: close with its code (1002, 1007, 1009...).
                code = int(getattr(message.data, "code", 1006))
                await socket.close(code=code)
                return code
        if reading.over_limit():
            return CLOSE_MESSAGE_TOO_BIG
        return socket.close_code or 1006

    # --- expiry and shutdown

    async def _sweep(self) -> None:
        """Close connections past their idle timeout or lifetime (read on the real clock, as on AWS)."""
        websockets = self.gw.websockets
        while True:
            await asyncio.sleep(self.sweep_interval)
            now = now_ms()
            # Checked here (cheap); only the due ones go to a worker, where closing runs $disconnect.
            due = [connection for connection in list(self.connections) if connection.due_to_expire(now)]
            await asyncio.gather(*(self._run(partial(websockets.refresh, connection)) for connection in due))

    async def shutdown(self) -> None:
        """Close every socket with 1001 (running ``$disconnect``), then stop the worker threads."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        websockets = self.gw.websockets
        closing = (
            self._run(partial(websockets.close, connection, 1001, "Going away")) for connection in self.connections
        )
        await asyncio.gather(*closing)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + _SHUTDOWN_GRACE_S
        while self.connections and loop.time() < deadline:  # each socket's handler runs its $disconnect
            await asyncio.sleep(0.01)
