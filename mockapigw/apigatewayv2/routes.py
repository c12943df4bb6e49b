"""Routes: CreateRoute, GetRoute, GetRoutes, UpdateRoute, DeleteRoute, DeleteRouteRequestParameter."""

from __future__ import annotations

import re
import weakref
from typing import Any

from ..core.collection import Collection
from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .records import (
    HTTP,
    WEBSOCKET,
    change_count,
    check_quota,
    drop_other_protocol,
    new_id,
    not_found,
    page_of,
    pick,
    refuse_managed,
)
from .resources import Api, Route
from .route_responses import check_model_names
from .store import Operation, Store

ROUTE_QUOTA = 300  # routes per API, HTTP and WebSocket alike (aws-behaviour.md §4)
DEFAULT_ROUTE_KEY = "$default"
CONNECT_ROUTE_KEY = "$connect"
WEBSOCKET_PREDEFINED_KEYS = (CONNECT_ROUTE_KEY, "$disconnect", DEFAULT_ROUTE_KEY)
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")

# Members the model documents as "Supported only for WebSocket APIs": accepted and ignored on HTTP APIs (no
# rejection by AWS is known, aws-behaviour.md §9.3).
_WEBSOCKET_ONLY = (
    "ApiKeyRequired",
    "ModelSelectionExpression",
    "RequestModels",
    "RequestParameters",
    "RouteResponseSelectionExpression",
)
_UPDATABLE = (
    "ApiKeyRequired",
    "AuthorizationScopes",
    "AuthorizationType",
    "AuthorizerId",
    "ModelSelectionExpression",
    "OperationName",
    "RequestModels",
    "RequestParameters",
    "RouteKey",
    "RouteResponseSelectionExpression",
    "Target",
)
# An empty string removes these members (Terraform sends "" to unset them; the model sets no minimum length).
_CLEARABLE = ("AuthorizerId", "ModelSelectionExpression", "OperationName", "RouteResponseSelectionExpression", "Target")
# Scopes per route (HTTP API quotas, aws-behaviour.md §4 and §9.10).
MAX_AUTHORIZATION_SCOPES = 10
_DEFAULTS = {"ApiKeyRequired": False, "AuthorizationType": "NONE"}
_AUTHORIZATION_TYPES = {WEBSOCKET: ("NONE", "AWS_IAM", "CUSTOM"), HTTP: ("NONE", "AWS_IAM", "CUSTOM", "JWT")}
# The AuthorizerType an authorizer must have to serve a route's AuthorizationType.
_AUTHORIZER_TYPES = {"CUSTOM": "REQUEST", "JWT": "JWT"}
_TARGET = re.compile(r"integrations/([^/]+)")
_PATH_VARIABLE = re.compile(r"\{([\w.-]+)(\+?)\}")
_BAD_KEY = "The provided route key is not formatted properly"
_BAD_PATH = "One or more path parts appear to be invalid"


# Route keys per routes collection, so that CreateRoute's uniqueness check does not grow with the API. An entry
# is valid while its stamp (the collection's adds and removes, every record change) is current; CreateRoute
# keeps it current for the route it adds itself.
_KEY_INDEXES: weakref.WeakKeyDictionary[Collection[Any], tuple[tuple[int, int], dict[str, Route]]] = (
    weakref.WeakKeyDictionary()
)


def _key_index(api: Api) -> dict[str, Route]:
    stamp = (api.routes.generation, change_count())
    cached = _KEY_INDEXES.get(api.routes)
    if cached is None or cached[0] != stamp:
        cached = (stamp, {str(route.get("RouteKey")): route for route in api.routes.values()})
        _KEY_INDEXES[api.routes] = cached
    return cached[1]


def _indexed(api: Api, route: Route) -> None:
    """Add the route just created to the key index (which was current just before)."""
    index = _key_index_if_current(api, api.routes.generation - 1)
    if index is not None:
        index[route.route_key] = route
        _KEY_INDEXES[api.routes] = ((api.routes.generation, change_count()), index)


def _key_index_if_current(api: Api, generation: int) -> dict[str, Route] | None:
    cached = _KEY_INDEXES.get(api.routes)
    return cached[1] if cached is not None and cached[0] == (generation, change_count()) else None


def _key_taken(api: Api, key: str, route: Route | None) -> bool:
    """Whether another route of *api* has *key*."""
    other = _key_index(api).get(key)
    return other is not None and other is not route


def check_route_key(protocol: str, key: str) -> None:
    """Raise AWS's ``BadRequestException`` unless *key* is a valid route key for *protocol*."""
    if not key:
        raise BadRequestException("Route key is required")
    if protocol == WEBSOCKET:
        if key.startswith("$") and key not in WEBSOCKET_PREDEFINED_KEYS:
            raise BadRequestException(_BAD_KEY)
        return
    if key == DEFAULT_ROUTE_KEY:
        return
    method, _, path = key.partition(" ")
    if method not in HTTP_METHODS or not path.startswith("/") or any(char.isspace() for char in path):
        raise BadRequestException(_BAD_KEY)
    if path == "/":
        return
    parts = path[1:].split("/")
    variables: set[str] = set()
    for index, part in enumerate(parts):
        if part and "{" not in part and "}" not in part:
            continue
        match = _PATH_VARIABLE.fullmatch(part)
        # Variables are whole segments, named once; the greedy {name+} only ends the path.
        if match is None or (match.group(2) and index != len(parts) - 1) or match.group(1) in variables:
            raise BadRequestException(_BAD_PATH)
        variables.add(match.group(1))


