"""Selection expressions: compiling them, matching keys, and WebSocket route selection."""

from __future__ import annotations

import json
from typing import Any

import pytest
from wsapi import FUNCTION_ARN, WsApi

from mockapigw.runtime.selection import compile_expression, matches_key, request_context


def test_route_selection_exact_then_default_then_forbidden(ws: WsApi) -> None:
    ws.route("join")
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "leave"})
    forbidden = client.receive_text()
    request_id = json.loads(forbidden)["requestId"]
    assert forbidden == (
        f'{{"message": "Forbidden", "connectionId":"{client.connection_id}", "requestId":"{request_id}"}}'
    )
    assert client.connected  # the client stays connected
    ws.route("$default")
    client.send("not json at all")
    client.send({"action": "join"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["$default", "join"]


def test_nested_and_templated_selection_expressions(apigw: Any, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="WEBSOCKET", RouteSelectionExpression="${request.body.a.b}-v1")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION_ARN)
    seen: list[str] = []
    apigw.register_lambda("chat", lambda event, context: seen.append(event["requestContext"]["routeKey"]))
    for key in ("deep-v1", "-v1"):
        v2.create_route(ApiId=api["ApiId"], RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="s")
    v2.create_deployment(ApiId=api["ApiId"], StageName="s")
    client = apigw.connect(api["ApiId"], "s")
    client.send({"a": {"b": "deep"}})
    client.send({"other": 1})  # a missing value evaluates to ""
    assert seen == ["deep-v1", "-v1"]


@pytest.mark.parametrize(
    ("expression", "body", "expected"),
    [
        ("$request.body.action", '{"action": "join"}', "join"),
        ("${request.body.a.b}-${request.body.missing}", '{"a": {"b": "x"}}', "x-"),
        ("$request.body.flag", '{"flag": true}', "true"),
        # An array as the developer guide shows it ("[item1, item2]"); an object as compact JSON (the mock's choice).
        ("$request.body.items", '{"items": ["item1", "item2"]}', "[item1, item2]"),
        ("$request.body.items", '{"items": [1, [true, null], {"k": "v"}]}', '[1, [true, null], {"k":"v"}]'),
        ("$request.body.items", '{"items": []}', "[]"),
        ("$request.body.object", '{"object": {"a": [1, 2]}}', '{"a":[1,2]}'),
        ("$request.body.items", '{"items": ["é", {"k": "é"}]}', '[é, {"k":"é"}]'),
        ("$request.body.nothing", '{"nothing": null}', ""),
        ("\\$default", '{"a": 1}', "$default"),
        ("static", "not json", "static"),
        ("$request.body.action", "not json", ""),
    ],
)
def test_expressions(expression: str, body: str, expected: str) -> None:
    assert compile_expression(expression)(request_context(body)) == expected


def test_selection_keys_match_exactly_or_as_regex() -> None:
    assert matches_key("/2\\d\\d/", "204")
    assert not matches_key("/2\\d\\d/", "404")
    assert matches_key("$default", "$default")
    assert not matches_key("abc", "ab")
