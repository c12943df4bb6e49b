"""Routes: route keys, defaults, targets, authorization, protocol rules, pagination, managed routes, quota."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.config import Config

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import deployments, lookup, routes
from mockapigw.apigatewayv2.store import Store

BAD_KEY = "The provided route key is not formatted properly"
BAD_PATH = "One or more path parts appear to be invalid"
LAMBDA_URI = (
    "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
    "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
)


def backend(apigw: MockApiGateway) -> Store:
    return apigw.apigatewayv2.backends(apigw.account_id, "us-east-1")


def add_integration(v2: Any, api: dict[str, Any]) -> str:
    if api["ProtocolType"] == "HTTP":
        created = v2.create_integration(
            ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationUri="https://example.com",
            IntegrationMethod="ANY", PayloadFormatVersion="1.0",
        )
    else:
        created = v2.create_integration(ApiId=api["ApiId"], IntegrationType="MOCK")
    return str(created["IntegrationId"])


def add_authorizer(v2: Any, api: dict[str, Any], kind: str) -> str:
    if kind == "JWT":
        extra: dict[str, Any] = {
            "IdentitySource": ["$request.header.Authorization"],
            "JwtConfiguration": {"Audience": ["aud"], "Issuer": "https://issuer.example.com"},
        }
    elif api["ProtocolType"] == "HTTP":
        extra = {
            "IdentitySource": ["$request.header.Authorization"], "AuthorizerUri": LAMBDA_URI,
            "AuthorizerPayloadFormatVersion": "2.0",
        }
    else:
        extra = {"IdentitySource": ["route.request.header.Auth"], "AuthorizerUri": LAMBDA_URI}
    created = v2.create_authorizer(ApiId=api["ApiId"], AuthorizerType=kind, Name=kind.lower(), **extra)
    return str(created["AuthorizerId"])


def add_model(v2: Any, api: dict[str, Any], name: str) -> None:
    v2.create_model(ApiId=api["ApiId"], Name=name, Schema='{"type": "object"}', ContentType="application/json")


@pytest.fixture
def changes(apigw: MockApiGateway, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the APIs whose configuration changed, one entry per ``after_change`` call."""
    seen: list[str] = []
    original = deployments.after_change

    def record(store: Any, api: Any) -> None:
        seen.append(api.api_id)
        original(store, api)

    monkeypatch.setattr(deployments, "after_change", record)
    return seen


# --- creating and reading


def test_create_http_route_defaults(v2: Any, http_api: dict[str, Any]) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="POST /signup")
    assert route["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{7}", route["RouteId"])
    body = {k: v for k, v in route.items() if k != "ResponseMetadata"}
    assert body == {"ApiKeyRequired": False, "AuthorizationType": "NONE", "RouteKey": "POST /signup",
                    "RouteId": route["RouteId"]}
    fetched = v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    assert {k: v for k, v in fetched.items() if k != "ResponseMetadata"} == body


def test_create_websocket_routes(v2: Any, ws_api: dict[str, Any]) -> None:
    keys = ["$connect", "$disconnect", "$default", "sendMessage", "join room"]
    for key in keys:
        route = v2.create_route(
            ApiId=ws_api["ApiId"], RouteKey=key, ApiKeyRequired=True, ModelSelectionExpression="$request.body.type",
            RequestParameters={"route.request.header.Auth": {"Required": True}} if key == "$connect" else {},
            RouteResponseSelectionExpression="$default", OperationName="op",
        )
        assert route["RouteKey"] == key
        assert route["ApiKeyRequired"] is True
        assert route["RouteResponseSelectionExpression"] == "$default"
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=ws_api["ApiId"])["Items"]] == keys