def _settled(api: Api, params: dict[str, Any], route: Route | None) -> dict[str, Any]:
    """The members of *route* (a new one when ``None``) with *params* applied, checked against *api*."""
    params = drop_other_protocol(api.protocol, params, websocket_only=_WEBSOCKET_ONLY)
    fields = {**(route.fields if route else _DEFAULTS), **pick(params, _UPDATABLE)}
    for name in _CLEARABLE:
        if fields.get(name) == "":
            del fields[name]

    key = fields["RouteKey"]
    check_route_key(api.protocol, key)
    if route is not None and key != route.route_key:
        refuse_managed(route, f"route {route.route_id}", "change the route key of")
    if _key_taken(api, key, route):
        raise ConflictException(f"Route with key {key} already exists for this API")

    if "Target" in fields:
        match = _TARGET.fullmatch(fields["Target"])
        if match is None:
            raise BadRequestException(
                f"Invalid target {fields['Target']!r}: a route's target must be integrations/{{IntegrationId}}"
            )
        if match.group(1) not in api.integrations:
            raise not_found("Integration", match.group(1))

    _check_authorization(api, fields, params)
    selection = fields.get("RouteResponseSelectionExpression")
    if selection is not None and selection != DEFAULT_ROUTE_KEY:
        raise BadRequestException(
            f"Unsupported RouteResponseSelectionExpression: {selection!r}. Only $default is supported."
        )
    check_model_names(api, params.get("RequestModels"), "RequestModels")
    return fields


def create_route(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    check_quota(api.routes, ROUTE_QUOTA, "routes")
    route_id = new_id(api.routes, 7)
    route = Route({**_settled(api, params, None), "RouteId": route_id})
    api.routes.add(route_id, route)
    _indexed(api, route)
    deployments.after_change(store, api)
    return route.describe()


def get_route(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.route(lookup.api(store, params["ApiId"]), params["RouteId"]).describe()


def get_routes(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.routes, params)


def update_route(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    route = lookup.route(api, params["RouteId"])
    route.fields = _settled(api, params, route)
    deployments.after_change(store, api)
    return route.describe()


def delete_route(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    route = lookup.route(api, params["RouteId"])
    refuse_managed(route, f"route {route.route_id}")
    api.routes.remove(route.route_id)
    deployments.after_change(store, api)


def delete_route_request_parameter(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    route = lookup.route(api, params["RouteId"])
    key = params["RequestParameterKey"]
    parameters = route.fields.get("RequestParameters") or {}
    if key not in parameters:
        raise NotFoundException(f"Unable to find request parameter {key} of route {route.route_id}")
    route.fields["RequestParameters"] = {name: value for name, value in parameters.items() if name != key}
    deployments.after_change(store, api)


def _check_authorization(api: Api, fields: dict[str, Any], params: dict[str, Any]) -> None:
    """Check the route's authorization members; drop those its AuthorizationType does not use."""
    kind = fields["AuthorizationType"]
    if kind not in _AUTHORIZATION_TYPES[api.protocol]:
        raise BadRequestException(
            f"AuthorizationType {kind} is not supported for {api.protocol} APIs. "
            f"Supported values are {', '.join(_AUTHORIZATION_TYPES[api.protocol])}."
        )
    if api.protocol == WEBSOCKET and kind != "NONE" and fields["RouteKey"] != CONNECT_ROUTE_KEY:
        raise BadRequestException(
            f"AuthorizationType {kind} is supported only on the $connect route of a WebSocket API."
        )

    wanted = _AUTHORIZER_TYPES.get(kind)
    if wanted is None:
        if params.get("AuthorizerId"):
            raise BadRequestException(f"AuthorizerId cannot be set on a route with AuthorizationType {kind}.")
        fields.pop("AuthorizerId", None)
    else:
        authorizer_id = fields.get("AuthorizerId")
        if not authorizer_id:
            raise BadRequestException(f"AuthorizerId is required for AuthorizationType {kind}.")
        authorizer = api.authorizers.get(authorizer_id)
        if authorizer is None:
            raise not_found("Authorizer", authorizer_id)
        if authorizer.get("AuthorizerType") != wanted:
            raise BadRequestException(
                f"AuthorizationType {kind} needs an authorizer of type {wanted}; "
                f"authorizer {authorizer_id} is of type {authorizer.get('AuthorizerType')}."
            )

    scopes = fields.get("AuthorizationScopes") or []
    if len(scopes) > MAX_AUTHORIZATION_SCOPES:
        raise BadRequestException(
            f"A route can have at most {MAX_AUTHORIZATION_SCOPES} authorization scopes, got {len(scopes)}."
        )
    if kind != "JWT":
        if params.get("AuthorizationScopes"):
            raise BadRequestException(
                f"AuthorizationScopes are supported only with AuthorizationType JWT, not with {kind}."
            )
        fields.pop("AuthorizationScopes", None)


OPERATIONS: dict[str, Operation] = {
    "CreateRoute": create_route,
    "DeleteRoute": delete_route,
    "DeleteRouteRequestParameter": delete_route_request_parameter,
    "GetRoute": get_route,
    "GetRoutes": get_routes,
    "UpdateRoute": update_route,
}
