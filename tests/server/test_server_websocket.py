"""WebSocket APIs over real sockets: the handshake, routing, posts both ways, closing, limits and expiry."""

from __future__ import annotations

import contextlib
import gc
import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import requests
import time_machine
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from mockapigw import MockApiGateway, MockApiGatewayWarning
from mockapigw.management.connections import SOCKET_GONE
from mockapigw.server import Server

WAIT = 10  # seconds a test waits for something that should happen at once; never a timing assertion


def ws_url(server: Server, api_id: str, stage: str = "prod") -> str:
    return f"{server.ws_url}/_aws/execute-api/{api_id}/{stage}"


def open_socket(server: Server, api_id: str, stage: str = "prod", **kwargs: Any) -> ClientConnection:
    return connect(ws_url(server, api_id, stage), open_timeout=WAIT, **kwargs)


def connection_id(chat: Any) -> str:
    return str(chat.of_type("CONNECT")[-1]["requestContext"]["connectionId"])


def management(server: Server, api_id: str) -> Any:
    """A management client pointed at the server's path form (goes over the socket)."""
    return boto3.client(
        "apigatewaymanagementapi", region_name="us-east-1", endpoint_url=f"{server.url}/_aws/execute-api/{api_id}/prod"
    )


def closed_code(client: ClientConnection) -> int | None:
    with pytest.raises(ConnectionClosed) as closed:
        client.recv(timeout=WAIT)
    return closed.value.rcvd.code if closed.value.rcvd is not None else None


def wait_for(condition: Any) -> None:
    """Wait until *condition()* holds (the server works on its own threads)."""
    event = threading.Event()
    for _ in range(WAIT * 100):
        if condition():
            return
        event.wait(0.01)
    raise AssertionError("condition not met")


def test_handshake_runs_connect_with_the_real_request(server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id, additional_headers={"X-Team": "blue"}, user_agent_header="ua/1") as client:
        url = ws_url(server, chat.api_id) + "?token=abc&tag=1&tag=2"
        with connect(url, open_timeout=WAIT) as second:
            second.close()
        client.close()

    first, second_event = chat.of_type("CONNECT")[:2]
    context = first["requestContext"]
    assert context["domainName"] == f"{chat.api_id}.execute-api.us-east-1.amazonaws.com"  # AWS's, not the local one
    assert context["stage"] == "prod"
    assert context["identity"]["sourceIp"] == "127.0.0.1"  # the real peer
    assert context["identity"]["userAgent"] == "ua/1"
    assert first["headers"]["X-Team"] == "blue"
    assert first["headers"]["Host"] == context["domainName"]
    assert second_event["queryStringParameters"] == {"token": "abc", "tag": "2"}
    assert second_event["multiValueQueryStringParameters"] == {"token": ["abc"], "tag": ["1", "2"]}


def test_messages_route_to_handlers_and_two_way_replies_arrive_as_frames(server: Server, chat: Any) -> None:
    chat.route("echo", two_way=True)
    chat.route("$default")
    chat.replies["echo"] = lambda event, context: {"statusCode": 200, "body": "echo:" + event["body"]}

    with open_socket(server, chat.api_id) as client:
        client.send(json.dumps({"action": "echo", "n": 1}))
        assert client.recv(timeout=WAIT) == 'echo:{"action": "echo", "n": 1}'
        client.send("not json")  # goes to $default, which is one-way: nothing comes back
        client.send(json.dumps({"action": "echo", "n": 2}))
        assert client.recv(timeout=WAIT) == 'echo:{"action": "echo", "n": 2}'

    messages = chat.of_type("MESSAGE")
    assert [m["requestContext"]["routeKey"] for m in messages] == ["echo", "$default", "echo"]


def test_unmatched_message_gets_aws_forbidden_frame(
    server: Server, chat: Any, caplog: pytest.LogCaptureFixture
) -> None:
    chat.route("only")
    with open_socket(server, chat.api_id) as client:
        client.send("hello")
        frame = json.loads(client.recv(timeout=WAIT))
    assert frame["message"] == "Forbidden"
    assert frame["connectionId"] == connection_id(chat)
    assert "no route of WebSocket API" in caplog.text  # logged: there is no test line to warn at


