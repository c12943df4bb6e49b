"""Malformed OpenAPI documents: ImportApi and ReimportApi answer BadRequestException saying what is wrong, and
change nothing; hostile documents (deep nesting, YAML alias bombs) are refused without the work they ask for."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw.apigatewayv2.openapi_load import ALIAS_ALLOWANCE, MAX_DEPTH

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:pets"

VALID: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"title": "Pets", "version": "1.0", "description": "A pet store"},
    "servers": [{"url": "https://pets.example.com/{basePath}", "variables": {"basePath": {"default": "/v1"}}}],
    "x-amazon-apigateway-cors": {"allowOrigins": ["https://pets.example.com"], "maxAge": 300},
    "components": {
        "securitySchemes": {
            "jwt": {
                "type": "oauth2",
                "flows": {},
                "x-amazon-apigateway-authorizer": {
                    "type": "jwt",
                    "identitySource": "$request.header.Authorization",
                    "jwtConfiguration": {"issuer": "https://issuer.example.com", "audience": ["pets"]},
                },
            }
        },
        "schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
    },
    "paths": {
        "/pets": {
            "get": {
                "security": [{"jwt": ["pets.read"]}],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
                    }
                },
                "x-amazon-apigateway-integration": {"type": "aws_proxy", "uri": LAMBDA, "payloadFormatVersion": "2.0"},
            },
            "post": {
                "responses": {"default": {"description": "ok"}},
                "x-amazon-apigateway-integration": {
                    "type": "http_proxy",
                    "httpMethod": "POST",
                    "uri": "https://backend.example.com/pets",
                    "payloadFormatVersion": "1.0",
                    "tlsConfig": {"serverNameToVerify": "backend.example.com"},
                },
            },
        }
    },
}


def _state(v2: Any) -> list[Any]:
    """Everything an import can change, without volatile members."""
    out = []
    for api in sorted(v2.get_apis()["Items"], key=lambda a: a["ApiId"]):
        api_id = api["ApiId"]
        out.append(
            (
                {k: v for k, v in api.items() if k != "CreatedDate"},
                sorted(json.dumps(r, sort_keys=True) for r in v2.get_routes(ApiId=api_id)["Items"]),
                sorted(json.dumps(i, sort_keys=True) for i in v2.get_integrations(ApiId=api_id)["Items"]),
                sorted(json.dumps(a, sort_keys=True) for a in v2.get_authorizers(ApiId=api_id)["Items"]),
            )
        )
    return out


def _refused(v2: Any, body: str, match: str, **kwargs: Any) -> None:
    """Both ImportApi and ReimportApi refuse *body* with a message matching *match*, and change nothing."""
    target = v2.import_api(Body=json.dumps(VALID))["ApiId"]
    before = _state(v2)
    with pytest.raises(v2.exceptions.BadRequestException, match=match):
        v2.import_api(Body=body, **kwargs)
    with pytest.raises(v2.exceptions.BadRequestException, match=match):
        v2.reimport_api(ApiId=target, Body=body, **kwargs)
    assert _state(v2) == before


def _with(path: list[Any], value: Any) -> str:
    document = copy.deepcopy(VALID)
    node = document
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return json.dumps(document)


def test_the_valid_document_imports_without_warnings(v2: Any) -> None:
    api = v2.import_api(Body=json.dumps(VALID), FailOnWarnings=True)
    assert "Warnings" not in api
    assert {r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]} == {"GET /pets", "POST /pets"}


@pytest.mark.parametrize(
    ("path", "value", "match"),
    [
        (["components"], "x", r"components: \"x\" is not of type object"),
        (["components", "securitySchemes"], [{"type": "http"}], "components.securitySchemes: .* is not of type object"),
        (["components", "securitySchemes", "jwt"], 5, "components.securitySchemes.jwt: 5 is not of type object"),
        (["paths", "/pets", "post", "x-amazon-apigateway-integration", "tlsConfig"], 5, "tlsConfig: 5 is not of type"),
        (["paths", "/pets"], 5, r"paths.'/pets': 5 is not of type object"),
        (["paths", "/pets"], "GET", r"paths.'/pets': \"GET\" is not of type object"),
        (["paths", "/pets", "get"], "x", r"paths.'/pets'\(get\): \"x\" is not of type object"),
        (["paths", "/pets", "get", "security"], [{"jwt": 5}], r"security.0.jwt: 5 is not of type array"),
        (["paths", "/pets", "get", "security"], {"jwt": []}, r"security: .* is not of type array"),
        (["paths"], [1], r"paths: \[1\] is not of type object"),
        (["info"], {"title": {"a": 1}}, r"info.title: .* is not of type string"),
        (["x-amazon-apigateway-cors"], {"allowOrigins": "*"}, "allowOrigins: .* is not of type array"),
        (["paths", "/pets", "get", "x-amazon-apigateway-integration"], [], "is not of type object"),
        (["components", "securitySchemes", "jwt", "x-amazon-apigateway-authorizer", "jwtConfiguration"], "x", "jwt"),
    ],
)
def test_a_member_of_the_wrong_type_is_a_bad_request(v2: Any, path: list[Any], value: Any, match: str) -> None:
    _refused(v2, _with(path, value), "Invalid OpenAPI definition: .*" + match)


def test_servers_of_the_wrong_type_with_basepath_prepend(v2: Any) -> None:
    _refused(v2, _with(["servers"], 5), "servers: 5 is not of type array", Basepath="prepend")
    _refused(v2, _with(["servers"], [5]), "servers.0: 5 is not of type object", Basepath="prepend")
    _refused(v2, _with(["servers", 0, "variables"], []), "variables: .* is not of type object", Basepath="prepend")


def test_many_errors_are_listed_up_to_ten(v2: Any) -> None:
    document = copy.deepcopy(VALID)
    document["paths"] = {f"/p{i}": 5 for i in range(30)}
    with pytest.raises(v2.exceptions.BadRequestException, match="and 20 more") as raised:
        v2.import_api(Body=json.dumps(document))
    assert raised.value.response["Error"]["Message"].count("is not of type object") == 10


def test_a_huge_wrongly_typed_member_is_named_briefly(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as raised:
        v2.import_api(Body=_with(["components"], ["x" * 1000] * 1000))
    assert len(raised.value.response["Error"]["Message"]) < 300


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 5_000, 200_000])
def test_deep_json_is_refused(v2: Any, depth: int) -> None:
    body = json.dumps(VALID)[:-1] + ', "x-deep": ' + "[" * depth + "]" * depth + "}"
    _refused(v2, body, f"nested deeper than {MAX_DEPTH} levels")


@pytest.mark.parametrize(
    "deep",
    [
        "[" * 200_000,  # flow collections
        "".join(" " * i + "- \n" for i in range(MAX_DEPTH + 5)),  # block sequences, one more level per line
        "- " * 50_000 + "x",  # compact nested sequences on one line
        "{a: " * 5_000 + "b" + "}" * 5_000,
    ],
)
def test_deep_yaml_is_refused(v2: Any, deep: str) -> None:
    body = yaml.safe_dump(VALID) + "x-deep:\n" + "\n".join("  " + line for line in deep.splitlines()) + "\n"
    with pytest.raises(v2.exceptions.BadRequestException, match="Unable to parse the OpenAPI definition"):
        v2.import_api(Body=body)
    assert v2.get_apis()["Items"] == []


BILLION_LAUGHS = "\n".join(
    [
        "openapi: 3.0.1",
        "info: {title: lol}",
        "paths: {}",
        'x-a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
        *(f"x-{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)),
    ]
)


def test_the_billion_laughs_is_refused(v2: Any) -> None:
    assert len(BILLION_LAUGHS) < 600
    _refused(v2, BILLION_LAUGHS, "aliases repeat more nodes than the document writes")


def test_a_recursive_alias_is_refused(v2: Any) -> None:
    _refused(v2, "openapi: 3.0.1\ninfo: {title: x}\npaths: {}\nx-loop: &loop [*loop]\n", "refers to a node that")


def test_aliases_within_the_allowance_are_read(v2: Any) -> None:
    document = f"""
