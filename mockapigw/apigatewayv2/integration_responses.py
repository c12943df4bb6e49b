"""Integration responses of WebSocket integrations (CreateIntegrationResponse ... DeleteIntegrationResponse)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..core.collection import Collection
from .exceptions import BadRequestException, ConflictException
from .part import BackendPart
from .records import Record, new_id, not_found, page_of, pick

if TYPE_CHECKING:
    from .apis import Api
    from .integrations import Integration

_UPDATABLE = (
    "ContentHandlingStrategy",
    "IntegrationResponseKey",
    "ResponseParameters",
    "ResponseTemplates",
    "TemplateSelectionExpression",
)
_MAPS = ("ResponseParameters", "ResponseTemplates")
_SCALARS = tuple(name for name in _UPDATABLE if name not in _MAPS)
_DESCRIBED = ("IntegrationResponseId", *_UPDATABLE)
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


class IntegrationResponse(Record):
    """One integration response of a WebSocket integration."""

    @property
    def key(self) -> str:
        """The IntegrationResponseKey (``$default`` or ``/regex/``)."""
        return str(self.fields["IntegrationResponseKey"])

    def describe(self) -> dict[str, Any]:
        """The IntegrationResponse output members."""
        return pick(self.fields, _DESCRIBED)


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


class IntegrationResponseOperations(BackendPart):
    """The IntegrationResponse operations of the backend (a mixin of :class:`IntegrationOperations`)."""

    def _websocket_integration(self, params: Mapping[str, Any]) -> tuple[Api, Integration]:
        """The API and integration named in *params*.

        Integration responses are for WebSocket APIs; HTTP APIs accept and keep them too, as no rejection by AWS is
        known (aws-facts §9.3).
        """
        api = self.api(params["ApiId"])
        integration = api.integrations.get(params["IntegrationId"])
        if integration is None:
            raise not_found("Integration", params["IntegrationId"])
        return api, integration

    def _integration_response(self, params: Mapping[str, Any]) -> tuple[Api, Integration, IntegrationResponse]:
        api, integration = self._websocket_integration(params)
        response = integration.responses.get(params["IntegrationResponseId"])
        if response is None:
            raise not_found("IntegrationResponse", params["IntegrationResponseId"])
        return api, integration, response

    def create_integration_response(self, params: dict[str, Any]) -> dict[str, Any]:
        api, integration = self._websocket_integration(params)
        key = params["IntegrationResponseKey"]
        _check_key(key)
        _check_unique(integration.responses, key)
        _check_response_parameters(params.get("ResponseParameters"))
        response_id = new_id(integration.responses, 6)
        response = IntegrationResponse({**pick(params, _UPDATABLE), "IntegrationResponseId": response_id})
        integration.responses.add(response_id, response)
        self.api_changed(api)
        return response.describe()

    def get_integration_response(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._integration_response(params)[2].describe()

    def get_integration_responses(self, params: dict[str, Any]) -> dict[str, Any]:
        integration = self._websocket_integration(params)[1]
        return page_of(integration.responses, params)

    def update_integration_response(self, params: dict[str, Any]) -> dict[str, Any]:
        api, integration, response = self._integration_response(params)
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
        self.api_changed(api)
        return response.describe()

    def delete_integration_response(self, params: dict[str, Any]) -> None:
        api, integration, response = self._integration_response(params)
        integration.responses.remove(response["IntegrationResponseId"])
        self.api_changed(api)


def _check_unique(responses: Collection[IntegrationResponse], key: str) -> None:
    if any(response.key == key for response in responses):
        raise ConflictException(f"Integration response with key {key} already exists for this integration")