@pytest.mark.parametrize(
    "key",
    ["$default", "GET /", "ANY /{proxy+}", "GET /pets/{id}", "POST /pets/{petId}/toys/{rest+}", "OPTIONS /a/b-c.d_e",
     "HEAD /x", "PUT /x", "PATCH /x", "DELETE /x", "POST /v1/{user_id}"],
)
def test_valid_http_route_keys(v2: Any, http_api: dict[str, Any], key: str) -> None:
    assert v2.create_route(ApiId=http_api["ApiId"], RouteKey=key)["RouteKey"] == key


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("FETCH /x", BAD_KEY),
        ("get /x", BAD_KEY),
        ("GET", BAD_KEY),
        ("GET pets", BAD_KEY),
        ("GET  /x", BAD_KEY),
        ("GET /a b", BAD_KEY),
        ("$connect", BAD_KEY),
        ("sendMessage", BAD_KEY),
        ("GET /{eventId}.json", BAD_PATH),
        ("GET /{proxy+}/x", BAD_PATH),
        ("GET /a//b", BAD_PATH),
        ("GET /a/", BAD_PATH),
        ("GET /{}", BAD_PATH),
        ("GET /{+}", BAD_PATH),
        ("GET /{id}/{id}", BAD_PATH),
        ("GET /a}", BAD_PATH),
        ("GET /{a{b}}", BAD_PATH),
    ],
)
def test_invalid_http_route_keys(v2: Any, http_api: dict[str, Any], key: str, message: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey=key)
    assert info.value.response["Error"]["Message"] == message
    assert v2.get_routes(ApiId=http_api["ApiId"])["Items"] == []


@pytest.mark.parametrize("key", ["$getauthorized", "$Connect", "$"])
def test_websocket_custom_keys_must_not_start_with_dollar(v2: Any, ws_api: dict[str, Any], key: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match=re.escape(BAD_KEY)):
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey=key)


def test_empty_route_key(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Route key is required"):
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="")


def test_missing_route_key_is_a_validation_error(apigw: MockApiGateway, http_api: dict[str, Any]) -> None:
    unchecked = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(parameter_validation=False))
    with pytest.raises(unchecked.exceptions.BadRequestException, match="Value null at 'routeKey'"):
        unchecked.create_route(ApiId=http_api["ApiId"])


def test_bad_authorization_type_is_a_validation_error(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="enum value set"):
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType="COGNITO")


def test_duplicate_route_key_is_a_conflict(v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]) -> None:
    v2.create_route(ApiId=http_api["ApiId"], RouteKey="ANY /{proxy+}")
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="ANY /{proxy+}")
    assert info.value.response["Error"]["Message"] == "Route with key ANY /{proxy+} already exists for this API"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    # Keys are exact strings, and per API.
    v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /{proxy+}")
    other = v2.create_api(Name="other", ProtocolType="HTTP")
    v2.create_route(ApiId=other["ApiId"], RouteKey="ANY /{proxy+}")
    v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$default")
    with pytest.raises(v2.exceptions.ConflictException, match=re.escape("Route with key $default already exists")):
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$default")


def test_unknown_api_and_route(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified 123456789012:nope"):
        v2.create_route(ApiId="nope", RouteKey="GET /x")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.get_routes(ApiId="nope")
    for call in (v2.get_route, v2.delete_route, v2.update_route):
        with pytest.raises(v2.exceptions.NotFoundException) as info:
            call(ApiId=http_api["ApiId"], RouteId="abc1234")
        assert info.value.response["Error"]["Message"] == "Invalid Route identifier specified abc1234"
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# --- members for WebSocket APIs only


@pytest.mark.parametrize(
    ("member", "value"),
    [
        ("ApiKeyRequired", True),
        ("ModelSelectionExpression", "$request.body.type"),
        ("RequestModels", {"application/json": "Pet"}),
        ("RequestParameters", {"route.request.header.Auth": {"Required": True}}),
        ("RouteResponseSelectionExpression", "$default"),
    ],
)
def test_websocket_only_members_are_accepted_and_ignored_on_http(
    v2: Any, http_api: dict[str, Any], member: str, value: Any
) -> None:
    # No rejection by AWS is known (aws-behaviour.md §9.3: route RequestParameters on HTTP APIs among them).
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", **{member: value})
    ids = {"ApiId": http_api["ApiId"], "RouteId": route["RouteId"]}
    updated = v2.update_route(**ids, **{member: value})
    for described in (route, updated, v2.get_route(**ids)):
        # ApiKeyRequired keeps the false AWS returns for every route.
        assert described.get(member, False) is False if member == "ApiKeyRequired" else member not in described


def test_empty_websocket_only_members_are_accepted_on_http(v2: Any, http_api: dict[str, Any]) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", ApiKeyRequired=False, RequestParameters={})
    assert route["ApiKeyRequired"] is False
    assert "RequestParameters" not in route


def test_route_response_selection_expression_is_default_only(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey="echo", RouteResponseSelectionExpression="$request.body.x")
    assert info.value.response["Error"]["Message"] == (
        "Unsupported RouteResponseSelectionExpression: '$request.body.x'. Only $default is supported."
    )


# --- targets


def test_target_names_an_integration_of_the_api(v2: Any, http_api: dict[str, Any]) -> None:
    integration_id = add_integration(v2, http_api)
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="ANY /pets", Target=f"integrations/{integration_id}")
    assert route["Target"] == f"integrations/{integration_id}"
    assert v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])["Target"] == f"integrations/{integration_id}"


