"""The chat Lambda of AWS's Python WebSocket chat example: user names in DynamoDB, broadcast by @connections."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

TABLE = os.environ.get("TABLE_NAME", "websocket-chat")


def _table() -> Any:
    return boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1")).Table(TABLE)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """``$connect`` needs a ``name`` query parameter; ``sendmessage`` posts ``{name}: {msg}`` to everyone."""
    request = event["requestContext"]
    route, connection_id = request["routeKey"], request["connectionId"]
    table = _table()
    if route == "$connect":
        user_name = (event.get("queryStringParameters") or {}).get("name")
        if not user_name:
            return {"statusCode": 400}  # the handshake fails: the client is not connected
        table.put_item(Item={"connection_id": connection_id, "user_name": user_name})
        return {"statusCode": 200}
    if route == "$disconnect":
        table.delete_item(Key={"connection_id": connection_id})
        return {"statusCode": 200}
    user_name = table.get_item(Key={"connection_id": connection_id}).get("Item", {}).get("user_name", "guest")
    message = f"{user_name}: {json.loads(event.get('body') or '{}').get('msg', '')}".encode()
    management = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=f"https://{request['domainName']}/{request['stage']}",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
    )
    for item in table.scan(ProjectionExpression="connection_id")["Items"]:
        try:
            management.post_to_connection(ConnectionId=item["connection_id"], Data=message)
        except management.exceptions.GoneException:
            table.delete_item(Key={"connection_id": item["connection_id"]})
    return {"statusCode": 200}
