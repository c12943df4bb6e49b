"""ImportApi, ReimportApi and ExportApi: OpenAPI 3.0 documents with API Gateway's extensions.

Import goes through the backend's own Create* operations, so an imported route or integration obeys exactly
the rules of one created by hand; a document that breaks one is rejected and nothing is left behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..core.collection import Collection
from ..core.validation import InvalidInput, operation_validator
from .apis import Api
from .exceptions import BadRequestException, NotFoundException
from .part import BackendPart
from .records import HTTP

_METHODS = ("get", "put", "post", "delete", "options", "head", "patch")
_ANY = "x-amazon-apigateway-any-method"
_INTEGRATION = "x-amazon-apigateway-integration"
_AUTHORIZER = "x-amazon-apigateway-authorizer"
_CORS = "x-amazon-apigateway-cors"
_IMPORT_EXPORT_VERSION = "x-amazon-apigateway-importexport-version"
_ENDPOINT_CONFIGURATION = "x-amazon-apigateway-endpoint-configuration"

# OpenAPI extension key -> CreateIntegration member (x-amazon-apigateway-integration object).
_INTEGRATION_KEYS = {
    "type": "IntegrationType",
    "httpMethod": "IntegrationMethod",
    "uri": "IntegrationUri",
    "payloadFormatVersion": "PayloadFormatVersion",
    "connectionType": "ConnectionType",
    "connectionId": "ConnectionId",
    "timeoutInMillis": "TimeoutInMillis",
    "credentials": "CredentialsArn",
    "description": "Description",
    "integrationSubtype": "IntegrationSubtype",
    "requestParameters": "RequestParameters",
    "responseParameters": "ResponseParameters",
    "tlsConfig": "TlsConfig",
}
# x-amazon-apigateway-authorizer key -> CreateAuthorizer member.
_AUTHORIZER_KEYS = {
    "type": "AuthorizerType",
    "identitySource": "IdentitySource",
    "authorizerUri": "AuthorizerUri",
    "authorizerCredentials": "AuthorizerCredentialsArn",
    "authorizerPayloadFormatVersion": "AuthorizerPayloadFormatVersion",
    "authorizerResultTtlInSeconds": "AuthorizerResultTtlInSeconds",
    "enableSimpleResponses": "EnableSimpleResponses",
    "jwtConfiguration": "JwtConfiguration",
}
_CORS_KEYS = {
    "allowCredentials": "AllowCredentials",
    "allowHeaders": "AllowHeaders",
    "allowMethods": "AllowMethods",
    "allowOrigins": "AllowOrigins",
    "exposeHeaders": "ExposeHeaders",
    "maxAge": "MaxAge",
}


# ---------------------------------------------------------------------------------------------- reading


def parse_document(body: str) -> dict[str, Any]:
    """Parse an OpenAPI document in JSON or YAML; ``BadRequestException`` saying what is wrong."""
    text = body.strip()
    if not text:
        raise BadRequestException("The OpenAPI definition is empty.")
    try:
        document = json.loads(text) if text.startswith("{") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as problem:
        raise BadRequestException(f"Unable to parse the OpenAPI definition: {problem}") from None
    if not isinstance(document, dict):
        raise BadRequestException("The OpenAPI definition must be an object.")
    version = str(document.get("openapi", ""))
    if not version.startswith("3.0"):
        found = f"openapi: {version}" if version else "no openapi field"
        raise BadRequestException(f"Only OpenAPI 3.0 definitions are supported; found {found}.")
    info = document.get("info")
    if not isinstance(info, dict) or not info.get("title"):
        raise BadRequestException("The OpenAPI definition must have info.title (it becomes the API name).")
    if not isinstance(document.get("paths", {}), dict):
        raise BadRequestException("The OpenAPI definition's paths must be an object.")
    return document


@dataclass
class _Route:
    key: str
    integration: dict[str, Any] | None
    security: list[dict[str, Any]] | None


@dataclass
class ImportPlan:
    """What a document asks for, in the members of the Create* operations."""

    api: dict[str, Any]
    authorizers: dict[str, dict[str, Any]] = field(default_factory=dict)
    routes: list[_Route] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _base_path(document: Mapping[str, Any]) -> str:
    servers = document.get("servers") or []
    if not servers or not isinstance(servers[0], dict):
        return ""
    server = servers[0]
    variables = server.get("variables") or {}
    base = variables.get("basePath") if isinstance(variables, dict) else None
    if (variables and not isinstance(variables, dict)) or (base is not None and not isinstance(base, dict)):
        raise BadRequestException("servers[0].variables and its basePath must be objects.")
    default = (base or {}).get("default")
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
    base = _base_path(document)
    if mode == "prepend":
        return base
    if mode == "split":
        # "split" drops the first segment of the base path and keeps the rest (REST API import semantics).
        rest = base.strip("/").split("/")[1:]
        return "/" + "/".join(rest) if rest else ""
    raise BadRequestException(f"Invalid basepath value {mode!r}. Valid values are ignore, prepend, and split.")


def _members(source: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {member: source[key] for key, member in names.items() if key in source}


def _number(value: Any, convert: type[float] | type[int], name: str) -> Any:
    try:
        return convert(value)
    except (TypeError, ValueError):
        raise BadRequestException(f"Invalid {name} in the OpenAPI definition: {value!r}") from None


def _version(value: Any, name: str) -> str:
    return f"{_number(value, float, name):.1f}"


def _integration_params(extension: Mapping[str, Any]) -> dict[str, Any]:
    params = _members(extension, _INTEGRATION_KEYS)
    if "IntegrationType" in params:
        params["IntegrationType"] = str(params["IntegrationType"]).upper()
    if "PayloadFormatVersion" in params:
        params["PayloadFormatVersion"] = _version(params["PayloadFormatVersion"], "payloadFormatVersion")
    if "TimeoutInMillis" in params:
        params["TimeoutInMillis"] = _number(params["TimeoutInMillis"], int, "timeoutInMillis")
    if "TlsConfig" in params:
        params["TlsConfig"] = _members(params["TlsConfig"], {"serverNameToVerify": "ServerNameToVerify"})
    return params


def _authorizer_params(name: str, scheme: Mapping[str, Any]) -> dict[str, Any]:
    extension = scheme[_AUTHORIZER]
    params = _members(extension, _AUTHORIZER_KEYS)
    params["Name"] = name
    params["AuthorizerType"] = str(params.get("AuthorizerType", "")).upper()
    source = params.get("IdentitySource")
    if isinstance(source, str):
        params["IdentitySource"] = [part.strip() for part in source.split(",") if part.strip()]
    if "AuthorizerPayloadFormatVersion" in params:
        params["AuthorizerPayloadFormatVersion"] = _version(
            params["AuthorizerPayloadFormatVersion"], "authorizerPayloadFormatVersion"
        )
    jwt = params.get("JwtConfiguration")
    if isinstance(jwt, dict):
        params["JwtConfiguration"] = _members(jwt, {"audience": "Audience", "issuer": "Issuer"})
    return params


def plan_import(document: Mapping[str, Any], basepath: str | None) -> ImportPlan:
    """Read a parsed document into an :class:`ImportPlan`."""
    info = document["info"]
    api: dict[str, Any] = {"Name": str(info["title"]), "ProtocolType": HTTP}
    if info.get("version") not in (None, ""):  # exports of APIs without a Version carry version ""
        api["Version"] = str(info["version"])
    if info.get("description"):
        api["Description"] = str(info["description"])
    if isinstance(document.get(_CORS), dict):
        api["CorsConfiguration"] = _members(document[_CORS], _CORS_KEYS)
    endpoint = document.get(_ENDPOINT_CONFIGURATION)
    if isinstance(endpoint, dict) and "disableExecuteApiEndpoint" in endpoint:
        api["DisableExecuteApiEndpoint"] = bool(endpoint["disableExecuteApiEndpoint"])
    plan = ImportPlan(api)
    schemes = ((document.get("components") or {}).get("securitySchemes")) or {}
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and isinstance(scheme.get(_AUTHORIZER), dict):
            plan.authorizers[name] = _authorizer_params(name, scheme)
        elif isinstance(scheme, dict) and scheme.get("x-amazon-apigateway-authtype") == "awsSigv4":
            plan.authorizers[name] = {"AuthorizerType": "AWS_IAM"}
        else:
            plan.warnings.append(f"Security scheme '{name}' has no {_AUTHORIZER} extension and was not imported.")
    prefix = _prefix(document, basepath)
    for path, item in (document.get("paths") or {}).items():
        if not isinstance(item, dict):
            raise BadRequestException(f"Path item for {path!r} must be an object.")
        for key, operation in item.items():
            if key in ("parameters", "summary", "description", "servers") or (key.startswith("x-") and key != _ANY):
                continue
            if key != _ANY and key not in _METHODS:
                plan.warnings.append(f"Unsupported operation {key!r} on path {path!r} was ignored.")
                continue
            if not isinstance(operation, dict):
                raise BadRequestException(f"Operation {key} {path} must be an object.")
            default_route = path in ("$default", "/$default") or operation.get("isDefaultRoute") is True
            method = "ANY" if key == _ANY else key.upper()
            route_key = "$default" if default_route else f"{method} {prefix}{path}"
            extension = operation.get(_INTEGRATION)
            integration = _integration_params(extension) if isinstance(extension, dict) else None
            security = operation.get("security", document.get("security"))
            if security is not None and (
                not isinstance(security, list) or not all(isinstance(r, dict) for r in security)
            ):
                raise BadRequestException(f"security of {key} {path} must be a list of security requirement objects.")
            plan.routes.append(_Route(route_key, integration, security))
    return plan


# ---------------------------------------------------------------------------------------------- writing


def _path_parameters(path: str) -> list[dict[str, Any]]:
    names = [segment[1:-1] for segment in path.split("/") if segment.startswith("{") and segment.endswith("}")]
    return [
        {
            "name": name,
            "in": "path",
            "description": f"Generated path parameter for {name.rstrip('+')}",
            "required": True,
            "schema": {"type": "string"},
        }
        for name in names
    ]


def _extension(values: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    return {key: values[member] for key, member in names.items() if values.get(member) is not None}


def _integration_extension(integration: Mapping[str, Any]) -> dict[str, Any]:
    out = _extension(integration, _INTEGRATION_KEYS)
    out["type"] = str(out.get("type", "")).lower()
    if "tlsConfig" in out:
        out["tlsConfig"] = _extension(out["tlsConfig"], {"serverNameToVerify": "ServerNameToVerify"})
    return out


def _authorizer_scheme(authorizer: Mapping[str, Any]) -> dict[str, Any]:
    extension = _extension(authorizer, _AUTHORIZER_KEYS)
    extension["type"] = str(extension.get("type", "")).lower()
    if "identitySource" in extension:
        extension["identitySource"] = ", ".join(extension["identitySource"])
    if "jwtConfiguration" in extension:
        extension["jwtConfiguration"] = _extension(
            extension["jwtConfiguration"], {"audience": "Audience", "issuer": "Issuer"}
        )
        return {"type": "oauth2", "flows": {}, _AUTHORIZER: extension}
    return {"type": "apiKey", "name": "Authorization", "in": "header", _AUTHORIZER: extension}


def export_document(
    api: Mapping[str, Any],
    routes: list[dict[str, Any]],
    integrations: Mapping[str, dict[str, Any]],
    authorizers: Mapping[str, dict[str, Any]],
    *,
    include_extensions: bool,
    server_url: str,
    stage_name: str | None,
) -> dict[str, Any]:
    """An OpenAPI 3.0.1 document for an API's routes, integrations and authorizers."""
    info: dict[str, Any] = {"title": api["Name"], "version": api.get("Version") or ""}
    if api.get("Description"):
        info["description"] = api["Description"]
    document: dict[str, Any] = {"openapi": "3.0.1", "info": info}
    if stage_name is None or stage_name == "$default":
        document["servers"] = [{"url": server_url}]
    else:
        document["servers"] = [{"url": server_url + "/{basePath}", "variables": {"basePath": {"default": stage_name}}}]
    paths: dict[str, dict[str, Any]] = {}
    schemes: dict[str, Any] = {}
    for route in sorted(routes, key=lambda r: str(r["RouteKey"])):
        key = str(route["RouteKey"])
        if key == "$default":
            path, method = "/$default", _ANY
        else:
            verb, path = key.split(" ", 1)
            method = _ANY if verb == "ANY" else verb.lower()
        operation: dict[str, Any] = {"responses": {"default": {"description": f"Default response for {key}"}}}
        if key == "$default":
            operation["isDefaultRoute"] = True
        parameters = _path_parameters(path)
        if parameters:
            operation["parameters"] = parameters
        authorizer = authorizers.get(str(route.get("AuthorizerId", "")))
        if authorizer is not None:
            operation["security"] = [{authorizer["Name"]: list(route.get("AuthorizationScopes") or [])}]
            schemes[authorizer["Name"]] = _authorizer_scheme(authorizer)
        elif route.get("AuthorizationType") == "AWS_IAM":
            operation["security"] = [{"sigv4": []}]
            schemes["sigv4"] = {
                "type": "apiKey",
                "name": "Authorization",
                "in": "header",
                "x-amazon-apigateway-authtype": "awsSigv4",
            }
        target = str(route.get("Target", ""))
        integration = integrations.get(target.removeprefix("integrations/")) if target else None
        if include_extensions and integration is not None:
            operation[_INTEGRATION] = _integration_extension(integration)
        paths.setdefault(path, {})[method] = operation
    document["paths"] = paths
    if schemes:
        if not include_extensions:
            schemes = {name: {k: v for k, v in s.items() if not k.startswith("x-")} for name, s in schemes.items()}
        document["components"] = {"securitySchemes": schemes}
    if include_extensions:
        if api.get("CorsConfiguration"):
            document[_CORS] = _extension(api["CorsConfiguration"], _CORS_KEYS)
        if api.get("DisableExecuteApiEndpoint"):
            document[_ENDPOINT_CONFIGURATION] = {"disableExecuteApiEndpoint": True}
        document[_IMPORT_EXPORT_VERSION] = "1.0"
    return document


