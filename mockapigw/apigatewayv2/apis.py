"""Apis: CreateApi, GetApi, GetApis, UpdateApi, DeleteApi."""

from __future__ import annotations

import re
from typing import Any

from ..core import clock
from . import deployments, integrations, lookup, routes, stages
from .api_mappings import mappings_to
from .exceptions import BadRequestException, ConflictException
from .records import HTTP, WEBSOCKET, drop_other_protocol, new_id, page_of, pick
from .resources import Api
from .store import Operation, Store
from .tags import check_tags

HTTP_ROUTE_SELECTION = "$request.method $request.path"
_HTTP_ROUTE_SELECTION_FORMS = (HTTP_ROUTE_SELECTION, "${request.method} ${request.path}")
DEFAULT_API_KEY_SELECTION = "$request.header.x-api-key"
_API_KEY_SELECTIONS = (DEFAULT_API_KEY_SELECTION, "$context.authorizer.usageIdentifierKey")

# Members the model documents as "Supported only for HTTP APIs" / "... WebSocket APIs": accepted and ignored on
# the other protocol. ApiKeySelectionExpression is not among them: AWS returns it for HTTP APIs too (§9.3).
_HTTP_ONLY = ("CorsConfiguration", "Target", "RouteKey", "CredentialsArn")
_WEBSOCKET_ONLY = ("DisableSchemaValidation",)
# An empty string removes these members (Terraform's real-AWS tests send Version="", aws-behaviour.md §9.4).
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


def _quick_integration(params: dict[str, Any]) -> dict[str, Any]:
    """The integration quick create makes for a Target: Lambda proxy 2.0 or HTTP proxy (aws-behaviour.md §3.1)."""
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


def check_cors(cors: dict[str, Any] | None) -> None:
    """Refuse a CORS configuration AWS refuses: credentials allowed for every origin (``*``)."""
    if not cors or not cors.get("AllowCredentials"):
        return
    origins = list(cors.get("AllowOrigins") or [])
    # AWS's answer to AllowOrigins ["*"] with AllowCredentials true (aws/aws-cdk#9076: "Status Code: 400; Error
    # Code: BadRequestException"). Only the all-"*" list is known to be refused; a "*" among named origins is
    # accepted, since AWS's answer to it is not known (docs/resources/apis.md#cors-configuration).
    if origins and all(origin == "*" for origin in origins):
        raise BadRequestException("allow-credentials is not supported if 'allow-origin' is *")


def _merged_cors(api: Api, changes: dict[str, Any]) -> dict[str, Any]:
    """The CORS configuration after UpdateApi: the members sent replace those set, the others stay.

    As in the AWS CLI's update-api example (only AllowOrigins sent, AllowHeaders and AllowMethods kept) and a
    deploy that failed on AWS because the live AllowCredentials stayed true (docs/resources/apis.md).
    """
    current = api.fields.get("CorsConfiguration") or {}
    return {**current, **changes}


def create_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    protocol = params["ProtocolType"]
    params = _own_members(protocol, params)
    check_tags(params.get("Tags") or {})
    check_cors(params.get("CorsConfiguration"))
    if "Target" not in params and ("RouteKey" in params or "CredentialsArn" in params):
        raise BadRequestException("RouteKey and CredentialsArn are supported only with Target (quick create).")
    api_id = new_id(store.apis, 10)
    scheme = "https" if protocol == HTTP else "wss"
    api = Api(
        {
            **{k: v for k, v in pick(params, _UPDATABLE).items() if not (k in _CLEARABLE and v == "")},
            "ApiId": api_id,
            "ProtocolType": protocol,
            "ApiEndpoint": f"{scheme}://{api_id}.execute-api.{store.region}.amazonaws.com",
            "RouteSelectionExpression": _route_selection(protocol, params.get("RouteSelectionExpression")),
            "ApiKeySelectionExpression": _api_key_selection(params.get("ApiKeySelectionExpression")),
            "DisableExecuteApiEndpoint": params.get("DisableExecuteApiEndpoint", False),
            "IpAddressType": params.get("IpAddressType", "ipv4"),
            "CreatedDate": clock.now(),
            "Tags": dict(params.get("Tags") or {}),
        },
        store.lock,
    )
    store.apis.add(api_id, api)
    if "Target" in params:
        try:
            _quick_create(store, api, params)
        except Exception:
            store.apis.remove(api_id)  # a failed quick create leaves no half-made API behind
            raise
    return api.describe()


