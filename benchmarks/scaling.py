"""The scaling cases: each runs under an active subject, in its own worker process, and returns its timings.

- ``paginate_routes``: every page of an API's N routes through boto3's ``get_routes`` paginator, 100 per page;
  one figure per full pagination.
- ``broadcast``: ``PostToConnection`` to each of N connected clients in turn; one figure per broadcast.
- ``round_trip`` (mockapigw only): ``gw.connect`` to a stage without and with a ``$connect`` route to a Lambda
  handler, and a ``send`` that the handler answers on a two-way route followed by the client's ``receive``;
  per-operation figures from timed batches, as for the per-call cases.

Every figure is in nanoseconds. The garbage collector stays on, as it is in tests.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from time import perf_counter_ns
from typing import Any

import requests

from mockapigw.runtime.lambdas import CallSite, invoke

from . import PAGE_SIZE
from .cases import DATA
from .subjects import FUNCTION_ARN, STAGE, Mockapigw, Subject
from .timing import measure

Figures = dict[str, list[float]]
# What the round trip's client sends; the route selection expression finds no "echo" route, so $default answers.
MESSAGE = '{"action": "echo", "text": "hello"}'


def _timed(passes: int, one_pass: Callable[[], object], after: Callable[[], object] | None = None) -> list[float]:
    """Nanoseconds of each of *passes* calls of *one_pass*; *after* runs untimed after each."""
    gc.collect()  # every process starts timing from the same heap state
    spent: list[float] = []
    for _ in range(passes):
        begin = perf_counter_ns()
        one_pass()
        spent.append(float(perf_counter_ns() - begin))
        if after is not None:
            after()
    return spent


def paginate_routes(subject: Subject, size: int, passes: int) -> tuple[Figures, dict[str, int]]:
    """Time full paginations of an API's *size* routes; the figures, and the pages and items of one pagination."""
    api_id = subject.add_routes(size)
    paginator = subject.client("apigatewayv2").get_paginator("get_routes")
    seen = {"pages": 0, "items": 0}

    def one_pass() -> None:
        pages = items = 0
        for page in paginator.paginate(ApiId=api_id, PaginationConfig={"PageSize": PAGE_SIZE}):
            pages += 1
            items += len(page["Items"])
        seen.update(pages=pages, items=items)

    one_pass()  # warm-up, and the check that every route comes back
    if seen["items"] != size:
        raise RuntimeError(f"{subject.name}: paginating {size} routes gave {seen['items']}")
    return {"pass": _timed(passes, one_pass)}, seen


def broadcast(subject: Subject, size: int, passes: int, warmup: int) -> tuple[Figures, dict[str, int]]:
    """Time broadcasts of one post to each of *size* connections; untimed *warmup* posts first."""
    connections = subject.open_connections(size)
    client = subject.client("apigatewaymanagementapi", endpoint_url=connections.endpoint_url)
    post, ids, drain = client.post_to_connection, connections.connection_ids, connections.drain
    for i in range(warmup):
        post(ConnectionId=ids[i % size], Data=DATA)
    if drain is not None:
        drain()

    def one_pass() -> None:
        for connection_id in ids:
            post(ConnectionId=connection_id, Data=DATA)

    # Each client reads its message after every broadcast (untimed), as a chat client would.
    return {"pass": _timed(passes, one_pass, drain)}, {"posts": size}


def round_trip(subject: Subject, calls: int, batches: int, warmup: int) -> tuple[Figures, dict[str, int]]:
    """Per-operation nanoseconds of each batch: connect, connect through ``$connect``, and send + receive."""
    if not isinstance(subject, Mockapigw):
        raise NotImplementedError(f"{subject.name} has no WebSocket runtime to connect to")
    gw = subject.gw

    def echo(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return {"statusCode": 200, "body": event.get("body") or ""}

    gw.register_lambda(FUNCTION_ARN, echo)
    plain = subject.websocket_api("AWS_PROXY", two_way=True)
    guarded = subject.websocket_api("AWS_PROXY", connect_route=True, two_way=True)
    client = gw.connect(plain, STAGE)

    def exchange(i: int) -> bytes:
        client.send(MESSAGE)
        return bytes(client.receive())

    if exchange(0) != MESSAGE.encode():
        raise RuntimeError("the round trip's handler did not answer with the message it was sent")
    url = _http_api(subject)

    def through_requests(i: int) -> bytes:
        return bytes(requests.get(url).content)

    def through_invoke(i: int) -> bytes:
        return gw.invoke("GET", url).body

    if through_requests(0) != b"pong" or through_invoke(0) != b"pong":
        raise RuntimeError("the HTTP API's handler did not answer")
    site = CallSite("integration", "HTTP", "bench", "$default", "us-east-1", gw.account_id)
    event = {"version": "2.0", "rawPath": "/ping", "requestContext": {"http": {"method": "GET"}}}

    def invocation(i: int) -> object:
        # One Lambda call as the runtimes make it: context, environment, serialization and the record in
        # gw.invocations (which keeps growing over the run, so its cost must stay flat).
        return invoke(gw.lambdas, FUNCTION_ARN, event, 29000, site).payload

    figures = {
        "connect": measure(lambda i: gw.connect(plain, STAGE), 0, warmup, batches, calls),
        "connect_lambda": measure(lambda i: gw.connect(guarded, STAGE), 0, warmup, batches, calls),
        "send_receive": measure(exchange, 1, warmup, batches, calls),
        "http_requests": measure(through_requests, 1, warmup, batches, calls),
        "http_invoke": measure(through_invoke, 1, warmup, batches, calls),
        "lambda_invocation": measure(invocation, 1, warmup, batches, calls),
    }
    return figures, {}


def _http_api(subject: Mockapigw) -> str:
    """A quick-created HTTP API whose Lambda handler answers ``pong``; its invoke URL."""
    arn = "arn:aws:lambda:us-east-1:123456789012:function:pong"
    subject.gw.register_lambda(arn, lambda event, context: "pong")
    api = subject.client("apigatewayv2").create_api(Name="bench-http", ProtocolType="HTTP", Target=arn)
    return f"{api['ApiEndpoint']}/ping"
