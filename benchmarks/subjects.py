"""The three things being measured, behind one small interface.

Every subject hands out clients made the same way (static fake credentials, one region), so any difference
comes from what answers the calls. Each subject imports only its own library: the floor's process never
imports moto or mockapigw, whose client-creation hooks would otherwise change the floor's clients.
"""

from __future__ import annotations

import copy
import random
import string
from collections.abc import Callable, Iterable
from typing import Any

import boto3

from . import REGION, canned

STAGE = "prod"
CONNECTION_ID = "L0SM9cOFvHcCIhw="  # any id will do where connections are not real (floor, moto)
PLACEHOLDER_API_ID = "a1b2c3d4e5"
FLOOR_HOOK_ID = "benchmarks-floor"
ACCOUNT_ID = "123456789012"  # the default account of both mocks
# The Lambda function behind the round trip's integrations (mockapigw calls the handler registered for it).
FUNCTION_ARN = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:bench-echo"


class Connections:
    """Where to post: a WebSocket API stage, connection ids and how to empty the clients' inboxes."""

    def __init__(self, api_id: str, connection_ids: list[str], drain: Callable[[], None] | None = None) -> None:
        self.api_id = api_id
        self.connection_ids = connection_ids
        self.drain = drain

    @property
    def endpoint_url(self) -> str:
        """The @connections endpoint of the stage."""
        return f"https://{self.api_id}.execute-api.{REGION}.amazonaws.com/{STAGE}"


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

    def open_connections(self, count: int) -> Connections:
        """*count* WebSocket connections to post to (invented ids, where connections are not real)."""
        ids = [CONNECTION_ID] if count == 1 else [f"bench{n:010d}=" for n in range(count)]
        return Connections(PLACEHOLDER_API_ID, ids)

    def add_routes(self, count: int) -> str:
        """An HTTP API with *count* routes (``GET /r0``, ``GET /r1``...); its id."""
        raise NotImplementedError(f"{self.name} keeps no routes")


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
    """``moto.mock_aws()``; moto invents a connection for any id it is posted to (the first time it is)."""

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

    def add_routes(self, count: int) -> str:
        # moto has no route quota, but 10,000 CreateRoute calls would take the run's whole time budget: one route
        # is created through boto3, the others are copies of it with fresh ids and keys, put into moto's backend.
        from moto.apigatewayv2.models import apigatewayv2_backends

        api_id, first = _api_with_one_route(self.client("apigatewayv2"))
        routes: dict[str, Any] = apigatewayv2_backends[ACCOUNT_ID][REGION].apis[api_id].routes
        template = routes[first]
        for route_id, key in _fresh_routes(routes, 8, count):
            route = copy.copy(template)
            route.route_id, route.route_key, route.route_responses = route_id, key, {}
            routes[route_id] = route
        return api_id


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

    def open_connections(self, count: int) -> Connections:
        # A deployed WebSocket stage, as AWS needs before anyone can connect: a route with a target (a MOCK
        # integration here: posting to a connection never runs it), a stage and a deployment.
        api_id = self.websocket_api("MOCK")
        clients = [self.gw.connect(api_id, STAGE) for _ in range(count)]
        return Connections(api_id, [ws.connection_id for ws in clients], lambda: _drain(clients))

    def websocket_api(self, integration: str, *, connect_route: bool = False, two_way: bool = False) -> str:
        """A deployed WebSocket API (stage ``prod``) whose ``$default`` route goes to one integration; its id.

        *integration* is ``"MOCK"``, or ``"AWS_PROXY"`` for the Lambda function :data:`FUNCTION_ARN`. With
        *connect_route*, ``$connect`` goes to it too; with *two_way*, ``$default`` sends what the integration
        returns back to the client (``RouteResponseSelectionExpression`` ``$default`` and a ``$default`` route
        response).
        """
        v2 = self.client("apigatewayv2")
        api_id = v2.create_api(
            Name="bench-ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
        )["ApiId"]
        uri = {"IntegrationUri": FUNCTION_ARN} if integration == "AWS_PROXY" else {}
        integration_id = v2.create_integration(ApiId=api_id, IntegrationType=integration, **uri)["IntegrationId"]
        target = f"integrations/{integration_id}"
        if connect_route:
            v2.create_route(ApiId=api_id, RouteKey="$connect", Target=target)
        selection = {"RouteResponseSelectionExpression": "$default"} if two_way else {}
        route_id = v2.create_route(ApiId=api_id, RouteKey="$default", Target=target, **selection)["RouteId"]
        if two_way:
            v2.create_route_response(ApiId=api_id, RouteId=route_id, RouteResponseKey="$default")
        v2.create_stage(ApiId=api_id, StageName=STAGE)
        v2.create_deployment(ApiId=api_id, StageName=STAGE)
        return str(api_id)

    def add_routes(self, count: int) -> str:
        # AWS allows 300 routes per API and mockapigw refuses more in CreateRoute. To measure 10,000, one route is
        # created through boto3 and the others are copies of its record (fresh ids and keys) put straight into
        # the backend, bypassing the quota.
        from mockapigw.apigatewayv2.resources import Route

        api_id, first = _api_with_one_route(self.client("apigatewayv2"))
        routes = self.gw.apigatewayv2.backends(self.gw.account_id, REGION).apis.get(api_id).routes
        template = routes.get(first).fields
        for route_id, key in _fresh_routes(routes, 7, count):
            routes.add(route_id, Route({**template, "RouteId": route_id, "RouteKey": key}))
        return api_id


def _drain(clients: Iterable[Any]) -> None:
    # Posted messages queue up on each connected client until it reads them; read them all.
    for ws in clients:
        while True:
            try:
                ws.receive()
            except LookupError:
                break


def _api_with_one_route(v2: Any) -> tuple[str, str]:
    """An HTTP API with the one route ``GET /r0``, created through boto3: its id and the route's."""
    api_id = v2.create_api(Name="bench-routes", ProtocolType="HTTP")["ApiId"]
    return str(api_id), str(v2.create_route(ApiId=api_id, RouteKey="GET /r0")["RouteId"])


def _fresh_routes(existing: Any, id_length: int, count: int) -> list[tuple[str, str]]:
    """Ids (lower-case alphanumeric, unused in *existing*) and keys for routes ``GET /r1`` to ``GET /r{count-1}``."""
    alphabet = string.ascii_lowercase + string.digits
    chosen: set[str] = set()
    fresh: list[tuple[str, str]] = []
    for n in range(1, count):
        route_id = "".join(random.choices(alphabet, k=id_length))
        while route_id in chosen or route_id in existing:
            route_id = "".join(random.choices(alphabet, k=id_length))
        chosen.add(route_id)
        fresh.append((route_id, f"GET /r{n}"))
    return fresh


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