def _quick_create(store: Store, api: Api, params: dict[str, Any]) -> None:
    """Quick create: a managed integration, route and auto-deploying ``$default`` stage (aws-behaviour.md §3.1).

    The stage comes last, so creating it deploys the integration and route at once.
    """
    integration = integrations.create_integration(store, {"ApiId": api.api_id, **_quick_integration(params)})
    route = routes.create_route(
        store,
        {
            "ApiId": api.api_id,
            "RouteKey": params.get("RouteKey", "$default"),
            "Target": f"integrations/{integration['IntegrationId']}",
        },
    )
    stages.create_stage(store, {"ApiId": api.api_id, "StageName": "$default", "AutoDeploy": True})
    for record in (
        api.integrations.get(integration["IntegrationId"]),
        api.routes.get(route["RouteId"]),
        api.stages.get("$default"),
    ):
        assert record is not None
        record.fields["ApiGatewayManaged"] = True


def _update_quick_create(store: Store, api: Api, params: dict[str, Any]) -> None:
    """UpdateApi's Target/RouteKey/CredentialsArn replace the quick-create integration and route key."""
    managed_route = next((r for r in api.routes if r.managed), None)
    if managed_route is None:
        raise BadRequestException("Target, RouteKey and CredentialsArn can be updated only on a quick-created API.")
    integration_id = str(managed_route.fields["Target"]).removeprefix("integrations/")
    if "RouteKey" in params:  # checked before anything changes, so a refused update changes nothing
        key = params["RouteKey"]
        routes.check_route_key(api.protocol, key)
        if any(r.fields["RouteKey"] == key and r is not managed_route for r in api.routes):
            raise ConflictException(f"Route with key {key} already exists for this API")
    if "Target" in params or "CredentialsArn" in params:
        current = api.integrations.get(integration_id)
        assert current is not None
        merged = {"Target": params.get("Target", current.fields["IntegrationUri"])}
        if "CredentialsArn" in params:
            merged["CredentialsArn"] = params["CredentialsArn"]
        changes = _quick_integration(merged)
        integrations.update_integration(store, {"ApiId": api.api_id, "IntegrationId": integration_id, **changes})
    if "RouteKey" in params:
        managed_route.fields["RouteKey"] = params["RouteKey"]


def get_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.api(store, params["ApiId"]).describe()


def get_apis(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return page_of(store.apis, params)


def update_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    params = _own_members(api.protocol, params)
    if "RouteSelectionExpression" in params:
        params["RouteSelectionExpression"] = _route_selection(api.protocol, params["RouteSelectionExpression"])
    if "ApiKeySelectionExpression" in params:
        params["ApiKeySelectionExpression"] = _api_key_selection(params["ApiKeySelectionExpression"])
    if "CorsConfiguration" in params:
        params["CorsConfiguration"] = _merged_cors(api, params["CorsConfiguration"])
        check_cors(params["CorsConfiguration"])
    if any(name in params for name in _QUICK_CREATE):
        _update_quick_create(store, api, params)
    api.apply(params, _UPDATABLE)
    for name in _CLEARABLE:
        if api.fields.get(name) == "":
            del api.fields[name]
    deployments.after_change(store, api)
    return api.describe()


def delete_cors_configuration(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    # A WebSocket API has no CORS configuration to delete; AWS is not known to refuse the call.
    if api.fields.pop("CorsConfiguration", None) is not None:
        deployments.after_change(store, api)


def delete_api(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    if mappings_to(store, api.api_id):
        # AWS refuses, with this text, until the mappings are deleted (gruntwork-io/cloud-nuke #370 and #871).
        raise BadRequestException(
            f"Deleting API {api.api_id} failed. Please remove all API mappings for the API from your custom domain "
            "names."
        )
    store.apis.remove(api.api_id)


OPERATIONS: dict[str, Operation] = {
    "CreateApi": create_api,
    "DeleteApi": delete_api,
    "DeleteCorsConfiguration": delete_cors_configuration,
    "GetApi": get_api,
    "GetApis": get_apis,
    "UpdateApi": update_api,
}