def test_posts_reach_real_sockets_from_in_process_and_through_the_server(
    apigw: MockApiGateway, server: Server, chat: Any
) -> None:
    with open_socket(server, chat.api_id) as client:
        real_id = connection_id(chat)
        simulated = apigw.connect(chat.api_id, "prod")
        # in-process client (AWS's endpoint, answered in-process) -> real socket
        chat.management().post_to_connection(ConnectionId=real_id, Data=b"from in-process")
        assert client.recv(timeout=WAIT) == "from in-process"
        # through the server (path form) -> the simulated client and the real socket
        over_socket = management(server, chat.api_id)
        over_socket.post_to_connection(ConnectionId=simulated.connection_id, Data=b"to simulated")
        over_socket.post_to_connection(ConnectionId=real_id, Data="héllo".encode())
        assert client.recv(timeout=WAIT) == "héllo"
        over_socket.post_to_connection(ConnectionId=real_id, Data=b"\xff\xfe")  # not UTF-8: a binary frame
        assert client.recv(timeout=WAIT) == b"\xff\xfe"
        assert simulated.receive_text() == "to simulated"
        described = over_socket.get_connection(ConnectionId=real_id)
        assert described["Identity"]["SourceIp"] == "127.0.0.1"
        assert described["ResponseMetadata"]["HTTPHeaders"]["server"].startswith("Python")  # it went over HTTP
        simulated.close()


def test_handler_posting_back_over_the_aws_endpoint(server: Server, chat: Any) -> None:
    def reply(event: dict[str, Any], context: Any) -> dict[str, Any]:
        context_ = event["requestContext"]
        client = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{context_['domainName']}/{context_['stage']}",
        )
        client.post_to_connection(ConnectionId=context_["connectionId"], Data=b"pong")
        return {"statusCode": 200}

    chat.route("ping")
    chat.replies["ping"] = reply
    with open_socket(server, chat.api_id) as client:
        client.send('{"action": "ping"}')
        assert client.recv(timeout=WAIT) == "pong"


def test_delete_connection_closes_the_socket_and_then_gone(server: Server, chat: Any) -> None:
    over_socket = management(server, chat.api_id)
    with open_socket(server, chat.api_id) as client:
        real_id = connection_id(chat)
        over_socket.delete_connection(ConnectionId=real_id)
        assert closed_code(client) == 1000
    wait_for(lambda: chat.of_type("DISCONNECT"))
    with pytest.raises(over_socket.exceptions.GoneException):
        over_socket.post_to_connection(ConnectionId=real_id, Data=b"late")
    with pytest.raises(over_socket.exceptions.GoneException):
        over_socket.get_connection(ConnectionId=real_id)


def test_client_close_runs_disconnect_with_its_code(server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id) as client:
        real_id = connection_id(chat)
        client.close(code=4000, reason="bye")
    wait_for(lambda: chat.of_type("DISCONNECT"))
    event = chat.of_type("DISCONNECT")[0]
    assert event["requestContext"]["connectionId"] == real_id
    assert event["requestContext"]["disconnectStatusCode"] == 4000
    assert event["requestContext"]["disconnectReason"] == "bye"
    with pytest.raises(chat.management().exceptions.GoneException):
        chat.management().post_to_connection(ConnectionId=real_id, Data=b"late")


def test_a_close_without_a_code_is_1005_with_api_gateways_reason(server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id) as client:
        client.protocol.send_close()  # a Close frame with no payload
        client.socket.sendall(client.protocol.data_to_send()[0])
        wait_for(lambda: chat.of_type("DISCONNECT"))
    context = chat.of_type("DISCONNECT")[0]["requestContext"]
    # As in a recorded AWS $disconnect event (aws-facts §9).
    assert (context["disconnectStatusCode"], context["disconnectReason"]) == (
        1005,
        "Client-side close frame status not set",
    )
    assert type(context["disconnectStatusCode"]) is int  # as in an event parsed from JSON, not websockets' enum


def test_a_closed_socket_leaves_only_its_connection_record(
    apigw: MockApiGateway, server: Server, chat: Any
) -> None:
    # Closed connections stay in the registry (their ids answer GoneException), so they must not keep the socket,
    # nor the handshake's headers and query string: a server with churning clients would grow without bound.
    with open_socket(server, chat.api_id, additional_headers={"X-Team": "blue"}) as client:
        real_id = connection_id(chat)
        record = apigw.websockets.connections.get(real_id)
        assert record is not None and record.transport is not None
        assert (record.headers, record.query) == ({}, {})  # read by $connect only, then let go
        assert chat.of_type("CONNECT")[0]["headers"]["X-Team"] == "blue"
        client.close()
    wait_for(lambda: apigw.websockets.connections.get(real_id).transport is SOCKET_GONE)  # type: ignore[union-attr]
    record.transport.send(b"late")  # goes nowhere, raises nothing
    with pytest.raises(chat.management().exceptions.GoneException):
        chat.management().post_to_connection(ConnectionId=real_id, Data=b"late")


