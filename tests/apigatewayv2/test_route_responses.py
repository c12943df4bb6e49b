"""Route responses: WebSocket only, `$default` only, one per route, gone with their route."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import deployments

ONLY_DEFAULT = "You can only define the $default route response for WebSocket APIs"


def add_model(v2: Any, api_id: str, name: str) -> None:
    v2.create_model(ApiId=api_id, Name=name, Schema='{"type": "object"}', ContentType="application/json")


@pytest.fixture
def route(v2: Any, ws_api: dict[str, Any]) -> dict[str, Any]:
    """A two-way-ready WebSocket route."""
    return dict(v2.create_route(ApiId=ws_api["ApiId"], RouteKey="echo", RouteResponseSelectionExpression="$default"))


@pytest.fixture
def echo(route: dict[str, Any], ws_api: dict[str, Any]) -> dict[str, Any]:
    """The ids that address the route: ``ApiId`` and ``RouteId``."""
    return {"ApiId": ws_api["ApiId"], "RouteId": route["RouteId"]}


def test_create_and_read_the_default_route_response(v2: Any, echo: dict[str, Any]) -> None:
    created = v2.create_route_response(**echo, RouteResponseKey="$default")
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{6}", created["RouteResponseId"])
    body = {k: v for k, v in created.items() if k != "ResponseMetadata"}
    assert body == {"RouteResponseId": created["RouteResponseId"], "RouteResponseKey": "$default"}
    fetched = v2.get_route_response(**echo, RouteResponseId=created["RouteResponseId"])
    assert {k: v for k, v in fetched.items() if k != "ResponseMetadata"} == body
    assert v2.get_route_responses(**echo)["Items"] == [body]


def test_all_members(v2: Any, echo: dict[str, Any]) -> None:
    add_model(v2, echo["ApiId"], "Reply")
    created = v2.create_route_response(
        **echo, RouteResponseKey="$default", ModelSelectionExpression="$default",
        ResponseModels={"$default": "Reply"}, ResponseParameters={"route.response.header.x": {"Required": False}},
    )
    assert created["ModelSelectionExpression"] == "$default"
    assert created["ResponseModels"] == {"$default": "Reply"}
    assert created["ResponseParameters"] == {"route.response.header.x": {"Required": False}}


@pytest.mark.parametrize("key", ["$connect", "/2\\d\\d/", "ok"])
def test_only_the_default_key(v2: Any, echo: dict[str, Any], key: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_route_response(**echo, RouteResponseKey=key)
    assert info.value.response["Error"]["Message"] == ONLY_DEFAULT
    created = v2.create_route_response(**echo, RouteResponseKey="$default")
    with pytest.raises(v2.exceptions.BadRequestException, match=re.escape(ONLY_DEFAULT)):
        v2.update_route_response(**echo, RouteResponseId=created["RouteResponseId"], RouteResponseKey=key)


def test_one_per_route(v2: Any, ws_api: dict[str, Any], echo: dict[str, Any]) -> None:
    v2.create_route_response(**echo, RouteResponseKey="$default")
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.create_route_response(**echo, RouteResponseKey="$default")
    assert info.value.response["Error"]["Message"] == "Route response with key $default already exists for this route"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    # Another route has its own.
    other = v2.create_route(ApiId=ws_api["ApiId"], RouteKey="$default")
    v2.create_route_response(ApiId=ws_api["ApiId"], RouteId=other["RouteId"], RouteResponseKey="$default")


def test_http_apis_accept_route_responses(v2: Any, http_api: dict[str, Any]) -> None:
    # Documented for WebSocket APIs, but AWS is not known to refuse them on HTTP APIs (aws-behaviour.md §9.3).
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x")
    where = {"ApiId": http_api["ApiId"], "RouteId": route["RouteId"]}
    assert v2.get_route_responses(**where)["Items"] == []
    created = v2.create_route_response(**where, RouteResponseKey="$default")
    assert created["RouteResponseKey"] == "$default"
    assert v2.get_route_responses(**where)["Items"] == [
        {k: v for k, v in created.items() if k != "ResponseMetadata"}
    ]
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid RouteResponse identifier specified abcdef"):
        v2.get_route_response(**where, RouteResponseId="abcdef")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid RouteResponse identifier specified abcdef"):
        v2.delete_route_response(**where, RouteResponseId="abcdef")


def test_response_models_name_models_of_the_api(v2: Any, echo: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_route_response(**echo, RouteResponseKey="$default", ResponseModels={"$default": "Reply"})
    assert info.value.response["Error"]["Message"] == (
        "Unable to find Model by name Reply within the provided ResponseModels"
    )
    created = v2.create_route_response(**echo, RouteResponseKey="$default")
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find Model by name Reply"):
        v2.update_route_response(
            **echo, RouteResponseId=created["RouteResponseId"], ResponseModels={"$default": "Reply"}
        )
    add_model(v2, echo["ApiId"], "Reply")
    updated = v2.update_route_response(
        **echo, RouteResponseId=created["RouteResponseId"], ResponseModels={"$default": "Reply"}
    )
    assert updated["ResponseModels"] == {"$default": "Reply"}


def test_update_changes_only_what_is_sent(v2: Any, echo: dict[str, Any]) -> None:
    created = v2.create_route_response(**echo, RouteResponseKey="$default", ModelSelectionExpression="$default")
    updated = v2.update_route_response(
        **echo, RouteResponseId=created["RouteResponseId"], ResponseParameters={"route.response.header.a": {}}
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert updated["ModelSelectionExpression"] == "$default"
    assert updated["ResponseParameters"] == {"route.response.header.a": {}}
    assert updated["RouteResponseKey"] == "$default"


def test_unknown_api_route_and_route_response(v2: Any, ws_api: dict[str, Any], echo: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.create_route_response(ApiId="nope", RouteId=echo["RouteId"], RouteResponseKey="$default")
    for call, extra in (
        (v2.create_route_response, {"RouteResponseKey": "$default"}),
        (v2.get_route_responses, {}),
        (v2.get_route_response, {"RouteResponseId": "abcdef"}),
        (v2.delete_route_response, {"RouteResponseId": "abcdef"}),
    ):
        with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Route identifier specified abc1234"):
            call(ApiId=ws_api["ApiId"], RouteId="abc1234", **extra)
    for call in (v2.get_route_response, v2.update_route_response, v2.delete_route_response):
        with pytest.raises(v2.exceptions.NotFoundException) as info:
            call(**echo, RouteResponseId="abcdef")
        assert info.value.response["Error"]["Message"] == "Invalid RouteResponse identifier specified abcdef"


def test_delete(v2: Any, echo: dict[str, Any]) -> None:
    created = v2.create_route_response(**echo, RouteResponseKey="$default")
    deleted = v2.delete_route_response(**echo, RouteResponseId=created["RouteResponseId"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert v2.get_route_responses(**echo)["Items"] == []
    # The key is free again.
    v2.create_route_response(**echo, RouteResponseKey="$default")


def test_deleted_with_their_route(v2: Any, echo: dict[str, Any]) -> None:
    v2.create_route_response(**echo, RouteResponseKey="$default")
    v2.delete_route(**echo)
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Route identifier"):
        v2.get_route_responses(**echo)
    # A new route with the same key starts without one.
    again = v2.create_route(ApiId=echo["ApiId"], RouteKey="echo")
    assert v2.get_route_responses(ApiId=echo["ApiId"], RouteId=again["RouteId"])["Items"] == []


def test_get_route_responses_pages(v2: Any, ws_api: dict[str, Any]) -> None:
    routes = [v2.create_route(ApiId=ws_api["ApiId"], RouteKey=f"r{i}")["RouteId"] for i in range(2)]
    for route_id in routes:
        v2.create_route_response(ApiId=ws_api["ApiId"], RouteId=route_id, RouteResponseKey="$default")
    page = v2.get_route_responses(ApiId=ws_api["ApiId"], RouteId=routes[0], MaxResults="1")
    assert len(page["Items"]) == 1 and "NextToken" not in page
    pages = list(
        v2.get_paginator("get_route_responses").paginate(
            ApiId=ws_api["ApiId"], RouteId=routes[1], PaginationConfig={"PageSize": 1}
        )
    )
    assert [len(p["Items"]) for p in pages] == [1]
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_route_responses(ApiId=ws_api["ApiId"], RouteId=routes[0], NextToken="bad!")


def test_each_change_notifies_the_api(
    apigw: MockApiGateway, v2: Any, echo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    monkeypatch.setattr(deployments, "after_change", lambda store, api: seen.append(api.api_id))
    created = v2.create_route_response(**echo, RouteResponseKey="$default")
    v2.update_route_response(**echo, RouteResponseId=created["RouteResponseId"], ModelSelectionExpression="$default")
    v2.get_route_response(**echo, RouteResponseId=created["RouteResponseId"])
    v2.get_route_responses(**echo)
    with pytest.raises(v2.exceptions.ConflictException):
        v2.create_route_response(**echo, RouteResponseKey="$default")
    v2.delete_route_response(**echo, RouteResponseId=created["RouteResponseId"])
    assert seen == [echo["ApiId"]] * 3
