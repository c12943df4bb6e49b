"""WebSocket runtime: handshake, route selection, events, two-way routes, frames and lifecycle."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import boto3
import pytest
import time_machine
from freezegun import freeze_time
from wsapi import FUNCTION_ARN, WsApi, build_ws_api

from mockapigw import ConnectionClosed, ConnectionRejected, MockApiGatewayWarning, mock_apigateway

CONNECTION_ID = re.compile(r"^[A-Za-z0-9_-]{15}=$")


def test_connect_runs_connect_with_an_aws_shaped_event(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod", headers={"Authorization": "t"}, query={"room": "a", "tag": ["x", "y"]})
    assert CONNECTION_ID.match(client.connection_id)
    assert client.connected
    (event,) = ws.of_type("CONNECT")
    context = event["requestContext"]
    assert context["routeKey"] == "$connect"
    assert context["connectionId"] == client.connection_id
    assert context["apiId"] == ws.api_id
    assert context["stage"] == "prod"
    assert context["domainName"] == f"{ws.api_id}.execute-api.us-east-1.amazonaws.com"
    assert context["messageDirection"] == "IN"
    assert context["requestId"] == context["extendedRequestId"]
    assert isinstance(context["connectedAt"], int) and isinstance(context["requestTimeEpoch"], int)
    assert re.fullmatch(r"\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} \+0000", context["requestTime"])
    assert context["identity"] == {"sourceIp": "192.0.2.1", "userAgent": "mockapigw-websocket-client"}
    assert event["headers"]["Authorization"] == "t"
    assert event["headers"]["Host"] == context["domainName"]
    assert event["headers"]["Sec-WebSocket-Version"] == "13"
    assert event["multiValueHeaders"]["Authorization"] == ["t"]
    assert event["queryStringParameters"] == {"room": "a", "tag": "y"}
    assert event["multiValueQueryStringParameters"] == {"room": ["a"], "tag": ["x", "y"]}
    assert event["stageVariables"] == {"table": "connections"}
    assert event["isBase64Encoded"] is False
    assert "body" not in event


def test_message_event_has_body_and_message_id_and_no_headers(ws: WsApi) -> None:
    ws.route("chat")
    client = ws.gw.connect(ws.api_id, "prod", source_ip="203.0.113.9", user_agent="pytest")
    client.send({"action": "chat", "text": "hello"})
    (event,) = ws.of_type("MESSAGE")
    assert event["body"] == json.dumps({"action": "chat", "text": "hello"})
    assert "headers" not in event and "multiValueHeaders" not in event
    context = event["requestContext"]
    assert context["routeKey"] == "chat"
    assert CONNECTION_ID.match(context["messageId"])
    assert context["identity"] == {"sourceIp": "203.0.113.9", "userAgent": "pytest"}


def test_route_selection_exact_then_default_then_forbidden(ws: WsApi) -> None:
    ws.route("join")
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "leave"})
    forbidden = client.receive_text()
    request_id = json.loads(forbidden)["requestId"]
    assert forbidden == (
        f'{{"message": "Forbidden", "connectionId":"{client.connection_id}", "requestId":"{request_id}"}}'
    )
    assert client.connected  # the client stays connected
    ws.route("$default")
    client.send("not json at all")
    client.send({"action": "join"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["$default", "join"]


def test_nested_and_templated_selection_expressions(apigw: Any, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="WEBSOCKET", RouteSelectionExpression="${request.body.a.b}-v1")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN)
    seen: list[str] = []
    apigw.register_lambda("chat", lambda event, context: seen.append(event["requestContext"]["routeKey"]))
    for key in ("deep-v1", "-v1"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="s")
    v2.create_deployment(ApiId=api["ApiId"], StageName="s")
    client = apigw.connect(api["ApiId"], "s")
    client.send({"a": {"b": "deep"}})
    client.send({"other": 1})  # a missing value evaluates to ""
    assert seen == ["deep-v1", "-v1"]


def test_two_way_route_sends_the_body_back(ws: WsApi) -> None:
    ws.route("echo", two_way=True)
    ws.replies["echo"] = lambda event, context: {"statusCode": 200, "body": "echo:" + event["body"]}
    client = ws.gw.connect(ws.api_id, "prod")
    client.send('{"action": "echo"}')
    assert client.receive_text() == 'echo:{"action": "echo"}'
    with pytest.raises(LookupError):
        client.receive()


@pytest.mark.parametrize("status", ["\u00b2", "\u0662\u0660\u0660", "abc", float("inf"), [200]])
def test_a_proxy_status_code_that_is_not_a_number_is_an_integration_failure(ws: WsApi, status: Any) -> None:
    """Only ASCII digits make a number: str.isdigit() and int() also take "²" and "٢٠٠" (int() reads it as 200)."""
    ws.route("odd", two_way=True)
    ws.replies["odd"] = lambda event, context: {"statusCode": status, "body": "x"}
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match="Malformed Lambda proxy response"):
        client.send({"action": "odd"})
    assert client.receive_json()["message"] == "Internal server error"


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
def test_unregistered_function_names_the_arn_to_register(ws: WsApi) -> None:
    other = "arn:aws:lambda:us-east-1:123456789012:function:missing"
    integration = ws.v2.create_integration(ApiId=ws.api_id, IntegrationType="AWS_PROXY", IntegrationUri=other)
    ws.v2.create_route(ApiId=ws.api_id, RouteKey="lost", Target=f"integrations/{integration['IntegrationId']}")
    ws.deploy()
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match=re.escape(f"gw.register_lambda('{other}', handler)")):
        client.send({"action": "lost"})
    assert client.receive_json()["message"] == "Internal server error"


def test_lambda_context_behaves_like_the_runtime(ws: WsApi) -> None:
    seen: dict[str, Any] = {}

    def capture(event: Any, context: Any) -> Any:
        seen.update(
            name=context.function_name,
            arn=context.invoked_function_arn,
            memory=context.memory_limit_in_mb,
            request_id=context.aws_request_id,
            log_group=context.log_group_name,
            remaining=context.get_remaining_time_in_millis(),
        )
        return None

    ws.route("ctx")
    ws.replies["ctx"] = capture
    ws.gw.connect(ws.api_id, "prod").send({"action": "ctx"})
    assert seen["name"] == "chat"
    assert seen["arn"] == FUNCTION_ARN
    assert seen["memory"] == "128"  # the runtime reads it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE
    assert re.fullmatch(r"[0-9a-f-]{36}", seen["request_id"])
    assert seen["log_group"] == "/aws/lambda/chat"
    assert 28000 < seen["remaining"] <= 29000  # counts down the WebSocket default timeout


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
    client.send({"action": "late"})
    assert json.loads(client.receive())["message"] == "Forbidden"
    ws.deploy()
    client.send({"action": "late"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["late"]


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


def test_mock_integration_with_static_templates(apigw: Any, v2: Any) -> None:
    client = _mock_api(apigw, v2, '{"statusCode": 200}', {"$default": '{"pong": "$context.connectionId"}'})
    client.send({"action": "ping"})
    assert client.receive_json() == {"pong": client.connection_id}


def test_http_proxy_integration_posts_the_message(apigw: Any, v2: Any) -> None:
    import responses

    api = v2.create_api(Name="h", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="HTTP_PROXY",
        IntegrationUri="https://backend.example/ws",
        IntegrationMethod="POST",
    )
    _deploy_two_way_default(v2, api["ApiId"], integration["IntegrationId"])
    client = apigw.connect(api["ApiId"], "s")
    with responses.RequestsMock() as backend:
        backend.post("https://backend.example/ws", body="from backend")
        client.send("hello backend")
        assert backend.calls[0].request.body == b"hello backend"
    assert client.receive_text() == "from backend"


def _deploy_two_way_default(v2: Any, api_id: str, integration_id: str) -> None:
    """A two-way ``$default`` route on *integration_id*, deployed to stage ``s``."""
    route = v2.create_route(
        ApiId=api_id,
        RouteKey="$default",
        Target=f"integrations/{integration_id}",
        RouteResponseSelectionExpression="$default",
    )
    v2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    v2.create_stage(ApiId=api_id, StageName="s")
    v2.create_deployment(ApiId=api_id, StageName="s")


def _mock_api(
    apigw: Any, v2: Any, request_template: str, responses: dict[str, str] | None, user_agent: str = "tests"
) -> Any:
    api = v2.create_api(Name="m", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="MOCK",
        RequestTemplates={"$default": request_template},
        TemplateSelectionExpression="\\$default",
    )
    if responses is not None:
        v2.create_integration_response(
            ApiId=api["ApiId"],
            IntegrationId=integration["IntegrationId"],
            IntegrationResponseKey="$default",
            ResponseTemplates=responses,
            TemplateSelectionExpression="\\$default",
        )
    _deploy_two_way_default(v2, api["ApiId"], integration["IntegrationId"])
    return apigw.connect(api["ApiId"], "s", source_ip="198.51.100.1", user_agent=user_agent)


def test_templates_read_nested_context_and_never_template_the_message(apigw: Any, v2: Any) -> None:
    client = _mock_api(
        apigw, v2, '{"statusCode": 200}', {"$default": '{"ip": "$context.identity.sourceIp", "got": "$input.body"}'}
    )
    client.send("$context.connectionId")
    assert client.receive_text() == '{"ip": "198.51.100.1", "got": "$context.connectionId"}'


def test_mock_without_integration_responses_sends_nothing(apigw: Any, v2: Any) -> None:
    client = _mock_api(apigw, v2, '{"statusCode": 200}', None)
    client.send("hello")
    assert client.received == []


@pytest.mark.parametrize("status", ["ok", "\u00b2", "\u0662\u0660\u0660"])  # isdigit() takes the last two
def test_non_numeric_mock_status_is_an_integration_failure(apigw: Any, v2: Any, status: str) -> None:
    client = _mock_api(apigw, v2, json.dumps({"statusCode": status}), {"$default": "x"})
    with pytest.warns(MockApiGatewayWarning, match="non-numeric"):
        client.send("hello")
    assert client.receive_json()["message"] == "Internal server error"


def test_a_mock_response_utf8_cannot_hold_is_an_integration_failure(apigw: Any, v2: Any) -> None:
    """A template can copy the mock's own inputs (here a user agent with a lone surrogate) into the answer: a failed
    integration, not an encoding error from the mock."""
    template = {"$default": '{"agent": "$context.identity.userAgent"}'}
    client = _mock_api(apigw, v2, '{"statusCode": 200}', template, user_agent="agent\ud800")
    with pytest.warns(MockApiGatewayWarning, match="not valid UTF-8"):
        client.send("hello")
    assert client.receive_json()["message"] == "Internal server error"


def test_an_http_integration_request_utf8_cannot_hold_is_an_integration_failure(apigw: Any, v2: Any) -> None:
    import responses

    api = v2.create_api(Name="h", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="HTTP",
        IntegrationUri="https://backend.example/in",
        IntegrationMethod="POST",
        RequestTemplates={"$default": "$context.identity.userAgent"},
        TemplateSelectionExpression="\\$default",
    )
    _deploy_two_way_default(v2, api["ApiId"], integration["IntegrationId"])
    client = apigw.connect(api["ApiId"], "s", user_agent="agent\ud800")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as backend:
        backend.post("https://backend.example/in", body="never")
        with pytest.warns(MockApiGatewayWarning, match="not valid UTF-8"):
            client.send("hello")
        assert len(backend.calls) == 0
    assert client.receive_json()["message"] == "Internal server error"


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


def test_disabled_execute_api_endpoint_refuses_connections(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    ws.v2.update_api(ApiId=ws.api_id, DisableExecuteApiEndpoint=True)
    with pytest.raises(ConnectionRejected) as info:
        ws.gw.connect(ws.api_id, "prod")
    assert info.value.status_code == 403
    mgmt = ws.management()
    with pytest.raises(mgmt.exceptions.ForbiddenException):
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")


def test_aws_integration_invokes_lambda_with_the_rendered_template(apigw: Any, v2: Any) -> None:
    api = v2.create_api(Name="a", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations"
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="AWS",
        IntegrationUri=uri,
        RequestTemplates={"$default": '{"who": "$context.connectionId", "raw": $input.body}'},
        TemplateSelectionExpression="\\$default",
    )
    _deploy_two_way_default(v2, api["ApiId"], integration["IntegrationId"])
    seen: list[Any] = []
    apigw.register_lambda("chat", lambda event, context: seen.append(event) or {"ok": True})
    client = apigw.connect(api["ApiId"], "s")
    client.send({"n": 1})
    assert seen == [{"who": client.connection_id, "raw": {"n": 1}}]
    assert client.receive_json() == {"ok": True}


def test_http_integration_uses_templates_and_integration_responses(apigw: Any, v2: Any) -> None:
    import responses

    api = v2.create_api(Name="h", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="HTTP",
        IntegrationUri="https://backend.example/in",
        IntegrationMethod="PUT",
        RequestTemplates={"$default": '{"wrapped": $input.body}'},
        TemplateSelectionExpression="\\$default",
    )
    v2.create_integration_response(
        ApiId=api["ApiId"],
        IntegrationId=integration["IntegrationId"],
        IntegrationResponseKey="/2\\d\\d/",
        ResponseTemplates={"$default": "accepted"},
        TemplateSelectionExpression="\\$default",
    )
    _deploy_two_way_default(v2, api["ApiId"], integration["IntegrationId"])
    client = apigw.connect(api["ApiId"], "s")
    with responses.RequestsMock() as backend:
        backend.put("https://backend.example/in", status=202, body="ignored")
        client.send('{"x": 1}')
        assert backend.calls[0].request.body == b'{"wrapped": {"x": 1}}'
        backend.replace(responses.PUT, "https://backend.example/in", body=responses.ConnectionError("down"))
        with pytest.warns(MockApiGatewayWarning, match="HTTP integration failed"):
            client.send('{"x": 2}')
    assert client.receive_text() == "accepted"
    assert client.receive_json()["message"] == "Internal server error"


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
    with pytest.raises(prod.exceptions.GoneException):
        prod.post_to_connection(ConnectionId=client.connection_id, Data=b"hi")


def test_closing_a_client_after_the_mock_stopped_still_runs_disconnect() -> None:
    """Teardown order must not matter: events of open connections reach their stage after stop()."""
    with mock_apigateway() as gw:
        ws = build_ws_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        client = gw.connect(ws.api_id, "prod")
    client.close()
    assert len(ws.of_type("DISCONNECT")) == 1


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
