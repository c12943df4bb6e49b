"""An upgrade that is its connection's first request is answered by the lease, one after a keep-alive request by
aiohttp: both give ``$connect`` the same event and the client the same answer."""

from __future__ import annotations

import asyncio
import base64
import functools
import gc
import itertools
import logging
import os
import re
import socket
import threading
import time
import weakref
from typing import Any

import pytest
from aiohttp.http_exceptions import HttpProcessingError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw.server import Server, app
from mockapigw.server.app import Gateway
from mockapigw.server.upgrade import first_upgrade, head_parser

WAIT = 10
# What differs between two connections and is no part of the request.
_PER_CONNECTION = {"connectionId", "requestId", "extendedRequestId", "requestTime", "requestTimeEpoch", "connectedAt"}


class _Paths:
    """Which way each upgrade went: the lease's first request, or aiohttp's handler."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.taken: list[str] = []
        first_upgrade, websocket = app.first_upgrade, Gateway._websocket

        def spy_first(*args: Any) -> Any:
            upgrade = first_upgrade(*args)
            if upgrade is not None:
                self.taken.append("lease")
            return upgrade

        def spy_websocket(gateway: Gateway, *args: Any) -> Any:
            self.taken.append("aiohttp")
            return websocket(gateway, *args)

        monkeypatch.setattr(app, "first_upgrade", spy_first)
        monkeypatch.setattr(Gateway, "_websocket", spy_websocket)


@pytest.fixture
def paths(monkeypatch: pytest.MonkeyPatch) -> _Paths:
    return _Paths(monkeypatch)


def _read_answer(raw: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """One HTTP answer: its status line, its headers (lower-case names) and its body."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = raw.recv(65536)
        assert chunk, f"the server closed the connection after {data!r}"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = raw.recv(65536)
        assert chunk
        body += chunk
    assert len(body) == length  # nothing more: a 101's frames would only come after the client's
    return status, headers, body


