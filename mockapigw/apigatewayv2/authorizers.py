"""Authorizers (REQUEST and JWT) and ResetAuthorizersCache."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException
from .records import HTTP, WEBSOCKET, check_quota, drop_other_protocol, new_id, page_of, pick
from .resources import Api, Authorizer, CacheReset
from .store import Operation, Store

__all__ = ["OPERATIONS", "Authorizer", "CacheReset", "authorizer_cache_reset", "cache_resets"]

REQUEST = "REQUEST"
JWT = "JWT"
AUTHORIZERS_PER_API = 10  # aws-behaviour.md §4: 10 for both protocols
AUDIENCES_PER_AUTHORIZER = 50  # aws-behaviour.md §4 (HTTP API quotas)
# The console's default TTL; AWS caches HTTP Lambda authorizer results unless told otherwise.
DEFAULT_RESULT_TTL = 300
PAYLOAD_FORMAT_VERSIONS = ("1.0", "2.0")

# Members the model documents as "Supported only for HTTP APIs" that AWS refuses on WebSocket APIs, with its text
# (aws-behaviour.md §9.3: observed for the TTL, the same pattern for the other two).
_REFUSED_ON_WEBSOCKET = ("AuthorizerResultTtlInSeconds", "AuthorizerPayloadFormatVersion", "EnableSimpleResponses")
# The other "Supported only for HTTP APIs" member: no rejection is known, so it is accepted and ignored.
_HTTP_ONLY = ("JwtConfiguration",)
# Members that only make sense for a Lambda (REQUEST) authorizer, and the one for JWT authorizers.
_REQUEST_ONLY = (
    "AuthorizerUri",
    "AuthorizerCredentialsArn",
    "AuthorizerPayloadFormatVersion",
    "AuthorizerResultTtlInSeconds",
    "EnableSimpleResponses",
)
_JWT_ONLY = ("JwtConfiguration",)
_UPDATABLE = (
    "AuthorizerCredentialsArn",
    "AuthorizerPayloadFormatVersion",
    "AuthorizerResultTtlInSeconds",
    "AuthorizerType",
    "AuthorizerUri",
    "EnableSimpleResponses",
    "IdentitySource",
    "IdentityValidationExpression",
    "JwtConfiguration",
    "Name",
)

_NAME = r"[^\s,]+"
# Identity source forms per protocol (model IdentitySource docs; the WebSocket stage-variable and context forms
# follow the REST API authorizer forms that WebSocket authorizers share).
_IDENTITY_FORMS = {
    HTTP: ("$request.header.X", "$request.querystring.X", "$context.X", "$stageVariables.X"),
    WEBSOCKET: ("route.request.header.X", "route.request.querystring.X", "context.X", "stageVariables.X"),
}
_IDENTITY_PATTERNS = {
    HTTP: re.compile(rf"\$(request\.header|request\.querystring|context|stageVariables)\.{_NAME}"),
    WEBSOCKET: re.compile(rf"(route\.request\.header|route\.request\.querystring|context|stageVariables)\.{_NAME}"),
}
_JWT_IDENTITY = re.compile(rf"\$request\.(header|querystring)\.{_NAME}")
_LAMBDA_INVOCATION_URI = re.compile(
    r"arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/"
    r"arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[^/]+/invocations"
)
_ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/\S+")
_HTTPS_URL = re.compile(r"https://[^\s/?#]+(/\S*)?")


def cache_resets(api: Api) -> dict[str, CacheReset]:
    """The ResetAuthorizersCache calls per stage name of *api* (the runtime's authorizer cache reads these)."""
    return api.authorizer_cache_resets


def authorizer_cache_reset(api: Api, stage_name: str) -> CacheReset | None:
    """The latest cache reset of *stage_name*, or ``None`` when it was never reset."""
    return cache_resets(api).get(stage_name)


def _check_unique_authorizer_name(api: Api, name: str, authorizer_id: str | None = None) -> None:
    for other in api.authorizers:
        if other.get("Name") == name and other.authorizer_id != authorizer_id:
            raise ConflictException(f"Authorizer name must be unique. Authorizer {name} already exists in this Api.")


def _routes_using(api: Api, authorizer_id: str) -> list[str]:
    return [str(route.get("RouteKey")) for route in api.routes if route.get("AuthorizerId") == authorizer_id]


def _check_identity_sources(protocol: str, kind: str, sources: list[str], ttl: int | None) -> None:
    if kind == JWT:
        if len(sources) != 1 or not _JWT_IDENTITY.fullmatch(sources[0]):
            raise BadRequestException(
                "A JWT authorizer requires exactly one IdentitySource of the form "
                "$request.header.X or $request.querystring.X."
            )
        return
    pattern = _IDENTITY_PATTERNS[protocol]
    for source in sources:
        if not pattern.fullmatch(source):
            raise BadRequestException(
                f"Invalid IdentitySource {source!r} for a {protocol} API. "
                f"Use one of the forms {', '.join(_IDENTITY_FORMS[protocol])}."
            )
    if not sources and ttl:
        raise BadRequestException(
            "IdentitySource must not be empty when authorizer caching is enabled "
            "(AuthorizerResultTtlInSeconds greater than 0): the identity sources are the cache key."
        )


def _check_jwt(config: Mapping[str, Any] | None) -> None:
    if config is None:
        raise BadRequestException("JwtConfiguration is required for the JWT authorizer type.")
    issuer = config.get("Issuer")
    if not issuer:
        raise BadRequestException("JwtConfiguration.Issuer is required for the JWT authorizer type.")
    if not _HTTPS_URL.fullmatch(issuer):
        raise BadRequestException(f"Invalid JwtConfiguration.Issuer {issuer!r}: it must be an https URL.")
    audience = config.get("Audience") or []
    if not audience:
        raise BadRequestException("JwtConfiguration.Audience must contain at least one audience.")
    if len(audience) > AUDIENCES_PER_AUTHORIZER:
        raise BadRequestException(
            f"JwtConfiguration.Audience has {len(audience)} entries; at most {AUDIENCES_PER_AUTHORIZER} are allowed."
        )


def _check_request(protocol: str, fields: Mapping[str, Any]) -> None:
    uri = fields.get("AuthorizerUri")
    if not uri:
        raise BadRequestException("AuthorizerUri is required for REQUEST authorizers.")
    if not _LAMBDA_INVOCATION_URI.fullmatch(uri):
        raise BadRequestException(
            f"Invalid AuthorizerUri {uri!r}. It must be a Lambda function invocation URI of the form "
            "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:{region}:{account_id}:function:{name}/invocations."
        )
    role = fields.get("AuthorizerCredentialsArn")
    if role is not None and not _ROLE_ARN.fullmatch(role):
        raise BadRequestException(f"Invalid AuthorizerCredentialsArn {role!r}: it must be an IAM role ARN.")
    if protocol != HTTP:
        return
    version = fields.get("AuthorizerPayloadFormatVersion")
    if version is None:
        raise BadRequestException("AuthorizerPayloadFormatVersion is a required parameter for REQUEST authorizer")
    if version not in PAYLOAD_FORMAT_VERSIONS:
        raise BadRequestException(
            f"Invalid AuthorizerPayloadFormatVersion {version!r}. Supported values are 1.0 and 2.0."
        )
    if fields.get("EnableSimpleResponses") and version != "2.0":
        raise BadRequestException("EnableSimpleResponses is supported only with AuthorizerPayloadFormatVersion 2.0.")


def _websocket_members(protocol: str, params: dict[str, Any]) -> dict[str, Any]:
    """*params* as a WebSocket API takes them: AWS's refusals first, then the ignored HTTP-only members."""
    if protocol == WEBSOCKET:
        for name in _REFUSED_ON_WEBSOCKET:
            if params.get(name) is not None:
                raise BadRequestException(f"{name} cannot be set for WEBSOCKET protocol Apis.")
    return drop_other_protocol(protocol, params, http_only=_HTTP_ONLY)


def _reject_other_type(kind: str, params: Mapping[str, Any]) -> None:
    wrong, other = (_REQUEST_ONLY, REQUEST) if kind == JWT else (_JWT_ONLY, JWT)
    for name in wrong:
        if params.get(name) is not None:
            raise BadRequestException(f"{name} is supported only for {other} authorizers, not for {kind} authorizers.")


def _complete(protocol: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Validate an authorizer's full configuration and fill in AWS's defaults."""
    kind = fields["AuthorizerType"]
    if kind == JWT and protocol != HTTP:
        raise BadRequestException(
            f"AuthorizerType JWT is supported only for HTTP APIs, not for protocolType {protocol}."
        )
    _reject_other_type(kind, fields)
    if kind == JWT:
        _check_jwt(fields.get("JwtConfiguration"))
    else:
        _check_request(protocol, fields)
    sources = list(fields.get("IdentitySource") or [])
    if kind == REQUEST and protocol == HTTP:
        # Without identity sources there is no cache key, so caching defaults to off rather than failing.
        fields.setdefault("AuthorizerResultTtlInSeconds", DEFAULT_RESULT_TTL if sources else 0)
        fields.setdefault("EnableSimpleResponses", False)
    _check_identity_sources(protocol, kind, sources, fields.get("AuthorizerResultTtlInSeconds"))
    fields["IdentitySource"] = sources
    return fields


def create_authorizer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    params = _websocket_members(api.protocol, params)
    check_quota(api.authorizers, AUTHORIZERS_PER_API, "authorizers")
    _check_unique_authorizer_name(api, params["Name"])
    fields = _complete(api.protocol, pick(params, _UPDATABLE))
    authorizer_id = new_id(api.authorizers, 6)
    authorizer = Authorizer({**fields, "AuthorizerId": authorizer_id})
    api.authorizers.add(authorizer_id, authorizer)
    deployments.after_change(store, api)
    return authorizer.describe()


def get_authorizer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return lookup.authorizer(api, params["AuthorizerId"]).describe()


def get_authorizers(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.authorizers, params)


def update_authorizer(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    authorizer = lookup.authorizer(api, params["AuthorizerId"])
    params = _websocket_members(api.protocol, params)
    if "Name" in params:
        _check_unique_authorizer_name(api, params["Name"], authorizer.authorizer_id)
    fields = {k: v for k, v in authorizer.fields.items() if k != "AuthorizerId"}
    kind = params.get("AuthorizerType", fields["AuthorizerType"])
    if kind != fields["AuthorizerType"]:
        used_by = _routes_using(api, authorizer.authorizer_id)
        if used_by:
            raise ConflictException(
                f"Cannot change the type of authorizer {authorizer.authorizer_id}: "
                f"it is used by routes {', '.join(used_by)}."
            )
        # The members of the old type go with it; PATCH has no way to remove them one by one.
        for name in _JWT_ONLY if kind == REQUEST else _REQUEST_ONLY:
            fields.pop(name, None)
    _reject_other_type(kind, params)
    if params.get("JwtConfiguration") is not None:
        # A partial JwtConfiguration keeps the sub-members it does not mention.
        merged = {**fields.get("JwtConfiguration", {}), **params["JwtConfiguration"]}
        params = {**params, "JwtConfiguration": merged}
    fields.update(pick(params, _UPDATABLE))
    authorizer.fields = {"AuthorizerId": authorizer.authorizer_id, **_complete(api.protocol, fields)}
    deployments.after_change(store, api)
    return authorizer.describe()


def delete_authorizer(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    authorizer = lookup.authorizer(api, params["AuthorizerId"])
    used_by = _routes_using(api, authorizer.authorizer_id)
    if used_by:
        # AWS's text names the authorizer and one route that uses it (anomalyco/sst #5586).
        raise ConflictException(
            f"Cannot delete authorizer '{authorizer.get('Name')}', is referenced in route: {used_by[0]}"
        )
    api.authorizers.remove(authorizer.authorizer_id)
    deployments.after_change(store, api)


def reset_authorizers_cache(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    # "Supported only for HTTP APIs" (model), but no rejection by AWS is known: on a WebSocket API (whose
    # authorizer results the mock does not cache) it resets nothing.
    stage_name = params["StageName"]
    lookup.stage(api, stage_name)
    # Not a configuration change: no after_change (it would auto-deploy).
    resets = cache_resets(api)
    previous = resets.get(stage_name)
    resets[stage_name] = CacheReset(
        at=dt.datetime.now(dt.timezone.utc), generation=previous.generation + 1 if previous else 1
    )


OPERATIONS: dict[str, Operation] = {
    "CreateAuthorizer": create_authorizer,
    "DeleteAuthorizer": delete_authorizer,
    "GetAuthorizer": get_authorizer,
    "GetAuthorizers": get_authorizers,
    "ResetAuthorizersCache": reset_authorizers_cache,
    "UpdateAuthorizer": update_authorizer,
}