def test_target_of_an_unknown_integration(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", Target="integrations/abc1234")
    assert info.value.response["Error"]["Message"] == "Invalid Integration identifier specified abc1234"
    other = v2.create_api(Name="other", ProtocolType="HTTP")
    foreign = add_integration(v2, other)
    with pytest.raises(v2.exceptions.NotFoundException, match=f"Invalid Integration identifier specified {foreign}"):
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", Target=f"integrations/{foreign}")


@pytest.mark.parametrize(
    "target", ["abc1234", "integrations/", "integrations/a/b", "arn:aws:lambda:us-east-1:1:function:f"]
)
def test_malformed_target(v2: Any, http_api: dict[str, Any], target: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", Target=target)
    assert info.value.response["Error"]["Message"] == (
        f"Invalid target {target!r}: a route's target must be integrations/{{IntegrationId}}"
    )


def test_update_target(v2: Any, ws_api: dict[str, Any]) -> None:
    first, second = add_integration(v2, ws_api), add_integration(v2, ws_api)
    route = v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$default", Target=f"integrations/{first}")
    updated = v2.update_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"], Target=f"integrations/{second}")
    assert updated["Target"] == f"integrations/{second}"
    assert v2.get_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"])["Target"] == f"integrations/{second}"
    # The model sets no minimum length (only the shape's name does, aws-behaviour.md §9.4): "" removes the target.
    cleared = v2.update_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"], Target="", OperationName="")
    assert "Target" not in cleared and "OperationName" not in cleared
    assert "Target" not in v2.get_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"])


# --- authorization


def test_routes_take_at_most_10_authorization_scopes(v2: Any, http_api: dict[str, Any]) -> None:
    # "Scopes per route: 10" (HTTP API quotas, aws-behaviour.md §4 and §9.10).
    jwt = add_authorizer(v2, http_api, "JWT")
    common = {"ApiId": http_api["ApiId"], "AuthorizationType": "JWT", "AuthorizerId": jwt}
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(RouteKey="GET /a", AuthorizationScopes=[f"s{i}" for i in range(11)], **common)
    assert info.value.response["Error"]["Message"] == "A route can have at most 10 authorization scopes, got 11."
    assert v2.get_routes(ApiId=http_api["ApiId"])["Items"] == []
    route = v2.create_route(RouteKey="GET /a", AuthorizationScopes=[f"s{i}" for i in range(10)], **common)
    assert len(route["AuthorizationScopes"]) == 10
    with pytest.raises(v2.exceptions.BadRequestException, match="at most 10 authorization scopes"):
        v2.update_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"], AuthorizationScopes=["x"] * 11)
    assert len(v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])["AuthorizationScopes"]) == 10


def test_http_jwt_route_with_scopes(v2: Any, http_api: dict[str, Any]) -> None:
    jwt = add_authorizer(v2, http_api, "JWT")
    route = v2.create_route(
        ApiId=http_api["ApiId"], RouteKey="GET /pets", AuthorizationType="JWT", AuthorizerId=jwt,
        AuthorizationScopes=["user.id", "user.email"],
    )
    assert (route["AuthorizationType"], route["AuthorizerId"]) == ("JWT", jwt)
    assert route["AuthorizationScopes"] == ["user.id", "user.email"]


def test_http_custom_and_iam_routes(v2: Any, http_api: dict[str, Any]) -> None:
    lambda_authorizer = add_authorizer(v2, http_api, "REQUEST")
    custom = v2.create_route(
        ApiId=http_api["ApiId"], RouteKey="GET /a", AuthorizationType="CUSTOM", AuthorizerId=lambda_authorizer
    )
    assert (custom["AuthorizationType"], custom["AuthorizerId"]) == ("CUSTOM", lambda_authorizer)
    iam = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /b", AuthorizationType="AWS_IAM")
    assert iam["AuthorizationType"] == "AWS_IAM"
    assert "AuthorizerId" not in iam


