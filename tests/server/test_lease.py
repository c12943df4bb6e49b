"""The lease: aiohttp serves a connection until a handler hands its socket over, then keeps nothing of it."""

from __future__ import annotations

import asyncio
import gc
import socket
import weakref
from typing import Any

import pytest
from aiohttp import web

from mockapigw.server.lease import LeasingServer, lease_of


class _Echo(asyncio.Protocol):
    """What takes the socket over: answers each read with its bytes upper-cased."""

    def __init__(self) -> None:
        self.transport: Any = None

    def connection_made(self, transport: Any) -> None:
        self.transport = transport
        transport.write(b"taken\n")

    def data_received(self, data: bytes) -> None:
        self.transport.write(data.upper())


async def _exchange(port: int, request: bytes, then: bytes) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    got = await reader.readuntil(b"taken\n")
    writer.write(then)
    await writer.drain()
    got += await reader.readexactly(len(then))
    writer.close()
    return got


def test_a_handed_over_socket_is_the_new_protocols_and_aiohttp_lets_go_of_everything() -> None:
    held: dict[str, Any] = {}

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        lease = lease_of(request)
        assert lease is not None
        held["request"] = weakref.ref(request)
        held["handler"] = id(request.protocol)  # aiohttp's RequestHandler takes no weak reference
        protocol = _Echo()
        held["protocol"] = protocol
        assert lease.hand_over(protocol) is not None
        return web.Response(text="never sent")  # aiohttp has let go of the socket: this goes nowhere

    async def main() -> None:
        server = LeasingServer(handle)
        listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        got = await _exchange(port, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"after")
        assert got == b"taken\nAFTER"  # nothing of aiohttp's answer, and the new protocol reads what follows
        for _ in range(5):
            await asyncio.sleep(0)
        gc.collect()
        assert held["request"]() is None
        assert not any(type(o) is web.RequestHandler and id(o) == held["handler"] for o in gc.get_objects())
        assert server.connections == []
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_keep_alive_requests_are_aiohttps_until_one_hands_over() -> None:
    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.path == "/take":
            lease = lease_of(request)
            assert lease is not None and lease.hand_over(_Echo()) is not None
        return web.Response(text="plain")

    async def main() -> None:
        listener = await asyncio.get_running_loop().create_server(LeasingServer(handle), "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        first = b"GET /plain HTTP/1.1\r\nHost: x\r\n\r\n"
        got = await _exchange(port, first + b"GET /take HTTP/1.1\r\nHost: x\r\n\r\n", b"x")
        assert got.startswith(b"HTTP/1.1 200 OK") and got.count(b"HTTP/1.1") == 1 and got.endswith(b"plaintaken\nX")
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_a_socket_gone_before_the_hand_over_is_not_handed() -> None:
    outcome: list[Any] = []

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        lease = lease_of(request)
        assert lease is not None
        for _ in range(100):  # until the client's hang-up has reached the server
            if lease.is_closing():
                break
            await asyncio.sleep(0.01)
        outcome.append(lease.hand_over(_Echo()))
        return web.Response()

    async def main() -> None:
        listener = await asyncio.get_running_loop().create_server(LeasingServer(handle), "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        raw = socket.create_connection(("127.0.0.1", port))
        raw.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        raw.close()
        for _ in range(200):
            if outcome:
                break
            await asyncio.sleep(0.01)
        assert outcome == [None]
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_the_lease_is_a_plain_protocol_and_a_transport_before_it_has_a_socket() -> None:
    async def main() -> None:
        lease = LeasingServer(lambda request: web.Response())()
        assert not hasattr(lease, "get_buffer")  # not a buffered protocol: asyncio and uvloop call data_received
        assert lease.is_closing() and lease.get_extra_info("peername", "none") == "none"  # no socket yet

    asyncio.run(main())


def _taking(decisions: list[bytes], then: Any) -> Any:
    """A first-request hook that takes every connection and calls *then(lease)* on the next loop turn."""

    def first_request(lease: Any, data: bytes) -> bool:
        decisions.append(data)
        asyncio.get_running_loop().call_later(0.05, then, lease)
        return True

    return first_request


def test_a_first_request_the_lease_takes_never_reaches_aiohttp_and_early_bytes_follow_the_socket() -> None:
    seen: list[bytes] = []
    handled: list[str] = []

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        handled.append(request.path)
        return web.Response(text="aiohttp")

    async def main() -> None:
        server = LeasingServer(handle, first_request=_taking(seen, lambda lease: lease.hand_over(_Echo())))
        listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        await asyncio.sleep(0.01)
        writer.write(b"early")  # before the hand-over: kept for the new protocol
        await writer.drain()
        assert await reader.readexactly(len(b"taken\nEARLY")) == b"taken\nEARLY"
        writer.close()
        assert seen == [b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n"]
        assert handled == [] and server.connections == [] and not server.unlent
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_a_first_request_the_lease_answers_leaves_the_connection_to_aiohttp() -> None:
    def refuse(lease: Any) -> None:
        lease.answer(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno")
        lease.lend()

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        return web.Response(text=f"aiohttp {request.path}")

    async def main() -> None:
        server = LeasingServer(handle, first_request=_taking([], refuse))
        listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        assert await reader.readuntil(b"no") == b"HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\n\r\nno"
        writer.write(b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        assert (await reader.readuntil(b"aiohttp /next")).startswith(b"HTTP/1.1 200 OK")
        writer.close()
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_a_connection_aiohttp_never_had_is_closed_by_the_servers_shutdown() -> None:
    async def main() -> None:
        server = LeasingServer(lambda request: web.Response(), first_request=lambda lease, data: False)
        listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)  # sends nothing
        for _ in range(100):
            if server.unlent:
                break
            await asyncio.sleep(0.01)
        assert len(server.unlent) == 1
        await server.shutdown(0.1)
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
        assert not server.unlent
        writer.close()
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


def test_a_connection_that_sends_nothing_is_closed_after_the_quiet_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockapigw.server import lease as lease_module

    monkeypatch.setattr(lease_module, "QUIET_TIMEOUT_S", 0.05)

    async def main() -> None:
        server = LeasingServer(lambda request: web.Response(), first_request=None)
        listener = await asyncio.get_running_loop().create_server(server, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        assert await asyncio.wait_for(reader.read(), 5) == b""  # the server closed it
        assert server.unlent == set()
        writer.close()
        listener.close()
        await listener.wait_closed()

    asyncio.run(main())


class _Socket:
    """A transport that records what the lease asks of it."""

    def __init__(self) -> None:
        self.paused = False
        self.protocol: Any = None

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False

    def is_closing(self) -> bool:
        return False

    def set_protocol(self, protocol: Any) -> None:
        self.protocol = protocol

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def write(self, data: bytes) -> None:
        pass


class _Recorder(asyncio.Protocol):
    def __init__(self) -> None:
        self.received = b""

    def data_received(self, data: bytes) -> None:
        self.received += data


def test_bytes_read_during_a_first_request_are_bounded_as_aiohttp_bounds_them() -> None:
    """A client sending on and on while its upgrade is answered stops being read, as aiohttp's handler stops
    reading an upgraded connection past its read buffer; the socket's new protocol gets all of it and reads on."""

    async def main() -> None:
        server = LeasingServer(lambda request: web.Response(), first_request=lambda lease, data: True)
        lease, socket_ = server(), _Socket()
        lease.connection_made(socket_)  # type: ignore[arg-type]
        lease.data_received(b"GET / HTTP/1.1\r\n\r\n")  # taken
        chunk = b"x" * 4096
        for _ in range(64):
            lease.data_received(chunk)
            if socket_.paused:
                break
        assert socket_.paused  # no more than aiohttp's read buffer (64 KiB) is kept
        recorder = _Recorder()
        assert lease.hand_over(recorder) is socket_
        assert not socket_.paused and recorder.received == chunk * 16
        lease.connection_lost(None)

    asyncio.run(main())
