"""Check a parsed OpenAPI document's structure: what is an error, and what is only a warning.

The structure is the OpenAPI 3.0 JSON Schema shipped by openapi-spec-validator, extended with API Gateway's
``x-amazon-apigateway-*`` extensions (the keys :mod:`.openapi` reads), and checked by jsonschema-rs, which takes
milliseconds on a 5 MB document. API Gateway's importer reports what its OpenAPI parser finds as warnings
("Parse issue: attribute ... is missing") and imports the rest, so the mock sorts the schema's findings the same
way; only what the import cannot use is an error:

- a member of the wrong type (an object where a string is expected, a list where an object is expected, ...) is
  an error, except a number or boolean where a string is expected (``version: 1.0`` in YAML), which is used as
  its text, with a warning;
- a missing member, an unexpected member, and any other rule of the schema broken (an enum, a pattern, an
  empty ``responses``) is a warning;
- a ``$ref`` that names nothing in the document is a warning.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from functools import cache
from typing import Any

from .exceptions import BadRequestException

# Errors listed in the exception's message at most.
_MAX_LISTED = 10
_SCALARS = (bool, int, float)


def _strings(*names: str) -> dict[str, Any]:
    return {name: {"type": "string"} for name in names}


_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
_STRING_LIST = {"type": "array", "items": {"type": "string"}}
# API Gateway's extensions, as far as the import reads them; other keys in them are ignored, as AWS's own export
# of a REST-style integration (passthroughBehavior, ...) would be.
_INTEGRATION = {
    "type": "object",
    "properties": {
        **_strings("type", "httpMethod", "uri", "connectionType", "connectionId", "credentials", "description"),
        **_strings("integrationSubtype"),
        "payloadFormatVersion": {"type": ["string", "number"]},
        "timeoutInMillis": {"type": ["integer", "string"]},
        "requestParameters": _STRING_MAP,
        "responseParameters": {"type": "object", "additionalProperties": _STRING_MAP},
        "tlsConfig": {"type": "object", "properties": _strings("serverNameToVerify")},
    },
}
_AUTHORIZER = {
    "type": "object",
    "properties": {
        **_strings("type", "authorizerUri", "authorizerCredentials"),
        "identitySource": {"type": ["string", "array"], "items": {"type": "string"}},
        "authorizerPayloadFormatVersion": {"type": ["string", "number"]},
        "authorizerResultTtlInSeconds": {"type": "integer"},
        "enableSimpleResponses": {"type": "boolean"},
        "jwtConfiguration": {
            "type": "object",
            "properties": {"audience": _STRING_LIST, "issuer": {"type": "string"}},
        },
    },
}
_CORS = {
    "type": "object",
    "properties": {
        **dict.fromkeys(("allowOrigins", "allowMethods", "allowHeaders", "exposeHeaders"), _STRING_LIST),
        "maxAge": {"type": "integer"},
        "allowCredentials": {"type": "boolean"},
    },
}
_SCHEMES = ("APIKeySecurityScheme", "HTTPSecurityScheme", "OAuth2SecurityScheme", "OpenIdConnectSecurityScheme")


@cache
def _validator() -> Any:
    """The OpenAPI 3.0 schema with API Gateway's extensions, compiled once (on the first import)."""
    import jsonschema_rs
    from openapi_spec_validator.schemas.utils import get_schema_content

    schema = copy.deepcopy(dict(get_schema_content("3.0")))
    definitions = schema["definitions"]
    definitions["AwsIntegration"] = _INTEGRATION
    operation = definitions["Operation"]["properties"]
    operation["x-amazon-apigateway-integration"] = {"$ref": "#/definitions/AwsIntegration"}
    operation["isDefaultRoute"] = {"type": "boolean"}
    # "$default" is a path AWS imports (as the $default route) although it does not start with "/".
    definitions["Paths"].setdefault("properties", {})["$default"] = {"$ref": "#/definitions/PathItem"}
    definitions["PathItem"]["properties"]["x-amazon-apigateway-any-method"] = {"$ref": "#/definitions/Operation"}
    for name in _SCHEMES:
        definitions[name]["properties"].update(
            {"x-amazon-apigateway-authorizer": _AUTHORIZER, "x-amazon-apigateway-authtype": {"type": "string"}}
        )
    schema["properties"].update(
        {
            "x-amazon-apigateway-cors": _CORS,
            "x-amazon-apigateway-endpoint-configuration": {
                "type": "object",
                "properties": {"disableExecuteApiEndpoint": {"type": "boolean"}},
            },
            "x-amazon-apigateway-importexport-version": {"type": "string"},
        }
    )
    return jsonschema_rs.validator_for(schema)


