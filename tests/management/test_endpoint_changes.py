"""@connections follows control-plane changes to the endpoint it is called at, from one call to the next.

The front door keeps an execute-api endpoint's resolution between calls (runtime/endpoints.py); these are the
changes that must still reach the very next call.
"""

from __future__ import annotations

from typing import Any

import pytest
from wsapi import WsApi

from mockapigw import MockApiGatewayWarning


def _connected(ws: WsApi) -> tuple[Any, str]:
    """A management client for the `prod` stage, already used once, and a connection to that stage."""
    connection = ws.gw.connect(ws.api_id, "prod")
    mgmt = ws.management()
    assert mgmt.get_connection(ConnectionId=connection.connection_id)["Identity"]
    return mgmt, connection.connection_id


def _forbidden(mgmt: Any, connection_id: str, reason: str) -> None:
    with pytest.warns(MockApiGatewayWarning, match=reason), pytest.raises(mgmt.exceptions.ForbiddenException):
        mgmt.get_connection(ConnectionId=connection_id)


def test_a_deleted_stage_is_forbidden_at_the_next_call(ws: WsApi) -> None:
    mgmt, connection_id = _connected(ws)
    ws.v2.delete_stage(ApiId=ws.api_id, StageName="prod")
    _forbidden(mgmt, connection_id, "has no stage 'prod'")


def test_a_disabled_execute_api_endpoint_is_forbidden_at_the_next_call(ws: WsApi) -> None:
    mgmt, connection_id = _connected(ws)
    ws.v2.update_api(ApiId=ws.api_id, DisableExecuteApiEndpoint=True)
    _forbidden(mgmt, connection_id, "DisableExecuteApiEndpoint=true")
    ws.v2.update_api(ApiId=ws.api_id, DisableExecuteApiEndpoint=False)
    assert mgmt.get_connection(ConnectionId=connection_id)["Identity"]


def test_a_deleted_api_is_forbidden_at_the_next_call(ws: WsApi) -> None:
    mgmt, connection_id = _connected(ws)
    ws.v2.delete_api(ApiId=ws.api_id)
    _forbidden(mgmt, connection_id, f"there is no API {ws.api_id}")


def test_each_endpoint_addresses_its_own_stage(ws: WsApi) -> None:
    mgmt, connection_id = _connected(ws)
    ws.v2.create_stage(ApiId=ws.api_id, StageName="beta")
    ws.v2.create_deployment(ApiId=ws.api_id, StageName="beta")
    beta = ws.gw.connect(ws.api_id, "beta")
    with pytest.raises(mgmt.exceptions.GoneException):  # a connection of another stage is not this endpoint's
        mgmt.get_connection(ConnectionId=beta.connection_id)
    assert mgmt.get_connection(ConnectionId=connection_id)["Identity"]