def test_websocket_connect_route_with_a_lambda_authorizer(v2: Any, ws_api: dict[str, Any]) -> None:
    authorizer = add_authorizer(v2, ws_api, "REQUEST")
    route = v2.create_route(
        ApiId=ws_api["ApiId"], RouteKey="$connect", AuthorizationType="CUSTOM", AuthorizerId=authorizer
    )
    assert (route["AuthorizationType"], route["AuthorizerId"]) == ("CUSTOM", authorizer)
    iam = v2.update_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"], AuthorizationType="AWS_IAM")
    assert iam["AuthorizationType"] == "AWS_IAM"
    assert "AuthorizerId" not in iam


def test_jwt_is_not_for_websocket_apis(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$connect", AuthorizationType="JWT", AuthorizerId="abc123")
    assert info.value.response["Error"]["Message"] == (
        "AuthorizationType JWT is not supported for WEBSOCKET APIs. Supported values are NONE, AWS_IAM, CUSTOM."
    )


@pytest.mark.parametrize("kind", ["AWS_IAM", "CUSTOM"])
def test_websocket_authorization_only_on_connect(v2: Any, ws_api: dict[str, Any], kind: str) -> None:
    extra = {"AuthorizerId": add_authorizer(v2, ws_api, "REQUEST")} if kind == "CUSTOM" else {}
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey="sendMessage", AuthorizationType=kind, **extra)
    assert info.value.response["Error"]["Message"] == (
        f"AuthorizationType {kind} is supported only on the $connect route of a WebSocket API."
    )
    # Nor can an authorized $connect route be renamed into another key.
    connect = v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$connect", AuthorizationType=kind, **extra)
    with pytest.raises(v2.exceptions.BadRequestException, match="only on the \\$connect route"):
        v2.update_route(ApiId=ws_api["ApiId"], RouteId=connect["RouteId"], RouteKey="other")


def test_custom_and_jwt_need_an_authorizer_id(v2: Any, http_api: dict[str, Any]) -> None:
    for kind in ("CUSTOM", "JWT"):
        with pytest.raises(v2.exceptions.BadRequestException) as info:
            v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType=kind)
        assert info.value.response["Error"]["Message"] == f"AuthorizerId is required for AuthorizationType {kind}."


def test_unknown_authorizer(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType="JWT", AuthorizerId="abc123")
    assert info.value.response["Error"]["Message"] == "Invalid Authorizer identifier specified abc123"


def test_authorizer_type_must_match(v2: Any, http_api: dict[str, Any]) -> None:
    jwt = add_authorizer(v2, http_api, "JWT")
    lambda_authorizer = add_authorizer(v2, http_api, "REQUEST")
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType="CUSTOM", AuthorizerId=jwt)
    assert info.value.response["Error"]["Message"] == (
        f"AuthorizationType CUSTOM needs an authorizer of type REQUEST; authorizer {jwt} is of type JWT."
    )
    with pytest.raises(v2.exceptions.BadRequestException, match="needs an authorizer of type JWT"):
        v2.create_route(
            ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType="JWT", AuthorizerId=lambda_authorizer
        )


@pytest.mark.parametrize("kind", ["NONE", "AWS_IAM"])
def test_authorizer_id_without_an_authorizer_type(v2: Any, http_api: dict[str, Any], kind: str) -> None:
    jwt = add_authorizer(v2, http_api, "JWT")
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType=kind, AuthorizerId=jwt)
    assert info.value.response["Error"]["Message"] == (
        f"AuthorizerId cannot be set on a route with AuthorizationType {kind}."
    )


@pytest.mark.parametrize("kind", ["NONE", "AWS_IAM", "CUSTOM"])
def test_scopes_only_with_jwt(v2: Any, http_api: dict[str, Any], kind: str) -> None:
    extra = {"AuthorizerId": add_authorizer(v2, http_api, "REQUEST")} if kind == "CUSTOM" else {}
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route(
            ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType=kind, AuthorizationScopes=["a"], **extra
        )
    assert info.value.response["Error"]["Message"] == (
        f"AuthorizationScopes are supported only with AuthorizationType JWT, not with {kind}."
    )


