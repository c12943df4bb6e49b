"""Quick create (CreateApi with Target), its managed resources, UpdateApi of the target, and CORS deletion."""

from __future__ import annotations

from typing import Any

import pytest

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:my-function"


def test_quick_create_with_a_lambda_target(v2: Any) -> None:
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=LAMBDA)
    (integration,) = v2.get_integrations(ApiId=api["ApiId"])["Items"]
    assert integration == {
        "ApiGatewayManaged": True,
        "ConnectionType": "INTERNET",
        "IntegrationId": integration["IntegrationId"],
        "IntegrationMethod": "POST",
        "IntegrationType": "AWS_PROXY",
        "IntegrationUri": LAMBDA,
        "PayloadFormatVersion": "2.0",
        "TimeoutInMillis": 30000,
    }
    (route,) = v2.get_routes(ApiId=api["ApiId"])["Items"]
    assert route["RouteKey"] == "$default"
    assert route["Target"] == f"integrations/{integration['IntegrationId']}"
    assert route["ApiGatewayManaged"] is True
    (stage,) = v2.get_stages(ApiId=api["ApiId"])["Items"]
    assert (stage["StageName"], stage["AutoDeploy"], stage["ApiGatewayManaged"]) == ("$default", True, True)
    assert (
        stage["LastDeploymentStatusMessage"]
        == f"Successfully deployed stage with deployment ID '{stage['DeploymentId']}'"
    )
    deployment = v2.get_deployment(ApiId=api["ApiId"], DeploymentId=stage["DeploymentId"])
    assert deployment["DeploymentStatus"] == "DEPLOYED"


def test_quick_create_with_a_url_target_route_key_and_credentials(v2: Any) -> None:
    role = "arn:aws:iam::123456789012:role/invoke"
    api = v2.create_api(
        Name="proxy", ProtocolType="HTTP", Target="https://example.com/api", RouteKey="GET /items", CredentialsArn=role
    )
    (integration,) = v2.get_integrations(ApiId=api["ApiId"])["Items"]
    assert (integration["IntegrationType"], integration["IntegrationMethod"]) == ("HTTP_PROXY", "ANY")
    assert (integration["PayloadFormatVersion"], integration["CredentialsArn"]) == ("1.0", role)
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["GET /items"]


def test_bad_target_leaves_nothing_behind(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid Target"):
        v2.create_api(Name="x", ProtocolType="HTTP", Target="not-a-target")
    assert v2.get_apis()["Items"] == []


def test_route_key_without_target_is_rejected(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="only with Target"):
        v2.create_api(Name="x", ProtocolType="HTTP", RouteKey="GET /x")


def test_managed_resources_cannot_be_deleted(v2: Any) -> None:
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=LAMBDA)
    route = v2.get_routes(ApiId=api["ApiId"])["Items"][0]
    integration = v2.get_integrations(ApiId=api["ApiId"])["Items"][0]
    with pytest.raises(v2.exceptions.BadRequestException, match="managed"):
        v2.delete_route(ApiId=api["ApiId"], RouteId=route["RouteId"])
    with pytest.raises(v2.exceptions.BadRequestException, match="managed"):
        v2.delete_integration(ApiId=api["ApiId"], IntegrationId=integration["IntegrationId"])
    with pytest.raises(v2.exceptions.BadRequestException, match="managed"):
        v2.delete_stage(ApiId=api["ApiId"], StageName="$default")
    # A managed integration can be updated.
    updated = v2.update_integration(
        ApiId=api["ApiId"], IntegrationId=integration["IntegrationId"], TimeoutInMillis=9000
    )
    assert updated["TimeoutInMillis"] == 9000


def test_update_api_replaces_the_quick_create_target_and_route_key(v2: Any) -> None:
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=LAMBDA)
    v2.update_api(ApiId=api["ApiId"], Target="https://example.com", RouteKey="ANY /proxy")
    (integration,) = v2.get_integrations(ApiId=api["ApiId"])["Items"]
    assert (integration["IntegrationType"], integration["IntegrationUri"]) == ("HTTP_PROXY", "https://example.com")
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["ANY /proxy"]
    other = v2.create_route(ApiId=api["ApiId"], RouteKey="GET /taken")
    with pytest.raises(v2.exceptions.ConflictException, match="GET /taken already exists"):
        v2.update_api(ApiId=api["ApiId"], RouteKey=other["RouteKey"])


def test_update_target_of_an_api_that_was_not_quick_created(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="only on a quick-created API"):
        v2.update_api(ApiId=http_api["ApiId"], Target=LAMBDA)


def test_delete_cors_configuration(v2: Any, ws_api: dict[str, Any]) -> None:
    api = v2.create_api(Name="c", ProtocolType="HTTP", CorsConfiguration={"AllowOrigins": ["*"]})
    response = v2.delete_cors_configuration(ApiId=api["ApiId"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert "CorsConfiguration" not in v2.get_api(ApiId=api["ApiId"])
    # A WebSocket API has no CORS configuration; AWS is not known to refuse the call (aws-behaviour.md §9.3).
    assert v2.delete_cors_configuration(ApiId=ws_api["ApiId"])["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.delete_cors_configuration(ApiId="abcdefghij")


def test_route_key_without_target_leaves_no_api_behind(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.create_api(Name="x", ProtocolType="HTTP", CredentialsArn="arn:aws:iam::123456789012:role/r")
    assert v2.get_apis()["Items"] == []


def test_update_api_validates_the_quick_create_route_key(v2: Any) -> None:
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=LAMBDA)
    with pytest.raises(v2.exceptions.BadRequestException, match=r"not formatted properly|path parts"):
        v2.update_api(ApiId=api["ApiId"], RouteKey="garbage key")
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["$default"]


def test_refused_quick_create_update_changes_nothing(v2: Any) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target=LAMBDA)
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /x")
    deployments = len(v2.get_deployments(ApiId=api["ApiId"])["Items"])
    with pytest.raises(v2.exceptions.ConflictException):
        v2.update_api(ApiId=api["ApiId"], Target="https://new.example.com", RouteKey="GET /x")
    uris = [i["IntegrationUri"] for i in v2.get_integrations(ApiId=api["ApiId"])["Items"]]
    assert uris == [LAMBDA]
    assert len(v2.get_deployments(ApiId=api["ApiId"])["Items"]) == deployments