openapi: 3.0.1
info: {{title: anchors, version: "1"}}
paths:
  /a:
    get:
      responses: &ok {{default: {{description: ok}}}}
      x-amazon-apigateway-integration: &lambda {{type: aws_proxy, uri: "{LAMBDA}", payloadFormatVersion: "2.0"}}
  /b:
    get:
      responses: *ok
      x-amazon-apigateway-integration: *lambda
x-many: [{", ".join(["*lambda"] * (ALIAS_ALLOWANCE // 10))}]
"""
    api = v2.import_api(Body=document, FailOnWarnings=True)
    assert {r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]} == {"GET /a", "GET /b"}


def test_a_lone_surrogate_in_a_string_is_refused(v2: Any) -> None:
    body = json.dumps(VALID).replace('"title": "Pets"', '"title": "Pets\\ud800"')
    _refused(v2, body, "not valid Unicode")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("openapi: 3.0.1\ninfo: {title: x}\npaths: {}\nx-bytes: !!binary aGVsbG8=\n", "a value of type bytes"),
        ("openapi: 3.0.1\ninfo: {title: x}\npaths: {}\nx-set: !!set {a, b}\n", "a value of type set"),
        ("openapi: 3.0.1\ninfo: {title: x}\npaths: {}\nx-big: " + "9" * 5000 + "\n", "Exceeds the limit"),
        ('{"openapi": "3.0.1", "info": {"title": "x"}, "x-big": ' + "9" * 5000 + "}", "Exceeds the limit"),
        ("openapi: 3.0.1\ninfo: {title: x}\npaths: {}\n? [a]\n: b\n", "unhashable key"),
    ],
)
def test_values_outside_json_are_refused(v2: Any, body: str, match: str) -> None:
    _refused(v2, body, match)


def test_yaml_keys_and_timestamps_are_read_as_json_text(v2: Any) -> None:
    document = f"""
openapi: 3.0.1
info: {{title: dates, version: 2024-01-31}}
paths:
  /a:
    get:
      responses: {{200: {{description: ok}}}}
      x-amazon-apigateway-integration: {{type: aws_proxy, uri: "{LAMBDA}", payloadFormatVersion: 2.0}}
"""
    api = v2.import_api(Body=document, FailOnWarnings=True)
    assert api["Version"] == "2024-01-31"


# ---------------------------------------------------------------------------------------------- properties


def _places(node: Any, path: list[Any]) -> list[list[Any]]:
    """Every place in a document: the path of each member and list item."""
    places = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            places += _places(value, [*path, key])
    elif isinstance(node, list):
        for index, value in enumerate(node):
            places += _places(value, [*path, index])
    return places


PLACES = _places(VALID, [])
# A value of another JSON type than the one at the place (a number or boolean for a string is read as its text).
WRONG = {
    dict: st.sampled_from([5, "x", [1], None, True]),
    list: st.sampled_from([5, "x", {"a": 1}, None]),
    str: st.sampled_from([{"a": 1}, [1], {}]),
    int: st.sampled_from(["x", {"a": 1}, [1]]),
}


@st.composite
def _malformed(draw: st.DrawFn) -> str:
    document = copy.deepcopy(VALID)
    for path in draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3)):
        node = document
        try:
            for key in path[:-1]:
                node = node[key]
            current = node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent of this place
        node[path[-1]] = draw(WRONG.get(type(current), st.just({"a": 1})))
    return draw(st.sampled_from([json.dumps, yaml.safe_dump]))(document)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_malformed(), reimport=st.booleans())
def test_any_wrongly_typed_document_succeeds_or_is_a_bad_request_that_changes_nothing(
    v2: Any, body: str, reimport: bool
) -> None:
    apis = v2.get_apis()["Items"]
    target = apis[0]["ApiId"] if apis else v2.import_api(Body=json.dumps(VALID))["ApiId"]
    before = _state(v2)
    try:
        if reimport:
            v2.reimport_api(ApiId=target, Body=body)
        else:
            v2.import_api(Body=body)
    except v2.exceptions.BadRequestException as refused:
        message = refused.response["Error"]["Message"]
        assert message and "Traceback" not in message
        assert _state(v2) == before
    except (v2.exceptions.ConflictException, v2.exceptions.NotFoundException):
        assert _state(v2) == before
    _state(v2)  # every read still works


@st.composite
def _nested(draw: st.DrawFn) -> tuple[str, int]:
    """A valid document with a member nested *depth* containers deep; the scalar inside is at depth + 2."""
    depth = draw(st.integers(min_value=MAX_DEPTH - 5, max_value=MAX_DEPTH * 3))
    opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
    deep = opener * depth + "1" + closer * depth
    if draw(st.booleans()):
        return json.dumps(VALID)[:-1] + f', "x-deep": {deep}}}', depth
    return yaml.safe_dump(VALID) + f"x-deep: {deep}\n", depth


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(nested=_nested())
def test_nesting_is_read_up_to_the_limit_and_refused_beyond(v2: Any, nested: tuple[str, int]) -> None:
    body, depth = nested
    before = _state(v2)
    if depth + 2 > MAX_DEPTH:  # the document, x-deep's containers, the scalar
        with pytest.raises(v2.exceptions.BadRequestException, match=f"nested deeper than {MAX_DEPTH} levels"):
            v2.import_api(Body=body)
        assert _state(v2) == before
    else:
        v2.delete_api(ApiId=v2.import_api(Body=body)["ApiId"])


def test_an_error_after_many_warnings_is_still_found(v2: Any) -> None:
    document = copy.deepcopy(VALID)
    document["paths"] = {f"/p{i}": {"get": {}} for i in range(3000)}  # 3,000 warnings: responses is missing
    document["paths"]["/z"] = {"get": "x"}
    _refused(v2, json.dumps(document), r"paths.'/z'\(get\): \"x\" is not of type object")


@pytest.mark.parametrize("libyaml_composes", [True, False])
@pytest.mark.parametrize(
    "deep",
    ["[" * 2_000 + "]" * 2_000, "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "\n  " + "- " * 2_000 + "x"],
)
def test_deep_yaml_is_refused_by_either_composer(
    v2: Any, monkeypatch: pytest.MonkeyPatch, libyaml_composes: bool, deep: str
) -> None:
    """Without anchors libyaml may compose (its own limit is 1,000 levels); the counting composer reads the rest."""
    from mockapigw.apigatewayv2 import openapi_load

    if libyaml_composes and not openapi_load._C_COMPOSER:
        pytest.skip("libyaml 0.2.5 or later is not installed")
    monkeypatch.setattr(openapi_load, "_C_COMPOSER", libyaml_composes)
    body = yaml.safe_dump(VALID) + f"x-deep: {deep}\n"
    refused = "(?s)Unable to parse the OpenAPI definition: .*(nested deeper than|maximum nesting depth)"
    _refused(v2, body, refused)
    _refused(v2, body + "x-anchored: &a [1]\n", refused)  # an anchor: the counting composer reads it
