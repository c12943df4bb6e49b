"""The simulated WebSocket client and gw.connect: input checks (before anything runs) and life after stop()."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wsapi import WsApi, build_ws_api

from mockapigw import mock_apigateway

# --- send


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (None, TypeError, "not NoneType"),
        (5, TypeError, "not int"),
        ((1, 2), TypeError, "not tuple"),
        ({1, 2}, TypeError, "not set"),
        ({"a": dt.datetime(2020, 1, 1)}, TypeError, "sent as JSON, and Object of type datetime is not JSON"),
        ({"a": float("nan")}, ValueError, "sent as JSON, and Out of range float values"),
        (["x", float("inf")], ValueError, "sent as JSON"),
        ("\ud800", ValueError, "a text frame is UTF-8"),
    ],
)
def test_send_refuses_what_it_cannot_send_before_anything_runs(ws: WsApi, data: Any, error: type, words: str) -> None:
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.raises(error, match=r"^send\(data\)") as info:
        client.send(data)
    assert words in str(info.value)
    assert ws.of_type("MESSAGE") == [] and client.connected


def test_send_keeps_the_documented_forms(ws: WsApi) -> None:
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    client.send("text")
    client.send({"a": [1, 2.5, None, True]})
    client.send(["x"])
    assert [event["body"] for event in ws.of_type("MESSAGE")] == ["text", '{"a": [1, 2.5, null, true]}', '["x"]']
    client.send(bytearray(b"binary"))  # a binary frame, which API Gateway closes with 1003
    assert client.close_code == 1003


@settings(max_examples=25, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(), lambda inner: st.lists(inner, max_size=3)))
def test_any_json_list_is_sent_as_the_json_text_the_handler_reads_back(data: Any) -> None:
    with mock_apigateway() as gw:
        ws = build_ws_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        ws.route("$default")
        gw.connect(ws.api_id, "prod").send([data])
    assert json.loads(ws.of_type("MESSAGE")[0]["body"]) == [data]


# --- close


@pytest.mark.parametrize(
    ("code", "reason", "error", "words"),
    [
        ("1000", "", TypeError, "close code is an int, not str"),
        (None, "", TypeError, "close code is an int, not NoneType"),
        (True, "", TypeError, "close code is an int, not bool"),
        (99999, "", ValueError, "may not send close code 99999"),
        (-1, "", ValueError, "may not send close code -1"),
        (1004, "", ValueError, "may not send close code 1004"),
        (1015, "", ValueError, "may not send close code 1015"),
        (2999, "", ValueError, "may not send close code 2999"),
        (5000, "", ValueError, "may not send close code 5000"),
        (1000, b"bytes", TypeError, "close reason is a str, not bytes"),
        (1000, None, TypeError, "close reason is a str, not NoneType"),
        (1000, "r" * 124, ValueError, "124 bytes in UTF-8, over the 123"),
        (1000, "é" * 62, ValueError, "124 bytes in UTF-8, over the 123"),
    ],
)
def test_close_refuses_what_a_client_may_not_send(ws: WsApi, code: Any, reason: Any, error: type, words: str) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.raises(error, match=r"^close\((code|reason)\)") as info:
        client.close(code, reason)
    assert words in str(info.value)
    assert client.connected and ws.of_type("DISCONNECT") == []


@pytest.mark.parametrize(
    ("code", "reason"), [(1000, ""), (1001, "bye"), (1011, "x"), (3000, "r" * 123), (4999, "é" * 61)]
)
def test_close_takes_what_a_client_may_send(ws: WsApi, code: int, reason: str) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    client.close(code, reason)
    context = ws.of_type("DISCONNECT")[0]["requestContext"]
    assert (context["disconnectStatusCode"], context["disconnectReason"]) == (code, reason)


@pytest.mark.parametrize(
    ("code", "reason", "reported"),
    [
        (1005, "", "Client-side close frame status not set"),  # AWS's reason for a close frame without a code
        (1006, "", ""),
    ],
)
def test_close_simulates_the_endings_aws_reports_without_a_code(
    ws: WsApi, code: int, reason: str, reported: str
) -> None:
    # 1005 (a close frame without a code) and 1006 (dropped) are never sent, but AWS reports them to $disconnect.
    client = ws.gw.connect(ws.api_id, "prod")
    client.close(code, reason)
    context = ws.of_type("DISCONNECT")[0]["requestContext"]
    assert (context["disconnectStatusCode"], context["disconnectReason"]) == (code, reported)


# --- gw.connect


@pytest.mark.parametrize(
    ("arguments", "words"),
    [
        ({"query": "a=b"}, "connect(query=...) is a mapping of names to a str or a list of str, not str (pass"),
        ({"query": {"page": 2}}, "parameter 'page' is 2"),
        ({"query": {"flag": None}}, "parameter 'flag' is None"),
        ({"query": {"ids": ["1", 2]}}, "parameter 'ids' is ['1', 2]"),
        ({"query": {"ids": ("1",)}}, "parameter 'ids' is ('1',)"),
        ({"headers": [("a", "b")]}, "connect(headers=...) is a mapping"),
        ({"headers": {"X-Count": 1}}, "header 'X-Count' is int"),
        ({"headers": {"X-None": None}}, "header 'X-None' is NoneType"),
        ({"user_agent": 5}, "connect(user_agent=...) is a str or None, not int"),
        ({"source_ip": None}, "connect(source_ip=...) is a str, not NoneType"),
        ({"region": 1}, "connect(region=...) is a str or None, not int"),
        ({"stage": None}, "connect(stage=...) is a str, not NoneType"),
        ({"api_id": 123}, "connect(api_id=...) is a str, not int"),
    ],
)
def test_connect_refuses_arguments_of_the_wrong_type_before_connect_runs(
    ws: WsApi, arguments: dict[str, Any], words: str
) -> None:
    call = {"api_id": ws.api_id, "stage": "prod", **arguments}
    with pytest.raises(TypeError) as info:
        ws.gw.connect(call.pop("api_id"), call.pop("stage"), **call)
    assert words in str(info.value)
    assert ws.of_type("CONNECT") == []


def test_connect_keeps_the_documented_forms(ws: WsApi) -> None:
    ws.gw.connect(ws.api_id, "prod", headers={"X-A": "1"}, query={"one": "1", "many": ["a", "b"]}, user_agent=None)
    event = ws.of_type("CONNECT")[0]
    assert event["headers"]["X-A"] == "1"
    assert event["multiValueQueryStringParameters"] == {"one": ["1"], "many": ["a", "b"]}
    assert "User-Agent" not in event["headers"]


# --- max_unread_bytes


@pytest.mark.parametrize(("limit", "error"), [("5", TypeError), (1.5, TypeError), (True, TypeError), (-1, ValueError)])
def test_max_unread_bytes_is_an_int_of_at_least_zero_or_none(ws: WsApi, limit: Any, error: type) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    with pytest.raises(error, match="max_unread_bytes"):
        client.max_unread_bytes = limit
    assert client.max_unread_bytes is None
    client.max_unread_bytes = 0
    with pytest.raises(ws.management().exceptions.LimitExceededException):
        ws.management().post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    client.max_unread_bytes = None
    ws.management().post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert client.receive() == b"x"


# --- after stop()


def test_send_and_ping_after_the_mock_stopped_are_refused_as_connect_is() -> None:
    with mock_apigateway() as gw:
        ws = build_ws_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        ws.route("$default")
        client = gw.connect(ws.api_id, "prod")
    for call, name in ((lambda: client.send("hi"), "send"), (client.ping, "ping")):
        with pytest.raises(RuntimeError, match=rf"the mock is not active \(WebSocketClient.{name} was called"):
            call()
    assert ws.of_type("MESSAGE") == []


def test_stopping_the_mock_closes_open_connections_with_1001_and_runs_no_handler() -> None:
    # No $disconnect: the services its handler's boto3 calls need (moto, another mock) may have stopped already.
    with mock_apigateway() as gw:
        ws = build_ws_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        clients = [gw.connect(ws.api_id, "prod") for _ in range(3)]
        clients[0].close(4000, "done")
    assert [(client.connected, client.close_code) for client in clients] == [
        (False, 4000),
        (False, 1001),
        (False, 1001),
    ]
    assert [event["requestContext"]["disconnectStatusCode"] for event in ws.of_type("DISCONNECT")] == [4000]
    clients[1].close()  # teardown order does not matter: closed already, nothing runs
    assert len(ws.of_type("DISCONNECT")) == 1
    assert clients[1].close_code == 1001