def _upgrade(target: str, host: str, extra: list[tuple[str, str]]) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [f"GET {target} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade"]
    lines += [f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13"]
    lines += [f"{name}: {value}" for name, value in extra]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _exchange(server: Server, head: bytes, *, after_request: bool) -> tuple[str, dict[str, str], bytes]:
    """Send the upgrade *head* first on a new connection, or after a plain request on it; then check that a
    refused connection still serves requests. The answer to the upgrade (Date and accept key left out)."""
    plain = f"GET /v2/apis HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        if after_request:
            raw.sendall(plain)
            assert _read_answer(raw)[0] == "HTTP/1.1 200 OK"
        raw.sendall(head)
        status, headers, body = _read_answer(raw)
        if not status.startswith("HTTP/1.1 101"):
            raw.sendall(plain)  # a refused upgrade leaves the connection open for more requests
            assert _read_answer(raw)[0] == "HTTP/1.1 200 OK"
    headers.pop("date", None)
    headers.pop("sec-websocket-accept", None)
    return status, headers, body


def _event(chat: Any) -> dict[str, Any]:
    event = dict(chat.of_type("CONNECT")[-1])
    event["requestContext"] = {k: v for k, v in event["requestContext"].items() if k not in _PER_CONNECTION}
    for part in ("headers", "multiValueHeaders"):
        event[part] = {k: v for k, v in event[part].items() if k != "X-Amzn-Trace-Id"}  # one per request
    return event


_QUERY = "?token=abc&tag=1&tag=2&empty=&flag&sp=a+b&enc=%2F%20x%C3%A9&tag=3"
_HEADERS = [
    ("User-Agent", "agent/1.0 (x)"),
    ("X-Team", "blue"),
    ("X-Dup", "1"),
    ("x-dup", "2"),
    ("X-Dup", "3"),
    ("Origin", "http://example.com"),
    ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
    ("Cookie", "a=1; b=2"),
]


@pytest.mark.parametrize(
    "form",
    ["path", "path with query", "host form", "custom domain", "subprotocols", "no user agent"],
)
def test_an_upgrade_gives_the_same_connect_event_and_answer_both_ways(
    server: Server, chat: Any, paths: _Paths, form: str
) -> None:
    port = server.port
    target, host, extra = f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{port}", list(_HEADERS)
    if form == "path with query":
        target += _QUERY
    elif form == "host form":
        target, host = "/prod" + _QUERY, f"{chat.api_id}.execute-api.localhost:{port}"
    elif form == "custom domain":
        chat.v2.create_domain_name(
            DomainName="ws.example.com",
            DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
        )
        chat.v2.create_api_mapping(DomainName="ws.example.com", ApiId=chat.api_id, Stage="prod")
        target, host = "/?a=1", f"ws.example.com:{port}"
    elif form == "subprotocols":
        chat.replies["$connect"] = {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v2"}}
        extra += [("Sec-WebSocket-Protocol", "chat.v1, chat.v2"), ("Sec-WebSocket-Protocol", "other")]
    elif form == "no user agent":
        extra = [(name, value) for name, value in extra if name != "User-Agent"]

    head = _upgrade(target, host, extra)
    first = _exchange(server, head, after_request=False)
    first_event = _event(chat)
    second = _exchange(server, head, after_request=True)
    second_event = _event(chat)

    assert paths.taken == ["lease", "aiohttp"]
    assert first[0] == "HTTP/1.1 101 Switching Protocols"
    assert first == second
    for part in ("headers", "multiValueHeaders", "requestContext"):
        assert first_event[part] == second_event[part], part
    assert first_event == second_event
    if form == "subprotocols":
        assert first[1]["sec-websocket-protocol"] == "chat.v2"
    if form == "path with query":
        assert first_event["multiValueQueryStringParameters"]["tag"] == ["1", "2", "3"]
    if form == "custom domain":
        assert first_event["requestContext"]["domainName"] == "ws.example.com"


@pytest.mark.parametrize("status", [401, 403, 500, 304, 199, "unknown stage"])  # 304, 1xx: no body
def test_a_refused_upgrade_gets_the_same_answer_both_ways(
    server: Server, chat: Any, paths: _Paths, status: int | str
) -> None:
    stage = "prod"
    if status == "unknown stage":
        stage = "nope"
    else:
        chat.replies["$connect"] = {"statusCode": status, "body": "no thanks"}
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/{stage}?x=1", f"127.0.0.1:{server.port}", _HEADERS)

    first = _exchange(server, head, after_request=False)
    second = _exchange(server, head, after_request=True)

    assert paths.taken == ["lease", "aiohttp"]
    assert not first[0].startswith("HTTP/1.1 101")
    assert first == second
    assert first[1]["content-type"] == "application/json; charset=utf-8"


@pytest.mark.parametrize(
    "change",
    ["HTTP/1.0", "Expect", "a body", "bad key", "version 8", "not GET", "head and a frame at once", "no upgrade"],
)
def test_what_the_lease_does_not_take_goes_to_aiohttp_as_before(
    server: Server, chat: Any, paths: _Paths, change: str
) -> None:
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{server.port}", [])
    if change == "HTTP/1.0":
        head = head.replace(b"HTTP/1.1", b"HTTP/1.0")
    elif change == "Expect":
        head = head.replace(b"\r\n\r\n", b"\r\nExpect: 100-continue\r\n\r\n")
    elif change == "a body":
        head = head.replace(b"\r\n\r\n", b"\r\nContent-Length: 2\r\n\r\nhi")
    elif change == "bad key":
        head = head.replace(b"Sec-WebSocket-Key: ", b"Sec-WebSocket-Key: !")
    elif change == "version 8":
        head = head.replace(b"Sec-WebSocket-Version: 13", b"Sec-WebSocket-Version: 8")
    elif change == "not GET":
        head = head.replace(b"GET ", b"POST ", 1)
    elif change == "head and a frame at once":
        head += b"\x81\x82abcd" + bytes(x ^ y for x, y in zip(b"hi", b"ab", strict=True))
    elif change == "no upgrade":
        head = head.replace(b"Upgrade: websocket\r\nConnection: Upgrade\r\n", b"")
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(head)
        status = raw.recv(65536).split(b"\r\n", 1)[0]
    assert "lease" not in paths.taken
    assert status  # aiohttp answered, as it answers such a request without the lease


def test_a_first_upgrade_in_its_connect_when_the_server_stops_is_opened_then_closed(apigw: Any, chat: Any) -> None:
    """As the server waits for an open socket's ``$disconnect``, it waits for a ``$connect`` under way: the
    connection ends closed with its ``$disconnect``, not open in the registry with its task dropped."""
    entered, release = threading.Event(), threading.Event()

    def slow_connect(event: dict[str, Any], context: Any) -> dict[str, Any]:
        entered.set()
        release.wait(WAIT)
        return {"statusCode": 200}

    chat.replies["$connect"] = slow_connect
    with apigw.serve(host="127.0.0.1", port=0) as served:
        raw = socket.create_connection(("127.0.0.1", served.port), timeout=WAIT)
        raw.sendall(_upgrade(f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{served.port}", []))
        assert entered.wait(WAIT)

        def client() -> None:
            release.set()
            data = b""
            while b"\r\n\r\n\x88" not in data:  # the 101, then the server's Close (1001): the client hangs up
                chunk = raw.recv(65536)
                if not chunk:
                    break
                data += chunk
            raw.close()

        threading.Timer(0.2, client).start()  # once the server is stopping (it waits either way)
    assert len(chat.of_type("CONNECT")) == 1
    assert len(chat.of_type("DISCONNECT")) == 1


def test_the_head_parser_keeps_nothing_of_its_loop() -> None:
    """A server's loop, once closed, is freed: the parser of a first upgrade holds it only while it parses."""
    loop = asyncio.new_event_loop()
    parser = head_parser(loop, app.MAX_HEAD_BYTES)
    assert first_upgrade(parser, _upgrade("/prod", "x.example.com", []), ("127.0.0.1", 1)) is not None
    freed = weakref.ref(loop)
    loop.close()
    del loop, parser
    gc.collect()
    assert freed() is None


def test_a_refused_first_upgrade_that_asks_to_close_is_closed_as_aiohttp_closes_it(server: Server, chat: Any) -> None:
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/nope", f"127.0.0.1:{server.port}", [])
    head = head.replace(b"Connection: Upgrade", b"Connection: close, Upgrade")  # RFC 9112 §9.6
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(head)
        status, headers, _ = _read_answer(raw)
        assert status == "HTTP/1.1 403 Forbidden"
        assert headers.get("connection") == "close"
        assert raw.recv(65536) == b""  # closed by the server


def test_a_failure_of_the_mock_during_a_first_upgrade_is_answered_as_aiohttp_answers_it(
    server: Server, chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a failure of the mock itself")

    monkeypatch.setattr(chat.gw.websockets, "connect", fail)
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{server.port}", [])
    plain = f"GET /v2/apis HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    answers = []
    for after_request in (False, True):
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            if after_request:
                raw.sendall(plain)
                assert _read_answer(raw)[0] == "HTTP/1.1 200 OK"
            raw.sendall(head)
            status, headers, body = _read_answer(raw)  # an answer, not a connection left hanging
            assert raw.recv(65536) == b""  # then closed
        headers.pop("date")
        answers.append((status, headers, body))
    assert answers[0] == answers[1]
    assert answers[0][0] == "HTTP/1.1 500 Internal Server Error"


@pytest.mark.parametrize("after_request", [False, True], ids=["first request", "after a request"])
def test_a_key_that_is_not_ascii_is_a_bad_upgrade(server: Server, chat: Any, after_request: bool) -> None:
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{server.port}", [])
    head = re.sub(rb"Sec-WebSocket-Key: .", b"Sec-WebSocket-Key: \x80", head)  # aiohttp's check raised on it
    status, _, body = _exchange(server, head, after_request=after_request)
    assert (status, body) == ("HTTP/1.1 400 Bad Request", b"Bad WebSocket upgrade request")
    assert chat.of_type("CONNECT") == []


def _mangled(head: bytes) -> st.SearchStrategy[bytes]:
    """*head* cut short, with bytes changed, put in or taken out, or with bytes after it."""

    def change(data: bytes, at: int, edit: int, chunk: bytes) -> bytes:
        at %= len(data) + 1
        if edit == 0:
            return data[:at]  # cut short
        if edit == 1:
            return data[:at] + chunk + data[at + 1 :]  # a byte replaced
        if edit == 2:
            return data[:at] + chunk + data[at:]  # bytes put in
        if edit == 3:
            return data[:at] + data[at + len(chunk) :]  # bytes taken out
        return data + chunk  # bytes after the head (a frame too early, or a second request)

    edits = st.tuples(st.integers(0, 10_000), st.integers(0, 4), st.binary(min_size=1, max_size=8))
    return st.lists(edits, min_size=1, max_size=3).map(
        lambda changes: functools.reduce(lambda data, edit: change(data, *edit), changes, head)
    )


class LoggedErrors(logging.Handler):
    """Records logged at ERROR or above, but for aiohttp's report of a request it could not parse (it answers 400)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, HttpProcessingError):
            self.records.append(record)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mangled_first_request_is_answered_in_http_or_closed_and_the_server_serves_on(
    server: Server, chat: Any, data: st.DataObject
) -> None:
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/prod", f"127.0.0.1:{server.port}", [])
    sent = data.draw(_mangled(head))
    errors = LoggedErrors()
    logging.getLogger().addHandler(errors)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            raw.sendall(sent)
            raw.shutdown(socket.SHUT_WR)  # nothing more comes: the server answers what it has, then closes
            answer = b""
            while chunk := raw.recv(65536):  # a socket.timeout here: the server kept the connection open
                answer += chunk
    finally:
        logging.getLogger().removeHandler(errors)
    assert answer == b"" or re.match(rb"HTTP/\d\.\d [1-5]\d\d ", answer), answer[:200]
    assert errors.records == []
    status, _, _ = _exchange(server, head, after_request=False)  # a good upgrade still opens
    assert status == "HTTP/1.1 101 Switching Protocols"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(1, 400), min_size=1, max_size=4))
def test_an_upgrade_sent_in_pieces_opens_with_the_same_event(server: Server, chat: Any, cuts: list[int]) -> None:
    head = _upgrade(f"/_aws/execute-api/{chat.api_id}/prod?x=1", f"127.0.0.1:{server.port}", _HEADERS)
    points = sorted({0, len(head), *(cut for cut in cuts if cut < len(head))})
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for start, end in itertools.pairwise(points):
            raw.sendall(head[start:end])
            time.sleep(0.002)  # each piece its own read on the server, as a slow client's would be
        status, _, _ = _read_answer(raw)
    assert status == "HTTP/1.1 101 Switching Protocols"
    whole = _event(chat)
    status, _, _ = _exchange(server, head, after_request=False)  # the same head in one piece
    assert status == "HTTP/1.1 101 Switching Protocols"
    assert _event(chat) == whole
