"""Every operation of the seed client, once on a success path and once on an error path.

Successful outputs are validated against the operation's output shape by the suite's conftest hook; here each
case also checks the status code the model gives the operation, and each error its modeled class and status.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore import xform_name
from botocore.config import Config

from mockapigw.core.model import service_model

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
LAMBDA_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{LAMBDA}/invocations"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
MISSING = "abcdefghij"
SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "boto3-apigatewayv2-client.txt"


@dataclass
class World:
    """One of each resource, in an HTTP API and a WebSocket API."""

    http: str
    ws: str
    route: str
    integration: str
    deployment: str
    jwt: str
    ws_route: str
    ws_route_response: str
    ws_integration: str
    ws_integration_response: str
    model: str
    ws_authorizer: str
    mapping: str
    vpc_link: str
    spare_deployment: str
    ws_plain_route: str
    spare_integration: str

    @property
    def arn(self) -> str:
        return f"arn:aws:apigateway:us-east-1::/apis/{self.http}"


def build(v2: Any) -> World:
    http = v2.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    ws = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    integration = v2.create_integration(
        ApiId=http, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
    )["IntegrationId"]
    route = v2.create_route(ApiId=http, RouteKey="GET /pets", Target=f"integrations/{integration}")["RouteId"]
    jwt = v2.create_authorizer(
        ApiId=http,
        AuthorizerType="JWT",
        Name="jwt",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": "https://issuer.example.com", "Audience": ["a"]},
    )["AuthorizerId"]
    v2.create_stage(
        ApiId=http,
        StageName="prod",
        RouteSettings={"GET /pets": {"ThrottlingBurstLimit": 5}},
        AccessLogSettings={
            "DestinationArn": "arn:aws:logs:us-east-1:123456789012:log-group:g",
            "Format": "$context.requestId",
        },
    )
    deployment = v2.create_deployment(ApiId=http, StageName="prod")["DeploymentId"]
    v2.create_stage(ApiId=http, StageName="spare")  # unmapped: deletable (a mapped stage is not)
    ws_integration = v2.create_integration(ApiId=ws, IntegrationType="MOCK")["IntegrationId"]
    ws_integration_response = v2.create_integration_response(
        ApiId=ws, IntegrationId=ws_integration, IntegrationResponseKey="$default"
    )["IntegrationResponseId"]
    model = v2.create_model(ApiId=ws, Name="Message", Schema=json.dumps({"type": "object"}))["ModelId"]
    ws_route = v2.create_route(
        ApiId=ws,
        RouteKey="send",
        Target=f"integrations/{ws_integration}",
        RouteResponseSelectionExpression="$default",
        RequestParameters={"route.request.header.x-trace": {"Required": False}},
    )["RouteId"]
    ws_route_response = v2.create_route_response(ApiId=ws, RouteId=ws_route, RouteResponseKey="$default")[
        "RouteResponseId"
    ]
    ws_authorizer = v2.create_authorizer(
        ApiId=ws,
        AuthorizerType="REQUEST",
        Name="lambda",
        AuthorizerUri=LAMBDA_URI,
        IdentitySource=["route.request.header.Auth"],
    )["AuthorizerId"]
    v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=http, Stage="prod", ApiMappingKey="v1")[
        "ApiMappingId"
    ]
    vpc_link = v2.create_vpc_link(Name="link", SubnetIds=["subnet-1"])["VpcLinkId"]
    spare_deployment = v2.create_deployment(ApiId=http)["DeploymentId"]
    ws_plain_route = v2.create_route(ApiId=ws, RouteKey="plain", Target=f"integrations/{ws_integration}")["RouteId"]
    spare_integration = v2.create_integration(
        ApiId=http, IntegrationType="HTTP_PROXY", IntegrationUri="https://example.com", IntegrationMethod="ANY"
    )["IntegrationId"]
    return World(
        http,
        ws,
        route,
        integration,
        deployment,
        jwt,
        ws_route,
        ws_route_response,
        ws_integration,
        ws_integration_response,
        model,
        ws_authorizer,
        mapping,
        vpc_link,
        spare_deployment,
        ws_plain_route,
        spare_integration,
    )


Kwargs = Callable[[World], dict[str, Any]]
DOC = "openapi: 3.0.1\ninfo: {title: imported, version: '1'}\npaths:\n  /a:\n    get: {}\n"

# operation -> (success kwargs, error kwargs, expected error class)
CASES: dict[str, tuple[Kwargs, Kwargs, str]] = {
    "CreateApi": (
        lambda w: {"Name": "n", "ProtocolType": "HTTP"},
        lambda w: {"Name": "n", "ProtocolType": "WEBSOCKET"},
        "BadRequestException",
    ),
    "GetApi": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "GetApis": (lambda w: {"MaxResults": "1"}, lambda w: {"NextToken": "bogus!"}, "BadRequestException"),
    "UpdateApi": (
        lambda w: {"ApiId": w.http, "Name": "renamed"},
        lambda w: {"ApiId": MISSING, "Name": "x"},
        "NotFoundException",
    ),
    "DeleteApi": (lambda w: {"ApiId": w.ws}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "DeleteCorsConfiguration": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "CreateRoute": (
        lambda w: {"ApiId": w.http, "RouteKey": "POST /pets"},
        lambda w: {"ApiId": w.http, "RouteKey": "GET /pets"},
        "ConflictException",
    ),
    "GetRoute": (
        lambda w: {"ApiId": w.http, "RouteId": w.route},
        lambda w: {"ApiId": w.http, "RouteId": "nope123"},
        "NotFoundException",
    ),
    "GetRoutes": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "UpdateRoute": (
        lambda w: {"ApiId": w.http, "RouteId": w.route, "OperationName": "listPets"},
        lambda w: {"ApiId": w.http, "RouteId": w.route, "Target": "integrations/nope123"},
        "NotFoundException",
    ),
    "DeleteRoute": (
        lambda w: {"ApiId": w.http, "RouteId": w.route},
        lambda w: {"ApiId": w.http, "RouteId": "nope123"},
        "NotFoundException",
    ),
    "DeleteRouteRequestParameter": (
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RequestParameterKey": "route.request.header.x-trace"},
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RequestParameterKey": "route.request.header.absent"},
        "NotFoundException",
    ),
    "CreateRouteResponse": (
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_plain_route, "RouteResponseKey": "$default"},
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseKey": "other"},
        "BadRequestException",
    ),
    "GetRouteResponse": (
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseId": w.ws_route_response},
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseId": "nope12"},
        "NotFoundException",
    ),
    "GetRouteResponses": (
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route},
        lambda w: {"ApiId": w.ws, "RouteId": "nope123"},
        "NotFoundException",
    ),
    "UpdateRouteResponse": (
        lambda w: {
            "ApiId": w.ws,
            "RouteId": w.ws_route,
            "RouteResponseId": w.ws_route_response,
            "ModelSelectionExpression": "$request.body.kind",
        },
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseId": "nope12"},
        "NotFoundException",
    ),
    "DeleteRouteResponse": (
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseId": w.ws_route_response},
        lambda w: {"ApiId": w.ws, "RouteId": w.ws_route, "RouteResponseId": "nope12"},
        "NotFoundException",
    ),
    "CreateIntegration": (
        lambda w: {
            "ApiId": w.http,
            "IntegrationType": "HTTP_PROXY",
            "IntegrationUri": "https://example.com",
            "IntegrationMethod": "GET",
        },
        lambda w: {"ApiId": w.http, "IntegrationType": "MOCK"},
        "BadRequestException",
    ),
    "GetIntegration": (
        lambda w: {"ApiId": w.http, "IntegrationId": w.integration},
        lambda w: {"ApiId": w.http, "IntegrationId": "nope123"},
        "NotFoundException",
    ),
    "GetIntegrations": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "UpdateIntegration": (
        lambda w: {"ApiId": w.http, "IntegrationId": w.integration, "TimeoutInMillis": 1000},
        lambda w: {"ApiId": w.http, "IntegrationId": "nope123"},
        "NotFoundException",
    ),
    "DeleteIntegration": (
        lambda w: {"ApiId": w.http, "IntegrationId": w.spare_integration},
        lambda w: {"ApiId": w.http, "IntegrationId": w.integration},
        "ConflictException",
    ),
    "CreateIntegrationResponse": (
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration, "IntegrationResponseKey": "/4\\d\\d/"},
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration, "IntegrationResponseKey": "$default"},
        "ConflictException",
    ),
    "GetIntegrationResponse": (
        lambda w: {
            "ApiId": w.ws,
            "IntegrationId": w.ws_integration,
            "IntegrationResponseId": w.ws_integration_response,
        },
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration, "IntegrationResponseId": "nope12"},
        "NotFoundException",
    ),
    "GetIntegrationResponses": (
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration},
        lambda w: {"ApiId": w.ws, "IntegrationId": "nope123"},
        "NotFoundException",
    ),
    "UpdateIntegrationResponse": (
        lambda w: {
            "ApiId": w.ws,
            "IntegrationId": w.ws_integration,
            "IntegrationResponseId": w.ws_integration_response,
            "TemplateSelectionExpression": "\\$default",
        },
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration, "IntegrationResponseId": "nope12"},
        "NotFoundException",
    ),
    "DeleteIntegrationResponse": (
        lambda w: {
            "ApiId": w.ws,
            "IntegrationId": w.ws_integration,
            "IntegrationResponseId": w.ws_integration_response,
        },
        lambda w: {"ApiId": w.ws, "IntegrationId": w.ws_integration, "IntegrationResponseId": "nope12"},
        "NotFoundException",
    ),
    "CreateStage": (
        lambda w: {"ApiId": w.http, "StageName": "dev"},
        lambda w: {"ApiId": w.http, "StageName": "prod"},
        "ConflictException",
    ),
    "GetStage": (
        lambda w: {"ApiId": w.http, "StageName": "prod"},
        lambda w: {"ApiId": w.http, "StageName": "nope"},
        "NotFoundException",
    ),
    "GetStages": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "UpdateStage": (
        lambda w: {"ApiId": w.http, "StageName": "prod", "Description": "d"},
        lambda w: {"ApiId": w.http, "StageName": "prod", "RouteSettings": {"GET /nope": {"ThrottlingBurstLimit": 1}}},
        "NotFoundException",
    ),
    "DeleteStage": (
        lambda w: {"ApiId": w.http, "StageName": "spare"},
        lambda w: {"ApiId": w.http, "StageName": "nope"},
        "NotFoundException",
    ),
    "DeleteRouteSettings": (
        lambda w: {"ApiId": w.http, "StageName": "prod", "RouteKey": "GET /pets"},
        lambda w: {"ApiId": w.http, "StageName": "prod", "RouteKey": "GET /nope"},
        "NotFoundException",
    ),
    "DeleteAccessLogSettings": (
        lambda w: {"ApiId": w.http, "StageName": "prod"},
        lambda w: {"ApiId": w.http, "StageName": "nope"},
        "NotFoundException",
    ),
    "CreateDeployment": (
        lambda w: {"ApiId": w.http, "Description": "manual"},
        lambda w: {"ApiId": w.http, "StageName": "nope"},
        "NotFoundException",
    ),
    "GetDeployment": (
        lambda w: {"ApiId": w.http, "DeploymentId": w.deployment},
        lambda w: {"ApiId": w.http, "DeploymentId": "nope12"},
        "NotFoundException",
    ),
    "GetDeployments": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "UpdateDeployment": (
        lambda w: {"ApiId": w.http, "DeploymentId": w.deployment, "Description": "d"},
        lambda w: {"ApiId": w.http, "DeploymentId": "nope12"},
        "NotFoundException",
    ),
    "DeleteDeployment": (
        lambda w: {"ApiId": w.http, "DeploymentId": w.spare_deployment},
        lambda w: {"ApiId": w.http, "DeploymentId": "nope12"},
        "NotFoundException",
    ),
    "CreateAuthorizer": (
        lambda w: {
            "ApiId": w.ws,
            "AuthorizerType": "REQUEST",
            "Name": "second",
            "AuthorizerUri": LAMBDA_URI,
            "IdentitySource": ["route.request.header.A"],
        },
        lambda w: {"ApiId": w.ws, "AuthorizerType": "JWT", "Name": "j", "IdentitySource": ["route.request.header.A"]},
        "BadRequestException",
    ),
    "GetAuthorizer": (
        lambda w: {"ApiId": w.http, "AuthorizerId": w.jwt},
        lambda w: {"ApiId": w.http, "AuthorizerId": "nope12"},
        "NotFoundException",
    ),
    "GetAuthorizers": (lambda w: {"ApiId": w.http}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "UpdateAuthorizer": (
        lambda w: {"ApiId": w.http, "AuthorizerId": w.jwt, "Name": "renamed"},
        lambda w: {"ApiId": w.http, "AuthorizerId": "nope12"},
        "NotFoundException",
    ),
    "DeleteAuthorizer": (
        lambda w: {"ApiId": w.ws, "AuthorizerId": w.ws_authorizer},
        lambda w: {"ApiId": w.http, "AuthorizerId": "nope12"},
        "NotFoundException",
    ),
    "ResetAuthorizersCache": (
        lambda w: {"ApiId": w.http, "StageName": "prod"},
        lambda w: {"ApiId": w.http, "StageName": "nope"},
        "NotFoundException",
    ),
    "CreateModel": (
        lambda w: {"ApiId": w.ws, "Name": "Other", "Schema": "{}"},
        lambda w: {"ApiId": w.ws, "Name": "Bad", "Schema": "{not json"},
        "BadRequestException",
    ),
    "GetModel": (
        lambda w: {"ApiId": w.ws, "ModelId": w.model},
        lambda w: {"ApiId": w.ws, "ModelId": "nope12"},
        "NotFoundException",
    ),
    "GetModels": (lambda w: {"ApiId": w.ws}, lambda w: {"ApiId": MISSING}, "NotFoundException"),
    "GetModelTemplate": (
        lambda w: {"ApiId": w.ws, "ModelId": w.model},
        lambda w: {"ApiId": w.ws, "ModelId": "nope12"},
        "NotFoundException",
    ),
    "UpdateModel": (
        lambda w: {"ApiId": w.ws, "ModelId": w.model, "Description": "d"},
        lambda w: {"ApiId": w.ws, "ModelId": "nope12"},
        "NotFoundException",
    ),
    "DeleteModel": (
        lambda w: {"ApiId": w.ws, "ModelId": w.model},
        lambda w: {"ApiId": w.ws, "ModelId": "nope12"},
        "NotFoundException",
    ),
    "CreateDomainName": (
        lambda w: {"DomainName": "other.example.com", "DomainNameConfigurations": [{"CertificateArn": CERT}]},
        lambda w: {"DomainName": "api.example.com", "DomainNameConfigurations": [{"CertificateArn": CERT}]},
        "ConflictException",
    ),
    "GetDomainName": (
        lambda w: {"DomainName": "api.example.com"},
        lambda w: {"DomainName": "nope.example.com"},
        "NotFoundException",
    ),
    "GetDomainNames": (lambda w: {"MaxResults": "5"}, lambda w: {"NextToken": "bogus!"}, "BadRequestException"),
    "UpdateDomainName": (
        lambda w: {"DomainName": "api.example.com", "DomainNameConfigurations": [{"CertificateArn": CERT}]},
        lambda w: {"DomainName": "nope.example.com"},
        "NotFoundException",
    ),
    "DeleteDomainName": (
        lambda w: {"DomainName": "api.example.com"},
        lambda w: {"DomainName": "nope.example.com"},
        "NotFoundException",
    ),
    "CreateApiMapping": (
        lambda w: {"DomainName": "api.example.com", "ApiId": w.http, "Stage": "prod", "ApiMappingKey": "v2"},
        lambda w: {"DomainName": "api.example.com", "ApiId": w.http, "Stage": "nope"},
        "BadRequestException",
    ),
    "GetApiMapping": (
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": w.mapping},
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": MISSING},
        "NotFoundException",
    ),
    "GetApiMappings": (
        lambda w: {"DomainName": "api.example.com"},
        lambda w: {"DomainName": "nope.example.com"},
        "NotFoundException",
    ),
    "UpdateApiMapping": (
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": w.mapping, "ApiId": w.http, "ApiMappingKey": "v3"},
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": MISSING, "ApiId": w.http},
        "NotFoundException",
    ),
    "DeleteApiMapping": (
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": w.mapping},
        lambda w: {"DomainName": "api.example.com", "ApiMappingId": MISSING},
        "NotFoundException",
    ),
    "CreateVpcLink": (
        lambda w: {"Name": "second", "SubnetIds": ["subnet-2"]},
        lambda w: {"Name": "many", "SubnetIds": [f"subnet-{i}" for i in range(11)]},
        "TooManyRequestsException",
    ),
    "GetVpcLink": (lambda w: {"VpcLinkId": w.vpc_link}, lambda w: {"VpcLinkId": "nope123"}, "NotFoundException"),
    "GetVpcLinks": (lambda w: {"MaxResults": "5"}, lambda w: {"NextToken": "bogus!"}, "BadRequestException"),
    "UpdateVpcLink": (
        lambda w: {"VpcLinkId": w.vpc_link, "Name": "renamed"},
        lambda w: {"VpcLinkId": "nope123", "Name": "x"},
        "NotFoundException",
    ),
    "DeleteVpcLink": (lambda w: {"VpcLinkId": w.vpc_link}, lambda w: {"VpcLinkId": "nope123"}, "NotFoundException"),
    "TagResource": (
        lambda w: {"ResourceArn": w.arn, "Tags": {"k": "v"}},
        lambda w: {"ResourceArn": "arn:aws:apigateway:us-east-1::/apis/abcdefghij", "Tags": {"k": "v"}},
        "NotFoundException",
    ),
    "UntagResource": (
        lambda w: {"ResourceArn": w.arn, "TagKeys": ["k"]},
        lambda w: {"ResourceArn": "arn:aws:apigateway:us-east-1::/apis/abcdefghij", "TagKeys": ["k"]},
        "NotFoundException",
    ),
    "GetTags": (lambda w: {"ResourceArn": w.arn}, lambda w: {"ResourceArn": "not-an-arn"}, "BadRequestException"),
    "ImportApi": (lambda w: {"Body": DOC}, lambda w: {"Body": "swagger: '2.0'"}, "BadRequestException"),
    "ReimportApi": (
        lambda w: {"ApiId": w.http, "Body": DOC},
        lambda w: {"ApiId": MISSING, "Body": DOC},
        "NotFoundException",
    ),
    "ExportApi": (
        lambda w: {"ApiId": w.http, "Specification": "OAS30", "OutputType": "YAML"},
        lambda w: {"ApiId": w.ws, "Specification": "OAS30", "OutputType": "YAML"},
        "BadRequestException",
    ),
}


# What the project covers: the model's operations but developer portals, portal products and routing rules,
# which later botocore releases added (the same rule as `mockapigw.apigatewayv2.service` and docs/hooks.py).
OUT_OF_SCOPE = re.compile(r"Portal|Product|RoutingRule")


def in_scope_operations() -> set[str]:
    """The apigatewayv2 operations of the installed botocore model that mockapigw covers."""
    return {name for name in service_model("apigatewayv2").operation_names if not OUT_OF_SCOPE.search(name)}


def seed_operations() -> set[str]:
    """The operations of the boto3 client documented in the seed (beside the repository, not in a clone)."""
    by_method = {xform_name(name): name for name in service_model("apigatewayv2").operation_names}
    text = SEED.read_text().split("These are the available methods:")[1]
    methods = {line.strip().rstrip("()") for line in text.splitlines()[:120] if line.strip().endswith("()")}
    return {by_method[m] for m in methods if m in by_method}


def test_the_table_covers_exactly_the_in_scope_operations() -> None:
    # The expected set comes from botocore's model, never from CASES: a case missing here fails in any checkout.
    assert len(in_scope_operations()) == 72
    assert set(CASES) == in_scope_operations()


@pytest.mark.skipif(not SEED.exists(), reason="the seed client documentation sits beside the repository")
def test_the_seed_client_has_exactly_the_in_scope_operations() -> None:
    assert seed_operations() == in_scope_operations()


def _client(v2: Any) -> Any:
    import boto3

    # No retries: a 429 must show up once, at once.
    return boto3.client("apigatewayv2", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))


@pytest.mark.parametrize("operation", sorted(CASES))
def test_success_path(v2: Any, operation: str) -> None:
    world = build(v2)
    response = getattr(v2, xform_name(operation))(**CASES[operation][0](world))
    status = service_model("apigatewayv2").operation_model(operation).http.get("responseCode", 200)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.parametrize("operation", sorted(CASES))
def test_error_path(v2: Any, operation: str) -> None:
    world = build(v2)
    client = _client(v2)
    _, error_kwargs, code = CASES[operation]
    error_class = getattr(client.exceptions, code)
    with pytest.raises(error_class) as info:
        getattr(client, xform_name(operation))(**error_kwargs(world))
    shape = service_model("apigatewayv2").shape_for(code)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == shape.metadata["error"]["httpStatusCode"]
    assert info.value.response["Error"]["Message"]


# --- The 31 newer operations (routing rules, developer portals): same checks, their own world.

REST_ACTION = {"InvokeApi": {"ApiId": "abcd1234", "Stage": "prod"}}
PORTAL_CONTENT = {
    "DisplayName": "portal",
    "Theme": {
        "CustomColors": dict.fromkeys(
            ("AccentColor", "BackgroundColor", "ErrorValidationColor", "HeaderColor", "NavigationColor", "TextColor"),
            "#000000",
        )
    },
}
ENDPOINT_PARTS = {"RestApiId": "kf5387miad", "Stage": "prod", "Method": "GET", "Path": "/dogs"}
POLICY = json.dumps({"Version": "2012-10-17", "Statement": []})
MISSING_PORTAL = {"PortalId": MISSING}
MISSING_PRODUCT = {"PortalProductId": MISSING}


@dataclass
class NewerWorld:
    """A domain with a routing rule, a product with pages and a policy, and a published portal that includes it."""

    domain: str
    rule: str
    product: str
    page: str
    endpoint_page: str
    portal: str
    idle_portal: str
    http: str


def build_newer(v2: Any) -> NewerWorld:
    v2.create_domain_name(
        DomainName="rules.example.com",
        DomainNameConfigurations=[{"CertificateArn": CERT}],
        RoutingMode="ROUTING_RULE_THEN_API_MAPPING",
    )
    rule = v2.create_routing_rule(DomainName="rules.example.com", Priority=10, Conditions=[], Actions=[REST_ACTION])
    product = v2.create_portal_product(DisplayName="product")
    product_id = product["PortalProductId"]
    v2.put_portal_product_sharing_policy(PortalProductId=product_id, PolicyDocument=POLICY)
    page = v2.create_product_page(PortalProductId=product_id, DisplayContent={"Title": "t", "Body": "b"})
    endpoint_page = v2.create_product_rest_endpoint_page(
        PortalProductId=product_id, RestEndpointIdentifier={"IdentifierParts": ENDPOINT_PARTS}
    )
    portal_params = {
        "Authorization": {"None": {}},
        "EndpointConfiguration": {"None": {}},
        "PortalContent": PORTAL_CONTENT,
    }
    portal = v2.create_portal(IncludedPortalProductArns=[product["PortalProductArn"]], **portal_params)["PortalId"]
    v2.publish_portal(PortalId=portal)
    idle_portal = v2.create_portal(**portal_params)["PortalId"]
    http = v2.create_api(Name="http", ProtocolType="HTTP")["ApiId"]
    return NewerWorld(
        "rules.example.com",
        rule["RoutingRuleId"],
        product_id,
        page["ProductPageId"],
        endpoint_page["ProductRestEndpointPageId"],
        portal,
        idle_portal,
        http,
    )


NewerKwargs = Callable[[NewerWorld], dict[str, Any]]

NEWER_CASES: dict[str, tuple[NewerKwargs, NewerKwargs, str]] = {
    "CreateRoutingRule": (
        lambda w: {"DomainName": w.domain, "Priority": 20, "Conditions": [], "Actions": [REST_ACTION]},
        lambda w: {"DomainName": w.domain, "Priority": 10, "Conditions": [], "Actions": [REST_ACTION]},
        "ConflictException",
    ),
    "GetRoutingRule": (
        lambda w: {"DomainName": w.domain, "RoutingRuleId": w.rule},
        lambda w: {"DomainName": w.domain, "RoutingRuleId": "zzz999"},
        "NotFoundException",
    ),
    "ListRoutingRules": (
        lambda w: {"DomainName": w.domain, "MaxResults": 1},
        lambda w: {"DomainName": "nope.example.com"},
        "NotFoundException",
    ),
    "PutRoutingRule": (
        lambda w: {
            "DomainName": w.domain,
            "RoutingRuleId": w.rule,
            "Priority": 30,
            "Conditions": [{"MatchBasePaths": {"AnyOf": ["pets"]}}],
            "Actions": [REST_ACTION],
        },
        lambda w: {
            "DomainName": w.domain,
            "RoutingRuleId": w.rule,
            "Priority": 30,
            "Conditions": [],
            "Actions": [{"InvokeApi": {"ApiId": w.http, "Stage": "$default"}}],
        },
        "BadRequestException",
    ),
    "DeleteRoutingRule": (
        lambda w: {"DomainName": w.domain, "RoutingRuleId": w.rule},
        lambda w: {"DomainName": w.domain, "RoutingRuleId": "zzz999"},
        "NotFoundException",
    ),
    "CreatePortal": (
        lambda w: {
            "Authorization": {"None": {}},
            "EndpointConfiguration": {"None": {}},
            "PortalContent": PORTAL_CONTENT,
            "Tags": {"k": "v"},
        },
        lambda w: {"Authorization": {}, "EndpointConfiguration": {"None": {}}, "PortalContent": PORTAL_CONTENT},
        "BadRequestException",
    ),
    "GetPortal": (lambda w: {"PortalId": w.portal}, lambda w: MISSING_PORTAL, "NotFoundException"),
    "ListPortals": (lambda w: {"MaxResults": "1"}, lambda w: {"NextToken": "garbage"}, "BadRequestException"),
    "UpdatePortal": (
        lambda w: {"PortalId": w.portal, "RumAppMonitorName": "rum"},
        lambda w: {"PortalId": MISSING},
        "NotFoundException",
    ),
    "DeletePortal": (lambda w: {"PortalId": w.idle_portal}, lambda w: {"PortalId": w.portal}, "BadRequestException"),
    "PublishPortal": (
        lambda w: {"PortalId": w.idle_portal, "Description": "d"},
        lambda w: MISSING_PORTAL,
        "NotFoundException",
    ),
    "DisablePortal": (lambda w: {"PortalId": w.portal}, lambda w: {"PortalId": w.idle_portal}, "ConflictException"),
    "PreviewPortal": (lambda w: {"PortalId": w.portal}, lambda w: MISSING_PORTAL, "NotFoundException"),
    "CreatePortalProduct": (
        lambda w: {"DisplayName": "p", "Description": "d", "Tags": {"k": "v"}},
        lambda w: {"DisplayName": "p", "Tags": {"aws:x": "v"}},
        "BadRequestException",
    ),
    "GetPortalProduct": (lambda w: {"PortalProductId": w.product}, lambda w: MISSING_PRODUCT, "NotFoundException"),
    "ListPortalProducts": (lambda w: {"MaxResults": "1"}, lambda w: {"MaxResults": "0"}, "BadRequestException"),
    "UpdatePortalProduct": (
        lambda w: {"PortalProductId": w.product, "DisplayName": "renamed"},
        lambda w: {
            "PortalProductId": w.product,
            "DisplayOrder": {"ProductPageArns": [f"arn:aws:apigateway:us-east-1:123456789012:/x/{MISSING}"]},
        },
        "BadRequestException",
    ),
    "DeletePortalProduct": (
        lambda w: {"PortalProductId": w.product},
        lambda w: MISSING_PRODUCT,
        "NotFoundException",
    ),
    "PutPortalProductSharingPolicy": (
        lambda w: {"PortalProductId": w.product, "PolicyDocument": POLICY},
        lambda w: {"PortalProductId": w.product, "PolicyDocument": "[not a policy"},
        "BadRequestException",
    ),
    "GetPortalProductSharingPolicy": (
        lambda w: {"PortalProductId": w.product},
        lambda w: MISSING_PRODUCT,
        "NotFoundException",
    ),
    "DeletePortalProductSharingPolicy": (
        lambda w: {"PortalProductId": w.product},
        lambda w: MISSING_PRODUCT,
        "NotFoundException",
    ),
    "CreateProductPage": (
        lambda w: {"PortalProductId": w.product, "DisplayContent": {"Title": "t2", "Body": "b2"}},
        lambda w: {**MISSING_PRODUCT, "DisplayContent": {"Title": "t", "Body": "b"}},
        "NotFoundException",
    ),
    "GetProductPage": (
        lambda w: {"PortalProductId": w.product, "ProductPageId": w.page},
        lambda w: {"PortalProductId": w.product, "ProductPageId": MISSING},
        "NotFoundException",
    ),
    "ListProductPages": (
        lambda w: {"PortalProductId": w.product, "MaxResults": "1"},
        lambda w: MISSING_PRODUCT,
        "NotFoundException",
    ),
    "UpdateProductPage": (
        lambda w: {
            "PortalProductId": w.product,
            "ProductPageId": w.page,
            "DisplayContent": {"Title": "u", "Body": "u"},
        },
        lambda w: {"PortalProductId": w.product, "ProductPageId": MISSING},
        "NotFoundException",
    ),
    "DeleteProductPage": (
        lambda w: {"PortalProductId": w.product, "ProductPageId": w.page},
        lambda w: {"PortalProductId": w.product, "ProductPageId": MISSING},
        "NotFoundException",
    ),
    "CreateProductRestEndpointPage": (
        lambda w: {
            "PortalProductId": w.product,
            "RestEndpointIdentifier": {"IdentifierParts": ENDPOINT_PARTS},
            "DisplayContent": {"Overrides": {"OperationName": "View dogs"}},
            "TryItState": "ENABLED",
        },
        lambda w: {
            "PortalProductId": w.product,
            "RestEndpointIdentifier": {"IdentifierParts": {**ENDPOINT_PARTS, "RestApiId": w.http}},
        },
        "BadRequestException",
    ),
    "GetProductRestEndpointPage": (
        lambda w: {
            "PortalProductId": w.product,
            "ProductRestEndpointPageId": w.endpoint_page,
            "IncludeRawDisplayContent": "true",
        },
        lambda w: {"PortalProductId": w.product, "ProductRestEndpointPageId": MISSING},
        "NotFoundException",
    ),
    "ListProductRestEndpointPages": (
        lambda w: {"PortalProductId": w.product, "MaxResults": "1"},
        lambda w: MISSING_PRODUCT,
        "NotFoundException",
    ),
    "UpdateProductRestEndpointPage": (
        lambda w: {"PortalProductId": w.product, "ProductRestEndpointPageId": w.endpoint_page, "TryItState": "ENABLED"},
        lambda w: {"PortalProductId": w.product, "ProductRestEndpointPageId": MISSING},
        "NotFoundException",
    ),
    "DeleteProductRestEndpointPage": (
        lambda w: {"PortalProductId": w.product, "ProductRestEndpointPageId": w.endpoint_page},
        lambda w: {"PortalProductId": w.product, "ProductRestEndpointPageId": MISSING},
        "NotFoundException",
    ),
}


def test_the_newer_table_covers_every_operation_the_seed_lacks() -> None:
    newer = set(service_model("apigatewayv2").operation_names) - set(CASES)
    assert len(NEWER_CASES) == 31
    assert set(NEWER_CASES) == newer


@pytest.mark.parametrize("operation", sorted(NEWER_CASES))
def test_newer_success_path(v2: Any, operation: str) -> None:
    world = build_newer(v2)
    response = getattr(v2, xform_name(operation))(**NEWER_CASES[operation][0](world))
    status = service_model("apigatewayv2").operation_model(operation).http.get("responseCode", 200)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == status


@pytest.mark.parametrize("operation", sorted(NEWER_CASES))
def test_newer_error_path(v2: Any, operation: str) -> None:
    world = build_newer(v2)
    client = _client(v2)
    _, error_kwargs, code = NEWER_CASES[operation]
    with pytest.raises(getattr(client.exceptions, code)) as info:
        getattr(client, xform_name(operation))(**error_kwargs(world))
    shape = service_model("apigatewayv2").shape_for(code)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == shape.metadata["error"]["httpStatusCode"]
    assert info.value.response["Error"]["Message"]
