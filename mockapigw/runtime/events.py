"""Lambda proxy events for WebSocket APIs, shaped like AWS's captures (aws-behaviour.md §5.3)."""

from __future__ import annotations

import functools
import time
from collections.abc import Mapping
from typing import Any

from ..management.connections import Connection


def clf_time(epoch_ms: int) -> str:
    """``11/Nov/2024:11:35:24 +0000``: the Common Log Format time API Gateway puts in ``requestTime``."""
    return _clf_second(epoch_ms // 1000)  # gmtime() rounds a float down too


@functools.lru_cache(maxsize=4)
def _clf_second(second: int) -> str:
    # Every event of the same second has the same text: formatted once (most events of a busy second share it).
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(second))


def _request_context(
    connection: Connection, route_key: str, event_type: str, request_id: str, now_ms: int
) -> dict[str, Any]:
    identity: dict[str, Any] = {"sourceIp": connection.source_ip}
    if connection.user_agent:
        identity["userAgent"] = connection.user_agent
    context: dict[str, Any] = {
        "routeKey": route_key,
        "eventType": event_type,
        "extendedRequestId": request_id,
        "requestTime": clf_time(now_ms),
        "messageDirection": "IN",
        "stage": connection.stage,
        "connectedAt": connection.connected_at_ms,
        "requestTimeEpoch": now_ms,
        "identity": identity,
        "requestId": request_id,
        "domainName": connection.domain_name,
        "connectionId": connection.connection_id,
        "apiId": connection.api_id,
    }
    if connection.authorizer is not None:
        context["authorizer"] = dict(connection.authorizer)
    return context


def _with_stage_variables(event: dict[str, Any], connection: Connection) -> dict[str, Any]:
    if connection.stage_variables:
        event["stageVariables"] = dict(connection.stage_variables)
    return event


def _sorted(headers: Mapping[str, str]) -> dict[str, str]:
    # AWS lists header names in case-insensitive alphabetical order (the recorded events).
    return dict(sorted(headers.items(), key=lambda item: item[0].lower()))


def connect_event(connection: Connection, request_id: str, now_ms: int) -> dict[str, Any]:
    """The ``$connect`` event: the handshake's headers (client casing) and query string."""
    headers = _sorted(connection.headers)
    event: dict[str, Any] = {
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
    }
    if connection.query:
        event["queryStringParameters"] = {name: values[-1] for name, values in connection.query.items()}
        event["multiValueQueryStringParameters"] = {name: list(values) for name, values in connection.query.items()}
    event["requestContext"] = _request_context(connection, "$connect", "CONNECT", request_id, now_ms)
    event["isBase64Encoded"] = False
    return _with_stage_variables(event, connection)


def message_event(
    connection: Connection, route_key: str, body: str, request_id: str, message_id: str, now_ms: int
) -> dict[str, Any]:
    """A MESSAGE event: no headers, the frame text as ``body``, a ``messageId``."""
    context = _request_context(connection, route_key, "MESSAGE", request_id, now_ms)
    context = {"routeKey": route_key, "messageId": message_id, **context}
    event: dict[str, Any] = {"requestContext": context, "body": body, "isBase64Encoded": False}
    return _with_stage_variables(event, connection)


def disconnect_event(connection: Connection, request_id: str, now_ms: int) -> dict[str, Any]:
    """The ``$disconnect`` event, with the small fixed header set AWS sends and the close status."""
    headers = {"Host": connection.domain_name, "x-api-key": "", "X-Forwarded-For": "", "x-restapi": ""}
    context = _request_context(connection, "$disconnect", "DISCONNECT", request_id, now_ms)
    context["disconnectStatusCode"] = connection.close_code
    context["disconnectReason"] = connection.close_reason
    event: dict[str, Any] = {
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "requestContext": context,
        "isBase64Encoded": False,
    }
    return _with_stage_variables(event, connection)


# What the authorizer sees of the handshake besides the integration's headers (aws-behaviour.md §9.8).
_UPGRADE_HEADERS = {"Connection": "upgrade", "Upgrade": "websocket", "content-length": "0"}
_MULTI_VALUE_ONLY = "sec-websocket-key"


def connect_authorizer_event(connection: Connection, connect: dict[str, Any], method_arn: str) -> dict[str, Any]:
    """The ``$connect`` REQUEST authorizer's event, built from the ``$connect`` event *connect*.

    As recorded: the upgrade headers are there too, and ``Sec-WebSocket-Key`` only in ``multiValueHeaders``.
    """
    everything = _sorted({**connect["headers"], **_UPGRADE_HEADERS})
    return {
        "type": "REQUEST",
        "methodArn": method_arn,
        "headers": {name: value for name, value in everything.items() if name.lower() != _MULTI_VALUE_ONLY},
        "multiValueHeaders": {name: [value] for name, value in everything.items()},
        "queryStringParameters": dict(connect.get("queryStringParameters", {})),
        "multiValueQueryStringParameters": dict(connect.get("multiValueQueryStringParameters", {})),
        "stageVariables": dict(connection.stage_variables),
        "requestContext": connect["requestContext"],
    }
