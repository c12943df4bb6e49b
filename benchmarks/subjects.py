"""The three things being measured, behind one small interface.

Every subject hands out clients made the same way (static fake credentials, one region), so any difference
comes from what answers the calls. Each subject imports only its own library: the floor's process never
imports moto or mockapigw, whose client-creation hooks would otherwise change the floor's clients.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import boto3

from . import REGION, canned

STAGE = "prod"
CONNECTION_ID = "L0SM9cOFvHcCIhw="  # any id will do where connections are not real (floor, moto)
PLACEHOLDER_API_ID = "a1b2c3d4e5"
FLOOR_HOOK_ID = "benchmarks-floor"


class Connection:
    """Where to post: a WebSocket API stage, a connection id and how to empty the client's inbox."""

    def __init__(self, api_id: str, connection_id: str, drain: Callable[[int], None] | None = None) -> None:
        self.api_id = api_id
        self.connection_id = connection_id
        self.drain = drain


class Subject:
    """Base: clients with fake static credentials; subclasses decide what answers them."""

    name = ""

    def __init__(self) -> None:
        self._session = boto3.session.Session(
            aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
        )
        self.kept: Any = None

    def client(self, service: str, endpoint_url: str | None = None) -> Any:
        """A client of *service*, prepared for this subject."""
        client = self._session.client(service, endpoint_url=endpoint_url)  # type: ignore[call-overload]
        self.instrument(client)
        return client

    def instrument(self, client: Any) -> None:
        """Per-client preparation (the floor installs its canned answers here)."""

    def start(self) -> None:
        """Activate the subject around the per-call cases."""

    def stop(self) -> None:
        """Deactivate it again."""

    def start_stop(self) -> Callable[[int], object]:
        """One start+stop, as a function timed like a call; a client already exists, as in most tests."""
        raise NotImplementedError

    def open_connection(self) -> Connection:
        """A WebSocket connection to post to."""
        return Connection(PLACEHOLDER_API_ID, CONNECTION_ID)


class Floor(Subject):
    """Plain botocore (signing included) answered by a ``before-send`` hook with mockapigw's recorded bytes."""

    name = "floor"

    def __init__(self, answers: canned.Canned) -> None:
        super().__init__()
        self._hook = canned.hook(answers)

    def instrument(self, client: Any) -> None:
        client.meta.events.register(_send_event(client), self._hook, unique_id=FLOOR_HOOK_ID)

    def start_stop(self) -> Callable[[int], object]:
        client = self._session.client("apigatewayv2")
        events, event, hook = client.meta.events, _send_event(client), self._hook

        def once(i: int) -> None:
            events.register(event, hook, unique_id=FLOOR_HOOK_ID)
            events.unregister(event, unique_id=FLOOR_HOOK_ID)

        return once


class Moto(Subject):
    """``moto.mock_aws()``; moto invents a connection for any id it is posted to."""

    name = "moto"

    def __init__(self) -> None:
        from moto import mock_aws

        self._factory = mock_aws
        self._mock: Any = None
        super().__init__()

    def start(self) -> None:
        self._mock = self._factory()
        self._mock.start()

    def stop(self) -> None:
        self._mock.stop()

    def start_stop(self) -> Callable[[int], object]:
        factory = self._factory
        self.kept = self._session.client("apigatewayv2")  # kept alive: a mock may track existing clients

        def once(i: int) -> None:
            mock = factory()
            mock.start()
            mock.stop()

        return once


class Mockapigw(Subject):
    """``mockapigw.mock_apigateway()``."""

    name = "mockapigw"

    def __init__(self) -> None:
        from mockapigw import mock_apigateway

        self._factory = mock_apigateway
        self.gw: Any = None
        super().__init__()

    def start(self) -> None:
        self.gw = self._factory()
        self.gw.start()

    def stop(self) -> None:
        self.gw.stop()

    def start_stop(self) -> Callable[[int], object]:
        factory = self._factory
        self.kept = self._session.client("apigatewayv2")  # kept alive: a mock may track existing clients

        def once(i: int) -> None:
            gw = factory()
            gw.start()
            gw.stop()

        return once

    def open_connection(self) -> Connection:
        # A deployed WebSocket stage, as AWS needs before anyone can connect: a route with a target, a stage,
        # a deployment. Any of these raises UnsupportedOperation until mockapigw implements it.
        v2 = self.client("apigatewayv2")
        api_id = v2.create_api(
            Name="bench-ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
        )["ApiId"]
        integration_id = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")["IntegrationId"]
        v2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration_id}")
        v2.create_stage(ApiId=api_id, StageName=STAGE)
        v2.create_deployment(ApiId=api_id, StageName=STAGE)
        connect = getattr(self.gw, "connect", None)
        if connect is None:
            raise NotImplementedError("MockApiGateway.connect does not exist yet")
        ws = connect(api_id, STAGE)
        return Connection(api_id, ws.connection_id, lambda pending: _drain(ws, pending))


def _drain(ws: Any, pending: int) -> None:
    # Posted messages queue up on the connected client; empty the queue so memory stays flat. Asking for no
    # more than was posted never waits on an empty queue, should receive() block; a list means "all of them".
    for _ in range(pending):
        if isinstance(ws.receive(), list):
            return


def _send_event(client: Any) -> str:
    return f"before-send.{client.meta.service_model.service_id.hyphenize()}"


def make(name: str, answers: canned.Canned | None = None) -> Subject:
    """The subject called *name* (the floor needs the recorded answers)."""
    if name == "floor":
        return Floor(answers or {})
    if name == "moto":
        return Moto()
    if name == "mockapigw":
        return Mockapigw()
    raise ValueError(f"unknown subject {name!r}")
