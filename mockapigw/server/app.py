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
import base64
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from aiohttp import HttpVersion11, StreamReader, web
from aiohttp.abc import AbstractStreamWriter
from aiohttp.http import WS_KEY, RawRequestMessage

from ..core.codec import WireResponse
from ..management.connections import OPEN, Connection, now_ms
from ..runtime.endpoints import Address, ConnectionsTarget
from ..runtime.websocket import ConnectionClosed, ConnectionRejected
from .bridge import SocketTransport
from .lease import Lease, LeasingServer, lease_of
from .upgrade import Upgrade, first_upgrade, head_parser, may_be_upgrade, refusal, trouble
from .websocket import CLOSE_ABNORMAL, WebSocket
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
# Closing a socket still waits this long for its $disconnect, so a stopping server does not hang on a handler.
_SHUTDOWN_GRACE_S = 10.0


def _region(headers: Any, default: str) -> str:
    match = _CREDENTIAL_REGION.search(headers.get("Authorization", ""))
    return match.group(1) if match is not None else default


def _is_upgrade(request: web.BaseRequest) -> bool:
    return request.headers.get("Upgrade", "").lower() == "websocket"


# can_prepare() only reads the request, so one probe checks every upgrade (no WebSocketResponse per request).
_UPGRADE_PROBE = web.WebSocketResponse()


def _valid_upgrade(request: web.BaseRequest) -> bool:
    """Whether *request* is a valid WebSocket upgrade, by aiohttp's handshake checks."""
    try:
        return _UPGRADE_PROBE.can_prepare(request).ok
    except ValueError:  # aiohttp's key check lets base64's error out for a key that is not ASCII: a bad key too
        return False


class _HandedOver(web.StreamResponse):
    """What the handler answers aiohttp for a socket it handed over: aiohttp has nothing left to write it to, and
    this response writes nothing (cheaper than letting aiohttp find that out)."""

    def __init__(self) -> None:
        super().__init__(status=101)
        self.force_close()  # no keep-alive: the connection is no longer aiohttp's

    async def prepare(self, request: web.BaseRequest) -> None:
        return None

    async def write_eof(self, data: bytes = b"") -> None:
        return None


_HANDED_OVER = _HandedOver()  # keeps no state of any request: one serves them all


