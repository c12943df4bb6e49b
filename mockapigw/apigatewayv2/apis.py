"""Apis: CreateApi, GetApi, GetApis, UpdateApi, DeleteApi."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..core import clock
from ..core.collection import Collection
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .part import BackendPart
from .records import HTTP, WEBSOCKET, Record, drop_other_protocol, new_id, page_of, pick
from .tags import check_tags

if TYPE_CHECKING:
    from .authorizers import Authorizer, CacheReset
    from .integrations import Integration
    from .models import Model
    from .routes import Route
    from .stages import Deployment, Stage
HTTP_ROUTE_SELECTION = "$request.method $request.path"
_HTTP_ROUTE_SELECTION_FORMS = (HTTP_ROUTE_SELECTION, "${request.method} ${request.path}")
DEFAULT_API_KEY_SELECTION = "$request.header.x-api-key"
_API_KEY_SELECTIONS = (DEFAULT_API_KEY_SELECTION, "$context.authorizer.usageIdentifierKey")

# Members the model documents as "Supported only for HTTP APIs" / "... WebSocket APIs": accepted and ignored on
# the other protocol. ApiKeySelectionExpression is not among them: AWS returns it for HTTP APIs too (§9.3).
_HTTP_ONLY = ("CorsConfiguration", "Target", "RouteKey", "CredentialsArn")
_WEBSOCKET_ONLY = ("DisableSchemaValidation",)
# An empty string removes these members (Terraform's real-AWS tests send Version="", aws-facts §9.4).
_CLEARABLE = ("Description", "Version")
_QUICK_CREATE = ("Target", "RouteKey", "CredentialsArn")
_LAMBDA_ARN = re.compile(r"^arn:aws[a-z-]*:(lambda|apigateway):")
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
        self.stages: Collection[Stage] = Collection(versioned=False)  # not part of any deployment
        self.deployments: Collection[Deployment] = Collection(versioned=False)
        self.authorizers: Collection[Authorizer] = Collection()
        self.models: Collection[Model] = Collection()
        # Set while ReimportApi applies a document, so stages auto-deploy once, after it has all succeeded.
        self.importing = False
        # ResetAuthorizersCache per stage name: state the runtime's authorizer cache reads (not configuration, so
        # not in deployments); it goes with the Api when the API is deleted.
        self.authorizer_cache_resets: dict[str, CacheReset] = {}

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


def _quick_integration(params: dict[str, Any]) -> dict[str, Any]:
    """The integration quick create makes for a Target: Lambda proxy 2.0 or HTTP proxy (aws-facts §3.1)."""
    target = str(params["Target"])
    if _LAMBDA_ARN.match(target):
        integration = {
            "IntegrationType": "AWS_PROXY",
            "IntegrationUri": target,
            "IntegrationMethod": "POST",
            "PayloadFormatVersion": "2.0",
        }
    elif target.startswith(("http://", "https://")):
        integration = {
            "IntegrationType": "HTTP_PROXY",
            "IntegrationUri": target,
            "IntegrationMethod": "ANY",
            "PayloadFormatVersion": "1.0",
        }
    else:
        raise BadRequestException(f"Invalid Target {target!r}: use a Lambda function ARN or an HTTP(S) URL.")
    if params.get("CredentialsArn"):
        integration["CredentialsArn"] = params["CredentialsArn"]
    return integration


def _own_members(protocol: str, params: dict[str, Any]) -> dict[str, Any]:
    return drop_other_protocol(protocol, params, http_only=_HTTP_ONLY, websocket_only=_WEBSOCKET_ONLY)


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
            f"Unsupported ApiKeySelectionExpression: {value!r}. Supported values are {', '.join(_API_KEY_SELECTIONS)}."
        )
    return value


class ApiOperations(BackendPart):
    """The Api operations of the backend."""

    create_integration: Callable[[dict[str, Any]], dict[str, Any]]
    update_integration: Callable[[dict[str, Any]], dict[str, Any]]
    create_route: Callable[[dict[str, Any]], dict[str, Any]]
    create_stage: Callable[[dict[str, Any]], dict[str, Any]]

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
        params = _own_members(protocol, params)
        check_tags(params.get("Tags") or {})
        if "Target" not in params and ("RouteKey" in params or "CredentialsArn" in params):
            raise BadRequestException("RouteKey and CredentialsArn are supported only with Target (quick create).")
        api_id = new_id(self.apis, 10)
        scheme = "https" if protocol == HTTP else "wss"
        api = Api(
            {
                **{k: v for k, v in pick(params, _UPDATABLE).items() if not (k in _CLEARABLE and v == "")},
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
        if "Target" in params:
            try:
                self._quick_create(api, params)
            except Exception:
                self.apis.remove(api_id)  # a failed quick create leaves no half-made API behind
                raise
        return api.describe()

    def _quick_create(self, api: Api, params: dict[str, Any]) -> None:
        """Quick create: a managed integration, route and auto-deploying ``$default`` stage (aws-facts §3.1).

        The stage comes last, so creating it deploys the integration and route at once.
        """
        integration = self.create_integration({"ApiId": api.api_id, **_quick_integration(params)})
        route = self.create_route(
            {
                "ApiId": api.api_id,
                "RouteKey": params.get("RouteKey", "$default"),
                "Target": f"integrations/{integration['IntegrationId']}",
            }
        )
        self.create_stage({"ApiId": api.api_id, "StageName": "$default", "AutoDeploy": True})
        for record in (
            api.integrations.get(integration["IntegrationId"]),
            api.routes.get(route["RouteId"]),
            api.stages.get("$default"),
        ):
            assert record is not None
            record.fields["ApiGatewayManaged"] = True

    def _update_quick_create(self, api: Api, params: dict[str, Any]) -> None:
        """UpdateApi's Target/RouteKey/CredentialsArn replace the quick-create integration and route key."""
        managed_route = next((r for r in api.routes if r.managed), None)
        if managed_route is None:
            raise BadRequestException("Target, RouteKey and CredentialsArn can be updated only on a quick-created API.")
        integration_id = str(managed_route.fields["Target"]).removeprefix("integrations/")
        if "RouteKey" in params:  # checked before anything changes, so a refused update changes nothing
            from .routes import check_route_key  # routes.py imports this module: import when needed

            key = params["RouteKey"]
            check_route_key(api.protocol, key)
            if any(r.fields["RouteKey"] == key and r is not managed_route for r in api.routes):
                raise ConflictException(f"Route with key {key} already exists for this API")
        if "Target" in params or "CredentialsArn" in params:
            current = api.integrations.get(integration_id)
            assert current is not None
            merged = {"Target": params.get("Target", current.fields["IntegrationUri"])}
            if "CredentialsArn" in params:
                merged["CredentialsArn"] = params["CredentialsArn"]
            changes = _quick_integration(merged)
            self.update_integration({"ApiId": api.api_id, "IntegrationId": integration_id, **changes})
        if "RouteKey" in params:
            managed_route.fields["RouteKey"] = params["RouteKey"]

    def get_api(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.api(params["ApiId"]).describe()

    def get_apis(self, params: dict[str, Any]) -> dict[str, Any]:
        return page_of(self.apis, params)

    def update_api(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        params = _own_members(api.protocol, params)
        if "RouteSelectionExpression" in params:
            params["RouteSelectionExpression"] = _route_selection(api.protocol, params["RouteSelectionExpression"])
        if "ApiKeySelectionExpression" in params:
            params["ApiKeySelectionExpression"] = _api_key_selection(params["ApiKeySelectionExpression"])
        if any(name in params for name in _QUICK_CREATE):
            self._update_quick_create(api, params)
        api.apply(params, _UPDATABLE)
        for name in _CLEARABLE:
            if api.fields.get(name) == "":
                del api.fields[name]
        self.api_changed(api)
        return api.describe()

    def delete_cors_configuration(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        # A WebSocket API has no CORS configuration to delete; AWS is not known to refuse the call.
        if api.fields.pop("CorsConfiguration", None) is not None:
            self.api_changed(api)

    def delete_api(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        self.apis.remove(params["ApiId"])
        self.api_deleted(api)
