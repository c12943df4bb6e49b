"""A deployed WebSocket API whose routes call one recording Lambda handler (used by the runtime tests)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from mockapigw import MockApiGateway

FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:chat"


@dataclass
class WsApi:
    """A WebSocket API under test: its id, the control-plane client and the events its handler saw."""

    gw: MockApiGateway
    v2: Any
    api_id: str
    integration_id: str
    events: list[dict[str, Any]] = field(default_factory=list)
    replies: dict[str, Any] = field(default_factory=dict)

    def route(self, key: str, *, two_way: bool = False, **extra: Any) -> str:
        """Add a route to the chat integration (optionally two-way) and redeploy."""
        if two_way:
            extra["RouteResponseSelectionExpression"] = "$default"
        route = self.v2.create_route(
            ApiId=self.api_id, RouteKey=key, Target=f"integrations/{self.integration_id}", **extra
        )
        if two_way:
            self.v2.create_route_response(ApiId=self.api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
        self.deploy()
        return str(route["RouteId"])

    def deploy(self) -> None:
        self.v2.create_deployment(ApiId=self.api_id, StageName="prod")

    def management(self) -> Any:
        return boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{self.api_id}.execute-api.us-east-1.amazonaws.com/prod",
        )

    def of_type(self, event_type: str) -> list[dict[str, Any]]:
        return [e for e in self.events if e["requestContext"]["eventType"] == event_type]


def build_ws_api(apigw: MockApiGateway, v2: Any) -> WsApi:
    """A WebSocket API with `$connect`, `$disconnect` and a `prod` stage, all calling one handler."""
    api = v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN)
    state = WsApi(apigw, v2, api["ApiId"], integration["IntegrationId"])

    def handler(event: dict[str, Any], context: Any) -> Any:
        state.events.append(event)
        reply: Callable[[dict[str, Any], Any], Any] | Any = state.replies.get(event["requestContext"]["routeKey"])
        if callable(reply):
            return reply(event, context)
        return reply if reply is not None else {"statusCode": 200}

    apigw.register_lambda(FUNCTION_ARN, handler)
    for key in ("$connect", "$disconnect"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod", StageVariables={"table": "connections"})
    state.deploy()
    return state


def unread(client: Any) -> list[bytes]:
    """Receive every message a simulated client has not read yet, oldest first."""
    messages = []
    while True:
        try:
            messages.append(client.receive())
        except LookupError:
            return messages
