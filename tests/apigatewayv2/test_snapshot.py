"""Deployed snapshots share structure with the live API (copy on write), yet never see later changes.

A deployment records a time instead of copying the API (core/versions.py); these tests change every kind of
thing a snapshot holds after it was taken, in every way the backends change it, and check each older snapshot
still serves exactly what was deployed.
"""

from __future__ import annotations

import json
import sys
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import routes
from mockapigw.apigatewayv2.resources import Api
from mockapigw.apigatewayv2.snapshot import Snapshot

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


def _api(apigw: MockApiGateway, api_id: str) -> Api:
    api = apigw.apigatewayv2.backends(apigw.account_id, "us-east-1").apis.get(api_id)
    assert api is not None
    return api


def _frozen(snapshot: Snapshot) -> str:
    """Everything a snapshot serves, as one comparable text (forces every view to materialise)."""
    parts = {
        "api": snapshot.api,
        "routes": snapshot.routes,
        "integrations": snapshot.integrations,
        "authorizers": snapshot.authorizers,
        "models": snapshot.models,
        "route_responses": snapshot.route_responses,
        "integration_responses": snapshot.integration_responses,
    }
    return json.dumps(parts, sort_keys=True, default=str)


def _expected(api: Api) -> str:
    """What a snapshot taken now must serve: a fresh, eager copy of the live API (the old implementation)."""
    fresh = Snapshot.of(api, threading.RLock())
    return _frozen(fresh)


def _ws_api(v2: Any) -> str:
    api_id = str(
        v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    return api_id


def test_a_snapshot_keeps_what_was_deployed_through_every_kind_of_change(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA)
    integration_id = integration["IntegrationId"]
    route = v2.create_route(ApiId=api_id, RouteKey="send", Target=f"integrations/{integration_id}")
    v2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    v2.create_model(ApiId=api_id, Name="Message", Schema="{}", ContentType="application/json")
    v2.create_stage(ApiId=api_id, StageName="prod")
    first = v2.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    api = _api(apigw, api_id)
    snapshot = api.deployments.get(first)
    assert snapshot is not None

    # Change everything, in every way, before the first read of the snapshot.
    v2.update_api(ApiId=api_id, RouteSelectionExpression="$request.body.type", Name="renamed")
    v2.update_route(ApiId=api_id, RouteId=route["RouteId"], RouteKey="say", RouteResponseSelectionExpression="$default")
    v2.update_integration(ApiId=api_id, IntegrationId=integration_id, TimeoutInMillis=1000)
    v2.create_integration_response(ApiId=api_id, IntegrationId=integration_id, IntegrationResponseKey="$default")
    v2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration_id}")
    v2.delete_route_response(
        ApiId=api_id,
        RouteId=route["RouteId"],
        RouteResponseId=v2.get_route_responses(ApiId=api_id, RouteId=route["RouteId"])["Items"][0]["RouteResponseId"],
    )
    old = snapshot.snapshot
    assert old.api["RouteSelectionExpression"] == "$request.body.action"
    assert old.route_by_key("send") is not None and old.route_by_key("say") is None
    assert old.route_by_key("$default") is None
    assert (
        "TimeoutInMillis" not in old.integrations[integration_id]
        or old.integrations[integration_id]["TimeoutInMillis"] != 1000
    )
    assert old.integration_responses == {integration_id: {}}
    assert len(old.route_responses[route["RouteId"]]) == 1
    expected_text = _frozen(old)

    # A second deployment serves the new state; the first one is unchanged by it and by later changes.
    second = v2.create_deployment(ApiId=api_id, StageName="prod")["DeploymentId"]
    new = api.deployments.get(second)
    assert new is not None
    assert _frozen(new.snapshot) == _expected(api)
    v2.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    assert _frozen(old) == expected_text
    assert new.snapshot.route_by_key("say") is not None

    # Pointing the stage back at the first deployment serves it again (UpdateStage DeploymentId).
    v2.update_stage(ApiId=api_id, StageName="prod", DeploymentId=first)
    client = apigw.connect(api_id, "prod")
    assert client.connected


