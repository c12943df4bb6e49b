"""@connections: PostToConnection, GetConnection, DeleteConnection on the mock's real connections.

The backend knows no HTTP: it is given the ``(api_id, stage)`` the endpoint addresses (the front door resolves
the endpoint), and it closes connections through their lifecycle's owner.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from ..core.errors import ServiceError
from ..core.hints import hint
from .connections import OPEN, Connection, ConnectionLifecycle, ConnectionRegistry

MAX_DATA_BYTES = 131072  # the model's PostToConnection.Data max (128 KiB)
_CONNECTION_ID = re.compile(r"^[A-Za-z0-9_-]+=*$")


class ForbiddenException(ServiceError):
    """403: wrong endpoint (no such API or stage), as AWS answers with ``{"message":"Forbidden"}``."""


class GoneException(ServiceError):
    """410: the connection does not exist (any more); AWS sends an empty body."""


class PayloadTooLargeException(ServiceError):
    """413: the data is larger than 128 KiB."""


class LimitExceededException(ServiceError):
    """429: the client-side buffer is full (or the caller is throttled)."""


class BadRequestException(ServiceError):
    """400: a malformed connection id (not in the model, but what AWS answers)."""


def _timestamp(epoch_ms: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(epoch_ms / 1000, _dt.timezone.utc)


class ManagementBackend:
    """The @connections API: the endpoint names the API and stage, the path names the connection."""

    def __init__(self, connections: ConnectionRegistry, lifecycle: ConnectionLifecycle) -> None:
        self._connections = connections
        self._lifecycle = lifecycle

    def _connection(self, params: dict[str, Any], target: tuple[str, str]) -> Connection:
        connection_id = params["ConnectionId"]
        if _CONNECTION_ID.match(connection_id) is None:
            raise BadRequestException(f"Invalid connectionId: {connection_id}", status=400)
        connection = self._connections.get(connection_id)
        if connection is None:
            raise GoneException(None)
        self._lifecycle.refresh(connection)
        if connection.state != OPEN:
            raise GoneException(None)
        if connection.api_id != target[0] or connection.stage != target[1]:
            # AWS answers as for an unknown id; the user's slip (two APIs or stages in one test) is worth a word.
            hint(
                f"@connections answered 410 GoneException: connection {connection_id} is open on stage "
                f"{connection.stage!r} of WebSocket API {connection.api_id}, but the client's endpoint addresses "
                f"stage {target[1]!r} of API {target[0]}. Make the apigatewaymanagementapi client with the endpoint "
                "of the connection's own API and stage (its events' requestContext.domainName and stage)."
            )
            raise GoneException(None)
        return connection

    def post_to_connection(self, params: dict[str, Any], target: tuple[str, str]) -> None:
        data: bytes = params.get("Data", b"")
        size = len(data)
        if size > MAX_DATA_BYTES:
            raise PayloadTooLargeException(
                f"Data size {size} exceeds the maximum message size of {MAX_DATA_BYTES} bytes"
            )
        connection = self._connection(params, target)
        with connection.lock:
            if connection.state != OPEN:
                raise GoneException(None)
            # A real socket (server mode) has its own rule: what its client has not taken yet, over its limit.
            transport = connection.transport
            full = transport.buffer_full(size) if transport is not None else connection.buffer_full(size)
            if full:
                raise LimitExceededException("Limit Exceeded")
            connection.deliver(data)

    def get_connection(self, params: dict[str, Any], target: tuple[str, str]) -> dict[str, Any]:
        connection = self._connection(params, target)
        identity = {"SourceIp": connection.source_ip}
        if connection.user_agent:
            identity["UserAgent"] = connection.user_agent
        return {
            "ConnectedAt": _timestamp(connection.connected_at_ms),
            "Identity": identity,
            "LastActiveAt": _timestamp(connection.last_active_ms),
        }

    def delete_connection(self, params: dict[str, Any], target: tuple[str, str]) -> None:
        connection = self._connection(params, target)
        self._lifecycle.close(connection, 1000, "")
