"""ImportApi, ReimportApi and ExportApi: OpenAPI 3.0 documents with API Gateway's extensions.

Reading a document takes three steps, each its own module: :mod:`.openapi_load` parses the text with the work
bounded by its size, :mod:`.openapi_check` checks its structure against the OpenAPI schema (errors and warnings),
and :func:`plan_import` here turns it into the members of Create* calls. Import goes through the service's own
Create* operations, so an imported route or integration obeys exactly the rules of one created by hand; a document
that breaks one is rejected and nothing is left behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..core.collection import Collection
from ..core.validation import InvalidInput, operation_validator
from . import apis, authorizers, deployments, integrations, lookup, routes
from .deployments import served_snapshot
from .exceptions import BadRequestException, NotFoundException
from .openapi_check import check_structure, unresolved_references
from .openapi_export import export_document, render
from .openapi_keys import (
    ANY_METHOD,
    AUTHORIZER,
    AUTHORIZER_KEYS,
    CORS,
    CORS_KEYS,
    ENDPOINT_CONFIGURATION,
    INTEGRATION,
    INTEGRATION_KEYS,
    METHODS,
)
from .openapi_load import load_document
from .records import HTTP
from .resources import Api
from .store import Operation, Store

# OpenAPI operations that an HTTP API has no route for: skipped with a warning.
_UNSUPPORTED_METHODS = ("trace",)
_DEFAULT_PATHS = ("$default", "/$default")


# ---------------------------------------------------------------------------------------------- reading


def read_document(body: str) -> tuple[dict[str, Any], list[str]]:
    """Parse and check an OpenAPI document: the document and the warnings; ``BadRequestException``."""
    loaded = load_document(body)
    document = loaded.document
    if not isinstance(document, dict):
        raise BadRequestException("The OpenAPI definition must be an object.")
    version = document.get("openapi")
    if not isinstance(version, (str, int, float)) or not str(version).startswith("3.0"):
        found = f"openapi: {version}" if version is not None else "no openapi field"
        raise BadRequestException(f"Only OpenAPI 3.0 definitions are supported; found {found}.")
    info = document.get("info")
    if not isinstance(info, dict) or info.get("title") in (None, ""):
        raise BadRequestException("The OpenAPI definition must have info.title (it becomes the API name).")
    warnings = check_structure(document)
    warnings += unresolved_references(document, loaded.references)
    return document, warnings


@dataclass
class _Route:
    key: str
    integration: dict[str, Any] | None
    # The authorizers the route's security requirement names: (security scheme name, scopes).
    requirement: list[tuple[str, list[str]]]


@dataclass
class ImportPlan:
    """What a document asks for, in the members of the Create* operations."""

    api: dict[str, Any]
    authorizers: dict[str, dict[str, Any]] = field(default_factory=dict)
    routes: list[_Route] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _base_path(document: Mapping[str, Any]) -> str:
    servers = document.get("servers") or []
    if not servers:
        return ""
    server = servers[0]
    base = (server.get("variables") or {}).get("basePath") or {}
    default = base.get("default")
    if default is not None:
        path = str(default)
    else:
        url = str(server.get("url", ""))
        path = url.split("://", 1)[-1]
        path = path[path.find("/") :] if "/" in path else ""
    path = "/" + path.strip("/")
    return "" if path == "/" else path


def _prefix(document: Mapping[str, Any], mode: str | None) -> str:
    if mode in (None, "", "ignore"):
        return ""
    if mode not in ("prepend", "split"):
        raise BadRequestException(f"Invalid basepath value {mode!r}. Valid values are ignore, prepend, and split.")
    base = _base_path(document)
    if mode == "prepend":
        return base
    # "split" drops the first segment of the base path and keeps the rest (REST API import semantics).
    rest = base.strip("/").split("/")[1:]
    return "/" + "/".join(rest) if rest else ""


def _members(source: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {member: source[key] for key, member in names.items() if key in source}


def _number(value: Any, convert: type[float] | type[int], name: str) -> Any:
    try:
        return convert(value)
    except (TypeError, ValueError, OverflowError):
        raise BadRequestException(f"Invalid {name} in the OpenAPI definition: {value!r}") from None


def _version(value: Any, name: str) -> str:
    return f"{_number(value, float, name):.1f}"


def _integration_params(extension: Mapping[str, Any]) -> dict[str, Any]:
    params = _members(extension, INTEGRATION_KEYS)
    if "IntegrationType" in params:
        params["IntegrationType"] = params["IntegrationType"].upper()
    if "PayloadFormatVersion" in params:
        params["PayloadFormatVersion"] = _version(params["PayloadFormatVersion"], "payloadFormatVersion")
    if "TimeoutInMillis" in params:
        params["TimeoutInMillis"] = _number(params["TimeoutInMillis"], int, "timeoutInMillis")
    if "TlsConfig" in params:
        params["TlsConfig"] = _members(params["TlsConfig"], {"serverNameToVerify": "ServerNameToVerify"})
    return params


def _authorizer_params(name: str, extension: Mapping[str, Any]) -> dict[str, Any]:
    params = _members(extension, AUTHORIZER_KEYS)
    params["Name"] = name
    params["AuthorizerType"] = params.get("AuthorizerType", "").upper()
    source = params.get("IdentitySource")
    if isinstance(source, str):  # the schema allows a comma-separated string or a list
        params["IdentitySource"] = [part.strip() for part in source.split(",") if part.strip()]
    if "AuthorizerPayloadFormatVersion" in params:
        params["AuthorizerPayloadFormatVersion"] = _version(
            params["AuthorizerPayloadFormatVersion"], "authorizerPayloadFormatVersion"
        )
    if "JwtConfiguration" in params:
        params["JwtConfiguration"] = _members(params["JwtConfiguration"], {"audience": "Audience", "issuer": "Issuer"})
    return params


def _api_members(document: Mapping[str, Any]) -> dict[str, Any]:
    info = document["info"]
    api: dict[str, Any] = {"Name": info["title"], "ProtocolType": HTTP}
    if info.get("version") not in (None, ""):  # exports of APIs without a Version carry version ""
        api["Version"] = info["version"]
    if info.get("description"):
        api["Description"] = info["description"]
    if CORS in document:
        api["CorsConfiguration"] = _members(document[CORS], CORS_KEYS)
    endpoint = document.get(ENDPOINT_CONFIGURATION) or {}
    if "disableExecuteApiEndpoint" in endpoint:
        api["DisableExecuteApiEndpoint"] = endpoint["disableExecuteApiEndpoint"]
    return api


def _requirement(
    plan: ImportPlan, route_key: str, security: list[dict[str, list[str]]] | None
) -> list[tuple[str, list[str]]]:
    """The schemes of the first security requirement that exist; a warning for each that does not."""
    # API Gateway applies one requirement per route: the first of any alternatives listed.
    named = []
    for requirement in (security or [])[:1]:
        for name, scopes in requirement.items():
            if name in plan.authorizers:
                named.append((name, scopes))
            else:
                plan.warnings.append(f"Route {route_key} refers to unknown security scheme '{name}'.")
    return named


def plan_import(document: Mapping[str, Any], basepath: str | None) -> ImportPlan:
    """Read a checked document (see :func:`read_document`) into an :class:`ImportPlan`."""
    plan = ImportPlan(_api_members(document))
    schemes = (document.get("components") or {}).get("securitySchemes") or {}
    for name, scheme in schemes.items():
        if AUTHORIZER in scheme:
            plan.authorizers[name] = _authorizer_params(name, scheme[AUTHORIZER])
        elif scheme.get("x-amazon-apigateway-authtype") == "awsSigv4":
            plan.authorizers[name] = {"AuthorizerType": "AWS_IAM"}
        else:
            plan.warnings.append(f"Security scheme '{name}' has no {AUTHORIZER} extension and was not imported.")
    prefix = _prefix(document, basepath)
    for path, item in (document.get("paths") or {}).items():
        if path == "$default":  # AWS imports it, with its parser's warning (SAM issue #2297)
            plan.warnings.append("Parse issue: attribute paths. Resource $default should start with /")
        elif not path.startswith("/"):
            continue  # the structure check has warned; it cannot be a route key
        for key, operation in item.items():
            if key in _UNSUPPORTED_METHODS:
                plan.warnings.append(f"Unsupported operation {key!r} on path {path!r} was ignored.")
                continue
            if key != ANY_METHOD and key not in METHODS:
                continue  # parameters, summary, servers, other extensions, ...: nothing to create
            default_route = path in _DEFAULT_PATHS or operation.get("isDefaultRoute") is True
            method = "ANY" if key == ANY_METHOD else key.upper()
            route_key = "$default" if default_route else f"{method} {prefix}{path}"
            extension = operation.get(INTEGRATION)
            integration = _integration_params(extension) if extension is not None else None
            requirement = _requirement(plan, route_key, operation.get("security", document.get("security")))
            plan.routes.append(_Route(route_key, integration, requirement))
    return plan


# ---------------------------------------------------------------------------------------------- operations


def _checked(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Validate what a document asks for exactly as a call of *operation* would be validated."""
    try:
        operation_validator("apigatewayv2", operation)(params)
    except InvalidInput as problem:
        raise BadRequestException(f"Invalid OpenAPI definition: {problem}") from None
    return params