def location(path: Iterable[Any]) -> str:
    """A place in the document as AWS's parser names it: ``paths.'/pets'(get).responses.200.content.schema``."""
    keys = [str(key) for key in path]
    if keys[:1] == ["paths"] and len(keys) > 1:
        head = f"paths.'{keys[1]}'" + (f"({keys[2]})" if len(keys) > 2 else "")
        keys = [head, *keys[3:]]
    # The media type under "content" is left out of the name (as in "responses.200.content.schema").
    kept = [key for index, key in enumerate(keys) if index == 0 or keys[index - 1] != "content"]
    return ".".join(kept)


class _Findings:
    """Errors and warnings of one document, and the scalars to read as strings."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.as_text: list[list[Any]] = []

    def add(self, other: _Findings) -> None:
        self.errors += other.errors
        self.warnings += other.warnings
        self.as_text += other.as_text


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _sort(error: Any) -> _Findings:
    """Sort one finding of jsonschema-rs into errors and warnings."""
    found = _Findings()
    path = list(error.instance_path)
    where = location(path)
    kind = error.kind
    if kind.name == "required":
        found.warnings.append(f"Parse issue: attribute {location([*path, kind.property])} is missing")
    elif kind.name == "additionalProperties":
        for key in kind.unexpected:
            if path == ["paths"]:  # AWS's text for a path that does not start with "/" (SAM issue #2297)
                found.warnings.append(f"Parse issue: attribute paths. Resource {key} should start with /")
            else:
                found.warnings.append(f"Parse issue: attribute {location([*path, key])} is unexpected")
    elif kind.name == "type":
        if isinstance(error.instance, _SCALARS) and "string" in kind.types:
            found.warnings.append(f"Parse issue: attribute {where} is not of type `string`")
            found.as_text.append(path)
        else:
            expected = " or ".join(kind.types)
            found.errors.append(f"{where or 'the document'}: {_short(error.instance)} is not of type {expected}")
    elif kind.name in ("oneOf", "anyOf"):
        found.add(_best_branch(error))
    else:
        found.warnings.append(f"Parse issue: attribute {where} is not valid: {error.message[:200]}")
    return found


def _best_branch(error: Any) -> _Findings:
    """The findings of the alternative (of a ``oneOf``) the value comes closest to: fewest errors, then warnings."""
    instance = error.instance
    branches = []
    for branch in error.kind.context:
        findings = _Findings()
        for inner in branch:
            findings.add(_sort(inner))
        missing_ref = any(e.kind.name == "required" and e.kind.property == "$ref" for e in branch)
        if missing_ref and isinstance(instance, dict):
            continue  # an object without "$ref" is not meant as a Reference
        branches.append(findings)
    if not branches:
        found = _Findings()
        found.errors.append(f"{location(error.instance_path) or 'the document'}: {_short(instance)} is not valid")
        return found
    return min(branches, key=lambda f: (len(f.errors), len(f.warnings)))


def _read_as_text(document: Any, path: list[Any]) -> None:
    *parents, last = path
    node = document
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[str(key)]
    key = int(last) if isinstance(node, list) else str(last)
    value = node[key]
    node[key] = json.dumps(value) if isinstance(value, bool) else str(value)


def check_structure(document: Any) -> list[str]:
    """Warnings about *document*'s structure; ``BadRequestException`` listing its errors.

    Numbers and booleans where the schema wants a string are replaced by their text, in place.
    """
    found = _Findings()
    for error in _validator().iter_errors(document):  # at most a few per member: bounded by the document
        found.add(_sort(error))
    if found.errors:
        listed = found.errors[:_MAX_LISTED]
        more = len(found.errors) - len(listed)
        tail = f"; and {more} more" if more else ""
        raise BadRequestException("Invalid OpenAPI definition: " + "; ".join(listed) + tail)
    for path in found.as_text:
        _read_as_text(document, path)
    return found.warnings


def unresolved_references(document: Any, references: Iterable[tuple[list[str], str]]) -> list[str]:
    """A warning per ``$ref`` (found at a path, with its value) that names nothing in *document*."""
    warnings = []
    for path, reference in references:
        if not _resolves(document, reference):
            warnings.append(f"Parse issue: attribute {location([*path, reference])} is missing")
    return warnings


def _resolves(document: Any, reference: str) -> bool:
    """Whether a local JSON pointer (``#/components/schemas/Pet``) names something; other references cannot."""
    if not reference.startswith("#"):
        return False
    node = document
    for raw in reference[1:].split("/")[1:]:
        key = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and key in node:
            node = node[key]
        # An index is ASCII digits: str.isdigit() alone also takes superscripts (int() refuses) and other scripts.
        elif isinstance(node, list) and key.isascii() and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return False
    return True