def handshake_answer(key: str, subprotocol: str | None) -> bytes:
    """The ``101 Switching Protocols`` answer to an upgrade with *key* (RFC 6455 §4.2.2)."""
    accept = base64.b64encode(hashlib.sha1(key.encode() + WS_KEY).digest()).decode()
    lines = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade"]
    lines.append(f"Sec-WebSocket-Accept: {accept}")
    if subprotocol:
        lines.append(f"Sec-WebSocket-Protocol: {subprotocol}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


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
        # Tasks of the lease's handshakes and of sockets running their $disconnect, held here until done.
        self._tasks: set[asyncio.Task[None]] = set()
        self._sweeper: asyncio.Task[None] | None = None

    def server(self) -> LeasingServer:
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
        return LeasingServer(
            self.handle,
            request_factory=request,
            access_log=None,
            max_line_size=MAX_HEAD_BYTES,
            max_field_size=MAX_HEAD_BYTES,
            first_request=self._first_request,
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

    def _address(self, host: str, path: str, headers: Any) -> Address | None:
        """The data-plane address a request to *host* and *path* is for; None: the control plane's."""
        address = Address.local(host, path)
        if address is None and self.gw.endpoints.knows(host):
            address = Address.of(host, path, tuple(headers))  # a custom domain name (its rules)
        return address

    def _face(self, request: web.BaseRequest) -> Awaitable[web.StreamResponse]:
        host = request.headers.get("Host", "")
        path, _, query = request.raw_path.partition("?")
        address = self._address(host, path, request.headers.items())
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
            lowered = name.lower()
            # aiohttp writes its own, for the body it sends; an answer to HEAD sends none, and keeps the GET's length.
            if lowered == "date" or (lowered == "content-length" and method != "HEAD"):
                continue
            response.headers.add(name, value)
        return response

    # --- WebSocket

    async def _websocket(self, request: web.BaseRequest, address: Address) -> web.StreamResponse:
        """An upgrade aiohttp parsed (one after other requests on its connection, or one the lease did not take)."""
        lease = lease_of(request)
        if not _valid_upgrade(request) or lease is None:
            return web.Response(status=400, text="Bad WebSocket upgrade request")
        rejected = await self._open(lease, Upgrade.of(request), address)
        if rejected is not None:
            return web.Response(status=rejected.status_code, text=rejected.body, content_type="application/json")
        return _HANDED_OVER

    def _first_request(self, lease: Lease, data: bytes) -> bool:
        """Take a connection whose first bytes *data* are an upgrade to a WebSocket of the mock; False: not one.

        The lease answers it without aiohttp (:mod:`.upgrade`); anything else goes to aiohttp as before.
        """
        if not may_be_upgrade(data):
            return False
        parser = head_parser(asyncio.get_running_loop(), MAX_HEAD_BYTES)
        upgrade = first_upgrade(parser, data, lease.get_extra_info("peername"))
        if upgrade is None:
            return False
        address = self._address(upgrade.headers.get("Host", ""), upgrade.path, upgrade.headers.items())
        if address is None:
            return False
        task = asyncio.get_running_loop().create_task(self._open_first(lease, upgrade, address))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return True

    async def _open_first(self, lease: Lease, upgrade: Upgrade, address: Address) -> None:
        try:
            rejected = await self._open(lease, upgrade, address)
        except Exception:  # noqa: BLE001 - a failure of the mock itself: answered and closed, as aiohttp does
            _log.exception("WebSocket handshake to %s%s failed", address.host, address.path)
            lease.answer(trouble())
            lease.close_after_answer()
            return
        if rejected is not None:
            # As aiohttp answers it; the connection stays open for more requests (aiohttp's, from now on).
            lease.answer(refusal(rejected.status_code, rejected.body))
            lease.lend()

    async def _open(self, lease: Lease, upgrade: Upgrade, address: Address) -> ConnectionRejected | None:
        """Run ``$connect`` for *upgrade*; then hand the socket over and answer 101, or the refusal to answer."""
        transport = SocketTransport(asyncio.get_running_loop())
        try:
            connection = await self._run(self._connect_call(upgrade, address, transport))
        except ConnectionRejected as rejected:
            # API Gateway refuses the upgrade with an HTTP status; the socket is never opened. Say why in the log.
            _log.warning("WebSocket handshake to %s%s refused: %s", address.host, address.path, rejected)
            return rejected
        self.connections.add(connection)
        socket = WebSocket(self, connection)
        stream = lease.hand_over(socket)  # from here on aiohttp (if it had the connection) holds nothing of it
        if stream is None:  # the client went away during $connect: only $disconnect is left
            await self._end(connection, transport, CLOSE_ABNORMAL, "")
        else:
            # No permessage-deflate: API Gateway is not known to negotiate it (a choice, in docs/server-mode.md).
            # Only a subprotocol the client offered is answered, as aiohttp negotiated: a client must fail the
            # connection whose answer names one it did not offer (RFC 6455 §4.1).
            offered = upgrade.offered_subprotocols()
            chosen = connection.subprotocol if connection.subprotocol in offered else None
            stream.write(handshake_answer(upgrade.headers.get("Sec-WebSocket-Key", ""), chosen))
            transport.attach(socket, stream)
        return None

    def _connect_call(self, upgrade: Upgrade, address: Address, transport: SocketTransport) -> Callable[[], Connection]:
        """The handshake's ``$connect`` call, with what it reads of the request copied into it."""
        target = self.gw.endpoints.websocket_target(address) or ConnectionsTarget("", self.region, "")
        headers = {name: value for name, value in upgrade.headers.items() if name.lower() != "host"}
        query: dict[str, str | list[str]] = {key: upgrade.query.getall(key) for key in upgrade.query}
        return partial(
            self.gw.websockets.connect,
            target.api_id,
            target.stage,
            headers=headers,
            query=query,
            source_ip=upgrade.peer or "127.0.0.1",
            user_agent=upgrade.headers.get("User-Agent"),
            region=target.region,
            transport=transport,
            domain_name=address.host if address.api_id is None else None,  # a custom domain name
        )

    # --- open sockets (the WebSocket protocol calls these)

    def message(self, connection: Connection, data: str | bytes) -> Awaitable[None]:
        """Hand one message to the runtime (binary included: the runtime closes with 1003, as AWS does)."""
        return self._hand_on("message", connection, partial(self.gw.websockets.send, connection, data))

    def ping(self, connection: Connection) -> Awaitable[None]:
        """The client pinged (its pong is sent already): the runtime counts it as activity."""
        return self._hand_on("ping", connection, partial(self.gw.websockets.ping, connection))

    async def _hand_on(self, what: str, connection: Connection, call: Callable[[], None]) -> None:
        try:
            await self._run(call)
        except ConnectionClosed:  # closed meanwhile (expiry, @connections): the socket is closing already
            pass
        except Exception:  # noqa: BLE001 - a failure of the mock itself: nothing for the client, logged
            # Raised, it would also end the socket's delivery and lose its end (the answering Close, $disconnect).
            _log.exception("%s on connection %s failed", what, connection.connection_id)

    def ended(self, connection: Connection, code: int, reason: str) -> None:
        """The socket is over: run ``$disconnect`` and let the connection's socket objects go (event loop)."""
        transport = connection.transport
        assert isinstance(transport, SocketTransport)
        task = asyncio.get_running_loop().create_task(self._end(connection, transport, code, reason))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _end(self, connection: Connection, transport: SocketTransport, code: int, reason: str) -> None:
        try:
            # $disconnect, once; with 1001 if it expired before the sweep (once a second) found it
            await self._run(partial(self.gw.websockets.client_closed, connection, code, reason))
        finally:
            transport.close(code, reason)
            await transport.finish()
            connection.socket_closed()  # the closed connection's record stays; the socket's objects need not
            self.connections.discard(connection)

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
        # Each socket's handler runs its $disconnect; a first upgrade's $connect under way (in _tasks, as aiohttp's
        # shutdown waited for its handlers) opens its socket, closed then as a late one.
        while (self.connections or self._tasks) and loop.time() < deadline:
            # The port still takes connections until aiohttp's shutdown: a socket opened meanwhile (a client that
            # reconnects as soon as it is closed) is closed too, rather than held open for the whole grace.
            late = [connection for connection in self.connections if connection.state == OPEN]
            await asyncio.gather(*(self._run(partial(websockets.close, c, 1001, "Going away")) for c in late))
            await asyncio.sleep(0.01)
        for connection in list(self.connections):
            # Still open after the grace (a handler of its outlasts it): dropped, as aiohttp's shutdown dropped its
            # sockets; aiohttp no longer holds a handed-over socket, and asyncio's loop would leave it open.
            transport = connection.transport
            if isinstance(transport, SocketTransport):
                transport.abort()