def _apply_plan(store: Store, api: Api, plan: ImportPlan) -> None:
    """Create the plan's authorizers, integrations and routes on *api*."""
    authorizer_ids: dict[str, tuple[str, str]] = {}
    for name, spec in plan.authorizers.items():
        if spec.get("AuthorizerType") == "AWS_IAM":
            authorizer_ids[name] = ("", "AWS_IAM")
            continue
        created = authorizers.create_authorizer(store, _checked("CreateAuthorizer", {**spec, "ApiId": api.api_id}))
        kind = "JWT" if spec["AuthorizerType"] == "JWT" else "CUSTOM"
        authorizer_ids[name] = (created["AuthorizerId"], kind)
    for route in plan.routes:
        params: dict[str, Any] = {"ApiId": api.api_id, "RouteKey": route.key}
        if route.integration is not None:
            integration = integrations.create_integration(
                store, _checked("CreateIntegration", {**route.integration, "ApiId": api.api_id})
            )
            params["Target"] = f"integrations/{integration['IntegrationId']}"
        for name, scopes in route.requirement:
            authorizer_id, kind = authorizer_ids[name]
            params["AuthorizationType"] = kind
            if authorizer_id:
                params["AuthorizerId"] = authorizer_id
            if scopes and kind == "JWT":
                params["AuthorizationScopes"] = list(scopes)
        routes.create_route(store, _checked("CreateRoute", params))


