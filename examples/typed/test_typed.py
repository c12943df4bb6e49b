"""A user's test file, fully typed: ``mypy --strict`` checks it against mockapigw and the types-boto3 stubs.

CI copies this file out of the checkout and runs ``mypy --strict`` on it there, as a user's project would, so
that mypy sees mockapigw only through the README's editable install.
"""

from __future__ import annotations

import boto3
import requests
from types_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient
from types_boto3_apigatewayv2 import ApiGatewayV2Client
from types_boto3_apigatewayv2.type_defs import CreateApiResponseTypeDef

from mockapigw import LambdaContext, MockApiGateway, WebSocketClient, mock_apigateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def echo(event: dict[str, object], context: LambdaContext) -> dict[str, object]:
    """Send the message back to its sender."""
    return {"statusCode": 200, "body": event["body"]}


def _v2() -> ApiGatewayV2Client:
    return boto3.client("apigatewayv2", region_name="us-east-1")


def _websocket_api(v2: ApiGatewayV2Client) -> str:
    api: CreateApiResponseTypeDef = v2.create_api(
        Name="echo", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
    route = v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="$default",
        Target=f"integrations/{integration['IntegrationId']}",
        RouteResponseSelectionExpression="$default",
    )
    v2.create_route_response(ApiId=api["ApiId"], RouteId=route["RouteId"], RouteResponseKey="$default")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    return api["ApiId"]


def test_websocket_echo_and_post_to_connection(apigw: MockApiGateway) -> None:
    apigw.register_lambda(FUNCTION, echo)
    api_id = _websocket_api(_v2())

    client: WebSocketClient = apigw.connect(api_id, "prod")
    client.send("hello")
    assert client.receive_text() == "hello"

    management: ApiGatewayManagementApiClient = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod",
    )
    management.post_to_connection(ConnectionId=client.connection_id, Data=b"from the backend")
    assert client.receive() == b"from the backend"


@mock_apigateway
def test_http_api_under_the_decorator() -> None:
    v2 = _v2()
    api = v2.create_api(Name="orders", ProtocolType="HTTP", Target=FUNCTION)
    assert v2.get_api(ApiId=api["ApiId"])["ProtocolType"] == "HTTP"


def test_http_request_reaches_the_handler() -> None:
    with mock_apigateway() as gw:
        gw.register_lambda(FUNCTION, lambda event, context: {"statusCode": 201, "body": event["rawPath"]})
        api = _v2().create_api(Name="orders", ProtocolType="HTTP", Target=FUNCTION)
        response = requests.get(api["ApiEndpoint"] + "/orders")
        assert (response.status_code, response.text) == (201, "/orders")
