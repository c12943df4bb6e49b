"""The per-call cases: each prepares its state under an active subject and returns the call to time."""

from __future__ import annotations

from collections.abc import Callable

from .subjects import Subject

Call = Callable[[int], object]

# AWS allows 300 routes per API by default; stay below it so a faithful mock never has to refuse.
ROUTES_PER_API = 250
# Read the connected client's unread messages every this many posts; it happens inside the timed loop, but rarely.
DRAIN_EVERY = 100
# What every post sends.
DATA = b"hello"


def get_api(subject: Subject, total: int) -> Call:
    """``GetApi`` of one HTTP API created beforehand."""
    client = subject.client("apigatewayv2")
    api_id = client.create_api(Name="bench", ProtocolType="HTTP")["ApiId"]

    def call(i: int) -> object:
        return client.get_api(ApiId=api_id)

    return call


def create_route(subject: Subject, total: int) -> Call:
    """``CreateRoute`` with a fresh route key each call, on HTTP APIs created beforehand."""
    client = subject.client("apigatewayv2")
    apis = [
        client.create_api(Name=f"bench-{n}", ProtocolType="HTTP")["ApiId"] for n in range(total // ROUTES_PER_API + 1)
    ]

    def call(i: int) -> object:
        return client.create_route(ApiId=apis[i // ROUTES_PER_API], RouteKey=f"GET /r{i}")

    return call


def post_to_connection(subject: Subject, total: int) -> Call:
    """``PostToConnection`` of a small payload to one connected WebSocket client."""
    connection = subject.open_connections(1)
    client = subject.client("apigatewaymanagementapi", endpoint_url=connection.endpoint_url)
    connection_id, drain = connection.connection_ids[0], connection.drain

    def call(i: int) -> object:
        response = client.post_to_connection(ConnectionId=connection_id, Data=DATA)
        if drain is not None and i % DRAIN_EVERY == DRAIN_EVERY - 1:
            drain()
        return response

    return call


CALLS: dict[str, Callable[[Subject, int], Call]] = {
    "get_api": get_api,
    "create_route": create_route,
    "post_to_connection": post_to_connection,
}
