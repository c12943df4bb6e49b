"""The load the server benchmarks put on a server: real WebSocket and HTTP clients on 127.0.0.1.

The same clients measure every subject (mockapigw's server, serverless-offline, moto's server), so the client's
own cost is in every figure alike. Every case is bounded in count and time. The clients run on uvloop where it is
installed (as for the server, it comes with the ``server`` extra): opening 10,000 connections costs the
``websockets`` client on asyncio's own loop about as much CPU as the servers it measures, which would make the
client, not the server, the figure.
"""

from __future__ import annotations

import asyncio
import gc
import http.client
import json
import resource
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from websockets.asyncio.client import ClientConnection, connect

TIMEOUT_S = 120.0  # no single case waits longer than this for the server
_OPEN_AT_ONCE = 200  # handshakes in flight while opening many connections
T = TypeVar("T")


def run(case: Coroutine[Any, Any, T]) -> T:
    """Run one client case to its end, on uvloop where it is installed (see above), else on asyncio's loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(case)
    return uvloop.run(case)


def raise_file_limit(wanted: int) -> int:
    """Raise this process's open-file limit towards *wanted* (up to the hard limit); the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Target:
    """Where a subject serves the benchmark application."""

    ws_url: str  # the WebSocket stage URL
    http_url: str  # GET this for the HTTP API case
    rss: Callable[[], int]  # the server's resident memory now, in bytes


async def _open(url: str) -> ClientConnection:
    # No compression (AWS negotiates none), no client pings, no proxy lookup: only the measured traffic.
    return await connect(url, compression=None, ping_interval=None, max_size=None, open_timeout=TIMEOUT_S, proxy=None)


async def connect_times(target: Target, count: int) -> list[float]:
    """Seconds each of *count* sequential handshakes took (``$connect`` ran for each), closing each after."""
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        socket = await _open(target.ws_url)
        samples.append(time.perf_counter() - start)
        await socket.close()
    return samples


async def _echo(socket: ClientConnection, message: str) -> None:
    await socket.send(message)
    reply = await asyncio.wait_for(socket.recv(), TIMEOUT_S)
    assert reply == message, f"the echo route answered {reply!r} to {message!r}"


async def round_trips(target: Target, count: int) -> list[float]:
    """Seconds for each of *count* messages: client -> ``echo`` route -> handler -> post_to_connection -> client."""
    socket = await _open(target.ws_url)
    try:
        samples = []
        for index in range(count):
            message = json.dumps({"action": "echo", "n": index})
            start = time.perf_counter()
            await _echo(socket, message)
            samples.append(time.perf_counter() - start)
        return samples
    finally:
        await socket.close()


async def throughput(target: Target, clients: int, messages_each: int) -> float:
    """Echoed messages per second with *clients* connections each doing *messages_each* round trips at once."""
    sockets = [await _open(target.ws_url) for _ in range(clients)]

    async def run(socket: ClientConnection, client: int) -> None:
        for index in range(messages_each):
            await _echo(socket, json.dumps({"action": "echo", "c": client, "n": index}))

    try:
        start = time.perf_counter()
        await asyncio.wait_for(asyncio.gather(*(run(s, i) for i, s in enumerate(sockets))), TIMEOUT_S)
        return clients * messages_each / (time.perf_counter() - start)
    finally:
        await asyncio.gather(*(s.close() for s in sockets))


@dataclass(frozen=True)
class Held:
    """Many connections held open at once, and a broadcast to all of them."""

    connections: int
    open_s: float  # to open them all (``_OPEN_AT_ONCE`` handshakes in flight)
    bytes_per_connection: float  # the server's resident memory growth, divided by the connections
    broadcast_s: list[float]  # from sending ``broadcast`` until every socket has the message, per broadcast
    failure: str = ""  # why a broadcast did not reach every socket in time, if one did not


async def hold_and_broadcast(target: Target, count: int, broadcasts: int) -> Held:
    """Open *count* connections, measure the server's memory per connection, then broadcast to them all."""
    raise_file_limit(2 * count + 1024)
    # Python's cyclic collector, walking this process's 10,000 client connections again and again, would be the
    # load generator's own cost in both servers' figures (it was a third of the broadcast's time): pause it here.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return await _hold_and_broadcast(target, count, broadcasts)
    finally:
        if collecting:
            gc.enable()


async def _hold_and_broadcast(target: Target, count: int, broadcasts: int) -> Held:
    before = target.rss()
    gate = asyncio.Semaphore(_OPEN_AT_ONCE)

    async def open_one() -> ClientConnection:
        async with gate:
            return await _open(target.ws_url)

    start = time.perf_counter()
    sockets = await asyncio.wait_for(asyncio.gather(*(open_one() for _ in range(count))), TIMEOUT_S)
    open_s = time.perf_counter() - start
    try:
        await asyncio.sleep(1.0)  # let the server settle before reading its memory
        per_connection = (target.rss() - before) / count
        sender = await _open(target.ws_url)  # the sender is connected too: count + 1 receive each broadcast
        listeners = [*sockets, sender]
        times: list[float] = []
        for index in range(broadcasts):
            message = json.dumps({"action": "broadcast", "n": index})
            start = time.perf_counter()
            await sender.send(message)
            waits = [asyncio.ensure_future(s.recv()) for s in listeners]
            done, pending = await asyncio.wait(waits, timeout=TIMEOUT_S)
            if pending:
                for wait in pending:
                    wait.cancel()
                got = sum(1 for w in done if not w.exception())
                failure = f"{got:,} of {len(listeners):,} sockets had broadcast {index + 1} after {TIMEOUT_S:.0f} s"
                return Held(count, open_s, per_connection, times, failure)
            times.append(time.perf_counter() - start)
            wrong = [w.result() for w in done if w.result() != message]
            if wrong:
                return Held(count, open_s, per_connection, times, f"{len(wrong):,} sockets got {wrong[0]!r} first")
        await sender.close()
        return Held(count, open_s, per_connection, times)
    finally:
        await asyncio.gather(*(s.close() for s in sockets))


def http_times(url: str, count: int) -> list[float]:
    """Seconds for each of *count* sequential ``GET url`` on one keep-alive connection (a 200 each)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT_S)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    samples = []
    try:
        for _ in range(count):
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            samples.append(time.perf_counter() - start)
            assert response.status == 200, f"GET {url} answered {response.status}"
    finally:
        connection.close()
    return samples


def control_plane_times(endpoint_url: str, count: int) -> list[float]:
    """Seconds for each of *count* boto3 ``get_apis`` calls to a control plane at *endpoint_url*."""
    import boto3
    from botocore.config import Config

    client: Any = boto3.client(
        "apigatewayv2",
        region_name="us-east-1",
        endpoint_url=endpoint_url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )
    client.create_api(Name="bench", ProtocolType="HTTP")
    samples = []
    for _ in range(count):
        start = time.perf_counter()
        client.get_apis()
        samples.append(time.perf_counter() - start)
    return samples