def test_authorizer_refusal_is_the_handshake_status(apigw: MockApiGateway, server: Server, chat: Any) -> None:
    def authorize(event: dict[str, Any], context: Any) -> dict[str, Any]:
        allowed = event["queryStringParameters"].get("token") == "good"
        return {
            "principalId": "user",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Action": "execute-api:Invoke",
                        "Effect": "Allow" if allowed else "Deny",
                        "Resource": event["methodArn"],
                    }
                ],
            },
        }

    apigw.register_lambda("auth", authorize)
    authorizer = chat.v2.create_authorizer(
        ApiId=chat.api_id,
        AuthorizerType="REQUEST",
        Name="token",
        AuthorizerUri=(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
        ),
        IdentitySource=["route.request.querystring.token"],
    )
    connect_route = next(r for r in chat.v2.get_routes(ApiId=chat.api_id)["Items"] if r["RouteKey"] == "$connect")
    chat.v2.update_route(
        ApiId=chat.api_id,
        RouteId=connect_route["RouteId"],
        AuthorizationType="CUSTOM",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    chat.deploy()

    with pytest.raises(InvalidStatus) as missing:
        open_socket(server, chat.api_id)
    assert missing.value.response.status_code == 401
    with pytest.raises(InvalidStatus) as denied:
        connect(ws_url(server, chat.api_id) + "?token=bad", open_timeout=WAIT)
    assert denied.value.response.status_code == 403
    with connect(ws_url(server, chat.api_id) + "?token=good", open_timeout=WAIT) as client:
        client.close()
    assert chat.of_type("CONNECT")[-1]["requestContext"]["authorizer"]["principalId"] == "user"


def test_connect_status_and_unknown_stage_refuse_the_handshake(
    apigw: MockApiGateway, server: Server, chat: Any, caplog: pytest.LogCaptureFixture
) -> None:
    chat.replies["$connect"] = {"statusCode": 400}
    with pytest.raises(InvalidStatus) as refused:
        open_socket(server, chat.api_id)
    assert refused.value.response.status_code == 400
    # The refused connection's record stays (its id answers GoneException) without the socket it never opened.
    refused_id = chat.of_type("CONNECT")[-1]["requestContext"]["connectionId"]
    assert apigw.websockets.connections.get(refused_id).transport is SOCKET_GONE  # type: ignore[union-attr]
    with pytest.raises(InvalidStatus) as unknown:
        open_socket(server, chat.api_id, stage="nope")
    assert unknown.value.response.status_code == 403
    assert "has no stage 'nope'" in caplog.text  # why, for the user


def test_subprotocol_chosen_by_connect(server: Server, chat: Any) -> None:
    chat.replies["$connect"] = {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v1"}}
    with open_socket(server, chat.api_id, subprotocols=["chat.v1", "other"]) as client:  # type: ignore[list-item]
        assert client.subprotocol == "chat.v1"


def test_server_shutdown_closes_with_1001_and_runs_disconnect(apigw: MockApiGateway, chat: Any) -> None:
    with apigw.serve() as served, open_socket(served, chat.api_id) as client:
        served.stop()
        assert closed_code(client) == 1001
    assert [e["requestContext"]["disconnectStatusCode"] for e in chat.of_type("DISCONNECT")] == [1001]
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", served.port), timeout=WAIT).close()


def test_idle_connection_is_closed_on_the_real_clock(server: Server, chat: Any) -> None:
    server.gateway.sweep_interval = 0.05
    later = datetime.now(timezone.utc) + timedelta(minutes=10, seconds=1)
    with open_socket(server, chat.api_id) as client, time_machine.travel(later, tick=True):
        assert closed_code(client) == 1001
        wait_for(lambda: chat.of_type("DISCONNECT"))
    assert chat.of_type("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"] == 1001


def test_a_client_closing_an_expired_connection_before_the_sweep_finds_it_closed_with_1001(
    server: Server, chat: Any
) -> None:
    server.gateway.sweep_interval = 3600.0
    time.sleep(1.2)  # the sweep's pending round passes; the next is an hour away
    later = datetime.now(timezone.utc) + timedelta(minutes=10, seconds=1)
    with open_socket(server, chat.api_id) as client, time_machine.travel(later, tick=True):
        client.close(4000, "bye")
        wait_for(lambda: chat.of_type("DISCONNECT"))
    context = chat.of_type("DISCONNECT")[0]["requestContext"]
    assert (context["disconnectStatusCode"], context["disconnectReason"]) == (1001, "Going away")


def test_ping_is_answered_and_counts_as_activity(apigw: MockApiGateway, server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id) as client:
        connection = apigw.websockets.connections.get(connection_id(chat))
        assert connection is not None
        before = connection.last_active_ms
        with time_machine.travel(datetime.now(timezone.utc) + timedelta(minutes=5), tick=True):
            assert client.ping().wait(WAIT)  # the pong arrived
            wait_for(lambda: connection.last_active_ms > before)


def test_binary_frame_closes_with_1003(server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id) as client:
        client.send(b"\x00\x01")
        assert closed_code(client) == 1003
    wait_for(lambda: chat.of_type("DISCONNECT"))


def test_message_over_128_kib_closes_with_1009(server: Server, chat: Any) -> None:
    chat.route("$default")
    with open_socket(server, chat.api_id, max_size=None) as client:
        client.send("x" * (128 * 1024 + 1))
        assert closed_code(client) == 1009
    wait_for(lambda: chat.of_type("DISCONNECT"))
    assert chat.of_type("MESSAGE") == []


def test_slow_handler_holds_up_no_other_connection(server: Server, chat: Any) -> None:
    release = threading.Event()
    started = threading.Event()

    def slow(event: dict[str, Any], context: Any) -> dict[str, Any]:
        started.set()
        release.wait(WAIT)
        return {"statusCode": 200, "body": "slow done"}

    chat.route("slow", two_way=True)
    chat.route("fast", two_way=True)
    chat.replies["slow"] = slow
    chat.replies["fast"] = {"statusCode": 200, "body": "fast done"}
    with open_socket(server, chat.api_id) as first, open_socket(server, chat.api_id) as second:
        first.send('{"action": "slow"}')
        assert started.wait(WAIT)
        second.send('{"action": "fast"}')
        assert second.recv(timeout=WAIT) == "fast done"  # while the slow handler still runs
        release.set()
        assert first.recv(timeout=WAIT) == "slow done"


def test_handler_error_is_logged_and_the_client_gets_aws_answer(
    server: Server, chat: Any, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(event: dict[str, Any], context: Any) -> Any:
        raise RuntimeError("boom")

    chat.route("broken")
    chat.replies["broken"] = broken
    with open_socket(server, chat.api_id) as client:
        client.send('{"action": "broken"}')
        frame = json.loads(client.recv(timeout=WAIT))
    assert frame["message"] == "Internal server error"
    failure = next(record for record in caplog.records if record.name == "mockapigw.server")
    assert failure.exc_info is not None and "boom" in str(failure.exc_info[1])


def test_host_form_and_malformed_upgrade(server: Server, chat: Any) -> None:
    host_form = f"ws://{chat.api_id}.execute-api.localhost:{server.port}/prod"
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)  # *.localhost need not resolve
    with connect(host_form, sock=sock, open_timeout=WAIT) as client:
        client.close()
    assert len(chat.of_type("CONNECT")) == 1

    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(
            f"GET /_aws/execute-api/{chat.api_id}/prod HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-base64!\r\n\r\n".encode()
        )
        assert raw.recv(100).startswith(b"HTTP/1.1 400")
    with open_socket(server, chat.api_id) as client:  # still serving
        client.close()


def test_malformed_frame_closes_that_socket_only(server: Server, chat: Any) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(
            f"GET /_aws/execute-api/{chat.api_id}/prod HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
        )
        assert raw.recv(12) == b"HTTP/1.1 101"
        raw.sendall(b"\xf1\x80\x00\x00\x00\x00")  # reserved bits set, no extension agreed: a protocol error
        wait_for(lambda: chat.of_type("DISCONNECT"))
    assert chat.of_type("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"] == 1002
    with open_socket(server, chat.api_id) as client:  # still serving
        client.close()


def test_stopping_the_mock_stops_its_server(chat: Any) -> None:
    gw = chat.gw
    served = gw.serve()
    with open_socket(served, chat.api_id) as client:
        gw.stop()
        try:
            assert closed_code(client) == 1001
        finally:
            gw.start()  # the fixture stops it again
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", served.port), timeout=WAIT).close()


def test_binding_another_host_warns(apigw: MockApiGateway) -> None:
    with pytest.warns(MockApiGatewayWarning, match="reachable from other machines") as warned:
        served = apigw.serve(host="0.0.0.0")
    assert warned[0].filename == __file__  # at the user's line
    with served:
        assert served.url.startswith("http://0.0.0.0:")


def test_many_clients_at_once_each_get_their_own_replies(server: Server, chat: Any) -> None:
    chat.route("echo", two_way=True)
    chat.replies["echo"] = lambda event, context: {"statusCode": 200, "body": event["body"]}
    failures: list[BaseException] = []

    def client(number: int) -> None:
        try:
            with open_socket(server, chat.api_id) as socket_:
                for message in range(5):
                    sent = json.dumps({"action": "echo", "client": number, "message": message})
                    socket_.send(sent)
                    assert socket_.recv(timeout=WAIT) == sent
        except BaseException as error:  # noqa: BLE001 - reported below
            failures.append(error)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(WAIT * 2)
    assert failures == []
    wait_for(lambda: len(chat.of_type("DISCONNECT")) == 20)
    assert len(chat.of_type("MESSAGE")) == 100


def test_custom_domain_by_host_for_sockets_and_connections(server: Server, chat: Any) -> None:
    chat.v2.create_domain_name(
        DomainName="ws.example.com",
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
    )
    chat.v2.create_api_mapping(DomainName="ws.example.com", ApiId=chat.api_id, Stage="prod")
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=WAIT)
    with connect(f"ws://ws.example.com:{server.port}/", sock=sock, open_timeout=WAIT) as client:
        real_id = connection_id(chat)
        assert chat.of_type("CONNECT")[0]["requestContext"]["domainName"] == "ws.example.com"
        posted = requests.post(
            f"{server.url}/@connections/{real_id}",
            data=b"via the domain",
            headers={"Host": "ws.example.com"},
            timeout=WAIT,
        )
        assert posted.status_code == 200
        assert client.recv(timeout=WAIT) == "via the domain"


def test_connection_lifetime_ends_after_two_hours_even_when_active(
    apigw: MockApiGateway, server: Server, chat: Any
) -> None:
    server.gateway.sweep_interval = 0.05
    start = datetime.now(timezone.utc)
    with open_socket(server, chat.api_id) as client:
        connection = apigw.websockets.connections.get(connection_id(chat))
        assert connection is not None
        for step in range(1, 14):  # a ping every 9 minutes of the clock: never idle, for 117 minutes
            moment = start + timedelta(minutes=9 * step)
            with time_machine.travel(moment, tick=True):
                assert client.ping().wait(WAIT)
                wait_for(lambda moment=moment: connection.last_active_ms >= int(moment.timestamp() * 1000))
        with time_machine.travel(start + timedelta(hours=2, minutes=1), tick=True):
            assert closed_code(client) == 1001  # idle only 2 minutes, but open 2 hours
            wait_for(lambda: chat.of_type("DISCONNECT"))


def test_an_idle_open_socket_keeps_no_task_and_aiohttp_nothing(server: Server, chat: Any) -> None:
    """What makes an open WebSocket cheap (docs/server-mode.md, memory per connection): no task, coroutine or
    aiohttp request handler per idle socket, only its protocol object."""
    import asyncio

    from aiohttp import web

    from mockapigw.server.websocket import WebSocket

    async def census() -> tuple[list[str], int, int]:
        await asyncio.sleep(0.05)  # the handshakes' own tasks have ended
        gc.collect()
        tasks = [t.get_coro().__qualname__ for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        handlers = sum(1 for o in gc.get_objects() if type(o) is web.RequestHandler)
        sockets = sum(1 for o in gc.get_objects() if type(o) is WebSocket and o.transport is not None)
        return tasks, handlers, sockets

    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": "back"}
    with contextlib.ExitStack() as stack:
        clients = [stack.enter_context(open_socket(server, chat.api_id)) for _ in range(3)]
        clients[0].send("warm")  # a message and its answer come and go
        clients[0].recv(timeout=WAIT)
        assert server._loop is not None
        tasks, handlers, sockets = asyncio.run_coroutine_threadsafe(census(), server._loop).result(WAIT)
        assert tasks == ["Gateway._sweep"]  # the one expiry sweeper, nothing per socket
        assert handlers == 0
        assert sockets == 3
