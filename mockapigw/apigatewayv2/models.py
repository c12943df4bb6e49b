"""Models and GetModelTemplate."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any

from . import deployments, lookup
from .exceptions import BadRequestException, ConflictException
from .records import new_id, page_of, pick
from .resources import Api, Model
from .store import Operation, Store

__all__ = ["OPERATIONS", "Model", "model_template"]

DEFAULT_CONTENT_TYPE = "application/json"
_UPDATABLE = ("ContentType", "Description", "Name", "Schema")
_ALPHANUMERIC = re.compile(r"[A-Za-z0-9]+")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A `$ref` to another model of the API ends with `/models/{name}` (https://apigateway.amazonaws.com/restapis/...).
_MODEL_REF = re.compile(r"/models/([A-Za-z0-9]+)$")
_SCALARS = ("number", "integer", "boolean", "null")
_INDENT = "  "


def _check_unique_model_name(api: Api, name: str, model_id: str | None = None) -> None:
    for other in api.models:
        if other.name == name and other.model_id != model_id:
            raise ConflictException(f"Model name already exists for this API: {name}")


def _check_name(name: str) -> None:
    if not _ALPHANUMERIC.fullmatch(name):
        raise BadRequestException(f"Invalid model name specified: {name!r}. Model names must be alphanumeric.")


def _check_schema(schema: str) -> None:
    try:
        parsed = json.loads(schema)
    except RecursionError:
        raise BadRequestException("Invalid model schema specified: the schema is nested too deeply.") from None
    except ValueError as error:
        raise BadRequestException(f"Invalid model schema specified: the schema is not valid JSON: {error}") from None
    if not isinstance(parsed, dict):
        raise BadRequestException("Invalid model schema specified: a JSON schema must be a JSON object.")


def _refs(node: Any) -> Iterator[str]:
    """Every ``$ref`` value in a parsed schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def _users(api: Api, model: Model) -> list[str]:
    """What in *api* refers to *model* by name: route request models, route response models, other models."""
    users: list[str] = []
    for route in api.routes:
        key = route.get("RouteKey")
        if model.name in (route.get("RequestModels") or {}).values():
            users.append(f"route {key}")
        for response in route.responses:
            if model.name in (response.get("ResponseModels") or {}).values():
                users.append(f"route response {response.get('RouteResponseKey')} of route {key}")
    for other in api.models:
        if other is not model:
            names = {m.group(1) for ref in _refs(other.schema()) if (m := _MODEL_REF.search(ref))}
            if model.name in names:
                users.append(f"model {other.name}")
    return users


def _property_path(path: str, name: str) -> str:
    # VTL property access needs an identifier; other keys go through the map's get().
    return f"{path}.{name}" if _IDENTIFIER.fullmatch(name) else f"{path}.get('{name}')"


class _TemplateWriter:
    """Write a Velocity mapping template that rebuilds a JSON document shaped like a model's schema."""

    def __init__(self, api: Api) -> None:
        self.models = {model.name: model for model in api.models}
        self.lines = ["#set($inputRoot = $input.path('$'))"]

    def resolve(self, schema: Any, seen: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
        """Follow a ``$ref`` to another model of the API (once per model, so cycles end)."""
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            match = _MODEL_REF.search(schema["$ref"])
            target = self.models.get(match.group(1)) if match else None
            if target is None or target.name in seen:
                return {}, seen
            seen = (*seen, target.name)
            schema = target.schema()
        return schema, seen

    @staticmethod
    def kind(schema: Any) -> str:
        if not isinstance(schema, dict):
            return "string"
        declared = schema.get("type")
        if isinstance(declared, list):
            declared = next((t for t in declared if t != "null"), "null")
        if declared is None:
            if "properties" in schema:
                return "object"
            if "items" in schema:
                return "array"
            return "string"
        return str(declared)

    def value(self, schema: Any, path: str, depth: int, loops: int, seen: tuple[str, ...]) -> list[str]:
        """The lines of one value; the first carries no indentation (it follows a key or a bracket)."""
        schema, seen = self.resolve(schema, seen)
        kind = self.kind(schema)
        pad = _INDENT * depth
        if kind == "object":
            properties: Mapping[str, Any] = schema.get("properties") or {}
            if not isinstance(properties, dict):
                properties = {}  # a malformed "properties" gives an empty object, not a crash
            if not properties:
                return ["{}"]
            lines = ["{"]
            for index, name in enumerate(properties):
                inner = self.value(properties[name], _property_path(path, name), depth + 1, loops, seen)
                lines.append(f'{pad}{_INDENT}"{name}" : {inner[0]}')
                lines.extend(inner[1:])
                if index < len(properties) - 1:
                    lines[-1] += ","
            lines.append(f"{pad}}}")
            return lines
        if kind == "array":
            # Nested loops need their own variable; `$foreach` always means the innermost loop.
            element = f"$elem{loops + 1}" if loops else "$elem"
            inner = self.value(schema.get("items"), element, depth + 1, loops + 1, seen)
            lines = ["[", f"#foreach({element} in {path})", f"{pad}{_INDENT}{inner[0]}", *inner[1:]]
            lines[-1] += "#if($foreach.hasNext),#end"
            return [*lines, "#end", f"{pad}]"]
        if kind in _SCALARS:
            return [path]
        return [f'"{path}"']

    def write(self, schema: Any) -> str:
        body = self.value(schema, "$inputRoot", 0, 0, ())
        return "\n".join([*self.lines, *body]) + "\n"


def model_template(api: Api, model: Model) -> str:
    """A mapping template for *model*, as GetModelTemplate returns it."""
    return _TemplateWriter(api).write(model.schema())


def create_model(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    # "Supported only for WebSocket APIs" (model), but no rejection by AWS is known: HTTP APIs keep models too.
    api = lookup.api(store, params["ApiId"])
    _check_name(params["Name"])
    _check_schema(params["Schema"])
    _check_unique_model_name(api, params["Name"])
    model_id = new_id(api.models, 6)
    model = Model(
        {
            **pick(params, _UPDATABLE),
            "ContentType": params.get("ContentType", DEFAULT_CONTENT_TYPE),
            "ModelId": model_id,
        }
    )
    api.models.add(model_id, model)
    deployments.after_change(store, api)
    return model.describe()


def get_model(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return lookup.model(api, params["ModelId"]).describe()


def get_models(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.models, params)


def update_model(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    model = lookup.model(api, params["ModelId"])
    if "Schema" in params:
        _check_schema(params["Schema"])
    new_name = params.get("Name")
    if new_name is not None and new_name != model.name:
        _check_name(new_name)
        _check_unique_model_name(api, new_name, model.model_id)
        users = _users(api, model)
        if users:
            raise ConflictException(f"Cannot rename model {model.name}: it is referenced by {', '.join(users)}.")
    model.apply(params, _UPDATABLE)
    deployments.after_change(store, api)
    return model.describe()


def delete_model(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    model = lookup.model(api, params["ModelId"])
    users = _users(api, model)
    if users:
        raise ConflictException(f"Cannot delete model {model.name}: it is referenced by {', '.join(users)}.")
    api.models.remove(model.model_id)
    deployments.after_change(store, api)


def get_model_template(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return {"Value": model_template(api, lookup.model(api, params["ModelId"]))}


OPERATIONS: dict[str, Operation] = {
    "CreateModel": create_model,
    "DeleteModel": delete_model,
    "GetModel": get_model,
    "GetModelTemplate": get_model_template,
    "GetModels": get_models,
    "UpdateModel": update_model,
}
