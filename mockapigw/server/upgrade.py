"""What the server reads of a WebSocket upgrade, however it came: through aiohttp, or as a connection's first bytes.

Most upgrades are the first request of their connection. Those the lease answers itself (:mod:`.lease`), without
aiohttp's request handler, its parser, its tasks and its request object, which cost a handshake more than the rest
of the server's work. Such a head is parsed and checked by the ``websockets`` library's sans-I/O handshake; anything
it does not take as a plain, complete, valid upgrade goes to aiohttp as before. Both ways end in one
:class:`Upgrade`, so the ``$connect`` call and its answers are made by the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formatdate
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.http import SERVER_SOFTWARE
from multidict import MultiDictProxy
from websockets.exceptions import InvalidHandshake
from websockets.http11 import Request
from websockets.server import ServerProtocol
from yarl import URL

_END_OF_HEAD = b"\r\n\r\n"


class Upgrade:
    """One WebSocket upgrade request: its head as the client sent it, and the client's address."""

    __slots__ = ("headers", "peer", "target")

    def __init__(self, headers: Sequence[tuple[str, str]], target: str, peer: str | None) -> None:
        self.headers = headers  # every header, in order, with its name as sent
        self.target = target  # the request target: path and query, undecoded
        self.peer = peer

    @classmethod
    def of(cls, request: web.BaseRequest) -> Upgrade:
        """The upgrade aiohttp parsed."""
        return cls(list(request.headers.items()), request.raw_path, request.remote)

    def header(self, name: str, default: str = "") -> str:
        """The first value of the header *name* (any case)."""
        name = name.lower()
        return next((value for key, value in self.headers if key.lower() == name), default)

    @property
    def path(self) -> str:
        return self.target.partition("?")[0]

    def query(self) -> MultiDictProxy[str]:
        """The query string's parameters, decoded as aiohttp decodes them (with yarl, from the encoded target)."""
        return URL.build(query_string=self.target.partition("#")[0].partition("?")[2], encoded=True).query

    def offered_subprotocols(self) -> list[str]:
        """The subprotocols the client offers in its ``Sec-WebSocket-Protocol`` headers (RFC 6455 §4.1)."""
        values = [value for name, value in self.headers if name.lower() == "sec-websocket-protocol"]
        return [name.strip() for value in values for name in value.split(",") if name.strip()]


def first_upgrade(data: bytes, peername: Any) -> Upgrade | None:
    """The upgrade *data* is, if it is exactly one complete, valid WebSocket upgrade head the lease can answer.

    None for anything else, which aiohttp answers as it answers any request: a head not complete in *data* or
    followed by more bytes, not ASCII (aiohttp and ``websockets`` decode other bytes differently), HTTP/1.0, a
    body, an ``Expect``, or an upgrade ``websockets`` finds malformed (aiohttp refuses it with its own 400).
    """
    end = data.find(_END_OF_HEAD)
    if end < 0 or end + len(_END_OF_HEAD) != len(data) or not data.isascii():
        return None
    protocol = ServerProtocol()  # no extensions (API Gateway is not known to negotiate any), no subprotocols
    protocol.receive_data(data)
    events = protocol.events_received()
    if protocol.handshake_exc is not None or len(events) != 1 or not isinstance(events[0], Request):
        return None
    request = events[0]
    if "Expect" in request.headers:
        return None
    try:
        protocol.process_request(request)  # method, version, Connection, Upgrade, key and its version
    except InvalidHandshake:
        return None
    peer = str(peername[0]) if isinstance(peername, (list, tuple)) and peername else peername
    return Upgrade(list(request.headers.raw_items()), request.path, peer)


def refusal(status: int, body: str) -> bytes:
    """The answer refusing an upgrade, as aiohttp writes ``web.Response(status, text=body, content_type=JSON)``."""
    encoded = body.encode()
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(encoded)}\r\n"
        f"Date: {formatdate(usegmt=True)}\r\n"
        f"Server: {SERVER_SOFTWARE}\r\n\r\n"
    )
    return head.encode("latin-1") + encoded
