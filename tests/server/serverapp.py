"""The ``--app`` of the CLI tests: a chat WebSocket API whose handler echoes, and logs $disconnect to a file."""

from __future__ import annotations

import os
from typing import Any

import boto3

from mockapigw import MockApiGateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:chat"
_served: list[MockApiGateway] = []  # the served mock, kept as an --app function may keep it


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Echo messages back through @connections (AWS's endpoint, answered in the server's process)."""
    request = event["requestContext"]
    if request["eventType"] == "DISCONNECT":
        with open(os.environ["MOCKAPIGW_TEST_LOG"], "a", encoding="utf-8") as log:
            log.write(f"disconnect {request['connectionId']} {request['disconnectStatusCode']}\n")
    elif request["eventType"] == "MESSAGE":
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{request['domainName']}/{request['stage']}",
        )
        body = event["body"]
        if body == "invocations?":  # how many invocations the served mock remembers (--keep-invocations)
            body = str(len(_served[0].invocations))
        management.post_to_connection(ConnectionId=request["connectionId"], Data=b"echo: " + body.encode())
    return {"statusCode": 200}


def setup(gw: MockApiGateway) -> None:
    """Register the handler and create the API, as a project's own set-up would."""
    _served.append(gw)
    gw.register_lambda(FUNCTION, handler)
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
    for key in ("$connect", "$disconnect", "$default"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod", AutoDeploy=True)