def render(document: Mapping[str, Any], output_type: str) -> bytes:
    """Serialize an exported document as JSON or YAML."""
    if output_type == "JSON":
        return json.dumps(document, indent=2).encode()
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True).encode()


# ---------------------------------------------------------------------------------------------- operations


def _checked(operation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Validate what a document asks for exactly as a call of *operation* would be validated."""
    try:
        operation_validator("apigatewayv2", operation)(params)
    except InvalidInput as problem:
        raise BadRequestException(f"Invalid OpenAPI definition: {problem}") from None
    return params


class OpenApiOperations(BackendPart):
    """ImportApi, ReimportApi and ExportApi."""

    create_api: Callable[[dict[str, Any]], dict[str, Any]]
    create_authorizer: Callable[[dict[str, Any]], dict[str, Any]]
    create_integration: Callable[[dict[str, Any]], dict[str, Any]]
    create_route: Callable[[dict[str, Any]], dict[str, Any]]

    def _apply_plan(self, api: Api, plan: ImportPlan) -> None:
        authorizer_ids: dict[str, tuple[str, str]] = {}
        for name, spec in plan.authorizers.items():
            if spec.get("AuthorizerType") == "AWS_IAM":
                authorizer_ids[name] = ("", "AWS_IAM")
                continue
            created = self.create_authorizer(_checked("CreateAuthorizer", {**spec, "ApiId": api.api_id}))
            kind = "JWT" if spec["AuthorizerType"] == "JWT" else "CUSTOM"
            authorizer_ids[name] = (created["AuthorizerId"], kind)
        for route in plan.routes:
            params: dict[str, Any] = {"ApiId": api.api_id, "RouteKey": route.key}
            if route.integration is not None:
                integration = self.create_integration(
                    _checked("CreateIntegration", {**route.integration, "ApiId": api.api_id})
                )
                params["Target"] = f"integrations/{integration['IntegrationId']}"
            # API Gateway applies one requirement per route: the first of any alternatives listed.
            for requirement in (route.security or [])[:1]:
                for name, scopes in requirement.items():
                    if name not in authorizer_ids:
                        plan.warnings.append(f"Route {route.key} refers to unknown security scheme '{name}'.")
                        continue
                    authorizer_id, kind = authorizer_ids[name]
                    params["AuthorizationType"] = kind
                    if authorizer_id:
                        params["AuthorizerId"] = authorizer_id
                    if scopes and kind == "JWT":
                        params["AuthorizationScopes"] = list(scopes)
            self.create_route(_checked("CreateRoute", params))

    def _check_warnings(self, plan: ImportPlan, fail_on_warnings: bool | None) -> None:
        if fail_on_warnings and plan.warnings:
            raise BadRequestException("Warnings found during import:\n\t" + "\n\t".join(plan.warnings))

    def import_api(self, params: dict[str, Any]) -> dict[str, Any]:
        document = parse_document(params["Body"])
        plan = plan_import(document, params.get("Basepath"))
        self._check_warnings(plan, params.get("FailOnWarnings"))
        created = self.create_api(_checked("CreateApi", dict(plan.api)))
        api = self.apis.get(created["ApiId"])
        assert api is not None
        try:
            self._apply_plan(api, plan)
            self._check_warnings(plan, params.get("FailOnWarnings"))
        except Exception:
            self.apis.remove(api.api_id)  # roll back: an import either happens whole or not at all
            raise
        return self._imported(api, plan)

    def reimport_api(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        if api.protocol != HTTP:
            raise BadRequestException("ReimportApi is supported only for HTTP APIs.")
        document = parse_document(params["Body"])
        plan = plan_import(document, params.get("Basepath"))
        self._check_warnings(plan, params.get("FailOnWarnings"))
        saved = (api.routes, api.integrations, api.authorizers, dict(api.fields))
        api.routes, api.integrations, api.authorizers = Collection(), Collection(), Collection()
        api.importing = True
        try:
            for member in ("Version", "Description", "CorsConfiguration"):
                api.fields.pop(member, None)
            api.fields.update({k: v for k, v in plan.api.items() if k != "ProtocolType"})
            self._apply_plan(api, plan)
            self._check_warnings(plan, params.get("FailOnWarnings"))
        except Exception:
            api.routes, api.integrations, api.authorizers, api.fields = saved
            raise
        finally:
            api.importing = False
        self.api_changed(api)
        return self._imported(api, plan)

    def _imported(self, api: Api, plan: ImportPlan) -> dict[str, Any]:
        out = api.describe()
        if plan.warnings:
            out["Warnings"] = list(plan.warnings)
        return out

    def export_api(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
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
            routes = [route.describe() for route in api.routes]
            integrations = {i.fields["IntegrationId"]: i.describe() for i in api.integrations}
            authorizers = {a.fields["AuthorizerId"]: a.describe() for a in api.authorizers}
        else:
            routes, integrations, authorizers = self._deployed_view(api, stage_name)
        document = export_document(
            api.describe(),
            routes,
            integrations,
            authorizers,
            include_extensions=params.get("IncludeExtensions", True),
            server_url=endpoint,
            stage_name=stage_name,
        )
        return {"body": render(document, params["OutputType"])}

    def _deployed_view(
        self, api: Api, stage_name: str
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        from .deployments import served_snapshot

        if api.stages.get(stage_name) is None:
            raise NotFoundException(f"Invalid stage identifier specified {stage_name}")
        snapshot = served_snapshot(api, stage_name)
        if snapshot is None:
            raise BadRequestException(f"Stage {stage_name} has no deployment to export.")
        return list(snapshot.routes.values()), dict(snapshot.integrations), dict(snapshot.authorizers)
