"""WebSocket runtime: handshake, one-way and two-way routes, frames, lifecycle and deployed snapshots."""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from typing import Any

import boto3
import pytest
import time_machine
from freezegun import freeze_time
from wsapi import FUNCTION_ARN, WsApi, build_ws_api

from mockapigw import ConnectionClosed, ConnectionRejected, MockApiGatewayWarning, mock_apigateway


def test_two_way_route_sends_the_body_back(ws: WsApi) -> None:
    ws.route("echo", two_way=True)
    ws.replies["echo"] = lambda event, context: {"statusCode": 200, "body": "echo:" + event["body"]}
    client = ws.gw.connect(ws.api_id, "prod")
    client.send('{"action": "echo"}')
    assert client.receive_text() == 'echo:{"action": "echo"}'
    with pytest.raises(LookupError):
        client.receive()


@pytest.mark.apigw(raise_handler_errors=False)
def test_handler_error_and_timeout_give_internal_server_error(ws: WsApi) -> None:
    ws.route("boom", two_way=True)
    ws.route("slow", two_way=True)
    ws.v2.update_integration(ApiId=ws.api_id, IntegrationId=ws.integration_id, TimeoutInMillis=50)
    ws.deploy()

    def boom(event: Any, context: Any) -> Any:
        raise RuntimeError("handler bug")

    def slow(event: Any, context: Any) -> Any:
        import time

        time.sleep(0.08)
        return {"statusCode": 200, "body": "too late"}

    ws.replies.update(boom=boom, slow=slow)
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match="handler bug"):
        client.send({"action": "boom"})
    with pytest.warns(MockApiGatewayWarning, match="timed out"):
        client.send({"action": "slow"})
    for frame in (client.receive_json(), client.receive_json()):
        assert frame["message"] == "Internal server error"
        assert frame["connectionId"] == client.connection_id
    assert client.connected


@pytest.mark.apigw(raise_handler_errors=False)
def test_no_error_frame_after_the_handler_deleted_its_own_connection(ws: WsApi) -> None:
    """A closed connection gets nothing more: not the internal error frame of the integration that closed it."""
    ws.route("leave", two_way=True)

    def delete_then_fail(event: Any, context: Any) -> Any:
        ws.management().delete_connection(ConnectionId=event["requestContext"]["connectionId"])
        raise RuntimeError("failed after leaving")

    ws.replies["leave"] = delete_then_fail
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match="failed after leaving"):
        client.send({"action": "leave"})
    assert (client.connected, client.close_code) == (False, 1000)
    assert client.received == []


@pytest.mark.apigw(raise_handler_errors=False)
def test_unregistered_function_names_the_arn_to_register(ws: WsApi) -> None:
    other = "arn:aws:lambda:us-east-1:123456789012:function:missing"
    integration = ws.v2.create_integration(ApiId=ws.api_id, IntegrationType="AWS_PROXY", IntegrationUri=other)
    ws.v2.create_route(ApiId=ws.api_id, RouteKey="lost", Target=f"integrations/{integration['IntegrationId']}")
    ws.deploy()
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match=re.escape(f"gw.register_lambda('{other}', handler)")):
        client.send({"action": "lost"})
    assert client.receive_json()["message"] == "Internal server error"


@pytest.mark.parametrize(
    ("reply", "status"),
    [({"statusCode": 401, "body": "nope"}, 401), ({"statusCode": 500}, 500)],
)
def test_connect_returning_non_2xx_rejects_the_handshake(ws: WsApi, reply: dict[str, Any], status: int) -> None:
    ws.replies["$connect"] = reply
    with pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(ws.api_id, "prod")
    assert info.value.status_code == status
    assert info.value.body == reply.get("body", "")
    assert ws.of_type("DISCONNECT") == []  # $disconnect never runs for a connection that never opened


@pytest.mark.apigw(raise_handler_errors=False)
def test_connect_handler_crash_is_a_500(ws: WsApi) -> None:
    def crash(event: Any, context: Any) -> Any:
        raise ValueError("bad")

    ws.replies["$connect"] = crash
    with pytest.warns(MockApiGatewayWarning), pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(ws.api_id, "prod")
    assert info.value.status_code == 500


