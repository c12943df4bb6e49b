"""WebSocket integrations: AWS_PROXY results, MOCK, AWS and HTTP templates and integration responses."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wsapi import FUNCTION_ARN, WsApi

from mockapigw import MockApiGatewayWarning


@pytest.mark.parametrize("status", ["\u00b2", "\u0662\u0660\u0660", "abc", float("inf"), [200]])
def test_a_proxy_status_code_that_is_not_a_number_is_an_integration_failure(ws: WsApi, status: Any) -> None:
    """Only ASCII digits make a number: str.isdigit() and int() also take "²" and "٢٠٠" (int() reads it as 200)."""
    ws.route("odd", two_way=True)
    ws.replies["odd"] = lambda event, context: {"statusCode": status, "body": "x"}
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.warns(MockApiGatewayWarning, match="Malformed Lambda proxy response"):
        client.send({"action": "odd"})
    assert client.receive_json()["message"] == "Internal server error"


@pytest.mark.parametrize("body", [{"echo": "hi", "ok": True}, ["a", 1, None], 42, True])
def test_a_proxy_body_that_is_not_a_string_is_sent_as_json(ws: WsApi, body: Any) -> None:
    """Not Python's repr ({'ok': True}): JSON with json.dumps's default separators, as HTTP APIs send it."""
    ws.route("echo", two_way=True)
    ws.replies["echo"] = {"statusCode": 200, "body": body}
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "echo"})
    assert client.receive() == json.dumps(body).encode()


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
