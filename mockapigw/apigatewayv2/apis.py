"""Apis: CreateApi, GetApi, GetApis, UpdateApi, DeleteApi."""

from __future__ import annotations

from typing import Any

from typing import TYPE_CHECKING

from ..core import clock
from ..core.collection import Collection
from .exceptions import BadRequestException, NotFoundException
from .records import HTTP, WEBSOCKET, Record, new_id, pick, reject_other_protocol

if TYPE_CHECKING:
    from .authorizers import Authorizer
    from .integrations import Integration
    from .models import Model
    from .routes import Route
    from .stages import Deployment, Stage
HTTP_ROUTE_SELECTION = "$request.method $request.path"
_HTTP_ROUTE_SELECTION_FORMS = (HTTP_ROUTE_SELECTION, "${request.method} ${request.path}")
DEFAULT_API_KEY_SELECTION = "$request.header.x-api-key"
_API_KEY_SELECTIONS = (DEFAULT_API_KEY_SELECTION, "$context.authorizer.usageIdentifierKey")

# Members the model documents as "Supported only for HTTP APIs" / "... WebSocket APIs".
_HTTP_ONLY = ("CorsConfiguration", "Target", "RouteKey", "CredentialsArn")
_WEBSOCKET_ONLY = ("ApiKeySelectionExpression", "DisableSchemaValidation")
_UPDATABLE = (
    "ApiKeySelectionExpression",
    "CorsConfiguration",
    "Description",
    "DisableSchemaValidation",
    "DisableExecuteApiEndpoint",
    "IpAddressType",
    "Name",
    "RouteSelectionExpression",
    "Version",
)
_DESCRIBED = (
    "ApiEndpoint",
    "ApiGatewayManaged",
    "ApiId",
    "ApiKeySelectionExpression",
    "CorsConfiguration",
    "CreatedDate",
    "Description",
    "DisableSchemaValidation",
    "DisableExecuteApiEndpoint",
    "ImportInfo",
    "IpAddressType",
    "Name",
    "ProtocolType",
    "RouteSelectionExpression",
    "Tags",
    "Version",
    "Warnings",
)


class Api(Record):
    """An HTTP or WebSocket API; its sub-resources hang off it."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.routes: Collection[Route] = Collection()
        self.integrations: Collection[Integration] = Collection()
        self.stages: Collection[Stage] = Collection()
        self.deployments: Collection[Deployment] = Collection()
        self.authorizers: Collection[Authorizer] = Collection()
        self.models: Collection[Model] = Collection()

    @property
    def api_id(self) -> str:
        """The API's id."""
        return str(self.fields["ApiId"])

    @property
    def protocol(self) -> str:
        """``HTTP`` or ``WEBSOCKET``."""
        return str(self.fields["ProtocolType"])

    def describe(self) -> dict[str, Any]:
        """The Api output members (Tags always present, as AWS returns ``{}``)."""
        out = pick(self.fields, _DESCRIBED)
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out


def _check_protocol_members(protocol: str, params: dict[str, Any]) -> None:
    reject_other_protocol(protocol, params, http_only=_HTTP_ONLY, websocket_only=_WEBSOCKET_ONLY)


def _route_selection(protocol: str, value: str | None) -> str:
    if protocol == WEBSOCKET:
        if not value:
            raise BadRequestException("RouteSelectionExpression is required for WebSocket APIs.")
        return value
    if value is None or value in _HTTP_ROUTE_SELECTION_FORMS:
        return HTTP_ROUTE_SELECTION
    raise BadRequestException(
        f"Unsupported RouteSelectionExpression for an HTTP API: {value!r}. "
        "HTTP APIs only support ${request.method} ${request.path}."
    )


def _api_key_selection(value: str | None) -> str:
    if value is None:
        return DEFAULT_API_KEY_SELECTION
    if value not in _API_KEY_SELECTIONS:
        raise BadRequestException(
            f"Unsupported ApiKeySelectionExpression: {value!r}. "
            f"Supported values are {', '.join(_API_KEY_SELECTIONS)}."
        )
    return value


class ApiOperations:
    """The Api operations of the backend."""

    account_id: str
    region: str
    apis: Collection[Api]

    def api_changed(self, api: Api) -> None:
        """Called after every change to an API's configuration (auto-deploy hangs off it)."""
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def api_deleted(self, api: Api) -> None:
        """Called after an API is deleted (API mappings to it go with it)."""
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def api(self, api_id: str) -> Api:
        """The API with *api_id*, or AWS's ``NotFoundException``."""
        api = self.apis.get(api_id)
        if api is None:
            raise NotFoundException(f"Invalid API identifier specified {self.account_id}:{api_id}")
        return api

    def create_api(self, params: dict[str, Any]) -> dict[str, Any]:
        protocol = params["ProtocolType"]
        _check_protocol_members(protocol, params)
        api_id = new_id(self.apis, 10)
        scheme = "https" if protocol == HTTP else "wss"
        api = Api(
            {
                **pick(params, _UPDATABLE),
                "ApiId": api_id,
                "ProtocolType": protocol,
                "ApiEndpoint": f"{scheme}://{api_id}.execute-api.{self.region}.amazonaws.com",
                "RouteSelectionExpression": _route_selection(protocol, params.get("RouteSelectionExpression")),
                "ApiKeySelectionExpression": _api_key_selection(params.get("ApiKeySelectionExpression")),
                "DisableExecuteApiEndpoint": params.get("DisableExecuteApiEndpoint", False),
                "IpAddressType": params.get("IpAddressType", "ipv4"),
                "CreatedDate": clock.now(),
                "Tags": dict(params.get("Tags") or {}),
            }
        )
        self.apis.add(api_id, api)
        return api.describe()

    def get_api(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.api(params["ApiId"]).describe()

    def get_apis(self, params: dict[str, Any]) -> dict[str, Any]:
        page, token = self.apis.page(params.get("MaxResults"), params.get("NextToken"))
        return {"Items": [api.describe() for api in page], "NextToken": token}

    def update_api(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        _check_protocol_members(api.protocol, params)
        if "RouteSelectionExpression" in params:
            params["RouteSelectionExpression"] = _route_selection(api.protocol, params["RouteSelectionExpression"])
        if "ApiKeySelectionExpression" in params:
            params["ApiKeySelectionExpression"] = _api_key_selection(params["ApiKeySelectionExpression"])
        api.apply(params, _UPDATABLE)
        self.api_changed(api)
        return api.describe()

    def delete_api(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        self.apis.remove(params["ApiId"])
        self.api_deleted(api)