def test_switching_authorization_off_drops_authorizer_and_scopes(v2: Any, http_api: dict[str, Any]) -> None:
    jwt = add_authorizer(v2, http_api, "JWT")
    route = v2.create_route(
        ApiId=http_api["ApiId"], RouteKey="GET /x", AuthorizationType="JWT", AuthorizerId=jwt,
        AuthorizationScopes=["read"],
    )
    # Other members change without repeating the authorization ones.
    renamed = v2.update_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"], OperationName="listX")
    assert (renamed["AuthorizerId"], renamed["AuthorizationScopes"]) == (jwt, ["read"])
    updated = v2.update_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"], AuthorizationType="NONE")
    assert updated["AuthorizationType"] == "NONE"
    assert "AuthorizerId" not in updated and "AuthorizationScopes" not in updated
    # Terraform unsets an authorizer by sending an empty AuthorizerId.
    again = v2.update_route(
        ApiId=http_api["ApiId"], RouteId=route["RouteId"], AuthorizationType="JWT", AuthorizerId=jwt
    )
    cleared = v2.update_route(
        ApiId=http_api["ApiId"], RouteId=again["RouteId"], AuthorizationType="NONE", AuthorizerId=""
    )
    assert "AuthorizerId" not in cleared


# --- request models


def test_request_models_name_models_of_the_api(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_route(ApiId=ws_api["ApiId"], RouteKey="add", RequestModels={"application/json": "Pet"})
    assert info.value.response["Error"]["Message"] == (
        "Unable to find Model by name Pet within the provided RequestModels"
    )
    add_model(v2, ws_api, "Pet")
    route = v2.create_route(
        ApiId=ws_api["ApiId"], RouteKey="add", RequestModels={"application/json": "Pet"},
        ModelSelectionExpression="$request.body.type",
    )
    assert route["RequestModels"] == {"application/json": "Pet"}


# --- listing


def test_get_routes_pages(v2: Any, http_api: dict[str, Any]) -> None:
    keys = [f"GET /r{i}" for i in range(5)]
    for key in keys:
        v2.create_route(ApiId=http_api["ApiId"], RouteKey=key)
    first = v2.get_routes(ApiId=http_api["ApiId"], MaxResults="2")
    assert [r["RouteKey"] for r in first["Items"]] == keys[:2]
    rest = v2.get_routes(ApiId=http_api["ApiId"], MaxResults="10", NextToken=first["NextToken"])
    assert [r["RouteKey"] for r in rest["Items"]] == keys[2:]
    assert "NextToken" not in rest
    pages = list(v2.get_paginator("get_routes").paginate(ApiId=http_api["ApiId"], PaginationConfig={"PageSize": 2}))
    assert [len(page["Items"]) for page in pages] == [2, 2, 1]
    assert v2.get_routes(ApiId=v2.create_api(Name="empty", ProtocolType="HTTP")["ApiId"])["Items"] == []


# --- updating and deleting


def test_update_route_changes_only_what_is_sent(v2: Any, ws_api: dict[str, Any]) -> None:
    route = v2.create_route(
        ApiId=ws_api["ApiId"], RouteKey="join", ApiKeyRequired=True, OperationName="Join",
        RouteResponseSelectionExpression="$default", ModelSelectionExpression="$request.body.type",
    )
    updated = v2.update_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"], RouteKey="enter")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (updated["RouteKey"], updated["ApiKeyRequired"], updated["OperationName"]) == ("enter", True, "Join")
    assert updated["RouteId"] == route["RouteId"]
    # "" removes a selection expression (as Terraform sends to unset one).
    cleared = v2.update_route(
        ApiId=ws_api["ApiId"], RouteId=route["RouteId"],
        RouteResponseSelectionExpression="", ModelSelectionExpression="",
    )
    assert "RouteResponseSelectionExpression" not in cleared and "ModelSelectionExpression" not in cleared


def test_update_route_checks_the_new_key(v2: Any, http_api: dict[str, Any]) -> None:
    first = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /a")
    v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /b")
    with pytest.raises(v2.exceptions.ConflictException, match="Route with key GET /b already exists for this API"):
        v2.update_route(ApiId=http_api["ApiId"], RouteId=first["RouteId"], RouteKey="GET /b")
    with pytest.raises(v2.exceptions.BadRequestException, match=BAD_PATH):
        v2.update_route(ApiId=http_api["ApiId"], RouteId=first["RouteId"], RouteKey="GET /{a}b")
    # Re-sending its own key is no conflict; a failed update changes nothing.
    same = v2.update_route(ApiId=http_api["ApiId"], RouteId=first["RouteId"], RouteKey="GET /a")
    assert same["RouteKey"] == "GET /a"
    assert v2.get_route(ApiId=http_api["ApiId"], RouteId=first["RouteId"])["RouteKey"] == "GET /a"


def test_failed_update_changes_nothing(v2: Any, http_api: dict[str, Any]) -> None:
    jwt = add_authorizer(v2, http_api, "JWT")
    route = v2.create_route(
        ApiId=http_api["ApiId"], RouteKey="GET /a", AuthorizationType="JWT", AuthorizerId=jwt,
        AuthorizationScopes=["read"],
    )
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.update_route(
            ApiId=http_api["ApiId"], RouteId=route["RouteId"], AuthorizationType="NONE", Target="integrations/nope"
        )
    fetched = v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    assert (fetched["AuthorizationType"], fetched["AuthorizerId"], fetched["AuthorizationScopes"]) == (
        "JWT", jwt, ["read"],
    )


def test_delete_route(v2: Any, http_api: dict[str, Any]) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /a")
    deleted = v2.delete_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    # Its key is free again.
    v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /a")


def test_delete_route_request_parameter(v2: Any, ws_api: dict[str, Any]) -> None:
    parameters = {
        "route.request.header.Auth": {"Required": True},
        "route.request.querystring.room": {"Required": False},
    }
    route = v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$connect", RequestParameters=parameters)
    deleted = v2.delete_route_request_parameter(
        ApiId=ws_api["ApiId"], RouteId=route["RouteId"], RequestParameterKey="route.request.header.Auth"
    )
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    fetched = v2.get_route(ApiId=ws_api["ApiId"], RouteId=route["RouteId"])
    assert fetched["RequestParameters"] == {"route.request.querystring.room": {"Required": False}}
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.delete_route_request_parameter(
            ApiId=ws_api["ApiId"], RouteId=route["RouteId"], RequestParameterKey="route.request.header.Auth"
        )
    assert info.value.response["Error"]["Message"] == (
        f"Unable to find request parameter route.request.header.Auth of route {route['RouteId']}"
    )


def test_delete_request_parameter_of_a_route_without_any(v2: Any, http_api: dict[str, Any]) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /a")
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find request parameter x"):
        v2.delete_route_request_parameter(ApiId=http_api["ApiId"], RouteId=route["RouteId"], RequestParameterKey="x")


# --- managed routes (quick create)


def test_managed_route_keeps_its_key_and_cannot_be_deleted(
    apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]
) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="$default")
    lookup.api(backend(apigw), http_api["ApiId"]).routes.get(route["RouteId"]).fields["ApiGatewayManaged"] = True

    assert v2.get_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])["ApiGatewayManaged"] is True
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.delete_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    assert info.value.response["Error"]["Message"] == (
        f"Cannot delete route {route['RouteId']}: it is managed by API Gateway (created by quick create). "
        "Update or delete the API's quick create target instead."
    )
    renamed = f"Cannot change the route key of route {route['RouteId']}"
    with pytest.raises(v2.exceptions.BadRequestException, match=renamed):
        v2.update_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"], RouteKey="GET /x")
    updated = v2.update_route(
        ApiId=http_api["ApiId"], RouteId=route["RouteId"], RouteKey="$default", AuthorizationType="AWS_IAM"
    )
    assert (updated["RouteKey"], updated["AuthorizationType"], updated["ApiGatewayManaged"]) == (
        "$default", "AWS_IAM", True,
    )


