"""AWS's chat example end to end: no create_deployment, yet clients connect and chat as soon as the stage exists."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from mockapigw import ConnectionRejected, MockApiGateway, mock_apigateway

from .app import STAGE, create_table, deploy_chat


@pytest.fixture
def chat() -> Iterator[tuple[MockApiGateway, str]]:
    with mock_aws(), mock_apigateway() as gw:
        create_table()
        api_id, url = deploy_chat(gw)
        assert url == f"wss://{api_id}.execute-api.us-east-1.amazonaws.com/{STAGE}"
        yield gw, api_id


def test_the_auto_deploy_stage_is_deployed_when_it_is_created(chat: tuple[MockApiGateway, str]) -> None:
    _, api_id = chat
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    (deployment,) = client.get_deployments(ApiId=api_id)["Items"]
    assert deployment["AutoDeployed"] is True
    assert deployment["Description"] == "Automatic deployment triggered by changes to the Api configuration"
    stage = client.get_stage(ApiId=api_id, StageName=STAGE)
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{deployment['DeploymentId']}'"
    )


def test_clients_connect_and_chat(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    alice = gw.connect(api_id, STAGE, query={"name": "alice"})
    bob = gw.connect(api_id, STAGE, query={"name": "bob"})
    alice.send({"action": "sendmessage", "msg": "hello"})
    assert alice.receive_text() == "alice: hello"
    assert bob.receive_text() == "alice: hello"
    bob.close()
    alice.send({"action": "sendmessage", "msg": "anyone?"})
    assert alice.receive_text() == "alice: anyone?"


def test_a_client_without_a_name_is_refused(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    with pytest.raises(ConnectionRejected) as rejected:
        gw.connect(api_id, STAGE)
    assert rejected.value.status_code == 400


def test_later_route_changes_are_deployed_too(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    route = next(r for r in client.get_routes(ApiId=api_id)["Items"] if r["RouteKey"] == "sendmessage")
    client.update_route(ApiId=api_id, RouteId=route["RouteId"], RouteKey="say")
    alice = gw.connect(api_id, STAGE, query={"name": "alice"})
    alice.send({"action": "say", "msg": "renamed"})
    assert alice.receive_text() == "alice: renamed"
    assert len(client.get_deployments(ApiId=api_id)["Items"]) == 2
