"""Integration responses of WebSocket integrations (CreateIntegrationResponse ... DeleteIntegrationResponse)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..core.collection import Collection
from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException
from .records import new_id, page_of, pick
from .resources import INTEGRATION_RESPONSE_UPDATABLE as _UPDATABLE
from .resources import Api, Integration, IntegrationResponse
from .store import Operation, Store

_MAPS = ("ResponseParameters", "ResponseTemplates")
_SCALARS = tuple(name for name in _UPDATABLE if name not in _MAPS)
# The model: a mapping key "must match the pattern of method.response.header.{name}".
_RESPONSE_PARAMETER_KEY = re.compile(r"method\.response\.header\.[^\s.]+")


def merge_maps(old: Mapping[str, Any] | None, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply an Update*'s map member: keys are set one by one, and an empty value removes its key.

    Terraform unsets a mapping by sending it with ``""`` (``{}`` for a status code of ResponseParameters), so
    the service merges these maps rather than replacing them.
    """
    merged = dict(old or {})
    for key, value in changes.items():
        if value in ("", {}):
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def _check_key(key: str) -> None:
    """``$default`` or a ``/regex/`` that compiles (DG: websocket integration responses)."""
    if key == "$default":
        return
    if len(key) >= 3 and key.startswith("/") and key.endswith("/"):
        try:
            re.compile(key[1:-1])
        except re.error as exc:
            raise BadRequestException(
                f"The provided integration response key is not a valid regular expression: {key} ({exc})"
            ) from None
        return
    raise BadRequestException(
        f"The provided integration response key is not formatted properly: {key}. "
        "Use $default or a regular expression between slashes, like /2\\d\\d/."
    )


def _check_response_parameters(parameters: Mapping[str, str] | None) -> None:
    for name in parameters or {}:
        if not _RESPONSE_PARAMETER_KEY.fullmatch(name):
            raise BadRequestException(
                f"Invalid response parameter key specified: {name}. Keys must be method.response.header.{{name}}."
            )


def _websocket_integration(store: Store, params: Mapping[str, Any]) -> tuple[Api, Integration]:
    """The API and integration named in *params*.

    Integration responses are for WebSocket APIs; HTTP APIs accept and keep them too, as no rejection by AWS is
    known (aws-behaviour.md §9.3).
    """
    api = lookup.api(store, params["ApiId"])
    return api, lookup.integration(api, params["IntegrationId"])


def _integration_response(store: Store, params: Mapping[str, Any]) -> tuple[Api, Integration, IntegrationResponse]:
    api, integration = _websocket_integration(store, params)
    return api, integration, lookup.integration_response(integration, params["IntegrationResponseId"])


def create_integration_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api, integration = _websocket_integration(store, params)
    key = params["IntegrationResponseKey"]
    _check_key(key)
    _check_unique(integration.responses, key)
    _check_response_parameters(params.get("ResponseParameters"))
    response_id = new_id(integration.responses, 6)
    response = IntegrationResponse({**pick(params, _UPDATABLE), "IntegrationResponseId": response_id})
    integration.responses.add(response_id, response)
    deployments.after_change(store, api)
    return response.describe()


def get_integration_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return _integration_response(store, params)[2].describe()


def get_integration_responses(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    integration = _websocket_integration(store, params)[1]
    return page_of(integration.responses, params)


def update_integration_response(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api, integration, response = _integration_response(store, params)
    key = params.get("IntegrationResponseKey")
    if key is not None and key != response.key:
        _check_key(key)
        _check_unique(integration.responses, key)
    _check_response_parameters(params.get("ResponseParameters"))
    response.apply(params, _SCALARS)
    for member in _MAPS:
        if member in params:
            # The same map semantics as UpdateIntegration: set key by key, "" removes a key.
            merged = merge_maps(response.get(member), params[member])
            if merged:
                response.fields[member] = merged
            else:
                response.fields.pop(member, None)
    deployments.after_change(store, api)
    return response.describe()


def delete_integration_response(store: Store, params: dict[str, Any]) -> None:
    api, integration, response = _integration_response(store, params)
    integration.responses.remove(response["IntegrationResponseId"])
    deployments.after_change(store, api)


def _check_unique(responses: Collection[IntegrationResponse], key: str) -> None:
    if any(response.key == key for response in responses):
        raise ConflictException(f"Integration response with key {key} already exists for this integration")


OPERATIONS: dict[str, Operation] = {
    "CreateIntegrationResponse": create_integration_response,
    "DeleteIntegrationResponse": delete_integration_response,
    "GetIntegrationResponse": get_integration_response,
    "GetIntegrationResponses": get_integration_responses,
    "UpdateIntegrationResponse": update_integration_response,
}
