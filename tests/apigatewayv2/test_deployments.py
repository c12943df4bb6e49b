"""Deployments, auto-deploy, and the snapshots of an API that stages serve."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from typing import Any

import pytest
import requests
import time_machine

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import lookup
from mockapigw.apigatewayv2.resources import Api
from mockapigw.apigatewayv2.stages import Deployment, Snapshot, served_snapshot
from mockapigw.apigatewayv2.store import Store

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:handler"
OTHER_LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:other"
AUTO = "Automatic deployment triggered by changes to the Api configuration"
T0 = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


def _error(info: pytest.ExceptionInfo[Any]) -> tuple[int, str]:
    response = info.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


def _body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _backend(apigw: MockApiGateway) -> Store:
    return apigw.apigatewayv2.backends("123456789012", "us-east-1")


def _api(apigw: MockApiGateway, api_id: str) -> Api:
    return lookup.api(_backend(apigw), api_id)


def _http_integration(v2: Any, api_id: str, uri: str = LAMBDA_ARN) -> str:
    integration = v2.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri, PayloadFormatVersion="2.0"
    )
    return str(integration["IntegrationId"])


def _ids(v2: Any, api_id: str) -> list[str]:
    return [d["DeploymentId"] for d in v2.get_deployments(ApiId=api_id)["Items"]]


# --- CreateDeployment


def test_create_deployment(v2: Any, http_api: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        deployment = v2.create_deployment(ApiId=http_api["ApiId"], Description="first")
    assert deployment["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{6}", deployment["DeploymentId"])
    assert _body(deployment) == {
        "AutoDeployed": False,
        "CreatedDate": T0,
        "DeploymentId": deployment["DeploymentId"],
        "DeploymentStatus": "DEPLOYED",
        "Description": "first",
    }
    fetched = v2.get_deployment(ApiId=http_api["ApiId"], DeploymentId=deployment["DeploymentId"])
    assert _body(fetched) == _body(deployment)


def test_create_deployment_without_description(v2: Any, http_api: dict[str, Any]) -> None:
    deployment = v2.create_deployment(ApiId=http_api["ApiId"])
    assert "Description" not in deployment and deployment["AutoDeployed"] is False


def test_create_deployment_on_missing_api(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_deployment(ApiId="abcdefghij")
    assert _error(info) == (404, "Invalid API identifier specified 123456789012:abcdefghij")


def test_websocket_api_without_routes_cannot_be_deployed(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_deployment(ApiId=ws_api["ApiId"])
    assert _error(info) == (400, "At least one route is required before deploying the Api.")
    assert v2.get_deployments(ApiId=ws_api["ApiId"])["Items"] == []
    v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$default")
    assert v2.create_deployment(ApiId=ws_api["ApiId"])["DeploymentStatus"] == "DEPLOYED"


def test_create_deployment_to_a_stage(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    with time_machine.travel(T0, tick=False):
        v2.create_stage(ApiId=api_id, StageName="dev")
    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        deployment = v2.create_deployment(ApiId=api_id, StageName="dev")
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert stage["LastUpdatedDate"] == T0 + dt.timedelta(minutes=1)
    assert "LastDeploymentStatusMessage" not in stage
    assert deployment["AutoDeployed"] is False


def test_create_deployment_to_a_missing_stage(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_deployment(ApiId=http_api["ApiId"], StageName="nope")
    assert _error(info) == (404, "Invalid stage identifier specified")
    assert v2.get_deployments(ApiId=http_api["ApiId"])["Items"] == []


def test_create_deployment_to_an_auto_deploy_stage(v2: Any, http_api: dict[str, Any]) -> None:
    """A manual deployment to an auto-deploy stage is a "deploy now": the stage serves it until the next change."""
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    deployment = v2.create_deployment(ApiId=api_id, StageName="dev")
    assert deployment["AutoDeployed"] is False
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{deployment['DeploymentId']}'"
    )
    v2.create_route(ApiId=api_id, RouteKey="GET /x")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"] == _ids(v2, api_id)[-1]


# --- Get / Update / Delete


def test_get_missing_deployment(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_deployment(ApiId=http_api["ApiId"], DeploymentId="abc123")
    assert _error(info) == (404, "Invalid Deployment identifier specified abc123")


def test_get_deployments_pages(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    created = [v2.create_deployment(ApiId=api_id, Description=str(i))["DeploymentId"] for i in range(5)]
    assert _ids(v2, api_id) == created
    first = v2.get_deployments(ApiId=api_id, MaxResults="3")
    assert [d["DeploymentId"] for d in first["Items"]] == created[:3]
    second = v2.get_deployments(ApiId=api_id, MaxResults="3", NextToken=first["NextToken"])
    assert [d["DeploymentId"] for d in second["Items"]] == created[3:]
    assert "NextToken" not in second
    pages = v2.get_paginator("get_deployments").paginate(ApiId=api_id, PaginationConfig={"PageSize": 2})
    assert [len(page["Items"]) for page in pages] == [2, 2, 1]
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier"):
        v2.get_deployments(ApiId="abcdefghij")


def test_update_deployment(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    deployment = v2.create_deployment(ApiId=api_id, Description="before")
    updated = v2.update_deployment(
        ApiId=api_id, DeploymentId=deployment["DeploymentId"], Description="Manual deployment to fix tests."
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _body(updated) == {**_body(deployment), "Description": "Manual deployment to fix tests."}
    unchanged = v2.update_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])
    assert unchanged["Description"] == "Manual deployment to fix tests."
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Deployment identifier specified zzzzzz"):
        v2.update_deployment(ApiId=api_id, DeploymentId="zzzzzz", Description="x")


def test_descriptions_are_not_limited_by_their_shape_name(v2: Any, http_api: dict[str, Any]) -> None:
    # StringWithLengthBetween0And1024 carries no max trait: the name is no constraint (aws-behaviour.md §9.4).
    long = "x" * 1025
    assert v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Description=long)["Description"] == long
    assert v2.create_deployment(ApiId=http_api["ApiId"], Description=long)["Description"] == long


def test_delete_deployment(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    deployment = v2.create_deployment(ApiId=api_id)
    response = v2.delete_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])
    assert _error(info) == (404, f"Invalid Deployment identifier specified {deployment['DeploymentId']}")
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.delete_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])


def test_deployment_in_use_cannot_be_deleted(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    first = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    v2.create_stage(ApiId=api_id, StageName="dev", DeploymentId=first)
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.delete_deployment(ApiId=api_id, DeploymentId=first)
    assert _error(info) == (400, "Active stages pointing to this deployment must be moved or deleted")
    second = v2.create_deployment(ApiId=api_id, StageName="dev")["DeploymentId"]
    v2.delete_deployment(ApiId=api_id, DeploymentId=first)
    assert _ids(v2, api_id) == [second]
    v2.delete_stage(ApiId=api_id, StageName="dev")
    v2.delete_deployment(ApiId=api_id, DeploymentId=second)
    assert _ids(v2, api_id) == []


def test_deleting_the_api_deletes_its_deployments(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    deployment = v2.create_deployment(ApiId=api_id)
    v2.delete_api(ApiId=api_id)
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier"):
        v2.get_deployment(ApiId=api_id, DeploymentId=deployment["DeploymentId"])


# --- auto-deploy


def test_auto_deploy_stage_is_deployed_when_created(v2: Any, http_api: dict[str, Any]) -> None:
    # aws-behaviour.md §9.1: AWS's own chat example creates the routes, then an AutoDeploy stage, then connects clients.
    api_id = http_api["ApiId"]
    v2.create_route(ApiId=api_id, RouteKey="GET /x")
    with time_machine.travel(T0, tick=False):
        created = v2.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    (deployment,) = v2.get_deployments(ApiId=api_id)["Items"]
    assert deployment == {
        "AutoDeployed": True,
        "CreatedDate": T0,
        "DeploymentId": deployment["DeploymentId"],
        "DeploymentStatus": "DEPLOYED",
        "Description": AUTO,
    }
    message = f"Successfully deployed stage with deployment ID '{deployment['DeploymentId']}'"
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["AutoDeploy"] is True
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert stage["LastDeploymentStatusMessage"] == message
    # The mock deploys synchronously, so the CreateStage response already shows it (AWS's may not yet).
    assert (created["DeploymentId"], created["LastDeploymentStatusMessage"]) == (deployment["DeploymentId"], message)


def test_auto_deploy_stage_created_after_the_routes_serves_http_requests(
    apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]
) -> None:
    # A Serverless-style HTTP API whose $default AutoDeploy stage is created last (aws-behaviour.md §9.1).
    api_id = http_api["ApiId"]
    apigw.register_lambda(LAMBDA_ARN, lambda event, context: {"statusCode": 200, "body": event["rawPath"]})
    v2.create_route(ApiId=api_id, RouteKey="GET /pets", Target=f"integrations/{_http_integration(v2, api_id)}")
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    response = requests.get(f"https://{api_id}.execute-api.us-east-1.amazonaws.com/pets")
    assert (response.status_code, response.text) == (200, "/pets")


def test_switching_auto_deploy_on_serves_http_requests(
    apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]
) -> None:
    api_id = http_api["ApiId"]
    apigw.register_lambda(LAMBDA_ARN, lambda event, context: {"statusCode": 200, "body": "ok"})
    v2.create_route(ApiId=api_id, RouteKey="GET /pets", Target=f"integrations/{_http_integration(v2, api_id)}")
    v2.create_stage(ApiId=api_id, StageName="dev")
    url = f"https://{api_id}.execute-api.us-east-1.amazonaws.com/dev/pets"
    assert requests.get(url).status_code == 404  # nothing deployed yet
    v2.update_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    assert requests.get(url).status_code == 200


def test_websocket_auto_deploy_stage_created_after_the_routes_accepts_connections(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]
) -> None:
    # AWS's Python WebSocket chat example: routes, then create_stage(AutoDeploy=True), then clients connect.
    api_id = ws_api["ApiId"]
    apigw.register_lambda(LAMBDA_ARN, lambda event, context: {"statusCode": 200})
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA_ARN)
    v2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    assert apigw.connect(api_id, "prod").connected


def test_websocket_default_auto_deploy_stage_accepts_connections(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]
) -> None:
    # SST's WebSocket stage: named $default, AutoDeploy, created after the routes (aws-behaviour.md §9.1, §9.2).
    api_id = ws_api["ApiId"]
    apigw.register_lambda(LAMBDA_ARN, lambda event, context: {"statusCode": 200})
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA_ARN)
    v2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration['IntegrationId']}")
    stage = v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    assert stage["DeploymentId"] == _ids(v2, api_id)[0]
    assert apigw.connect(api_id, "$default").connected


def test_auto_deploy_stage_of_an_http_api_without_routes_is_deployed(v2: Any, http_api: dict[str, Any]) -> None:
    # An HTTP API can be deployed without routes (every request is then 404), so its stage is deployed at once.
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="$default", AutoDeploy=True)
    assert _ids(v2, http_api["ApiId"]) == [stage["DeploymentId"]]


def test_auto_deploy_after_each_change(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="auto", AutoDeploy=True)
    manual = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    v2.create_stage(ApiId=api_id, StageName="manual", DeploymentId=manual)
    deployments = len(_ids(v2, api_id))

    with time_machine.travel(T0, tick=False):
        integration_id = _http_integration(v2, api_id)
    stage = v2.get_stage(ApiId=api_id, StageName="auto")
    assert stage["LastUpdatedDate"] == T0
    assert len(_ids(v2, api_id)) == deployments + 1
    latest = v2.get_deployment(ApiId=api_id, DeploymentId=stage["DeploymentId"])
    assert latest["AutoDeployed"] is True and latest["Description"] == AUTO
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{latest['DeploymentId']}'"
    )

    route = v2.create_route(ApiId=api_id, RouteKey="GET /pets", Target=f"integrations/{integration_id}")
    v2.update_route(ApiId=api_id, RouteId=route["RouteId"], RouteKey="GET /dogs")
    v2.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["*"]})
    assert len(_ids(v2, api_id)) == deployments + 4
    assert v2.get_stage(ApiId=api_id, StageName="auto")["DeploymentId"] == _ids(v2, api_id)[-1]
    # A stage without AutoDeploy keeps what it was given.
    manual_stage = v2.get_stage(ApiId=api_id, StageName="manual")
    assert manual_stage["DeploymentId"] == manual
    assert "LastDeploymentStatusMessage" not in manual_stage


def test_each_auto_deploy_stage_gets_its_own_deployment(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="a", AutoDeploy=True)
    v2.create_stage(ApiId=api_id, StageName="b", AutoDeploy=True)
    v2.create_route(ApiId=api_id, RouteKey="GET /x")
    a = v2.get_stage(ApiId=api_id, StageName="a")["DeploymentId"]
    b = v2.get_stage(ApiId=api_id, StageName="b")["DeploymentId"]
    assert a != b
    assert _ids(v2, api_id)[-2:] == [a, b]


def test_stage_changes_do_not_auto_deploy(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    v2.create_route(ApiId=api_id, RouteKey="GET /x")  # an API change: the stage's first deployment
    before = _ids(v2, api_id)
    v2.update_stage(ApiId=api_id, StageName="dev", Description="x", AutoDeploy=True)
    v2.create_stage(ApiId=api_id, StageName="other")
    v2.update_deployment(ApiId=api_id, DeploymentId=before[0], Description="renamed")
    assert _ids(v2, api_id) == before


def test_switching_auto_deploy_on_deploys_at_once(v2: Any, http_api: dict[str, Any]) -> None:
    # terraform's TestAccAPIGatewayV2Stage_autoDeployHTTP: the DeploymentId is set once AutoDeploy is on (§9.1).
    api_id = http_api["ApiId"]
    v2.create_route(ApiId=api_id, RouteKey="GET /x")
    v2.create_stage(ApiId=api_id, StageName="dev")
    assert _ids(v2, api_id) == []
    v2.update_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    (deployment_id,) = _ids(v2, api_id)
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["DeploymentId"] == deployment_id
    assert stage["LastDeploymentStatusMessage"] == f"Successfully deployed stage with deployment ID '{deployment_id}'"
    deployment = v2.get_deployment(ApiId=api_id, DeploymentId=deployment_id)
    assert deployment["AutoDeployed"] is True and deployment["Description"] == AUTO
    # Sending AutoDeploy=True again is no switch: nothing new is deployed.
    v2.update_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    assert _ids(v2, api_id) == [deployment_id]

    off = v2.update_stage(ApiId=api_id, StageName="dev", AutoDeploy=False)
    assert off["AutoDeploy"] is False
    assert off["DeploymentId"] == deployment_id
    assert "LastDeploymentStatusMessage" not in off
    v2.create_route(ApiId=api_id, RouteKey="GET /y")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"] == deployment_id


def test_switching_auto_deploy_on_without_routes_waits_for_one(v2: Any, ws_api: dict[str, Any]) -> None:
    api_id = ws_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="prod")
    switched = v2.update_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    assert "DeploymentId" not in switched and _ids(v2, api_id) == []
    v2.create_route(ApiId=api_id, RouteKey="$default")
    assert v2.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == _ids(v2, api_id)[0]


def test_deployment_id_cannot_be_set_while_auto_deploy_is_on(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    manual = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    v2.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True)
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.update_stage(ApiId=api_id, StageName="dev", DeploymentId=manual)
    assert _error(info) == (400, "Deployment ID can't be updated if autoDeploy is enabled.")
    v2.create_stage(ApiId=api_id, StageName="plain")
    with pytest.raises(v2.exceptions.BadRequestException, match="autoDeploy is enabled"):
        v2.update_stage(ApiId=api_id, StageName="plain", DeploymentId=manual, AutoDeploy=True)
    # Turning AutoDeploy off in the same request allows it.
    stage = v2.update_stage(ApiId=api_id, StageName="dev", DeploymentId=manual, AutoDeploy=False)
    assert stage["DeploymentId"] == manual and stage["AutoDeploy"] is False


def test_auto_deploy_stage_created_with_a_deployment_keeps_it(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    manual = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    stage = v2.create_stage(ApiId=api_id, StageName="dev", AutoDeploy=True, DeploymentId=manual)
    assert stage["DeploymentId"] == manual
    assert "LastDeploymentStatusMessage" not in stage
    assert _ids(v2, api_id) == [manual]
    v2.create_route(ApiId=api_id, RouteKey="GET /x")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"] != manual


def test_websocket_auto_deploy_waits_for_a_route(v2: Any, ws_api: dict[str, Any]) -> None:
    api_id = ws_api["ApiId"]
    stage = v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    assert "DeploymentId" not in stage and "LastDeploymentStatusMessage" not in stage
    v2.update_api(ApiId=api_id, Description="still no routes")
    assert _ids(v2, api_id) == []
    v2.create_route(ApiId=api_id, RouteKey="$connect")
    (deployment_id,) = _ids(v2, api_id)
    assert v2.get_stage(ApiId=api_id, StageName="prod")["DeploymentId"] == deployment_id


# --- snapshots


def test_served_snapshot_is_none_without_stage_or_deployment(
    apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]
) -> None:
    api = _api(apigw, http_api["ApiId"])
    assert served_snapshot(api, "dev") is None
    v2.create_stage(ApiId=http_api["ApiId"], StageName="dev")
    assert served_snapshot(api, "dev") is None
    v2.create_deployment(ApiId=http_api["ApiId"], StageName="dev")
    assert isinstance(served_snapshot(api, "dev"), Snapshot)


def test_http_snapshot_contents(apigw: MockApiGateway, v2: Any) -> None:
    cors = {"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"]}
    api_id = v2.create_api(Name="shop", ProtocolType="HTTP", CorsConfiguration=cors)["ApiId"]
    integration_id = _http_integration(v2, api_id)
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        Name="jwt",
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Audience": ["shop"], "Issuer": "https://issuer.example.com"},
    )
    route = v2.create_route(
        ApiId=api_id,
        RouteKey="GET /pets/{id}",
        Target=f"integrations/{integration_id}",
        AuthorizationType="JWT",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    v2.create_stage(ApiId=api_id, StageName="dev")
    v2.create_deployment(ApiId=api_id, StageName="dev")

    snapshot = served_snapshot(_api(apigw, api_id), "dev")
    assert snapshot is not None
    assert snapshot.protocol == "HTTP"
    assert snapshot.api == {
        "ApiId": api_id,
        "ProtocolType": "HTTP",
        "RouteSelectionExpression": "$request.method $request.path",
        "ApiKeySelectionExpression": "$request.header.x-api-key",
        "CorsConfiguration": cors,
        "DisableExecuteApiEndpoint": False,
    }
    served_route = snapshot.route_by_key("GET /pets/{id}")
    assert served_route == _body(v2.get_route(ApiId=api_id, RouteId=route["RouteId"]))
    assert snapshot.route_by_key("GET /cats") is None
    assert list(snapshot.routes) == [route["RouteId"]]
    assert snapshot.integration_for(served_route) == _body(
        v2.get_integration(ApiId=api_id, IntegrationId=integration_id)
    )
    assert snapshot.authorizer_for(served_route) == _body(
        v2.get_authorizer(ApiId=api_id, AuthorizerId=authorizer["AuthorizerId"])
    )
    assert snapshot.responses_of_route(served_route) == {}
    assert snapshot.integration_for({"RouteKey": "x"}) is None
    assert snapshot.authorizer_for({"RouteKey": "x"}) is None


def test_websocket_snapshot_contents(apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]) -> None:
    api_id = ws_api["ApiId"]
    model = v2.create_model(
        ApiId=api_id, Name="Message", ContentType="application/json", Schema=json.dumps({"type": "object"})
    )
    integration = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")
    integration_response = v2.create_integration_response(
        ApiId=api_id, IntegrationId=integration["IntegrationId"], IntegrationResponseKey="$default"
    )
    route = v2.create_route(
        ApiId=api_id,
        RouteKey="sendmessage",
        Target=f"integrations/{integration['IntegrationId']}",
        RouteResponseSelectionExpression="$default",
    )
    route_response = v2.create_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseKey="$default")
    v2.create_stage(ApiId=api_id, StageName="prod")
    v2.create_deployment(ApiId=api_id, StageName="prod")

    snapshot = served_snapshot(_api(apigw, api_id), "prod")
    assert snapshot is not None
    assert snapshot.protocol == "WEBSOCKET"
    assert snapshot.api["RouteSelectionExpression"] == "$request.body.action"
    served_route = snapshot.route_by_key("sendmessage")
    assert served_route is not None
    route_response_id = route_response["RouteResponseId"]
    assert snapshot.responses_of_route(served_route) == {
        route_response_id: _body(
            v2.get_route_response(ApiId=api_id, RouteId=route["RouteId"], RouteResponseId=route_response_id)
        )
    }
    served_integration = snapshot.integration_for(served_route)
    assert served_integration is not None
    assert served_integration["IntegrationType"] == "MOCK"
    assert snapshot.responses_of_integration(served_integration) == {
        integration_response["IntegrationResponseId"]: _body(
            v2.get_integration_response(
                ApiId=api_id,
                IntegrationId=integration["IntegrationId"],
                IntegrationResponseId=integration_response["IntegrationResponseId"],
            )
        )
    }
    assert snapshot.models == {model["ModelId"]: _body(v2.get_model(ApiId=api_id, ModelId=model["ModelId"]))}
    assert snapshot.model_named("Message") == snapshot.models[model["ModelId"]]
    assert snapshot.model_named("Other") is None


def test_later_changes_do_not_reach_an_existing_snapshot(
    apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]
) -> None:
    api_id = http_api["ApiId"]
    integration_id = _http_integration(v2, api_id)
    route = v2.create_route(ApiId=api_id, RouteKey="GET /pets", Target=f"integrations/{integration_id}")
    v2.create_stage(ApiId=api_id, StageName="dev")
    first = v2.create_deployment(ApiId=api_id, StageName="dev")["DeploymentId"]
    api = _api(apigw, api_id)
    snapshot = served_snapshot(api, "dev")
    assert snapshot is not None
    frozen = (
        json.dumps(snapshot.api, sort_keys=True, default=str),
        json.dumps(snapshot.routes, sort_keys=True, default=str),
        json.dumps(snapshot.integrations, sort_keys=True, default=str),
    )

    v2.update_api(ApiId=api_id, CorsConfiguration={"AllowOrigins": ["*"]})
    v2.update_integration(ApiId=api_id, IntegrationId=integration_id, IntegrationUri=OTHER_LAMBDA_ARN)
    v2.update_route(ApiId=api_id, RouteId=route["RouteId"], RouteKey="GET /dogs")
    v2.create_route(ApiId=api_id, RouteKey="POST /pets", Target=f"integrations/{integration_id}")
    # In-place changes to the live records' nested values must not leak into the copy either.
    live_route = api.routes.get(route["RouteId"])
    assert live_route is not None
    live_route.fields.setdefault("RequestParameters", {})["x"] = {"Required": True}

    assert served_snapshot(api, "dev") is snapshot
    assert (
        json.dumps(snapshot.api, sort_keys=True, default=str),
        json.dumps(snapshot.routes, sort_keys=True, default=str),
        json.dumps(snapshot.integrations, sort_keys=True, default=str),
    ) == frozen
    assert "CorsConfiguration" not in snapshot.api
    assert snapshot.route_by_key("GET /pets") is not None
    assert snapshot.route_by_key("GET /dogs") is None and snapshot.route_by_key("POST /pets") is None
    assert snapshot.integrations[integration_id]["IntegrationUri"] == LAMBDA_ARN

    second = v2.create_deployment(ApiId=api_id, StageName="dev")["DeploymentId"]
    assert second != first
    newer = served_snapshot(api, "dev")
    assert newer is not None and newer is not snapshot
    assert newer.api["CorsConfiguration"] == {"AllowOrigins": ["*"]}
    assert sorted(r["RouteKey"] for r in newer.routes.values()) == ["GET /dogs", "POST /pets"]
    assert newer.integrations[integration_id]["IntegrationUri"] == OTHER_LAMBDA_ARN
    deployment = api.deployments.get(first)
    assert isinstance(deployment, Deployment) and deployment.snapshot is snapshot


def test_auto_deploy_snapshots_follow_changes(apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
    api = _api(apigw, api_id)
    first = served_snapshot(api, "$default")  # deployed at once, with no routes yet
    assert first is not None and first.routes == {}
    route = v2.create_route(ApiId=api_id, RouteKey="GET /pets")
    current = served_snapshot(api, "$default")
    assert current is not None and current.route_by_key("GET /pets") is not None
    v2.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    latest = served_snapshot(api, "$default")
    assert latest is not None and latest.routes == {}
    assert current.route_by_key("GET /pets") is not None


def test_snapshot_copies_records_through_describe(apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]) -> None:
    """The snapshot relies only on Record.describe() and an optional ``responses`` collection."""
    from mockapigw.apigatewayv2.records import Record

    api = _api(apigw, http_api["ApiId"])

    class Bare(Record):
        pass

    api.routes.add("r1", Bare({"RouteId": "r1", "RouteKey": "GET /a", "Target": "integrations/i1"}))  # type: ignore[arg-type]
    api.integrations.add("i1", Bare({"IntegrationId": "i1", "IntegrationType": "HTTP_PROXY"}))  # type: ignore[arg-type]
    snapshot = Snapshot.of(api, threading.RLock())
    route = snapshot.route_by_key("GET /a")
    assert route == {"RouteId": "r1", "RouteKey": "GET /a", "Target": "integrations/i1"}
    assert snapshot.integration_for(route) == {"IntegrationId": "i1", "IntegrationType": "HTTP_PROXY"}
    assert snapshot.route_responses == {"r1": {}} and snapshot.integration_responses == {"i1": {}}
