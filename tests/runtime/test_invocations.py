"""``gw.invocations``: every Lambda call the mock made, oldest first, with what users need to tell them apart."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import requests

from mockapigw import Invocation, LambdaContext, MockApiGateway, mock_apigateway

CHAT = "arn:aws:lambda:us-east-1:123456789012:function:chat"
AUTH = "arn:aws:lambda:us-east-1:123456789012:function:auth"
AUTH_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AUTH}/invocations"


def _websocket_api(v2: Any) -> str:
    api_id = str(
        v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=CHAT)
    target = f"integrations/{integration['IntegrationId']}"
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        Name="auth",
        AuthorizerUri=AUTH_URI,
        IdentitySource=["route.request.querystring.token"],
    )
    v2.create_route(
        ApiId=api_id,
        RouteKey="$connect",
        Target=target,
        AuthorizationType="CUSTOM",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    for key in ("$disconnect", "hello"):
        v2.create_route(ApiId=api_id, RouteKey=key, Target=target)
    v2.create_stage(ApiId=api_id, StageName="prod")
    v2.create_deployment(ApiId=api_id, StageName="prod")
    return api_id


def _allow(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "principalId": "me",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}],
        },
    }


def test_every_invocation_is_recorded_oldest_first(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _websocket_api(v2)
    apigw.register_lambda(CHAT, lambda event, context: {"statusCode": 200, "body": "hi"})
    apigw.register_lambda("auth", _allow)
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)

    client = apigw.connect(api_id, "prod", query={"token": "t"})
    client.send({"action": "hello"})
    client.close()
    requests.post(http["ApiEndpoint"] + "/orders", data="x")

    seen = [(i.kind, i.protocol, i.route_key, i.api_id, i.function_arn) for i in apigw.invocations]
    assert seen == [
        ("authorizer", "WEBSOCKET", "$connect", api_id, AUTH),
        ("integration", "WEBSOCKET", "$connect", api_id, CHAT),
        ("integration", "WEBSOCKET", "hello", api_id, CHAT),
        ("integration", "WEBSOCKET", "$disconnect", api_id, CHAT),
        ("integration", "HTTP", "$default", http["ApiId"], CHAT),
    ]
    message = apigw.invocations[2]
    assert isinstance(message, Invocation)
    assert message.event["body"] == json.dumps({"action": "hello"})
    assert message.result == {"statusCode": 200, "body": "hi"}
    assert message.error is None and not message.timed_out
    assert isinstance(message.context, LambdaContext)
    assert message.context.function_name == "chat"
    assert apigw.invocations[0].event["type"] == "REQUEST"  # the authorizer's own event
    assert apigw.invocations[4].event["body"] == "x"
    assert "hello" in repr(message)


def test_the_event_is_the_object_the_handler_got(apigw: MockApiGateway, v2: Any) -> None:
    received: list[Any] = []
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
    apigw.register_lambda(CHAT, lambda event, context: received.append((event, context)))
    requests.get(http["ApiEndpoint"] + "/")
    assert apigw.invocations[0].event is received[0][0]
    assert apigw.invocations[0].context is received[0][1]


def test_http_lambda_authorizers_are_recorded(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=CHAT, PayloadFormatVersion="2.0"
    )
    authorizer = v2.create_authorizer(
        ApiId=api["ApiId"],
        AuthorizerType="REQUEST",
        Name="auth",
        AuthorizerUri=AUTH_URI,
        AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True,
        IdentitySource=["$request.header.X-Token"],
    )
    v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="GET /orders",
        Target=f"integrations/{integration['IntegrationId']}",
        AuthorizationType="CUSTOM",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    apigw.register_lambda(CHAT, lambda event, context: "ok")
    apigw.register_lambda(AUTH, lambda event, context: {"isAuthorized": False})
    assert requests.get(api["ApiEndpoint"] + "/orders", headers={"X-Token": "t"}).status_code == 403
    [call] = apigw.invocations  # refused: the integration never ran
    assert (call.kind, call.protocol, call.route_key, call.result) == (
        "authorizer",
        "HTTP",
        "GET /orders",
        {"isAuthorized": False},
    )


@pytest.mark.apigw(raise_handler_errors=False)
def test_failed_invocations_are_recorded_with_their_error(apigw: MockApiGateway, v2: Any) -> None:
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
    bug = KeyError("oops")

    def broken(event: Any, context: Any) -> Any:
        raise bug

    with pytest.warns(UserWarning, match="register_lambda"):
        requests.get(http["ApiEndpoint"] + "/")  # nobody registered yet
    apigw.register_lambda(CHAT, broken)
    with pytest.warns(UserWarning, match="oops"):
        requests.get(http["ApiEndpoint"] + "/")
    missing, failed = apigw.invocations
    assert type(missing.error).__name__ == "LambdaNotRegistered" and missing.context is None
    assert failed.error is bug and failed.result is None


def test_invocations_empty_when_the_mock_starts_afresh() -> None:
    gw = mock_apigateway()
    for _ in range(2):
        with gw:
            v2 = boto3.client("apigatewayv2", region_name="us-east-1")
            http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
            gw.register_lambda(CHAT, lambda event, context: "ok")
            requests.get(http["ApiEndpoint"] + "/")
            assert len(gw.invocations) == 1
        assert len(gw.invocations) == 1  # still readable after stop
    with gw:
        assert gw.invocations == []


def test_the_list_returned_is_a_copy(apigw: MockApiGateway) -> None:
    apigw.invocations.append("not recorded")  # type: ignore[arg-type]
    assert apigw.invocations == []
