"""WebSocket route modes: a one-way route sends nothing back, whatever its handler returns; a two-way route replies."""

from __future__ import annotations

from wsapi import WsApi

REPLY = {"statusCode": 200, "body": "reply"}


def test_one_way_route_drops_the_handlers_body(ws: WsApi) -> None:
    ws.route("tell")  # no RouteResponseSelectionExpression and no route response: one-way
    ws.replies["tell"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "tell"})
    assert [e["requestContext"]["routeKey"] for e in ws.of_type("MESSAGE")] == ["tell"]
    assert client.received == []


def test_two_way_route_sends_the_same_body_back(ws: WsApi) -> None:
    ws.route("ask", two_way=True)
    ws.replies["ask"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "ask"})
    assert client.received == [b"reply"]


def test_route_response_selection_expression_alone_is_one_way(ws: WsApi) -> None:
    # AWS passes the backend's response on only through a route response (docs/reference/aws-behaviour.md §5.1).
    ws.route("half", RouteResponseSelectionExpression="$default")
    ws.replies["half"] = REPLY
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "half"})
    assert client.received == []
