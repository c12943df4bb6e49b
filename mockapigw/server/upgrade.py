"""What the server reads of a WebSocket upgrade, however it came: through aiohttp, or as a connection's first bytes.

Most upgrades are the first request of their connection. Those the lease answers itself (:mod:`.lease`), without
aiohttp's request handler, its tasks and its request object, which cost a handshake more than the rest of the
server's work. Such a head is parsed by aiohttp's own request parser, with the server's limits (so headers, path
and query read exactly as on the aiohttp path), and checked by the ``websockets`` library's sans-I/O handshake;
anything that is not a plain, complete, valid upgrade goes to aiohttp as before. Both ways end in one
:class:`Upgrade`, so the ``$connect`` call and its answers are made by the same code.
"""

from __future__ import annotations

import asyncio
import inspect
from email.utils import formatdate
from http import HTTPStatus
from typing import Any, cast

from aiohttp import HttpVersion11, web
from aiohttp.base_protocol import BaseProtocol
from aiohttp.http import SERVER_SOFTWARE, HttpProcessingError, HttpRequestParser
from multidict import CIMultiDictProxy, MultiMapping
from websockets.datastructures import Headers, MultipleValuesError
from websockets.exceptions import InvalidHandshake
from websockets.http11 import Request
from websockets.server import ServerProtocol

_END_OF_HEAD = b"\r\n\r\n"
# process_request() checks a request; what it keeps of one (origin, extensions, subprotocol) nobody reads here, so
# one protocol checks every upgrade, of every server. No extensions: API Gateway is not known to negotiate any.
_CHECKER = ServerProtocol()
# The parser's limit on the number of headers, as aiohttp's handler sets it (its default differs by version).
_MAX_HEADERS: int = inspect.signature(web.RequestHandler).parameters["max_headers"].default


class Upgrade:
    """One WebSocket upgrade request: its head as aiohttp's parser read it, and the client's address."""

    __slots__ = ("headers", "path", "peer", "query")

    def __init__(self, headers: CIMultiDictProxy[str], path: str, query: MultiMapping[str], peer: str | None) -> None:
        self.headers = headers  # every header, in order, with its name as sent
        self.path = path  # undecoded, without the query
        self.query = query  # the query string's parameters, decoded
        self.peer = peer

    @classmethod
    def of(cls, request: web.BaseRequest) -> Upgrade:
        """The upgrade aiohttp's handler parsed."""
        return cls(request.headers, request.raw_path.partition("?")[0], request.query, request.remote)

    def offered_subprotocols(self) -> list[str]:
        """The subprotocols the client offers in its ``Sec-WebSocket-Protocol`` headers (RFC 6455 §4.1)."""
        values = self.headers.getall("Sec-WebSocket-Protocol", [])
        return [name.strip() for value in values for name in value.split(",") if name.strip()]


class _HeadersView:
    """aiohttp's parsed headers, read through the part of ``websockets``' ``Headers`` its handshake check reads
    (a copy into a ``Headers`` would cost as much as the parse)."""

    __slots__ = ("_headers",)

    def __init__(self, headers: CIMultiDictProxy[str]) -> None:
        self._headers = headers

    def get_all(self, name: str) -> list[str]:
        return self._headers.getall(name, [])

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._headers.get(name, default)

    def __getitem__(self, name: str) -> str:
        values = self._headers.getall(name)  # KeyError if there is none, as Headers raises
        if len(values) > 1:
            raise MultipleValuesError(name)
        return values[0]


def head_parser(loop: asyncio.AbstractEventLoop, max_head_bytes: int) -> HttpRequestParser:
    """A request parser as aiohttp's handler makes one, with the server's limits (one per connection)."""
    return HttpRequestParser(
        BaseProtocol(loop),  # what a body would stream to: none does, a head with one is left to aiohttp
        loop,
        2**16,
        max_line_size=max_head_bytes,
        max_field_size=max_head_bytes,
        max_headers=_MAX_HEADERS,
    )


def may_be_upgrade(data: bytes) -> bool:
    """Whether *data* can be a complete upgrade head at all: a GET that names websocket, ending the head. A first
    request that is not (the control plane, HTTP APIs) goes to aiohttp without being parsed twice."""
    return data.startswith(b"GET ") and data.endswith(_END_OF_HEAD) and b"websocket" in data.lower()


def first_upgrade(parser: HttpRequestParser, data: bytes, peername: Any) -> Upgrade | None:
    """The upgrade *data* is, if it is exactly one complete, valid WebSocket upgrade head the lease can answer.

    *parser* is a new aiohttp request parser, made as aiohttp's handler makes its own. None for anything else,
    which aiohttp answers as it answers any request: a head not complete in *data* or followed by more bytes, one
    aiohttp cannot parse, HTTP/1.0, ``Connection: close``, a body, an ``Expect``, or an upgrade ``websockets``
    finds malformed (aiohttp refuses those with its own 400).
    """
    if not data.endswith(_END_OF_HEAD):
        return None
    try:
        messages, upgraded, tail = parser.feed_data(data)
    except HttpProcessingError:
        return None
    if len(messages) != 1 or not upgraded or tail:
        return None
    message = messages[0][0]
    headers = message.headers
    if (
        message.method != "GET"
        or message.version != HttpVersion11
        or message.should_close  # Connection: close: aiohttp says so in its refusal and closes after it
        or "Expect" in headers
        or "Content-Length" in headers
        or message.chunked
    ):
        return None
    try:
        # Connection, Upgrade, the key and the version (a Request of websockets 12 has no method: checked above).
        _CHECKER.process_request(Request(message.path, cast(Headers, _HeadersView(headers))))
    except InvalidHandshake:
        return None
    except Exception:  # noqa: BLE001 - a websockets version reading more of Headers than the view has
        return None  # aiohttp's handler checks the upgrade then, as it checks every one it gets
    peer = str(peername[0]) if isinstance(peername, (list, tuple)) and peername else peername
    return Upgrade(headers, message.path.partition("?")[0], message.url.query, peer)


def refusal(status: int, body: str) -> bytes:
    """The answer refusing an upgrade, as aiohttp writes ``web.Response(status, text=body, content_type=JSON)``."""
    return _answer(status, "application/json", body)


def trouble() -> bytes:
    """The answer to an upgrade the mock failed on, as aiohttp writes it for a handler's exception (then closes)."""
    return _answer(500, "text/plain", "500 Internal Server Error\n\nServer got itself in trouble", close=True)


def _answer(status: int, content_type: str, body: str, *, close: bool = False) -> bytes:
    """An answer as aiohttp writes ``web.Response(status, text=body, content_type=...)``."""
    # A 1xx, 204 or 304 answer has no body (RFC 9110 §6.4.1): aiohttp writes neither it nor its length.
    bodiless = status < 200 or status in (204, 304)
    encoded = b"" if bodiless else body.encode()
    length = "" if bodiless else f"Content-Length: {len(encoded)}\r\n"
    reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
    closing = "Connection: close\r\n" if close else ""
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        f"Content-Type: {content_type}; charset=utf-8\r\n"
        f"{length}"
        f"Date: {formatdate(usegmt=True)}\r\n"
        f"Server: {SERVER_SOFTWARE}\r\n"
        f"{closing}\r\n"
    )
    return head.encode("latin-1") + encoded
