"""A server among nested mocks, and stopped from several threads at once."""

from __future__ import annotations

import select
import socket
import sys
import threading
import time
from typing import Any

import boto3
import pytest
import requests
import websockets.sync.client

from mockapigw import mock_apigateway

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


@pytest.mark.skipif(sys.platform != "linux", reason="reads Linux's cap on listen backlogs; uses poll()")
def test_a_burst_of_connections_waits_in_the_listen_queue_while_the_loop_is_busy() -> None:
    # A burst larger than aiohttp's default backlog (128) arrives while the loop cannot accept: the kernel must
    # queue them all. A dropped SYN stalls its client for a one-second retransmit (it made opening 10,000
    # connections take 2.2 to 3.4 s instead of 1.8 s).
    burst = 300
    if _somaxconn() < burst:
        pytest.skip(f"the system caps every listen backlog at {_somaxconn()} (net.core.somaxconn), under {burst}")
    with mock_apigateway() as gw, gw.serve() as server:
        loop = server._loop
        assert loop is not None
        busy = threading.Event()

        def hold_the_loop() -> None:  # the loop accepts nothing for a while
            busy.set()
            time.sleep(1.5)

        loop.call_soon_threadsafe(hold_the_loop)
        assert busy.wait(timeout=10)
        clients = [socket.socket() for _ in range(burst)]
        try:
            for client in clients:
                client.setblocking(False)
                client.connect_ex(("127.0.0.1", server.port))
            poll = select.poll()
            for client in clients:
                poll.register(client, select.POLLOUT)
            pending = {client.fileno(): client for client in clients}

            def take(timeout_ms: int) -> None:
                for fd, flags in poll.poll(timeout_ms):
                    poll.unregister(fd)
                    client = pending.pop(fd)
                    # Connected, not refused or reset: a refusal is no place in the queue.
                    assert flags == select.POLLOUT and not client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)

            deadline = time.monotonic() + 0.8  # before the loop wakes, and before any SYN would be sent again
            while pending and time.monotonic() < deadline:
                take(50)
            take(0)  # what is connected by now, even if this thread was held up past the deadline
            assert not pending, f"{len(pending)} of {burst} connections were not queued"
        finally:
            for client in clients:
                client.close()


def _somaxconn() -> int:
    """Linux's cap on a listen backlog."""
    with open("/proc/sys/net/core/somaxconn") as setting:
        return int(setting.read())


@pytest.mark.parametrize(
    ("host", "port", "error", "message"),
    [
        (None, 0, TypeError, "host must be a host name or address such as '127.0.0.1', got None"),
        ("", 0, TypeError, "host must be a host name or address such as '127.0.0.1', got ''"),
        ("127.0.0.1", "8080", ValueError, "port must be a number from 0 (any free port) to 65535, got '8080'"),
        ("127.0.0.1", 70000, ValueError, "port must be a number from 0 (any free port) to 65535, got 70000"),
    ],
)
def test_a_bad_host_or_port_is_refused_before_anything_starts(host: Any, port: Any, error: type, message: str) -> None:
    # Not the warning about a host reachable from other machines first, then a traceback from the socket layer.
    with mock_apigateway() as gw, pytest.raises(error) as caught:
        gw.serve(host, port)
    assert str(caught.value) == message


def test_disconnect_handlers_run_by_a_stopping_mock_still_reach_it() -> None:
    # The mock stays active while its servers stop: their $disconnect handlers' calls (an HTTP API of the mock,
    # @connections) are answered by it, not refused as after stop().
    fn = "arn:aws:lambda:us-east-1:123456789012:function:chat"
    answers: list[Any] = []
    urls: dict[str, str] = {}

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event.get("requestContext", {}).get("eventType") == "DISCONNECT":
            answers.append(requests.post(urls["http"] + "/audit", data="left", timeout=5).status_code)
        return {"statusCode": 200, "body": "ok"}

    with mock_apigateway() as gw:
        gw.register_lambda(fn, handler)
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        urls["http"] = v2.create_api(Name="audit", ProtocolType="HTTP", Target=fn)["ApiEndpoint"]
        api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
        integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=fn)
        v2.create_route(
            ApiId=api["ApiId"], RouteKey="$disconnect", Target=f"integrations/{integration['IntegrationId']}"
        )
        v2.create_stage(ApiId=api["ApiId"], StageName="prod", AutoDeploy=True)
        server = gw.serve()
        client = websockets.sync.client.connect(f"{server.ws_url}/_aws/execute-api/{api['ApiId']}/prod")
    client.close()
    assert answers == [200]
