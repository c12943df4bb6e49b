"""Events compared member by member with what AWS sent.

Payload 1.0 (docs/reference/aws-behaviour.md §9.7) and the $connect authorizer (aws-behaviour.md §9.8).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from mockapigw import MockApiGateway

EVENTS = Path(__file__).parent / "recorded"  # unchanged copies, see SOURCE.txt there
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"
AUTH = "arn:aws:lambda:us-east-1:123456789012:function:auth"
AUTH_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AUTH}/invocations"

# A payload 1.0 event captured from a real HTTP API (2024; values replaced, names and structure kept).
CAPTURED_V1 = {
    "version": "1.0",
    "resource": "/api/core/services",
    "path": "/dev/api/core/services",
    "httpMethod": "GET",
    "headers": {},
    "multiValueHeaders": {},
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "requestContext": {
        "accountId": "",
        "apiId": "",
        "authorizer": {"claims": None, "scopes": None},
        "domainName": "",
        "domainPrefix": "",
        "extendedRequestId": "",
        "httpMethod": "GET",
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAmr": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": "",
            "user": None,
            "userAgent": "",
            "userArn": None,
        },
        "path": "/dev/api/core/services",
        "protocol": "HTTP/1.1",
        "requestId": "",
        "requestTime": "",
        "requestTimeEpoch": 0,
        "resourceId": "GET /api/core/services",
        "resourcePath": "/api/core/services",
        "stage": "dev",
    },
    "pathParameters": None,
    "stageVariables": None,
    "body": None,
    "isBase64Encoded": False,
}


def _shape(value: Any) -> Any:
    """Member names, order and JSON types (``None`` kept apart), without the values."""
    if isinstance(value, dict):
        return [(key, _shape(item)) for key, item in value.items()]
    return None if value is None else type(value).__name__


def _v1_event(apigw: MockApiGateway, v2: Any, headers: dict[str, str]) -> dict[str, Any]:
    api = v2.create_api(Name="v1", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="dev", AutoDeploy=True)
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="1.0"
    )
    v2.create_route(
        ApiId=api["ApiId"], RouteKey="GET /api/core/services", Target=f"integrations/{integration['IntegrationId']}"
    )
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200})
    requests.get(api["ApiEndpoint"] + "/dev/api/core/services", headers=headers)
    return apigw.invocations[-1].event  # type: ignore[no-any-return]


def test_payload_1_0_event_has_the_captured_members(apigw: MockApiGateway, v2: Any) -> None:
    event = _v1_event(apigw, v2, {})
    expected = _shape({**CAPTURED_V1, "headers": {}, "multiValueHeaders": {}})
    assert _shape({**event, "headers": {}, "multiValueHeaders": {}}) == expected
    context = event["requestContext"]
    assert context["resourceId"] == "GET /api/core/services"  # the route key, not null
    assert context["identity"]["cognitoAmr"] is None
    assert (event["resource"], context["resourcePath"], context["stage"]) == (
        "/api/core/services",
        "/api/core/services",
        "dev",
    )


def test_payload_1_0_header_names_keep_the_clients_case(apigw: MockApiGateway, v2: Any) -> None:
    event = _v1_event(
        apigw, v2, {"accept": "*/*", "X-Razorpay-Signature": "s", "user-agent": "curl/8", "Content-Type": "a/b"}
    )
    names = list(event["headers"])
    assert names == sorted(names)  # listed in code-point order, as captured
    for added in ("Host", "User-Agent", "X-Amzn-Trace-Id", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"):
        assert added in event["headers"] and added.lower() not in event["headers"]
    assert event["headers"]["User-Agent"] == "curl/8"
    assert {"accept", "X-Razorpay-Signature", "Content-Type"} <= set(names)
    assert event["multiValueHeaders"] == {name: [value] for name, value in event["headers"].items()}
    assert event["requestContext"]["identity"]["userAgent"] == "curl/8"


def test_payload_2_0_still_lower_cases_every_name(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="v2", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: "ok")
    requests.get(api["ApiEndpoint"] + "/", headers={"X-Mixed-Case": "1"})
    headers = apigw.invocations[-1].event["headers"]
    assert all(name == name.lower() for name in headers) and headers["x-mixed-case"] == "1"


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
