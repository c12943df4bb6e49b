"""WebSocket events: the shapes handlers get on $connect, messages and the $connect authorizer.

Recorded $connect authorizer event: docs/reference/aws-behaviour.md §9.8.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from wsapi import WsApi

from mockapigw import MockApiGateway
from mockapigw.runtime.events import clf_time

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


EVENTS = Path(__file__).parent / "recorded"  # unchanged copies, see SOURCE.txt there
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"
AUTH = "arn:aws:lambda:us-east-1:123456789012:function:auth"
AUTH_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AUTH}/invocations"


def test_connect_authorizer_event_has_the_recorded_headers(apigw: MockApiGateway, v2: Any) -> None:
    recorded = json.loads((EVENTS / "apiGatewayAuthorizerWebSocketEvent.json").read_text())
    api_id = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")["ApiId"]
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        Name="auth",
        AuthorizerUri=AUTH_URI,
        IdentitySource=["route.request.header.Authorization"],
    )
    v2.create_route(
        ApiId=api_id, RouteKey="$connect", AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"]
    )
    v2.create_stage(ApiId=api_id, StageName="production")
    v2.create_deployment(ApiId=api_id, StageName="production")
    apigw.register_lambda(
        AUTH,
        lambda event, context: {
            "principalId": "leo",
            "policyDocument": {
                "Version": "2012-10-17",
                "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}],
            },
        },
    )
    apigw.connect(api_id, "production", headers={"Authorization": "Leo"}, user_agent=None)
    event = apigw.invocations[0].event

    assert list(event) == list(recorded)
    assert list(event["headers"]) == list(recorded["headers"])  # Connection, Upgrade, content-length; no Key
    assert list(event["multiValueHeaders"]) == list(recorded["multiValueHeaders"])
    assert (event["headers"]["Connection"], event["headers"]["Upgrade"], event["headers"]["content-length"]) == (
        "upgrade",
        "websocket",
        "0",
    )
    assert event["multiValueHeaders"]["Sec-WebSocket-Key"][0]
    assert list(event["requestContext"]) == list(recorded["requestContext"])
    assert (event["queryStringParameters"], event["stageVariables"]) == ({}, {})
    assert event["methodArn"] == f"arn:aws:execute-api:us-east-1:123456789012:{api_id}/production/$connect"


def test_connect_event_keeps_the_recorded_header_order(apigw: MockApiGateway, v2: Any) -> None:
    recorded = json.loads((EVENTS / "apiGatewayWebSocketApiConnect.json").read_text())
    api_id = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")["ApiId"]
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA)
    v2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api_id, StageName="prod")
    v2.create_deployment(ApiId=api_id, StageName="prod")
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200})
    apigw.connect(api_id, "prod", user_agent=None)
    event = apigw.invocations[0].event
    assert list(event["headers"]) == list(recorded["headers"])
    assert list(event) == list(recorded)


@pytest.mark.parametrize("epoch_ms", [0, 999, 1000, 1731324924000, 1731324924999, 1731324925000, -1, -1000, -1001])
def test_request_time_is_the_second_the_event_was_made_in(epoch_ms: int) -> None:
    # Formatted once per second: each millisecond of a second, and either side of it, gives its own second.
    expected = time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000))
    assert clf_time(epoch_ms) == expected
    assert clf_time(epoch_ms) == expected  # from the cache