def _read(params: dict[str, Any]) -> ImportPlan:
    """The plan of an ImportApi or ReimportApi request; with ``FailOnWarnings``, refuse one with warnings.

    Everything that can be refused is refused here, before anything changes.
    """
    document, warnings = read_document(params["Body"])
    plan = plan_import(document, params.get("Basepath"))
    plan.warnings[:0] = warnings
    if params.get("FailOnWarnings") and plan.warnings:
        raise BadRequestException("Warnings found during import:\n\t" + "\n\t".join(plan.warnings))
    # The API's members obey the limits of CreateApi, on import and reimport alike.
    _checked("CreateApi", dict(plan.api))
    return plan


def import_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    plan = _read(params)
    created = apis.create_api(store, dict(plan.api))
    api = store.apis.get(created["ApiId"])
    assert api is not None
    try:
        _apply_plan(store, api, plan)
    except Exception:
        store.apis.remove(api.api_id)  # roll back: an import either happens whole or not at all
        raise
    return _imported(api, plan)


def reimport_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    if api.protocol != HTTP:
        raise BadRequestException("ReimportApi is supported only for HTTP APIs.")
    plan = _read(params)
    apis.check_cors(plan.api.get("CorsConfiguration"))
    saved = (api.routes, api.integrations, api.authorizers, dict(api.fields))
    api.routes, api.integrations, api.authorizers = Collection(), Collection(), Collection()
    api.importing = True
    try:
        for member in ("Version", "Description", "CorsConfiguration"):
            api.fields.pop(member, None)
        api.fields.update({k: v for k, v in plan.api.items() if k != "ProtocolType"})
        _apply_plan(store, api, plan)
    except Exception:
        api.routes, api.integrations, api.authorizers, api.fields = saved
        raise
    finally:
        api.importing = False
    deployments.after_change(store, api)
    return _imported(api, plan)


def _imported(api: Api, plan: ImportPlan) -> dict[str, Any]:
    out = api.describe()
    if plan.warnings:
        out["Warnings"] = list(plan.warnings)
    return out


def export_api(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    if api.protocol != HTTP:
        raise BadRequestException("Exporting is supported only for HTTP APIs.")
    if params["Specification"] != "OAS30":
        raise BadRequestException(f"Unsupported specification {params['Specification']!r}: only OAS30.")
    if params["OutputType"] not in ("JSON", "YAML"):
        raise BadRequestException(f"Unsupported output type {params['OutputType']!r}: use JSON or YAML.")
    if params.get("ExportVersion") not in (None, "1.0"):
        raise BadRequestException(f"Unsupported export version {params['ExportVersion']!r}: only 1.0.")
    stage_name = params.get("StageName")
    endpoint = str(api.fields["ApiEndpoint"])
    if stage_name is None:
        described_routes = [route.describe() for route in api.routes]
        described_integrations = {i.fields["IntegrationId"]: i.describe() for i in api.integrations}
        described_authorizers = {a.fields["AuthorizerId"]: a.describe() for a in api.authorizers}
    else:
        described_routes, described_integrations, described_authorizers = _deployed_view(api, stage_name)
    document = export_document(
        api.describe(),
        described_routes,
        described_integrations,
        described_authorizers,
        include_extensions=params.get("IncludeExtensions", True),
        server_url=endpoint,
        stage_name=stage_name,
    )
    return {"body": render(document, params["OutputType"])}


def _deployed_view(
    api: Api, stage_name: str
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    if api.stages.get(stage_name) is None:
        raise NotFoundException(f"Invalid stage identifier specified {stage_name}")
    snapshot = served_snapshot(api, stage_name)
    if snapshot is None:
        raise BadRequestException(f"Stage {stage_name} has no deployment to export.")
    return list(snapshot.routes.values()), dict(snapshot.integrations), dict(snapshot.authorizers)


OPERATIONS: dict[str, Operation] = {
    "ExportApi": export_api,
    "ImportApi": import_api,
    "ReimportApi": reimport_api,
}
