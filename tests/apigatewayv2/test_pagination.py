"""Every paginator of the service, and MaxResults/NextToken on the two collections without a paginator."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
LAMBDA_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{LAMBDA}/invocations"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
COUNT = 5


def _apis(v2: Any) -> tuple[dict[str, Any], list[str]]:
    ids = [v2.create_api(Name=f"a{i}", ProtocolType="HTTP")["ApiId"] for i in range(COUNT)]
    return {}, ids


def _routes(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="r", ProtocolType="HTTP")["ApiId"]
    return {"ApiId": api}, [v2.create_route(ApiId=api, RouteKey=f"GET /r{i}")["RouteId"] for i in range(COUNT)]


def _integrations(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="i", ProtocolType="HTTP")["ApiId"]
    ids = [
        v2.create_integration(
            ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
        )["IntegrationId"]
        for _ in range(COUNT)
    ]
    return {"ApiId": api}, ids


def _stages(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="s", ProtocolType="HTTP")["ApiId"]
    return {"ApiId": api}, [v2.create_stage(ApiId=api, StageName=f"s{i}")["StageName"] for i in range(COUNT)]


def _deployments(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="d", ProtocolType="HTTP")["ApiId"]
    return {"ApiId": api}, [v2.create_deployment(ApiId=api)["DeploymentId"] for _ in range(COUNT)]


def _authorizers(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="a", ProtocolType="HTTP")["ApiId"]
    ids = [
        v2.create_authorizer(
            ApiId=api,
            AuthorizerType="REQUEST",
            Name=f"a{i}",
            AuthorizerUri=LAMBDA_URI,
            IdentitySource=["$request.header.Auth"],
            AuthorizerPayloadFormatVersion="2.0",
        )["AuthorizerId"]
        for i in range(COUNT)
    ]
    return {"ApiId": api}, ids


def _models(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api = v2.create_api(Name="m", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")["ApiId"]
    schema = json.dumps({"type": "object"})
    return {"ApiId": api}, [v2.create_model(ApiId=api, Name=f"M{i}", Schema=schema)["ModelId"] for i in range(COUNT)]


def _websocket_route(v2: Any) -> tuple[str, str]:
    api = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")["ApiId"]
    integration = v2.create_integration(ApiId=api, IntegrationType="MOCK")["IntegrationId"]
    return api, integration


def _route_responses(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api, _ = _websocket_route(v2)
    ids = []
    routes = [v2.create_route(ApiId=api, RouteKey=f"k{i}")["RouteId"] for i in range(COUNT)]
    # Only $default route responses exist on AWS, one per route: page through a route's single response.
    ids.append(v2.create_route_response(ApiId=api, RouteId=routes[0], RouteResponseKey="$default")["RouteResponseId"])
    return {"ApiId": api, "RouteId": routes[0]}, ids


def _integration_responses(v2: Any) -> tuple[dict[str, Any], list[str]]:
    api, integration = _websocket_route(v2)
    keys = ["$default"] + [f"/{400 + i}/" for i in range(COUNT - 1)]
    ids = [
        v2.create_integration_response(ApiId=api, IntegrationId=integration, IntegrationResponseKey=key)[
            "IntegrationResponseId"
        ]
        for key in keys
    ]
    return {"ApiId": api, "IntegrationId": integration}, ids


def _domain_names(v2: Any) -> tuple[dict[str, Any], list[str]]:
    names = [f"d{i}.example.com" for i in range(COUNT)]
    for name in names:
        v2.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": CERT}])
    return {}, names


PAGINATORS: dict[str, tuple[Callable[[Any], tuple[dict[str, Any], list[str]]], str]] = {
    "get_apis": (_apis, "ApiId"),
    "get_routes": (_routes, "RouteId"),
    "get_integrations": (_integrations, "IntegrationId"),
    "get_stages": (_stages, "StageName"),
    "get_deployments": (_deployments, "DeploymentId"),
    "get_authorizers": (_authorizers, "AuthorizerId"),
    "get_models": (_models, "ModelId"),
    "get_route_responses": (_route_responses, "RouteResponseId"),
    "get_integration_responses": (_integration_responses, "IntegrationResponseId"),
    "get_domain_names": (_domain_names, "DomainName"),
}


def test_every_paginator_of_the_model_is_covered(v2: Any) -> None:
    from botocore import xform_name

    from mockapigw.core.model import _loader

    names = _loader().load_service_model("apigatewayv2", "paginators-1")["pagination"]
    assert {xform_name(n) for n in names} == set(PAGINATORS) | set(NEWER_PAGINATORS)


@pytest.mark.parametrize("operation", sorted(PAGINATORS))
def test_paginator_returns_every_item_once_in_order(v2: Any, operation: str) -> None:
    make, key = PAGINATORS[operation]
    params, expected = make(v2)
    pages = list(v2.get_paginator(operation).paginate(**params, PaginationConfig={"PageSize": 2}))
    assert [len(page["Items"]) for page in pages] == [2] * (len(expected) // 2) + [1] * (len(expected) % 2)
    assert [item[key] for page in pages for item in page["Items"]] == expected
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        getattr(v2, operation)(**params, NextToken="not-a-token")


def test_api_mappings_and_vpc_links_page_with_max_results(v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")["ApiId"]
    v2.create_stage(ApiId=api, StageName="prod")
    v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    mappings = [
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api, Stage="prod", ApiMappingKey=f"v{i}")[
            "ApiMappingId"
        ]
        for i in range(3)
    ]
    links = [v2.create_vpc_link(Name=f"l{i}", SubnetIds=["subnet-1"])["VpcLinkId"] for i in range(3)]
    for operation, params, key, expected in (
        ("get_api_mappings", {"DomainName": "api.example.com"}, "ApiMappingId", mappings),
        ("get_vpc_links", {}, "VpcLinkId", links),
    ):
        first = getattr(v2, operation)(**params, MaxResults="2")
        rest = getattr(v2, operation)(**params, MaxResults="2", NextToken=first["NextToken"])
        assert "NextToken" not in rest
        assert [i[key] for i in first["Items"] + rest["Items"]] == expected


# --- The paginators of the newer operations (routing rules, developer portals).

PORTAL = {
    "Authorization": {"None": {}},
    "EndpointConfiguration": {"None": {}},
    "PortalContent": {
        "DisplayName": "portal",
        "Theme": {
            "CustomColors": dict.fromkeys(
                (
                    "AccentColor",
                    "BackgroundColor",
                    "ErrorValidationColor",
                    "HeaderColor",
                    "NavigationColor",
                    "TextColor",
                ),
                "#000000",
            )
        },
    },
}


def _routing_rules(v2: Any) -> tuple[dict[str, Any], list[str]]:
    v2.create_domain_name(DomainName="rules.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    action = {"InvokeApi": {"ApiId": "abcd1234", "Stage": "prod"}}
    # Created out of priority order: the list is in priority order.
    made = {
        priority: v2.create_routing_rule(
            DomainName="rules.example.com", Priority=priority, Conditions=[], Actions=[action]
        )["RoutingRuleId"]
        for priority in (50, 10, 40, 20, 30)
    }
    return {"DomainName": "rules.example.com"}, [made[p] for p in sorted(made)]


def _portals(v2: Any) -> tuple[dict[str, Any], list[str]]:
    return {}, [v2.create_portal(**PORTAL)["PortalId"] for _ in range(COUNT)]


def _portal_products(v2: Any) -> tuple[dict[str, Any], list[str]]:
    return {}, [v2.create_portal_product(DisplayName=f"p{i}")["PortalProductId"] for i in range(COUNT)]


def _product_pages(v2: Any) -> tuple[dict[str, Any], list[str]]:
    product = v2.create_portal_product(DisplayName="p")["PortalProductId"]
    content = {"Title": "t", "Body": "b"}
    ids = [
        v2.create_product_page(PortalProductId=product, DisplayContent=content)["ProductPageId"] for _ in range(COUNT)
    ]
    return {"PortalProductId": product}, ids


def _product_rest_endpoint_pages(v2: Any) -> tuple[dict[str, Any], list[str]]:
    product = v2.create_portal_product(DisplayName="p")["PortalProductId"]
    parts = {"RestApiId": "kf5387miad", "Stage": "prod", "Method": "GET"}
    ids = [
        v2.create_product_rest_endpoint_page(
            PortalProductId=product, RestEndpointIdentifier={"IdentifierParts": {**parts, "Path": f"/p{i}"}}
        )["ProductRestEndpointPageId"]
        for i in range(COUNT)
    ]
    return {"PortalProductId": product}, ids


# operation -> (make, id member, result key)
NEWER_PAGINATORS: dict[str, tuple[Callable[[Any], tuple[dict[str, Any], list[str]]], str, str]] = {
    "list_routing_rules": (_routing_rules, "RoutingRuleId", "RoutingRules"),
    "list_portals": (_portals, "PortalId", "Items"),
    "list_portal_products": (_portal_products, "PortalProductId", "Items"),
    "list_product_pages": (_product_pages, "ProductPageId", "Items"),
    "list_product_rest_endpoint_pages": (_product_rest_endpoint_pages, "ProductRestEndpointPageId", "Items"),
}


@pytest.mark.parametrize("operation", sorted(NEWER_PAGINATORS))
def test_newer_paginator_returns_every_item_once_in_order(v2: Any, operation: str) -> None:
    make, key, result = NEWER_PAGINATORS[operation]
    params, expected = make(v2)
    pages = list(v2.get_paginator(operation).paginate(**params, PaginationConfig={"PageSize": 2}))
    assert [len(page[result]) for page in pages] == [2] * (len(expected) // 2) + [1] * (len(expected) % 2)
    assert [item[key] for page in pages for item in page[result]] == expected
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        getattr(v2, operation)(**params, NextToken="not-a-token")
