"""A chat backend as it would be deployed to AWS Lambda: connection ids in DynamoDB, broadcast via @connections."""

from __future__ import annotations

import json
import os
from typing import Any

import boto3

TABLE = os.environ.get("CONNECTIONS_TABLE", "chat-connections")


def _table() -> Any:
    return boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1")).Table(TABLE)


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One function for ``$connect``, ``$disconnect`` and the ``sendmessage`` route."""
    request = event["requestContext"]
    route, connection_id = request["routeKey"], request["connectionId"]
    table = _table()
    if route == "$connect":
        table.put_item(
            Item={
                "connectionId": connection_id,
                "room": (event.get("queryStringParameters") or {}).get("room", "lobby"),
            }
        )
        return {"statusCode": 200}
    if route == "$disconnect":
        table.delete_item(Key={"connectionId": connection_id})
        return {"statusCode": 200}
    message = json.loads(event["body"]).get("message", "")
    # The callback URL comes from the event, as in AWS's samples: https://{domainName}/{stage}.
    management = boto3.client(
        "apigatewaymanagementapi",
        endpoint_url=f"https://{request['domainName']}/{request['stage']}",
        region_name=os.environ.get("AWS_REGION", "us-east-1"),
    )
    payload = json.dumps({"from": connection_id, "message": message}).encode()
    for item in table.scan(ProjectionExpression="connectionId")["Items"]:
        try:
            management.post_to_connection(ConnectionId=item["connectionId"], Data=payload)
        except management.exceptions.GoneException:
            table.delete_item(Key={"connectionId": item["connectionId"]})  # stale: the client is gone
    return {"statusCode": 200}
