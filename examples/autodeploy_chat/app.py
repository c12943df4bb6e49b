"""The deploy steps of AWS's Python WebSocket chat example (aws-doc-sdk-examples, ``websocket_chat.py``).

It creates the API, one Lambda integration and the ``$connect``, ``$disconnect`` and ``sendmessage`` routes, and
only then a stage with ``AutoDeploy=True``. It never calls ``create_deployment``: creating the AutoDeploy stage
deploys the API, and the example's next step connects clients.
"""

from __future__ import annotations

from typing import Any

import boto3

from mockapigw import MockApiGateway

from . import handler as chat_handler

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:websocket-chat"
STAGE = "test"


def create_table() -> None:
    """The table of connected users (the example's CloudFormation stack makes it)."""
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName=chat_handler.TABLE,
        KeySchema=[{"AttributeName": "connection_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "connection_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def deploy_chat(gw: MockApiGateway) -> tuple[str, str]:
    """Create and deploy the chat API as the AWS example does; return its id and its ``wss://`` URL."""
    gw.register_lambda(FUNCTION_ARN, chat_handler.handler)
    client: Any = boto3.client("apigatewayv2", region_name="us-east-1")
    api = client.create_api(
        Name="websocket-chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
    )
    api_id = api["ApiId"]
    integration = client.create_integration(
        ApiId=api_id,
        IntegrationType="AWS_PROXY",
        IntegrationMethod="POST",
        IntegrationUri=f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations",
    )
    for route_key in ("$connect", "$disconnect", "sendmessage"):
        client.create_route(ApiId=api_id, RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}")
    client.create_stage(ApiId=api_id, AutoDeploy=True, StageName=STAGE)
    return api_id, f"{api['ApiEndpoint']}/{STAGE}"
