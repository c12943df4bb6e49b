"""The floor's canned answers: wire responses recorded from mockapigw, replayed without any mock."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict

# Canned responses by case, then by botocore event name (``before-send.<service>.<Operation>``).
Wire = tuple[int, dict[str, str], bytes]
Canned = dict[str, Wire]


class CannedResponse(AWSResponse):
    """An ``AWSResponse`` built from bytes already in memory (botocore reads ``content`` only)."""

    def __init__(self, url: str, wire: Wire) -> None:
        self.url = url
        self.status_code = wire[0]
        # A fresh headers object per call, as any mock would hand out: botocore may keep references to it.
        self.headers = HeadersDict(wire[1])
        self.raw = None
        self._content = wire[2]


def hook(canned: Mapping[str, Wire]) -> Callable[..., Any]:
    """The floor's ``before-send`` handler: one dict look-up and one response object per call."""

    def before_send(request: AWSPreparedRequest, event_name: str, **kwargs: Any) -> AWSResponse:
        return CannedResponse(request.url, canned[event_name])

    return before_send


def recorder(into: Canned) -> Callable[..., None]:
    """A ``response-received`` handler that keeps the last wire response of each operation."""

    def record(response_dict: Mapping[str, Any] | None, event_name: str, **kwargs: Any) -> None:
        if response_dict is not None:
            send_event = "before-send." + event_name.split(".", 1)[1]
            into[send_event] = (response_dict["status_code"], dict(response_dict["headers"]), response_dict["body"])

    return record


def to_json(canned: Canned) -> dict[str, Any]:
    """``canned`` in a JSON-friendly form (bodies in base64)."""
    return {
        event: [status, headers, base64.b64encode(body).decode()] for event, (status, headers, body) in canned.items()
    }


def from_json(data: Mapping[str, Any]) -> Canned:
    """The inverse of :func:`to_json`."""
    return {event: (status, headers, base64.b64decode(body)) for event, (status, headers, body) in data.items()}
