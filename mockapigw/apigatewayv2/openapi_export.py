"""ExportApi's document: an OpenAPI 3.0.1 view of an HTTP API's routes, integrations and authorizers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml

from .openapi_keys import (
    ANY_METHOD,
    AUTHORIZER,
    AUTHORIZER_KEYS,
    CORS,
    CORS_KEYS,
    ENDPOINT_CONFIGURATION,
    IMPORT_EXPORT_VERSION,
    INTEGRATION,
    INTEGRATION_KEYS,
)


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
    out = _extension(integration, INTEGRATION_KEYS)
    out["type"] = str(out.get("type", "")).lower()
    if "tlsConfig" in out:
        out["tlsConfig"] = _extension(out["tlsConfig"], {"serverNameToVerify": "ServerNameToVerify"})
    return out


def _authorizer_scheme(authorizer: Mapping[str, Any]) -> dict[str, Any]:
    extension = _extension(authorizer, AUTHORIZER_KEYS)
    extension["type"] = str(extension.get("type", "")).lower()
    if "identitySource" in extension:
        extension["identitySource"] = ", ".join(extension["identitySource"])
    if "jwtConfiguration" in extension:
        extension["jwtConfiguration"] = _extension(
            extension["jwtConfiguration"], {"audience": "Audience", "issuer": "Issuer"}
        )
        return {"type": "oauth2", "flows": {}, AUTHORIZER: extension}
    return {"type": "apiKey", "name": "Authorization", "in": "header", AUTHORIZER: extension}


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
            path, method = "/$default", ANY_METHOD
        else:
            verb, path = key.split(" ", 1)
            method = ANY_METHOD if verb == "ANY" else verb.lower()
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
            operation[INTEGRATION] = _integration_extension(integration)
        paths.setdefault(path, {})[method] = operation
    document["paths"] = paths
    if schemes:
        if not include_extensions:
            schemes = {name: {k: v for k, v in s.items() if not k.startswith("x-")} for name, s in schemes.items()}
        document["components"] = {"securitySchemes": schemes}
    if include_extensions:
        if api.get("CorsConfiguration"):
            document[CORS] = _extension(api["CorsConfiguration"], CORS_KEYS)
        if api.get("DisableExecuteApiEndpoint"):
            document[ENDPOINT_CONFIGURATION] = {"disableExecuteApiEndpoint": True}
        document[IMPORT_EXPORT_VERSION] = "1.0"
    return document


def render(document: Mapping[str, Any], output_type: str) -> bytes:
    """Serialize an exported document as JSON or YAML."""
    if output_type == "JSON":
        return json.dumps(document, indent=2).encode()
    return yaml.safe_dump(dict(document), sort_keys=False, allow_unicode=True).encode()