# --- quota


def test_route_quota(apigw: MockApiGateway, http_api: dict[str, Any]) -> None:
    target = backend(apigw)
    for index in range(300):
        routes.create_route(target, {"ApiId": http_api["ApiId"], "RouteKey": f"GET /r{index}"})
    # botocore retries 429s with back-off; one attempt keeps the test fast.
    client = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_route(ApiId=http_api["ApiId"], RouteKey="GET /one-too-many")
    assert info.value.response["LimitType"] == "routes"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert len(client.get_routes(ApiId=http_api["ApiId"])["Items"]) == 300


# --- every change is an API change (auto-deploy hangs off it)


def test_each_change_notifies_the_api(v2: Any, ws_api: dict[str, Any], changes: list[str]) -> None:
    api_id = ws_api["ApiId"]
    route = v2.create_route(
        ApiId=api_id, RouteKey="$connect", RequestParameters={"route.request.header.Auth": {"Required": True}}
    )
    v2.update_route(ApiId=api_id, RouteId=route["RouteId"], ApiKeyRequired=True)
    v2.delete_route_request_parameter(
        ApiId=api_id, RouteId=route["RouteId"], RequestParameterKey="route.request.header.Auth"
    )
    v2.get_route(ApiId=api_id, RouteId=route["RouteId"])
    v2.get_routes(ApiId=api_id)
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route(ApiId=api_id, RouteKey="$connect")
    v2.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    assert changes == [api_id] * 4
