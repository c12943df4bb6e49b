"""Integrations: CreateIntegration, GetIntegration, GetIntegrations, UpdateIntegration, DeleteIntegration."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException
from .integration_responses import merge_maps
from .records import HTTP, WEBSOCKET, check_quota, drop_other_protocol, new_id, not_found, page_of, pick, refuse_managed
from .resources import INTEGRATION_UPDATABLE as _UPDATABLE
from .resources import Integration
from .store import Operation, Store

INTEGRATIONS_PER_API = 300  # aws-behaviour.md §4, both protocols

_PROXY_TYPES = ("AWS_PROXY", "HTTP_PROXY")
# Members the model documents as "Supported only for HTTP/WebSocket APIs": accepted and ignored on the other
# protocol, as AWS does with PassthroughBehavior on HTTP APIs (aws-behaviour.md §9.3). ConnectionId is not among them:
# WebSocket private integrations name a (REST API) VPC link with it.
_HTTP_ONLY = ("IntegrationSubtype", "ResponseParameters", "TlsConfig")
_WEBSOCKET_ONLY = ("ContentHandlingStrategy", "PassthroughBehavior", "RequestTemplates", "TemplateSelectionExpression")
_MAP_MEMBERS = ("RequestParameters", "RequestTemplates", "ResponseParameters")
_METHODS = ("ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")
_HTTP_PROTOCOL_ERROR = (
    "Currently, an API with a protocol type of HTTP may only be associated with proxy integrations "
    "(AWS_PROXY, HTTP_PROXY)"
)
# The value AWS returns for WebSocket AWS, HTTP and MOCK integrations (CLI example create-integration).
_STATUS_CODE_SELECTION = "${integration.response.statuscode}"
_MAX_TIMEOUT = {HTTP: 30000, WEBSOCKET: 29000}

# HTTP API parameter mapping keys (DG: http-api-parameter-mapping).
_HTTP_REQUEST_KEY = re.compile(r"(?:(?:append|overwrite|remove):(?:header|querystring)\.\S+|overwrite:path)")
_HTTP_RESPONSE_KEY = re.compile(r"(?:(?:append|overwrite|remove):header\.\S+|overwrite:statuscode)")
_WEBSOCKET_REQUEST_KEY = re.compile(r"integration\.request\.(?:header|querystring|path)\.[^\s.]+")

# Integration subtype reference (DG: http-api-develop-integrations-aws-services-reference): required parameters.
_SUBTYPE_REQUIRED: dict[str, tuple[str, ...]] = {
    "EventBridge-PutEvents": ("Detail", "DetailType", "Source"),
    "SQS-SendMessage": ("QueueUrl", "MessageBody"),
    "SQS-ReceiveMessage": ("QueueUrl",),
    "SQS-DeleteMessage": ("ReceiptHandle", "QueueUrl"),
    "SQS-PurgeQueue": ("QueueUrl",),
    "AppConfig-GetConfiguration": ("Application", "Environment", "Configuration", "ClientId"),
    "Kinesis-PutRecord": ("StreamName", "Data", "PartitionKey"),
    "StepFunctions-StartExecution": ("StateMachineArn",),
    "StepFunctions-StartSyncExecution": ("StateMachineArn",),
    "StepFunctions-StopExecution": ("ExecutionArn",),
}


def _apply_defaults(protocol: str, state: dict[str, Any]) -> None:
    """Fill the members AWS returns when they were not given (CLI examples create/get-integration(s))."""
    kind = state["IntegrationType"]
    state.setdefault("ConnectionType", "INTERNET")
    state.setdefault("TimeoutInMillis", _MAX_TIMEOUT[protocol])
    if kind in ("AWS", "AWS_PROXY"):
        state.setdefault("IntegrationMethod", "POST")
    if not (protocol == HTTP and kind == "AWS_PROXY"):
        # HTTP API AWS_PROXY integrations must name their version; everything else only has 1.0.
        state.setdefault("PayloadFormatVersion", "1.0")
    if protocol == WEBSOCKET:
        state.setdefault("PassthroughBehavior", "WHEN_NO_MATCH")
        if kind in _PROXY_TYPES:
            state.pop("IntegrationResponseSelectionExpression", None)
        else:
            state["IntegrationResponseSelectionExpression"] = _STATUS_CODE_SELECTION


def _check_type(protocol: str, kind: str) -> None:
    if protocol == HTTP and kind not in _PROXY_TYPES:
        raise BadRequestException(_HTTP_PROTOCOL_ERROR)


def _check_subtype(state: Mapping[str, Any]) -> None:
    subtype = state["IntegrationSubtype"]
    if state["IntegrationType"] != "AWS_PROXY":
        raise BadRequestException("IntegrationSubtype is supported only for AWS_PROXY integrations.")
    if subtype not in _SUBTYPE_REQUIRED:
        raise BadRequestException(
            f"Invalid IntegrationSubtype specified: {subtype}. Supported subtypes are {', '.join(_SUBTYPE_REQUIRED)}."
        )
    if state.get("IntegrationUri") is not None:
        raise BadRequestException("IntegrationUri must not be specified for an integration with an IntegrationSubtype.")
    given = state.get("RequestParameters") or {}
    missing = [name for name in _SUBTYPE_REQUIRED[subtype] if name not in given]
    if missing:
        raise BadRequestException(
            f"Missing required RequestParameters for IntegrationSubtype {subtype}: {', '.join(missing)}."
        )


def _check_uri(protocol: str, state: Mapping[str, Any]) -> None:
    kind, uri = state["IntegrationType"], state.get("IntegrationUri")
    if uri is None:
        if kind != "MOCK":
            raise BadRequestException(f"IntegrationUri is required for {kind} integrations.")
        return
    # WebSocket private integrations reach a Network Load Balancer by URL (through a REST API VPC link).
    if state["ConnectionType"] == "VPC_LINK" and protocol == HTTP:
        if not uri.startswith("arn:"):
            raise BadRequestException(
                "For a private integration, IntegrationUri must be the ARN of an Application Load Balancer "
                f"listener, a Network Load Balancer listener or an AWS Cloud Map service: {uri}"
            )
    elif kind in ("HTTP", "HTTP_PROXY"):
        parts = urlsplit(uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BadRequestException(f"Invalid HTTP endpoint specified for URI: {uri}")
    elif kind in ("AWS", "AWS_PROXY") and (not uri.startswith("arn:") or uri.count(":") < 5):
        raise BadRequestException(f"Invalid ARN specified for IntegrationUri: {uri}")


def _check_method(state: Mapping[str, Any]) -> None:
    kind, method = state["IntegrationType"], state.get("IntegrationMethod")
    if method is None:
        if kind in ("HTTP", "HTTP_PROXY"):
            raise BadRequestException(f"IntegrationMethod is required for {kind} integrations.")
        return
    if method not in _METHODS:
        raise BadRequestException(
            f"Invalid IntegrationMethod specified: {method}. Supported values are {', '.join(_METHODS)}."
        )


def _check_payload_format(protocol: str, state: Mapping[str, Any]) -> None:
    version = state.get("PayloadFormatVersion")
    if protocol == HTTP and state["IntegrationType"] == "AWS_PROXY":
        if version is None:
            raise BadRequestException(
                "PayloadFormatVersion is required for AWS_PROXY integrations of HTTP APIs (1.0 or 2.0)."
            )
        lambda_proxy = state.get("IntegrationSubtype") is None
        if version == "1.0" or (lambda_proxy and version == "2.0"):
            return
    elif version == "1.0":
        return
    raise BadRequestException(
        f"Unsupported PayloadFormatVersion {version}: Lambda proxy integrations of HTTP APIs support 1.0 and 2.0, "
        "all other integrations support only 1.0."
    )


def _check_timeout(protocol: str, state: Mapping[str, Any]) -> None:
    timeout, limit = state["TimeoutInMillis"], _MAX_TIMEOUT[protocol]
    if not 50 <= timeout <= limit:
        raise BadRequestException(f"TimeoutInMillis must be between 50 and {limit} milliseconds for {protocol} APIs.")


def _check_http_parameters(state: Mapping[str, Any]) -> None:
    if state.get("IntegrationSubtype") is None:
        for name in state.get("RequestParameters") or {}:
            if not _HTTP_REQUEST_KEY.fullmatch(name):
                raise BadRequestException(
                    f"Invalid request parameter key specified: {name}. Keys must be "
                    "<append|overwrite|remove>:<header|querystring>.<name> or overwrite:path."
                )
    for status, mapping in (state.get("ResponseParameters") or {}).items():
        if not (status.isascii() and status.isdigit() and 200 <= int(status) <= 599):  # isdigit() alone takes "²"
            raise BadRequestException(
                f"Invalid response parameter selection key specified: {status}. Use a status code 200-599."
            )
        for name in mapping:
            if not _HTTP_RESPONSE_KEY.fullmatch(name):
                raise BadRequestException(
                    f"Invalid response parameter key specified: {name}. Keys must be "
                    "<append|overwrite|remove>:header.<name> or overwrite:statuscode."
                )


def _check_websocket_parameters(state: Mapping[str, Any]) -> None:
    for name in state.get("RequestParameters") or {}:
        if not _WEBSOCKET_REQUEST_KEY.fullmatch(name):
            raise BadRequestException(
                f"Invalid request parameter key specified: {name}. Keys must be "
                "integration.request.<header|querystring|path>.<name>."
            )


def _check_connection(store: Store, protocol: str, state: Mapping[str, Any], new_link: bool) -> None:
    connection_id = state.get("ConnectionId")
    if state["ConnectionType"] != "VPC_LINK":
        if connection_id is not None:
            raise BadRequestException("ConnectionId can only be specified when ConnectionType is VPC_LINK.")
        return
    types = ("HTTP_PROXY",) if protocol == HTTP else ("HTTP", "HTTP_PROXY")
    if state["IntegrationType"] not in types:
        raise BadRequestException(
            f"Private integrations (ConnectionType VPC_LINK) of {protocol} APIs must use the "
            f"{' or '.join(types)} integration type."
        )
    if connection_id is None:
        raise BadRequestException("ConnectionId is required when ConnectionType is VPC_LINK.")
    link = store.vpc_links.get(connection_id)
    if protocol == WEBSOCKET:
        # WebSocket APIs use REST API (v1) VPC links, which the mock does not model; a V2 VPC link is
        # refused (terraform-aws-modules/terraform-aws-apigateway-v2 #151: BadRequestException).
        if link is not None:
            raise BadRequestException(
                f"VPC link {connection_id} is an HTTP API VPC link: WebSocket APIs use REST API VPC links."
            )
    elif link is None and new_link:
        raise not_found("VpcLink", connection_id)


def _check_state(store: Store, protocol: str, state: dict[str, Any], *, new_link: bool = True) -> None:
    """Validate the integration an operation would leave behind (create, or update merged with the old).

    *new_link*: the request sets the VPC link, which must then exist. An update that leaves it alone is not
    refused for a link deleted since (deleting one that no route goes through is allowed, vpc_links.py).
    """
    _check_type(protocol, state["IntegrationType"])
    if state.get("IntegrationSubtype") is not None:
        _check_subtype(state)
    else:
        _check_uri(protocol, state)
    _check_connection(store, protocol, state, new_link)
    _check_method(state)
    _check_payload_format(protocol, state)
    _check_timeout(protocol, state)
    if protocol == HTTP:
        _check_http_parameters(state)
    else:
        _check_websocket_parameters(state)


def create_integration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    params = drop_other_protocol(api.protocol, params, http_only=_HTTP_ONLY, websocket_only=_WEBSOCKET_ONLY)
    check_quota(api.integrations, INTEGRATIONS_PER_API, "integrations")
    state = pick(params, _UPDATABLE)
    _apply_defaults(api.protocol, state)
    _check_state(store, api.protocol, state)
    integration_id = new_id(api.integrations, 7)
    integration = Integration({**state, "IntegrationId": integration_id})
    api.integrations.add(integration_id, integration)
    deployments.after_change(store, api)
    return integration.describe()


def get_integration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return lookup.integration(api, params["IntegrationId"]).describe()


def get_integrations(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.integrations, params)


def update_integration(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    integration = lookup.integration(api, params["IntegrationId"])
    params = drop_other_protocol(api.protocol, params, http_only=_HTTP_ONLY, websocket_only=_WEBSOCKET_ONLY)
    state = {**integration.fields, **pick(params, _UPDATABLE)}
    for member in _MAP_MEMBERS:
        if member in params:
            state[member] = merge_maps(integration.get(member), params[member])
            if not state[member]:
                del state[member]
    if state.get("ConnectionType") == "INTERNET" and "ConnectionId" not in params:
        # Switching a private integration back to the internet drops its VPC link.
        state.pop("ConnectionId", None)
    _apply_defaults(api.protocol, state)
    _check_state(store, api.protocol, state, new_link="ConnectionId" in params or "ConnectionType" in params)
    integration.fields = state
    deployments.after_change(store, api)
    return integration.describe()


def delete_integration(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    integration = lookup.integration(api, params["IntegrationId"])
    refuse_managed(integration, f"integration {integration.integration_id}")
    target = f"integrations/{integration.integration_id}"
    users = [str(route.get("RouteId")) for route in api.routes if route.get("Target") == target]
    if users:
        # AWS's text, seen with one route id; several are listed as Java prints a list ("[a, b]").
        raise ConflictException(
            f"Cannot delete Integration because it is referenced by the following Routes with Ids: [{', '.join(users)}]"
        )
    api.integrations.remove(integration.integration_id)
    deployments.after_change(store, api)


OPERATIONS: dict[str, Operation] = {
    "CreateIntegration": create_integration,
    "DeleteIntegration": delete_integration,
    "GetIntegration": get_integration,
    "GetIntegrations": get_integrations,
    "UpdateIntegration": update_integration,
}
