"""The OpenAPI documents the import benchmark reads: a large real-shaped one, and a YAML alias bomb."""

from __future__ import annotations

import json
from typing import Any

import yaml

# AWS allows 300 routes per API; the document stays below, and its bulk is in its schemas, as in large real APIs.
ROUTES = 250
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:bench"


def _schema(index: int) -> dict[str, Any]:
    fields = {
        f"field{n}": {"type": "string", "description": f"Field {n} of model {index}, a plain string", "maxLength": 64}
        for n in range(20)
    }
    return {"type": "object", "required": ["field0"], "properties": fields}


def large_document(size: int) -> dict[str, Any]:
    """An OpenAPI 3.0 document of about *size* bytes as JSON: ROUTES routes, each answering one of many schemas."""
    one = len(json.dumps({"Model0": _schema(0)}))
    count = max(1, size // one)
    schemas = {f"Model{index}": _schema(index) for index in range(count)}
    paths = {
        f"/items{n}/{{id}}": {
            "get": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/Model{n % count}"}}},
                    }
                },
                "x-amazon-apigateway-integration": {
                    "type": "aws_proxy",
                    "uri": FUNCTION_ARN,
                    "payloadFormatVersion": "2.0",
                },
            }
        }
        for n in range(ROUTES)
    }
    return {
        "openapi": "3.0.1",
        "info": {"title": "bench-large", "version": "1.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def large_json(size: int) -> str:
    """:func:`large_document` as JSON."""
    return json.dumps(large_document(size))


def large_yaml(size: int) -> str:
    """:func:`large_document` as YAML (a little larger than the JSON: block style)."""
    return yaml.safe_dump(large_document(size), sort_keys=False)


def alias_bomb(levels: int = 9) -> str:
    """A "billion laughs" YAML document: each level names the one before nine times (9**levels strings)."""
    lines = ["openapi: 3.0.1", "info: {title: lol, version: '1'}", "paths: {}", f"x-l0: &l0 [{', '.join(['lol'] * 9)}]"]
    for level in range(1, levels):
        lines.append(f"x-l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"
