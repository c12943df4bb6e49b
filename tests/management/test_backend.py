"""The @connections backend alone: plain ids in, no HTTP, and the connection lifecycle called explicitly."""

from __future__ import annotations

from typing import Any

import pytest

from mockapigw.management.backend import GoneException, ManagementBackend
from mockapigw.management.connections import OPEN, Connection, ConnectionRegistry


class RecordingLifecycle:
    """Stands for the WebSocket runtime, the owner of the connection lifecycle."""

    def __init__(self, registry: ConnectionRegistry) -> None:
        self.registry = registry
        self.closed: list[tuple[str, int, str]] = []
        self.refreshed: list[str] = []

    def close(self, connection: Connection, code: int, reason: str) -> None:
        self.closed.append((connection.connection_id, code, reason))
        self.registry.close(connection, code, reason)

    def refresh(self, connection: Connection) -> None:
        self.refreshed.append(connection.connection_id)


def _open(registry: ConnectionRegistry, stage: str = "prod") -> Connection:
    connection = Connection(
        account_id="123456789012",
        region="us-east-1",
        api_id="abcdefghij",
        stage=stage,
        domain_name="abcdefghij.execute-api.us-east-1.amazonaws.com",
        source_ip="192.0.2.1",
        user_agent=None,
        headers={},
        query={},
        stage_variables={},
    )
    registry.add(connection)
    connection.state = OPEN
    return connection


@pytest.fixture
def parts() -> tuple[ManagementBackend, RecordingLifecycle, ConnectionRegistry]:
    registry = ConnectionRegistry()
    lifecycle = RecordingLifecycle(registry)
    return ManagementBackend(registry, lifecycle), lifecycle, registry


def test_delete_connection_closes_through_the_lifecycle_owner(parts: Any) -> None:
    backend, lifecycle, registry = parts
    connection = _open(registry)
    backend.delete_connection({"ConnectionId": connection.connection_id}, ("abcdefghij", "prod"))
    assert lifecycle.closed == [(connection.connection_id, 1000, "")]
    assert lifecycle.refreshed == [connection.connection_id]  # expiry is checked by the owner first
    with pytest.raises(GoneException):
        backend.get_connection({"ConnectionId": connection.connection_id}, ("abcdefghij", "prod"))


def test_a_target_of_another_stage_is_gone_and_nothing_closes(parts: Any) -> None:
    backend, lifecycle, registry = parts
    connection = _open(registry, stage="prod")
    with pytest.raises(GoneException):
        backend.delete_connection({"ConnectionId": connection.connection_id}, ("abcdefghij", "$default"))
    assert lifecycle.closed == []
    backend.post_to_connection({"ConnectionId": connection.connection_id, "Data": b"hi"}, ("abcdefghij", "prod"))
    assert connection.received == [b"hi"]
