"""The application the server benchmarks serve: ``mockapigw serve --app benchmarks.server_app:setup``.

Handlers written as for AWS: ``$connect``/``$disconnect`` keep the set of connection ids (a table, on AWS), ``echo``
posts the message back through @connections, ``broadcast`` posts it to every connection, and an HTTP API answers
``GET /ping``. serverless-offline runs the same application written in Node (``server_offline.py``).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import boto3

from mockapigw import MockApiGateway

WS_NAME = "bench-ws"
HTTP_NAME = "bench-http"
_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


class Chat:
    """The handlers' shared state: the open connections and one @connections client per endpoint."""

    def __init__(self) -> None:
        self.connections: set[str] = set()
        self.lock = threading.Lock()
        self._clients: dict[str, Any] = {}

    def management(self, event: dict[str, Any]) -> Any:
        # As Lambda code does: one client per endpoint, made once (the event's domainName and stage name it).
        context = event["requestContext"]
        endpoint = f"https://{context['domainName']}/{context['stage']}"
        with self.lock:
            if endpoint not in self._clients:
                self._clients[endpoint] = self.new_client(endpoint, event)
            return self._clients[endpoint]

    def new_client(self, endpoint: str, event: dict[str, Any]) -> Any:
        """The @connections client for *endpoint*, made the first time a handler needs it."""
        return boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint)

    def connect(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self.lock:
            self.connections.add(event["requestContext"]["connectionId"])
        return {"statusCode": 200}

    def disconnect(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        with self.lock:
            self.connections.discard(event["requestContext"]["connectionId"])
        return {"statusCode": 200}

    def echo(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.management(event).post_to_connection(
            ConnectionId=event["requestContext"]["connectionId"], Data=event["body"].encode()
        )
        return {"statusCode": 200}

    def broadcast(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        management = self.management(event)
        gone = management.exceptions.GoneException
        with self.lock:
            targets = list(self.connections)
        data = event["body"].encode()
        for connection_id in targets:
            with contextlib.suppress(gone):
                management.post_to_connection(ConnectionId=connection_id, Data=data)
        return {"statusCode": 200}


def ping(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": "pong"}


def setup(gw: MockApiGateway, chat: Chat | None = None) -> None:
    """Register the handlers and create both APIs with ``prod`` stages (called by ``mockapigw serve --app``)."""
    chat = chat or Chat()
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name=WS_NAME, ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    for key, handler in {
        "$connect": chat.connect,
        "$disconnect": chat.disconnect,
        "echo": chat.echo,
        "broadcast": chat.broadcast,
    }.items():
        arn = _ARN + key.strip("$")
        gw.register_lambda(arn, handler)
        integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=arn)
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")

    gw.register_lambda(_ARN + "ping", ping)
    # Quick create: the $default stage auto-deploys, so GET {stage URL}/ping reaches the handler.
    v2.create_api(Name=HTTP_NAME, ProtocolType="HTTP", Target=_ARN + "ping", RouteKey="GET /ping")
