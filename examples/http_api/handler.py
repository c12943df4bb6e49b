"""An orders backend as it would be deployed to AWS Lambda behind an HTTP API (payload format 2.0).

Orders live in DynamoDB under the caller's ``sub`` claim, which the JWT authorizer puts in the event.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from typing import Any

import boto3
from boto3.dynamodb.conditions import Key

TABLE = os.environ.get("ORDERS_TABLE", "orders")


def _table() -> Any:
    return boto3.resource("dynamodb", region_name=os.environ.get("AWS_REGION", "us-east-1")).Table(TABLE)


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> dict[str, Any]:
    return {
        "statusCode": status,
        "headers": {"content-type": "application/json", **(headers or {})},
        "body": json.dumps(body),
    }


def _order(item: dict[str, Any]) -> dict[str, Any]:
    """An order as the API shows it (DynamoDB gives numbers back as ``Decimal``)."""
    return {
        "id": item["id"],
        "item": item["item"],
        "quantity": int(item["quantity"]),
        "createdAt": int(item["createdAt"]),
    }


def _new_order(event: dict[str, Any]) -> dict[str, Any]:
    """The order described by the request body; ``ValueError`` with a message for the client when it is invalid."""
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8", errors="replace")
    try:
        body = json.loads(raw)
    except json.JSONDecodeError:
        raise ValueError("the body must be JSON") from None
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    item, quantity = body.get("item"), body.get("quantity")
    if not isinstance(item, str) or not item.strip():
        raise ValueError("item must be a non-empty string")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise ValueError("quantity must be a positive integer")
    return {"item": item.strip(), "quantity": quantity}


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """One function for ``GET /orders``, ``POST /orders`` and ``GET /orders/{id}``."""
    route = event["routeKey"]
    owner = event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"]
    table = _table()
    if route == "GET /orders":
        items = table.query(KeyConditionExpression=Key("owner").eq(owner))["Items"]
        orders = sorted((_order(item) for item in items), key=lambda order: order["createdAt"])
        return _json(200, {"orders": orders})
    if route == "POST /orders":
        try:
            order = _new_order(event)
        except ValueError as problem:
            return _json(400, {"message": str(problem)})
        item = {
            "owner": owner,
            "id": uuid.uuid4().hex,
            "createdAt": event["requestContext"]["timeEpoch"],
            **order,
        }
        table.put_item(Item=item)
        return _json(201, _order(item), {"location": f"/orders/{item['id']}"})
    if route == "GET /orders/{id}":
        order_id = event["pathParameters"]["id"]
        found = table.get_item(Key={"owner": owner, "id": order_id}).get("Item")
        if found is None:  # someone else's order is as missing as one that never existed
            return _json(404, {"message": f"order {order_id} not found"})
        return _json(200, _order(found))
    return _json(404, {"message": "Not Found"})
