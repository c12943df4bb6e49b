"""Infrastructure for the chat example, the way a deploy script would create it with boto3."""

from __future__ import annotations

from typing import Any

import boto3

from mockapigw import MockApiGateway

from . import handler as chat_handler

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:chat"


def create_table() -> None:
    """The DynamoDB table of connection ids."""
    boto3.client("dynamodb", region_name="us-east-1").create_table(
        TableName=chat_handler.TABLE,
        KeySchema=[{"AttributeName": "connectionId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "connectionId", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def create_chat_api(gw: MockApiGateway) -> str:
    """A WebSocket API with $connect, $disconnect and sendmessage routes on one Lambda, deployed to `prod`."""
    v2: Any = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION_ARN}/invocations"
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=uri)
    for key in ("$connect", "$disconnect", "sendmessage"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    gw.register_lambda(FUNCTION_ARN, chat_handler.handler)
    return str(api["ApiId"])
