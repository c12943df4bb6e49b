"""The broadcast's floors: the least time any mock answering in-process can take for its posts.

The benchmark's broadcast handler makes one boto3 ``post_to_connection`` call per socket. Two floors are measured:

* :func:`broadcast_floor`, botocore's own part: the same calls answered at botocore's ``before-call`` event with
  a canned success, in this process, with no mock and no socket. What is left is botocore's own work on each
  call before anything can answer it (validating and serializing the parameters, resolving the endpoint with its
  ruleset, building the ``User-Agent``, emitting its events). A mock answers at the same place (mockapigw does),
  and then also pays for its answer and botocore's parse of it.
* :func:`delivery_only`, the same in the server: ``mockapigw serve --app benchmarks.server_floor:delivery_only``
  serves the benchmark's application, except that the handlers' posts are answered at ``before-call`` by the
  delivery alone (the @connections backend's checks and the frame to the socket), without decoding the request,
  building an answer or botocore's parse of it. Its broadcast is botocore's part, the delivery and the handler
  thread sharing the process with the event loop: what no in-process mock can get under on this machine.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import unquote

import boto3
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

from mockapigw import MockApiGateway
from mockapigw.core.errors import ServiceError
from mockapigw.management.backend import ManagementBackend

from .server_app import Chat, setup

_ENDPOINT = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod"


def broadcast_floor(calls: int, rounds: int = 3) -> float:
    """Seconds that *calls* sequential ``post_to_connection`` calls take with canned answers (best of *rounds*)."""
    client = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=_ENDPOINT,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    response = AWSResponse(_ENDPOINT, 200, HTTPHeaders(), None)

    def canned(**kwargs: Any) -> tuple[AWSResponse, dict[str, Any]]:
        return response, {"ResponseMetadata": {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}}

    # A before-call handler's answer ends the call (botocore's stub types handlers as returning None).
    client.meta.events.register("before-call.apigatewaymanagementapi.PostToConnection", canned)  # type: ignore[arg-type]
    data = b'{"action": "broadcast", "n": 0}'
    client.post_to_connection(ConnectionId="warm-up", Data=data)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for index in range(calls):
            client.post_to_connection(ConnectionId=f"c{index}", Data=data)
        best = min(best, time.perf_counter() - start)
    return best


class DeliveryOnlyChat(Chat):
    """The benchmark's handlers, whose posts the @connections backend delivers without a mock's answer."""

    def __init__(self, backend: ManagementBackend) -> None:
        super().__init__()
        self._backend = backend

    def new_client(self, endpoint: str, event: dict[str, Any]) -> Any:
        client = super().new_client(endpoint, event)
        context = event["requestContext"]
        target = (context["apiId"], context["stage"])
        backend = self._backend
        ok = AWSResponse(endpoint, 200, HTTPHeaders(), None)

        def deliver(**kwargs: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
            params = kwargs["params"]
            connection_id = unquote(params["url"].rpartition("/")[2])
            try:
                backend.post_to_connection({"ConnectionId": connection_id, "Data": params["body"]}, target)
            except ServiceError:
                return None  # a post that is not delivered (a gone connection) is the mock's to answer
            return ok, {"ResponseMetadata": {"HTTPStatusCode": 200, "HTTPHeaders": {}, "RetryAttempts": 0}}

        # More specific than the mock's bare before-call handler, so it answers first.
        client.meta.events.register("before-call.apigatewaymanagementapi.PostToConnection", deliver)
        return client


def delivery_only(gw: MockApiGateway) -> None:
    """``--app`` for the server floor: the benchmark's application, posts answered by the delivery alone."""
    setup(gw, DeliveryOnlyChat(ManagementBackend(gw.websockets.connections, gw.websockets)))
