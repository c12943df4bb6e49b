"""Route responses of WebSocket routes: CreateRouteResponse ... DeleteRouteResponse; they live on their route.

WebSocket routes use them; HTTP APIs accept and keep them too, as no rejection by AWS is known (§9.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .records import new_id, page_of, pick
from .resources import Api, Route, RouteResponse
from .store import Operation, Store

# "You can only define the $default route response for WebSocket APIs" (aws-behaviour.md §3.3).
DEFAULT_ROUTE_RESPONSE_KEY = "$default"
_MEMBERS = ("ModelSelectionExpression", "ResponseModels", "ResponseParameters", "RouteResponseKey")


def check_model_names(api: Api, models: Mapping[str, str] | None, member: str) -> None:
    """Each value of *models* (content type -> model name) must name a model of *api*."""
    if not models:
        return
    known = {model.get("Name") for model in api.models}
    for name in models.values():
        if name not in known:
            raise NotFoundException(f"Unable to find Model by name {name} within the provided {member}")


def _check_key(key: str) -> None:
    if key != DEFAULT_ROUTE_RESPONSE_KEY:
        raise BadRequestException("You can only define the $default route response for WebSocket APIs")


def create_route_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    route = lookup.route(api, params["RouteId"])
    key = params["RouteResponseKey"]
    _check_key(key)
    if any(existing.get("RouteResponseKey") == key for existing in route.responses):
        raise ConflictException(f"Route response with key {key} already exists for this route")
    check_model_names(api, params.get("ResponseModels"), "ResponseModels")
    response_id = new_id(route.responses, 6)
    response = RouteResponse({**pick(params, _MEMBERS), "RouteResponseId": response_id})
    route.responses.add(response_id, response)
    deployments.after_change(store, api)
    return response.describe()


def get_route_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return _route_response(lookup.api(store, params["ApiId"]), params)[1].describe()


def _route_response(api: Api, params: dict[str, Any]) -> tuple[Route, RouteResponse]:
    route = lookup.route(api, params["RouteId"])
    return route, lookup.route_response(route, params["RouteResponseId"])


def get_route_responses(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    route = lookup.route(lookup.api(store, params["ApiId"]), params["RouteId"])
    return page_of(route.responses, params)


def update_route_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    _, response = _route_response(api, params)
    if "RouteResponseKey" in params:
        _check_key(params["RouteResponseKey"])
    check_model_names(api, params.get("ResponseModels"), "ResponseModels")
    response.apply(params, _MEMBERS)
    deployments.after_change(store, api)
    return response.describe()


def delete_route_response(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    route, response = _route_response(api, params)
    route.responses.remove(response.route_response_id)
    deployments.after_change(store, api)


OPERATIONS: dict[str, Operation] = {
    "CreateRouteResponse": create_route_response,
    "DeleteRouteResponse": delete_route_response,
    "GetRouteResponse": get_route_response,
    "GetRouteResponses": get_route_responses,
    "UpdateRouteResponse": update_route_response,
}
