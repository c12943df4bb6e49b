"""botocore's own part of the broadcast: the least time any mock answering in-process can take for its posts.

The benchmark's broadcast handler makes one boto3 ``post_to_connection`` call per socket. Here the same calls are
answered at botocore's ``before-call`` event with a canned success, in this process, with no mock and no socket:
what is left is botocore's own work on each call before anything can answer it (validating and serializing the
parameters, resolving the endpoint with its ruleset, building the ``User-Agent``, emitting its events). A mock
answers at the same place (mockapigw does), and then also pays for its answer and botocore's parse of it.
"""

from __future__ import annotations

import time
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.compat import HTTPHeaders

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
