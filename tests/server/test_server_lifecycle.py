"""A server among nested mocks, and stopped from several threads at once."""

from __future__ import annotations

import select
import socket
import threading
import time
from typing import Any

import boto3
import pytest
import websockets.sync.client

from mockapigw import mock_apigateway
from mockapigw.server.runner import BACKLOG

pytest.importorskip("aiohttp", reason="server mode needs the server extra: pip install 'mockapigw[server]'")


def _client(url: str) -> Any:
    return boto3.client(
        "apigatewayv2", region_name="us-east-1", endpoint_url=url, aws_access_key_id="x", aws_secret_access_key="x"
    )


def test_a_server_of_an_outer_mock_answers_from_its_own_state() -> None:
    with mock_apigateway() as outer, outer.serve() as server:
        client = _client(server.url)
        client.create_api(Name="in-outer", ProtocolType="HTTP")
        with mock_apigateway() as inner:
            assert [api["Name"] for api in client.get_apis()["Items"]] == ["in-outer"]
            client.create_api(Name="also-outer", ProtocolType="HTTP")
            assert boto3.client("apigatewayv2", region_name="us-east-1").get_apis()["Items"] == []
            assert inner.active
        names = {api["Name"] for api in boto3.client("apigatewayv2", region_name="us-east-1").get_apis()["Items"]}
        assert names == {"in-outer", "also-outer"}


def test_stop_from_two_threads_at_once_runs_the_whole_shutdown() -> None:
    disconnected: list[str] = []
    fn = "arn:aws:lambda:us-east-1:123456789012:function:slow"

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["requestContext"]["eventType"] == "DISCONNECT":
            time.sleep(0.3)  # a slow $disconnect: the second stop() arrives while the shutdown runs
            disconnected.append(event["requestContext"]["connectionId"])
        return {"statusCode": 200}

    with mock_apigateway() as gw:
        gw.register_lambda(fn, handler)
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
        integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=fn)
        for key in ("$connect", "$disconnect"):
            v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
        v2.create_stage(ApiId=api["ApiId"], StageName="prod", AutoDeploy=True)
        server = gw.serve()
        with websockets.sync.client.connect(f"{server.ws_url}/_aws/execute-api/{api['ApiId']}/prod"):
            stoppers = [threading.Thread(target=server.stop) for _ in range(2)]
            stoppers[0].start()
            time.sleep(0.05)
            stoppers[1].start()
            for stopper in stoppers:
                stopper.join(timeout=30)
        assert not any(stopper.is_alive() for stopper in stoppers)
        assert len(disconnected) == 1


def test_a_burst_of_connections_waits_in_the_listen_queue_while_the_loop_is_busy() -> None:
    # A burst larger than aiohttp's default backlog (128) arrives while the loop cannot accept: the kernel must
    # queue them all. A dropped SYN stalls its client for a one-second retransmit (it made opening 10,000
    # connections 30% slower).
    burst = 300
    if _somaxconn() < burst:
        pytest.skip(f"the system caps every listen backlog at {_somaxconn()} (net.core.somaxconn), under {burst}")
    with mock_apigateway() as gw, gw.serve() as server:
        loop = server._loop
        assert loop is not None
        busy = threading.Event()

        def hold_the_loop() -> None:  # the loop accepts nothing for a second
            busy.set()
            time.sleep(1.0)

        loop.call_soon_threadsafe(hold_the_loop)
        busy.wait()
        clients = [socket.socket() for _ in range(burst)]
        try:
            for client in clients:
                client.setblocking(False)
                client.connect_ex(("127.0.0.1", server.port))
            poll = select.poll()
            for client in clients:
                poll.register(client, select.POLLOUT)
            pending = {client.fileno() for client in clients}
            deadline = time.monotonic() + 0.8  # before the loop wakes, and before any SYN would be sent again
            while pending and time.monotonic() < deadline:
                for fd, _ in poll.poll(50):
                    pending.discard(fd)
                    poll.unregister(fd)
            assert not pending, f"{len(pending)} of {burst} connections were not queued"
        finally:
            for client in clients:
                client.close()


def _somaxconn() -> int:
    """The kernel's cap on a listen backlog (Linux); other systems: assume it is not lower than ours."""
    try:
        with open("/proc/sys/net/core/somaxconn") as setting:
            return int(setting.read())
    except (OSError, ValueError):
        return BACKLOG
