"""@connections: PostToConnection, GetConnection, DeleteConnection on the mock's real connections."""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING, Any

from ..apigatewayv2.records import WEBSOCKET
from ..core.errors import ServiceError
from .connections import OPEN, Connection, ConnectionRegistry

if TYPE_CHECKING:
    from ..apigatewayv2.service import ApiGatewayV2Service

MAX_DATA_BYTES = 131072  # the model's PostToConnection.Data max (128 KiB)
_EXECUTE_API_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$")
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


def _forbidden() -> ForbiddenException:
    return ForbiddenException("Forbidden")


def _timestamp(epoch_ms: int) -> _dt.datetime:
    return _dt.datetime.fromtimestamp(epoch_ms / 1000, _dt.timezone.utc)


class ManagementBackend:
    """The @connections API: the endpoint names the API and stage, the path names the connection."""

    def __init__(self, control_plane: ApiGatewayV2Service, connections: ConnectionRegistry, account_id: str) -> None:
        self._control_plane = control_plane
        self._connections = connections
        self._account_id = account_id

    def target(self, host: str, base_path: str, client_region: str) -> tuple[str, str]:
        """The ``(api_id, stage)`` an endpoint addresses; ``ForbiddenException`` when it addresses none."""
        path = base_path.strip("/")
        match = _EXECUTE_API_HOST.match(host.lower())
        if match is not None:
            api_id, region = match.group(1), match.group(2)
            if not path or "/" in path:
                raise _forbidden()
            self._check_stage(api_id, path, region, execute_api_host=True)
            return api_id, path
        domain = self._control_plane.backends(self._account_id, client_region).domain_names.get(host.lower())
        if domain is None:
            raise _forbidden()
        for mapping in domain.api_mappings:
            if (mapping.get("ApiMappingKey") or "") == path:
                api_id, stage = str(mapping["ApiId"]), str(mapping["Stage"])
                self._check_stage(api_id, stage, client_region)
                return api_id, stage
        raise _forbidden()

    def _check_stage(self, api_id: str, stage: str, region: str, *, execute_api_host: bool = False) -> None:
        api = self._control_plane.backends(self._account_id, region).apis.get(api_id)
        if api is None or api.protocol != WEBSOCKET or api.stages.get(stage) is None:
            raise _forbidden()
        if execute_api_host and api.get("DisableExecuteApiEndpoint"):
            raise _forbidden()  # only custom domains reach an API whose default endpoint is disabled

    def _connection(self, params: dict[str, Any], target: tuple[str, str]) -> Connection:
        connection_id = params["ConnectionId"]
        if not _CONNECTION_ID.match(connection_id):
            raise BadRequestException(f"Invalid connectionId: {connection_id}", status=400)
        connection = self._connections.get(connection_id)
        if connection is not None:
            self._connections.refresh(connection)
        if connection is None or connection.state != OPEN or (connection.api_id, connection.stage) != target:
            raise GoneException(None)
        return connection

    def post_to_connection(self, params: dict[str, Any], target: tuple[str, str]) -> None:
        data: bytes = params.get("Data", b"")
        if len(data) > MAX_DATA_BYTES:
            raise PayloadTooLargeException(
                f"Data size {len(data)} exceeds the maximum message size of {MAX_DATA_BYTES} bytes"
            )
        connection = self._connection(params, target)
        with connection.lock:
            if connection.state != OPEN:
                raise GoneException(None)
            if connection.buffer_full(len(data)):
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
        self._connections.close(connection, 1000, "")