def test_subprotocol_from_connect_headers(ws: WsApi) -> None:
    ws.replies["$connect"] = {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v1"}}
    assert ws.gw.connect(ws.api_id, "prod").subprotocol == "chat.v1"


@pytest.mark.parametrize("target", ["missing-api", "stage"])
def test_unknown_api_or_stage_is_rejected(ws: WsApi, target: str) -> None:
    api_id, stage = (ws.api_id, "nope") if target == "stage" else ("abcdefghij", "prod")
    with pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(api_id, stage)
    assert (info.value.status_code, info.value.body) == (403, '{"message":"Forbidden"}')


def test_stage_without_deployment_is_rejected(ws: WsApi) -> None:
    ws.v2.create_stage(ApiId=ws.api_id, StageName="empty")
    with pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(ws.api_id, "empty")
    assert info.value.status_code == 403


def test_http_api_cannot_be_connected_to(apigw: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(ConnectionRejected):
        apigw.connect(http_api["ApiId"], "$default")


def test_stage_serves_its_deployed_snapshot_until_redeployed(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    ws.v2.create_route(ApiId=ws.api_id, RouteKey="late", Target=f"integrations/{ws.integration_id}")
    undeployed = "Route 'late' exists in API .* but is not in the deployment stage 'prod' serves"
    with pytest.warns(MockApiGatewayWarning, match=undeployed + r".* create_deployment\(ApiId="):
        client.send({"action": "late"})
    assert json.loads(client.receive())["message"] == "Forbidden"
    ws.deploy()
    client.send({"action": "late"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["late"]


def test_a_message_for_an_undeployed_route_that_goes_to_default_says_why(ws: WsApi) -> None:
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "late"})  # no route "late" anywhere: $default, as designed, and no hint
    ws.v2.create_route(ApiId=ws.api_id, RouteKey="late", Target=f"integrations/{ws.integration_id}")
    with pytest.warns(MockApiGatewayWarning, match="went to the \\$default route .* Route 'late' exists in API"):
        client.send({"action": "late"})
    ws.deploy()
    client.send({"action": "late"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["$default", "$default", "late"]


def test_auto_deploy_stage_serves_changes_at_once(apigw: Any, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN)
    seen: list[str] = []
    apigw.register_lambda("chat", lambda event, context: seen.append(event["requestContext"]["routeKey"]))
    v2.create_route(ApiId=api["ApiId"], RouteKey="a", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="live", AutoDeploy=True)
    v2.create_route(ApiId=api["ApiId"], RouteKey="b", Target=f"integrations/{integration['IntegrationId']}")
    client = apigw.connect(api["ApiId"], "live")
    client.send({"action": "b"})
    assert seen == ["b"]


def test_client_close_runs_disconnect_with_code_and_reason(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    client.close(4000, "bye")
    assert not client.connected
    assert client.close_code == 4000
    (event,) = ws.of_type("DISCONNECT")
    assert event["requestContext"]["disconnectStatusCode"] == 4000
    assert event["requestContext"]["disconnectReason"] == "bye"
    assert event["headers"] == {
        "Host": f"{ws.api_id}.execute-api.us-east-1.amazonaws.com",
        "x-api-key": "",
        "X-Forwarded-For": "",
        "x-restapi": "",
    }
    with pytest.raises(ConnectionClosed):
        client.send("late")
    client.close()  # closing twice is harmless
    assert len(ws.of_type("DISCONNECT")) == 1


def test_binary_frame_closes_with_1003(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    client.send(b"\x00\x01")
    assert (client.connected, client.close_code) == (False, 1003)
    assert ws.of_type("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"] == 1003


def test_message_over_128_kib_closes_with_1009(ws: WsApi) -> None:
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    client.send("x" * (128 * 1024))
    assert client.connected
    client.send("x" * (128 * 1024 + 1))
    assert client.close_code == 1009


def test_idle_timeout_closes_after_ten_minutes_under_freezegun(ws: WsApi) -> None:
    ws.route("$default")
    with freeze_time("2026-01-01 12:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        frozen.tick(dt.timedelta(minutes=9, seconds=59))
        client.send("still here")
        frozen.tick(dt.timedelta(minutes=9, seconds=59))
        assert client.connected
        frozen.tick(dt.timedelta(seconds=1))
        assert not client.connected
    assert client.close_code == 1001
    event = ws.of_type("DISCONNECT")[0]
    assert (event["requestContext"]["disconnectStatusCode"], event["requestContext"]["disconnectReason"]) == (
        1001,
        "Going away",
    )


def test_using_a_connection_made_under_freeze_time_after_leaving_it_says_the_clock_moved(ws: WsApi) -> None:
    ws.route("$default")
    with freeze_time("2024-01-01"):
        client = ws.gw.connect(ws.api_id, "prod")
    with pytest.raises(ConnectionClosed, match=r"\(1001 Going away\): it passed its idle timeout") as info:
        client.send("hello")
    message = str(info.value)
    assert "(10 minutes) and its maximum lifetime (2 hours)" in message
    assert "connected at 2024-01-01T00:00:00+00:00" in message
    assert (info.value.code, info.value.reason) == (1001, "Going away")


def test_ping_past_the_idle_timeout_only_says_when_it_was_last_active(ws: WsApi) -> None:
    with freeze_time("2026-01-01 12:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        frozen.tick(dt.timedelta(minutes=10))
        with pytest.raises(ConnectionClosed) as info:
            client.ping()
    message = str(info.value)
    assert "passed its idle timeout (10 minutes) by the mock's clock, which read 2026-01-01T12:10:00+00:00" in message
    assert "lifetime" not in message and "last active at 2026-01-01T12:00:00+00:00" in message


def test_ping_keeps_a_connection_alive(ws: WsApi) -> None:
    with freeze_time("2026-01-01 12:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        for _ in range(3):
            frozen.tick(dt.timedelta(minutes=9))
            client.ping()
        assert client.connected


def test_two_hour_lifetime_under_time_machine(ws: WsApi) -> None:
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False) as traveller:
        client = ws.gw.connect(ws.api_id, "prod")
        for minutes in range(5, 120, 5):
            traveller.move_to(start + dt.timedelta(minutes=minutes))
            client.ping()
        assert client.connected
        traveller.move_to(start + dt.timedelta(hours=2))
        assert not client.connected
    assert client.close_code == 1001


def test_receive_helpers(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = ws.management()
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b'{"n": 1}')
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data="text")
    assert client.receive_json() == {"n": 1}
    assert client.receive_text() == "text"
    assert client.received == [b'{"n": 1}', b"text"]
    assert "open" in repr(client)


def test_stage_variable_changes_reach_open_connections(ws: WsApi) -> None:
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    ws.v2.update_stage(ApiId=ws.api_id, StageName="prod", StageVariables={"table": "v2"})
    client.send("x")
    assert ws.of_type("MESSAGE")[0]["stageVariables"] == {"table": "v2"}


def test_close_reason_sees_expiry(ws: WsApi) -> None:
    with freeze_time("2026-01-01 00:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        frozen.tick(dt.timedelta(hours=3))
        assert client.close_reason == "Going away"


def test_closing_an_expired_connection_finds_it_closed_with_1001(ws: WsApi) -> None:
    """Past its idle timeout a connection is closed already: the client's close does nothing more."""
    with freeze_time("2026-01-01 00:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        frozen.tick(dt.timedelta(minutes=10))
        client.close(4000, "late")
    assert (client.close_code, client.close_reason) == (1001, "Going away")
    (event,) = ws.of_type("DISCONNECT")
    assert (event["requestContext"]["disconnectStatusCode"], event["requestContext"]["disconnectReason"]) == (
        1001,
        "Going away",
    )


def test_disabled_execute_api_endpoint_refuses_connections(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    ws.v2.update_api(ApiId=ws.api_id, DisableExecuteApiEndpoint=True)
    with pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(ws.api_id, "prod")
    assert info.value.status_code == 403
    mgmt = ws.management()
    with pytest.raises(mgmt.exceptions.ForbiddenException):
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")


def test_two_way_response_over_128_kib_closes_with_1009(ws: WsApi) -> None:
    """A message over 128 KiB closes the connection with 1009 (aws-behaviour.md §4), from either side."""
    ws.route("echo", two_way=True)
    ws.replies["echo"] = lambda event, context: {"statusCode": 200, "body": "y" * json.loads(event["body"])["size"]}
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "echo", "size": 128 * 1024})
    assert client.receive_text() == "y" * (128 * 1024) and client.connected
    with pytest.warns(MockApiGatewayWarning, match="over API Gateway's 131072-byte message limit"):
        client.send({"action": "echo", "size": 128 * 1024 + 1})
    assert client.close_code == 1009
    assert len(client.received) == 1
    assert len(ws.of_type("DISCONNECT")) == 1


def test_default_stage_is_served_with_its_connections_endpoint(ws: WsApi) -> None:
    """SST and stelvio connect to wss://{id}.execute-api.{region}.amazonaws.com/$default (aws-behaviour.md §9.2)."""
    ws.v2.create_stage(ApiId=ws.api_id, StageName="$default")
    ws.v2.create_deployment(ApiId=ws.api_id, StageName="$default")
    client = ws.gw.connect(ws.api_id, "$default")
    connect = ws.of_type("CONNECT")[-1]
    assert connect["requestContext"]["stage"] == "$default"
    management = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"https://{ws.api_id}.execute-api.us-east-1.amazonaws.com/$default",
    )
    management.post_to_connection(ConnectionId=client.connection_id, Data=b"hi")
    assert client.receive() == b"hi"
    prod = ws.management()  # the other stage's endpoint does not reach this connection
    with pytest.raises(prod.exceptions.GoneException), pytest.warns(MockApiGatewayWarning, match="stage '\\$default'"):
        prod.post_to_connection(ConnectionId=client.connection_id, Data=b"hi")


def test_closing_a_client_after_the_mock_stopped_runs_nothing_and_raises_nothing() -> None:
    """Teardown order must not matter: the mock's stop closed the connection (1001), and no handler runs after it."""
    with mock_apigateway() as gw:
        ws = build_ws_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        client = gw.connect(ws.api_id, "prod")
    client.close()
    assert (client.connected, client.close_code) == (False, 1001)
    assert ws.of_type("DISCONNECT") == []


def test_aws_iam_on_connect_needs_a_signature(apigw: Any, v2: Any) -> None:
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    api = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN)
    apigw.register_lambda(FUNCTION_ARN, lambda event, context: {"statusCode": 200})
    v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="$connect",
        AuthorizationType="AWS_IAM",
        Target=f"integrations/{integration['IntegrationId']}",
    )
    v2.create_stage(ApiId=api["ApiId"], StageName="s")
    v2.create_deployment(ApiId=api["ApiId"], StageName="s")
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api["ApiId"], "s")
    assert info.value.status_code == 403
    signed = AWSRequest(method="GET", url=f"wss://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/s")
    SigV4Auth(Credentials("AKID", "secret"), "execute-api", "us-east-1").add_auth(signed)
    assert apigw.connect(api["ApiId"], "s", headers=dict(signed.headers.items())).connected


REPLY = {"statusCode": 200, "body": "reply"}


def test_one_way_route_drops_the_handlers_body(ws: WsApi) -> None:
    ws.route("tell")  # no RouteResponseSelectionExpression and no route response: one-way
    ws.replies["tell"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "tell"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["tell"]
    assert client.received == []


def test_two_way_route_sends_the_same_body_back(ws: WsApi) -> None:
    ws.route("ask", two_way=True)
    ws.replies["ask"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "ask"})
    assert client.received == [b"reply"]


def test_route_response_selection_expression_alone_is_one_way(ws: WsApi) -> None:
    # AWS passes the backend's response on only through a route response (docs/reference/aws-behaviour.md §5.1).
    ws.route("half", RouteResponseSelectionExpression="$default")
    ws.replies["half"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "half"})
    assert client.received == []


def test_a_connection_keeps_the_handshake_only_for_connect(ws: WsApi) -> None:
    # Nothing reads the handshake's headers and query string after $connect and its authorizer: let go of them.
    client = ws.gw.connect(ws.api_id, "prod", headers={"X-Team": "blue"}, query={"token": "abc"})
    connect = ws.of_type("CONNECT")[0]
    assert connect["headers"]["X-Team"] == "blue"
    assert connect["queryStringParameters"] == {"token": "abc"}
    record = ws.gw.websockets.connections.get(client.connection_id)
    assert record is not None and (record.headers, record.query) == ({}, {})
    assert client.received == []  # no message yet: the client's lists are made with its first message
    ws.management().post_to_connection(ConnectionId=client.connection_id, Data=b"one")
    assert (client.received, client.receive()) == ([b"one"], b"one")


class _Stage(str, enum.Enum):  # a str enum (enum.StrEnum from Python 3.11)
    PROD = "prod"


class _Text(str):
    """A ``str`` subclass, as typed-config libraries hand out."""


def test_connect_takes_str_subclasses_as_it_takes_str(ws: WsApi) -> None:
    # Connections share their strings (sys.intern), which refuses anything but an exact str: a StrEnum stage or
    # another str subclass must still connect, and the events carry the same values.
    clients = [
        ws.gw.connect(ws.api_id, _Stage.PROD),
        ws.gw.connect(_Text(ws.api_id), "prod", region=_Text("us-east-1")),
        ws.gw.connect(ws.api_id, "prod", source_ip=_Text("10.0.0.1"), user_agent=_Text("agent/1.0")),
    ]
    assert all(client.connected for client in clients)
    identities = [event["requestContext"]["identity"] for event in ws.of_type("CONNECT")]
    assert [event["requestContext"]["stage"] for event in ws.of_type("CONNECT")] == ["prod"] * 3
    assert identities[2] == {"sourceIp": "10.0.0.1", "userAgent": "agent/1.0"}
    info = ws.management().get_connection(ConnectionId=clients[2].connection_id)
    assert info["Identity"] == {"SourceIp": "10.0.0.1", "UserAgent": "agent/1.0"}


def test_a_connection_whose_stage_is_deleted_is_answered_forbidden_and_runs_no_disconnect(ws: WsApi) -> None:
    ws.route("$default", two_way=True)
    client = ws.gw.connect(ws.api_id, "prod")
    ws.v2.delete_stage(ApiId=ws.api_id, StageName="prod")
    with pytest.warns(MockApiGatewayWarning, match="has no stage 'prod'"):
        client.send("hello")
    assert json.loads(client.receive())["message"] == "Forbidden"
    assert client.connected
    mgmt = ws.management()
    with pytest.raises(mgmt.exceptions.ForbiddenException), pytest.warns(MockApiGatewayWarning):
        mgmt.get_connection(ConnectionId=client.connection_id)
    client.close()
    assert client.close_code == 1000
    assert ws.of_type("DISCONNECT") == []
