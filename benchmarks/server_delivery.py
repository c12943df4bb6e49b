"""Server mode's delivery cost: N @connections posts to N real sockets, timed in the server (no botocore).

    python -m benchmarks.server_delivery [--connections 10000] [--size 64] [--rounds 3]

The server (``gw.serve()``, this process) holds N sockets that a child process opens with raw handshakes and
reads. One thread then posts one message to each socket through the @connections backend
(``ManagementBackend.post_to_connection``: the buffer check and ``Connection.deliver``, without botocore's
serialization) and the child reports when every socket has its message. Printed: the wall time from the first
post until the last socket has it, and the server process's CPU time over the same span, each per message.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import boto3

from mockapigw import mock_apigateway
from mockapigw.management.backend import ManagementBackend
from mockapigw.server.frames import TEXT, message_frames

from .server_clients import raise_file_limit

_CLIENT = r"""
import asyncio, base64, os, sys

async def main(port, path, count, wire):
    gate = asyncio.Semaphore(200)
    readers = []

    async def open_one():
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            key = base64.b64encode(os.urandom(16)).decode()
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 101"), head
            readers.append((reader, writer))

    await asyncio.gather(*(open_one() for _ in range(count)))
    print("open", flush=True)
    lines = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(lines), sys.stdin)
    while (await lines.readline()).strip() == b"go":
        # Each socket's message: `wire` bytes of frames (the server computed them).
        await asyncio.gather(*(reader.readexactly(wire) for reader, _ in readers))
        print("got", flush=True)

asyncio.run(main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
"""


def _api() -> str:
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api_id: str = v2.create_api(Name="fanout", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")[
        "ApiId"
    ]
    integration = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")["IntegrationId"]
    v2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration}")
    v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    return api_id


def measure(count: int, size: int, rounds: int) -> list[tuple[float, float, float]]:
    """(wall seconds, server CPU seconds, posting thread's seconds) of each round of *count* posts of *size* bytes."""
    raise_file_limit(count + 1024)
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    results = []
    with mock_apigateway() as gw, gw.serve() as server:
        api_id = _api()
        path = f"/_aws/execute-api/{api_id}/prod"
        wire = sum(len(part) for part in message_frames(b"x" * size, TEXT))  # what one message is on the wire
        child = subprocess.Popen(
            [sys.executable, "-c", _CLIENT, str(server.port), path, str(count), str(wire)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdin is not None
        assert child.stdout is not None
        try:
            assert child.stdout.readline().strip() == "open"
            deadline = time.monotonic() + 60
            while len(server.gateway.connections) < count and time.monotonic() < deadline:
                time.sleep(0.05)
            connections = list(server.gateway.connections)
            assert len(connections) == count, len(connections)
            backend = ManagementBackend(gw.websockets.connections, gw.websockets)
            target = (api_id, "prod")
            data = b"x" * size
            for _ in range(rounds):
                child.stdin.write("go\n")
                child.stdin.flush()
                time.sleep(0.2)  # the child is waiting on every socket before the first post
                wall, cpu = time.perf_counter(), time.process_time()
                for connection in connections:
                    backend.post_to_connection({"ConnectionId": connection.connection_id, "Data": data}, target)
                posted = time.perf_counter() - wall
                assert child.stdout.readline().strip() == "got"
                results.append((time.perf_counter() - wall, time.process_time() - cpu, posted))
        finally:
            child.stdin.close()
            child.wait(timeout=60)
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the measurement and print it."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_delivery", description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--size", type=int, default=64, help="bytes per message")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    count = args.connections
    for index, (wall, cpu, posted) in enumerate(measure(count, args.size, args.rounds), 1):
        print(
            f"round {index}: {count:,} posts in {wall * 1000:.0f} ms wall ({wall / count * 1e6:.1f} us each; the"
            f" posting thread {posted * 1000:.0f} ms), server CPU {cpu * 1000:.0f} ms ({cpu / count * 1e6:.1f} us each)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