_ACTIONS = st.lists(st.sampled_from(["add", "rename", "delete", "deploy", "retarget"]), min_size=1, max_size=25)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=_ACTIONS)
def test_any_sequence_of_changes_leaves_every_snapshot_as_deployed(
    apigw: MockApiGateway, v2: Any, actions: list[str]
) -> None:
    """Each deployment serves what an eager copy taken at that moment would serve, after any later changes."""
    api_id = str(v2.create_api(Name="h", ProtocolType="HTTP")["ApiId"])
    integrations = [
        v2.create_integration(
            ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=f"{LAMBDA}{n}", PayloadFormatVersion="2.0"
        )["IntegrationId"]
        for n in range(2)
    ]
    v2.create_stage(ApiId=api_id, StageName="s")
    api = _api(apigw, api_id)
    deployed: list[tuple[str, str]] = []
    for counter, action in enumerate(actions):
        routes = v2.get_routes(ApiId=api_id)["Items"]
        if action == "add" or not routes:
            v2.create_route(ApiId=api_id, RouteKey=f"GET /r{counter}", Target=f"integrations/{integrations[0]}")
        elif action == "rename":
            v2.update_route(ApiId=api_id, RouteId=routes[0]["RouteId"], RouteKey=f"POST /n{counter}")
        elif action == "delete":
            v2.delete_route(ApiId=api_id, RouteId=routes[-1]["RouteId"])
        elif action == "retarget":
            v2.update_route(ApiId=api_id, RouteId=routes[0]["RouteId"], Target=f"integrations/{integrations[1]}")
        if action == "deploy" and v2.get_routes(ApiId=api_id)["Items"]:
            deployment_id = v2.create_deployment(ApiId=api_id, StageName="s")["DeploymentId"]
            deployed.append((deployment_id, _expected(api)))
    for deployment_id, expected in deployed:
        deployment = api.deployments.get(deployment_id)
        assert deployment is not None
        assert _frozen(deployment.snapshot) == expected


def test_route_key_uniqueness_survives_renames_deletes_and_quick_create(v2: Any) -> None:
    """CreateRoute's key index stays right whatever changed the routes since it was built."""
    api_id = str(v2.create_api(Name="k", ProtocolType="HTTP")["ApiId"])
    first = v2.create_route(ApiId=api_id, RouteKey="GET /a")["RouteId"]
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route(ApiId=api_id, RouteKey="GET /a")
    v2.update_route(ApiId=api_id, RouteId=first, RouteKey="GET /b")
    v2.create_route(ApiId=api_id, RouteKey="GET /a")  # free again after the rename
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route(ApiId=api_id, RouteKey="GET /b")
    v2.delete_route(ApiId=api_id, RouteId=first)
    v2.create_route(ApiId=api_id, RouteKey="GET /b")  # free again after the delete

    quick = v2.create_api(Name="q", ProtocolType="HTTP", Target=LAMBDA, RouteKey="GET /q")["ApiId"]
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route(ApiId=quick, RouteKey="GET /q")
    v2.update_api(ApiId=quick, RouteKey="GET /moved")
    v2.create_route(ApiId=quick, RouteKey="GET /q")
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route(ApiId=quick, RouteKey="GET /moved")


def _first_read(snapshot: Snapshot, out: list[Any]) -> None:
    """The runtime's first read of *snapshot*: route keys and operation names, or the exception it raised."""
    try:
        out.append({route["RouteKey"]: route.get("OperationName") for route in snapshot.routes.values()})
    except BaseException as error:  # noqa: BLE001 - handed back to the test
        out.append(error)


def test_a_snapshot_read_while_the_control_plane_changes_the_api_is_the_deployed_one(
    apigw: MockApiGateway, v2: Any
) -> None:
    """The runtime's first read of a deployment, in its own thread, races control-plane calls in another: it never
    fails on a changing dict, and never serves a change made after the deployment."""
    api_id = str(v2.create_api(Name="race", ProtocolType="HTTP")["ApiId"])
    backend = apigw.apigatewayv2.backends(apigw.account_id, "us-east-1")
    route_ids = [v2.create_route(ApiId=api_id, RouteKey=f"GET /r{n}")["RouteId"] for n in range(100)]
    v2.create_stage(ApiId=api_id, StageName="s")
    api = _api(apigw, api_id)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads as often as possible, so that the read and the changes interleave
    try:
        for round_ in range(15):
            deployment = api.deployments.get(v2.create_deployment(ApiId=api_id, StageName="s")["DeploymentId"])
            assert deployment is not None
            read: list[Any] = []
            reader = threading.Thread(target=_first_read, args=(deployment.snapshot, read))
            reader.start()
            for n, route_id in enumerate(route_ids[:40]):  # what CreateRoute and UpdateRoute do, as the service does
                if n % 5 == 0:  # within the quota of routes per API
                    with backend.lock:
                        routes.create_route(backend, {"ApiId": api_id, "RouteKey": f"GET /later{round_}/{n}"})
                with backend.lock:
                    change = {"ApiId": api_id, "RouteId": route_id, "OperationName": f"later{round_}"}
                    routes.update_route(backend, change)
            reader.join()
            assert not isinstance(read[0], BaseException), read[0]
            served = read[0]
            assert not [key for key in served if key.startswith(f"GET /later{round_}/")]
            assert f"later{round_}" not in served.values()
    finally:
        sys.setswitchinterval(interval)
