"""Any request to any of the server's faces gets an HTTP answer, never a failure of the mock, and the server serves
on: the control plane, @connections, HTTP APIs and WebSocket stages, with methods, paths, headers and bodies
drawn at random."""

from __future__ import annotations

import json
import logging
import re
import socket
import urllib.parse
from typing import Any

import pytest
import websockets.sync.client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_first_upgrade import LoggedErrors

from mockapigw import MockApiGateway
from mockapigw.server import Server

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:fuzzed"
WAIT = 10

_segment = st.text(st.sampled_from("abc-_.~%20é$@{}+:;=!*'()/\\?#") | st.characters(codec="utf-8"), max_size=12)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=8,
)
_members = st.dictionaries(
    st.sampled_from(["Name", "ProtocolType", "RouteKey", "Target", "StageName", "Data", "Description", "Tags"]),
    _json,
    max_size=4,
)
_body = st.binary(max_size=64) | _json.map(json.dumps).map(str.encode) | _members.map(json.dumps).map(str.encode)
_header_name = st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,15}\Z")
_header_value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=24)


@pytest.fixture
def apis(apigw: MockApiGateway, v2: Any) -> dict[str, str]:
    """A WebSocket API with a connection-keeping $connect, and an HTTP API with one route and a quick-create one."""
    apigw.register_lambda(FUNCTION, lambda event, context: {"statusCode": 200, "body": "ok"})
    ws = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    integration = v2.create_integration(ApiId=ws, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
    for key in ("$connect", "$default"):
        v2.create_route(ApiId=ws, RouteKey=key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=ws, StageName="prod", AutoDeploy=True)
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=FUNCTION, RouteKey="ANY /items/{id}")["ApiId"]
    return {"ws": ws, "http": http}


def _request(server: Server, apis: dict[str, str]) -> st.SearchStrategy[bytes]:
    paths = st.one_of(
        st.builds("/v2/apis/{}".format, _segment),
        st.just("/v2/apis"),
        st.builds(lambda tail: f"/v2/apis/{apis['http']}/{tail}", _segment),
        st.builds(lambda cid: f"/_aws/execute-api/{apis['ws']}/prod/@connections/{cid}", _segment),
        st.builds(lambda tail: f"/_aws/execute-api/{apis['ws']}/{tail}", _segment),
        st.builds(lambda tail: f"/_aws/execute-api/{apis['http']}/items/{tail}", _segment),
        st.builds(lambda a, b: f"/_aws/execute-api/{a}/{b}", _segment, _segment),
        st.builds("/{}".format, _segment),
    )
    hosts = st.sampled_from(
        [f"127.0.0.1:{server.port}", f"{apis['http']}.execute-api.localhost:{server.port}", "example.com"]
    )
    methods = st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "BREW"])
    headers = st.lists(st.tuples(_header_name, _header_value), max_size=4)

    def build(
        method: str, path: str, query: str, host: str, extra: list[tuple[str, str]], body: bytes, raw: bool
    ) -> bytes:
        if raw:  # the bytes as they are, controls escaped: mostly refused by aiohttp's parser (400)
            target = path.encode("utf-8", "surrogatepass").decode("latin-1")
            target = re.sub(r"[\x00-\x20\x7f]", lambda m: f"%{ord(m.group()):02X}", target)
        else:  # percent-encoded, as clients send them
            target = urllib.parse.quote(path, safe="/%@$:;=!*'()+,~", errors="surrogatepass")
        if query:
            target += "?" + urllib.parse.quote(query, safe="=&%+", errors="surrogatepass")
        lines = [f"{method} {target} HTTP/1.1", f"Host: {host}", "Connection: close"]
        lines += [f"{name}: {value}" for name, value in extra if name.lower() not in _FRAMING]
        lines.append(f"Content-Length: {len(body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body

    raw = st.sampled_from([False, False, False, True])
    return st.builds(build, methods, paths, st.text(max_size=12), hosts, headers, _body, raw)


_FRAMING = {"host", "connection", "content-length", "transfer-encoding", "upgrade", "expect"}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_request_gets_an_http_answer_and_no_failure_of_the_mock(
    server: Server, apis: dict[str, str], data: st.DataObject
) -> None:
    request = data.draw(_request(server, apis))
    errors = LoggedErrors()
    logging.getLogger().addHandler(errors)
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            raw.sendall(request)
            answer = b""
            while chunk := raw.recv(65536):  # Connection: close: the server closes after its answer
                answer += chunk
    finally:
        logging.getLogger().removeHandler(errors)
    status = re.match(rb"HTTP/1\.[01] (\d\d\d) ", answer)
    assert status, answer[:300]
    assert int(status.group(1)) < 500, answer[:600]
    assert errors.records == []


@pytest.fixture
def two_way_chat(chat: Any) -> Any:
    """The chat API with two-way ``echo`` and ``$default`` routes."""
    chat.replies["echo"] = lambda event, context: {"statusCode": 200, "body": event["body"]}
    chat.replies["$default"] = {"statusCode": 200, "body": "default"}
    chat.route("echo", two_way=True)
    chat.route("$default", two_way=True)
    return chat


_action = st.text(max_size=12) | _json
_message = (
    _json.map(json.dumps)
    | st.builds(lambda action, rest: json.dumps({**rest, "action": action}), _action, _members)
    | st.text(max_size=64)
)  # text: a binary message closes the socket with 1003, as API Gateway does (tested on its own)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(messages=st.lists(_message, min_size=1, max_size=4))
def test_any_message_is_answered_and_the_socket_serves_on(
    server: Server, two_way_chat: Any, messages: list[str]
) -> None:
    url = f"{server.ws_url}/_aws/execute-api/{two_way_chat.api_id}/prod"
    check = json.dumps({"action": "echo", "check": len(two_way_chat.events)})
    errors = LoggedErrors()
    logging.getLogger().addHandler(errors)
    try:
        with websockets.sync.client.connect(url, open_timeout=WAIT, close_timeout=WAIT) as socket_:
            for message in messages:
                socket_.send(message)
            socket_.send(check)
            while (reply := socket_.recv(timeout=WAIT)) != check:  # the replies to the messages come first
                assert isinstance(reply, str)
    finally:
        logging.getLogger().removeHandler(errors)
    assert errors.records == []
