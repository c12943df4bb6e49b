"""WebSocket connections and the @connections API against a reference model, as a hypothesis state machine.

The machine opens connections to a deployed WebSocket API (two stages), sends frames routed by action, calls
PostToConnection, GetConnection and DeleteConnection through boto3, closes clients, fills their unread buffers
and moves the clock past the idle timeout and the maximum lifetime. Its handlers post and delete through boto3
too, from ``$connect``, ``$disconnect`` and message routes. A plain-Python model of what docs/connections.md and
docs/websockets.md promise predicts every answer, every message each client gets (in order, exactly once), and
every ``$disconnect`` (once per accepted connection, never for a refused one).

Only documented behaviour is modelled, including the mock's documented choices: expiry is noticed when a
connection is next used (``connected``, ``close_code``, ``send``, ``ping``, ``close``, a @connections call for
its id), times are kept to the millisecond, and a @connections call checks the endpoint, then the size of the
data, then the id's format, then whether the connection exists (noticing its expiry), then the client's buffer.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from mockapigw import ConnectionClosed, ConnectionRejected, MockApiGatewayWarning, mock_apigateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:stateful"
STAGES = ("prod", "dev")
START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
IDLE_MS = 10 * 60 * 1000  # docs/websockets.md "Connection lifetime"
LIFETIME_MS = 2 * 60 * 60 * 1000
MAX_DATA = 131072  # docs/connections.md: PostToConnection's limit
MAX_MESSAGE = 128 * 1024  # docs/websockets.md "Frames"
VALID_ID = re.compile(r"^[A-Za-z0-9_-]+=*$")  # docs/connections.md: "A malformed id is one that is not ..."
NO_RETRIES = Config(retries={"total_max_attempts": 1})  # botocore retries 429s (docs/connections.md)

# (code, HTTP status, message) of each documented refusal.
GONE = ("GoneException", 410, "")
LIMIT = ("LimitExceededException", 429, "Limit Exceeded")
FORBIDDEN = ("ForbiddenException", 403, "Forbidden")
# An empty id makes a path no operation has (docs/operations.md): API Gateway's own 403, whatever the endpoint.
NO_SUCH_PATH = ("MissingAuthenticationTokenException", 403, "Missing Authentication Token")


class RefusedByHandler(Exception):
    """What the ``$connect`` handler raises to refuse a connection."""


class DisconnectFailed(Exception):
    """What a failing ``$disconnect`` handler raises; the model raises it where the mock should."""


# The documented warnings (MockApiGatewayWarning), by kind.
_WARNINGS = {
    "endpoint": r" answered 403 Forbidden: ",
    "$connect": r"^\$connect integration of .* failed: RefusedByHandler",
    "$disconnect": r"^\$disconnect integration of .* failed: DisconnectFailed",
    "boom": r"^integration of route boom of .* failed: RuntimeError\('boom'\)",
}


def _kind(message: str) -> str:
    return next((kind for kind, pattern in _WARNINGS.items() if re.search(pattern, message)), message)


def _too_large(size: int) -> tuple[str, int, str]:
    return ("PayloadTooLargeException", 413, f"Data size {size} exceeds the maximum message size of {MAX_DATA} bytes")


def _bad_request(connection_id: str) -> tuple[str, int, str]:
    return ("BadRequestException", 400, f"Invalid connectionId: {connection_id}")


def _moment(ms: int) -> dt.datetime:
    return EPOCH + dt.timedelta(milliseconds=ms)


@dataclass(frozen=True)
class ErrorFrame:
    """The internal error frame (docs/websockets.md), whose requestId is random."""

    connection_id: str

    def text(self, request_id: str) -> bytes:
        return (
            f'{{"message": "Internal server error", "connectionId":"{self.connection_id}", "requestId":"{request_id}"}}'
        ).encode()

    def __len__(self) -> int:
        return len(self.text("L0SNBFg5vHcCIdg="))

    def matches(self, data: bytes) -> bool:
        pattern = re.escape(self.text("REQUESTID").decode()).replace("REQUESTID", "[A-Za-z0-9_-]{15}=")
        return re.fullmatch(pattern, data.decode("utf-8", "replace")) is not None


Frame = bytes | ErrorFrame


def _same(actual: list[bytes], expected: list[Frame]) -> bool:
    """Whether the messages a client got are the ones the model expects, in order."""
    return len(actual) == len(expected) and all(
        frame.matches(data) if isinstance(frame, ErrorFrame) else frame == data
        for data, frame in zip(actual, expected, strict=True)
    )


@dataclass
class Conn:
    """What the model knows of one accepted connection."""

    stage: str
    connected_at: int
    source_ip: str
    user_agent: str
    last_active: int = 0
    open: bool = True
    close_code: int | None = None
    close_reason: str = ""
    max_unread: int | None = None
    unread: deque[Frame] = field(default_factory=deque)
    received: list[Frame] = field(default_factory=list)
    leave_to: str | None = None  # where its $disconnect posts "left:{id}"
    disconnect_fails: bool = False  # its $disconnect raises DisconnectFailed after that post

    def __post_init__(self) -> None:
        self.last_active = self.connected_at


Outcome = tuple[str, int, str] | None  # an error's (code, status, message), or None for success


class ConnectionsMachine(RuleBasedStateMachine):
    """Real connections and the @connections API next to a model of both."""

    def __init__(self) -> None:
        super().__init__()
        self.conns: dict[str, Conn] = {}
        self.clients: dict[str, Any] = {}
        self.refused: list[str] = []
        self.expected: list[tuple[Any, ...]] = []  # what the handlers should record, in order
        self.actual: list[tuple[Any, ...]] = []  # what they recorded
        self.now_us = (START - EPOCH) // dt.timedelta(microseconds=1)
        self.gw: Any = None
        self.clock: Any = None
        self.mgmt: dict[str, Any] = {}
        self.recorder: Any = None
        self.warned: list[warnings.WarningMessage] = []
        self.expected_warnings: list[str] = []

    # --- set-up

    @initialize(raise_errors=st.booleans(), first=st.lists(st.sampled_from(STAGES), min_size=1, max_size=3))
    def deploy(self, raise_errors: bool, first: list[str]) -> None:
        """Deploy the API (its stages and routes), then open the first connections."""
        self.raise_errors = raise_errors
        # Every warning is recorded, and checked against the model's (see warned_as_documented).
        self.recorder = warnings.catch_warnings(record=True)
        self.warned = self.recorder.__enter__()
        warnings.simplefilter("always", MockApiGatewayWarning)
        self.clock = time_machine.travel(START, tick=False)
        self.traveller = self.clock.start()
        self.gw = mock_apigateway(raise_handler_errors=raise_errors)
        self.gw.start()
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        self.api_id = v2.create_api(
            Name="stateful", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
        )["ApiId"]
        integration = v2.create_integration(ApiId=self.api_id, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
        target = f"integrations/{integration['IntegrationId']}"
        for key in ("$connect", "$disconnect", "$default", "relay", "boom"):
            v2.create_route(ApiId=self.api_id, RouteKey=key, Target=target)
        echo = v2.create_route(
            ApiId=self.api_id, RouteKey="echo", Target=target, RouteResponseSelectionExpression="$default"
        )
        v2.create_route_response(ApiId=self.api_id, RouteId=echo["RouteId"], RouteResponseKey="$default")
        for stage in STAGES:
            v2.create_stage(ApiId=self.api_id, StageName=stage)
            v2.create_deployment(ApiId=self.api_id, StageName=stage)
        self.gw.register_lambda(FUNCTION, self._handler)
        for stage in STAGES:
            self.mgmt[stage] = self._client(f"https://{self.api_id}.execute-api.us-east-1.amazonaws.com/{stage}")
        self.mgmt["nostage"] = self._client(f"https://{self.api_id}.execute-api.us-east-1.amazonaws.com")
        for stage in first:
            self._connect(stage, "ok", "192.0.2.1", "mockapigw-websocket-client", None)

    @staticmethod
    def _client(endpoint: str) -> Any:
        return boto3.client(
            "apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint, config=NO_RETRIES
        )

    def teardown(self) -> None:
        try:
            if self.gw is not None:
                for connection_id, client in self.clients.items():
                    drained = []
                    while True:
                        try:
                            drained.append(client.receive())
                        except LookupError:
                            break
                    assert _same(drained, list(self.conns[connection_id].unread)), connection_id
        finally:
            if self.gw is not None:
                self.gw.stop()
            if self.clock is not None:
                self.clock.stop()
            if self.recorder is not None:
                self.recorder.__exit__(None, None, None)

    # --- the handlers (one Lambda function for every route)

    def _handler(self, event: dict[str, Any], context: Any) -> Any:
        request = event["requestContext"]
        connection_id, route = request["connectionId"], request["routeKey"]
        # A handler's endpoint is f"https://{domainName}/{stage}" (docs/connections.md): one of the clients made.
        assert request["domainName"] == f"{self.api_id}.execute-api.us-east-1.amazonaws.com"
        mgmt = self.mgmt[request["stage"]]
        if route == "$connect":
            query = event.get("queryStringParameters") or {}
            self.actual.append(("connect", connection_id))
            self.actual.append(("post", connection_id, _call(mgmt.post_to_connection, connection_id, b"self")))
            if "notify" in query:
                data = f"joined:{connection_id}".encode()
                self.actual.append(("post", query["notify"], _call(mgmt.post_to_connection, query["notify"], data)))
            if query["mode"] == "raise":
                raise RefusedByHandler(connection_id)
            if query["mode"] != "ok":
                return {"statusCode": int(query["mode"]), "body": f"refused {query['mode']}"}
            return {"statusCode": 200}
        if route == "$disconnect":
            self.actual.append(
                ("disconnect", connection_id, request["disconnectStatusCode"], request["disconnectReason"])
            )
            conn = self.conns[connection_id]
            if conn.leave_to is not None:
                data = f"left:{connection_id}".encode()
                self.actual.append(("post", conn.leave_to, _call(mgmt.post_to_connection, conn.leave_to, data)))
            if conn.disconnect_fails:
                raise DisconnectFailed(connection_id)
            return None
        body = json.loads(event["body"]) if event["body"].startswith("{") else {}
        self.actual.append(("message", connection_id, route))
        if "kick" in body:  # on any route, before anything else: it may be the sender's own connection
            self.actual.append(("delete", body["kick"], _call(mgmt.delete_connection, body["kick"])))
        if route == "boom":
            raise RuntimeError("boom")
        if route == "echo":
            return {"statusCode": 200, "body": json.dumps({"echo": body["n"]})}
        if route == "relay":
            for target in body["to"]:
                outcome = _call(mgmt.post_to_connection, target, body["data"].encode())
                self.actual.append(("post", target, outcome))
        return {"statusCode": 200}

    # --- the model

    @property
    def now_ms(self) -> int:
        return self.now_us // 1000

    def _due(self, conn: Conn) -> bool:
        return conn.open and (
            self.now_ms - conn.last_active >= IDLE_MS or self.now_ms - conn.connected_at >= LIFETIME_MS
        )

    def _touch(self, connection_id: str) -> None:
        """Notice the expiry of a connection when it is used (docs/websockets.md "Connection lifetime")."""
        conn = self.conns.get(connection_id)
        if conn is not None and self._due(conn):
            self._close(connection_id, 1001, "Going away")

    def _close(self, connection_id: str, code: int, reason: str) -> None:
        """Close an open connection; its $disconnect runs once and may post to the connection it names."""
        conn = self.conns[connection_id]
        if not conn.open:
            return
        conn.open, conn.close_code, conn.close_reason = False, code, reason
        lifetime = self.now_ms - conn.connected_at >= LIFETIME_MS
        event(f"closed with {code}" + (" (lifetime)" if code == 1001 and lifetime else ""))
        self.expected.append(("disconnect", connection_id, code, reason))
        if conn.leave_to is not None:
            outcome = self._post(conn.stage, conn.leave_to, f"left:{connection_id}".encode())
            self.expected.append(("post", conn.leave_to, outcome))
        if conn.disconnect_fails:  # best effort: the connection stays closed (docs/websockets.md "Events")
            self._handler_failed("$disconnect", DisconnectFailed(connection_id))

    def _handler_failed(self, kind: str, error: Exception) -> None:
        """A handler raised: its exception reaches the test, or with raise_handler_errors=False a warning does."""
        event(f"{kind} handler failed, " + ("raised" if self.raise_errors else "warned"))
        if self.raise_errors:
            raise error
        self.expected_warnings.append(kind)

    def _find(self, stage: str, connection_id: str) -> tuple[Outcome, Conn | None]:
        """The checks common to the three calls after the endpoint's: format, existence (and expiry), stage."""
        if connection_id == "":
            return NO_SUCH_PATH, None
        if stage not in STAGES:
            self.expected_warnings.append("endpoint")
            return FORBIDDEN, None
        if not VALID_ID.match(connection_id):
            return _bad_request(connection_id), None
        self._touch(connection_id)
        conn = self.conns.get(connection_id)
        if conn is None or not conn.open or conn.stage != stage:
            return GONE, None
        return None, conn

    def _post(self, stage: str, connection_id: str, data: bytes) -> Outcome:
        outcome = self._post_outcome(stage, connection_id, data)
        event(f"post: {outcome[0] if outcome else 'delivered'}")
        return outcome

    def _post_outcome(self, stage: str, connection_id: str, data: bytes) -> Outcome:
        if connection_id == "":
            return NO_SUCH_PATH
        if stage not in STAGES:
            self.expected_warnings.append("endpoint")
            return FORBIDDEN
        if len(data) > MAX_DATA:
            return _too_large(len(data))
        error, conn = self._find(stage, connection_id)
        if conn is None:
            return error
        if conn.max_unread is not None and sum(len(frame) for frame in conn.unread) + len(data) > conn.max_unread:
            return LIMIT
        self._deliver(conn, data)
        return None

    def _delete(self, stage: str, connection_id: str) -> Outcome:
        error, conn = self._find(stage, connection_id)
        if conn is None:
            return error
        self._close(connection_id, 1000, "")
        return None

    @staticmethod
    def _deliver(conn: Conn, data: Frame) -> None:
        conn.unread.append(data)
        conn.received.append(data)

    # --- strategies over what exists now

    def _any_id(self, data: st.DataObject) -> str:
        """A live, closed or expired id of either stage, a refused one, one never issued, or a malformed one."""
        # Mostly ids the mock issued (one_of picks its branches about evenly).
        choices = [st.sampled_from(list(self.conns))] * 4 if self.conns else []
        if self.refused:
            choices.append(st.sampled_from(self.refused))
        choices += [
            st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_", min_size=15, max_size=15).map(
                lambda text: text + "="
            ),
            st.sampled_from(["", "not an id!", "=", "abc=def", "L0SM9cOFvHcCIhw", "a+b/c=", "%3D", "..", "é"]),
            st.text(max_size=20),
        ]
        return str(data.draw(st.one_of(*choices), label="connection id"))

    # --- rules

    @rule(
        stage=st.sampled_from(STAGES),
        mode=st.sampled_from(["ok", "ok", "ok", "401", "403", "raise"]),
        source_ip=st.sampled_from(["192.0.2.1", "198.51.100.23", "2001:db8::7"]),
        user_agent=st.sampled_from(["mockapigw-websocket-client", "Mozilla/5.0 (X11)", "wscat/6"]),
        data=st.data(),
    )
    def connect(self, stage: str, mode: str, source_ip: str, user_agent: str, data: st.DataObject) -> None:
        notify = self._any_id(data) if data.draw(st.booleans(), label="notify") else None
        self._connect(stage, mode, source_ip, user_agent, notify)

    def _connect(self, stage: str, mode: str, source_ip: str, user_agent: str, notify: str | None) -> None:
        query = {"mode": mode}
        if notify is not None:
            query["notify"] = notify
        recorded = len(self.actual)
        client, error = _attempt(
            lambda: self.gw.connect(self.api_id, stage, query=query, source_ip=source_ip, user_agent=user_agent)
        )
        assert self.actual[recorded][0] == "connect"
        connection_id = self.actual[recorded][1]
        # While $connect runs, its own id is gone (docs/connections.md); then it may post to another connection.
        self.expected += [("connect", connection_id), ("post", connection_id, GONE)]

        def model() -> None:
            if notify is not None:
                outcome = self._post(stage, notify, f"joined:{connection_id}".encode())
                self.expected.append(("post", notify, outcome))
            if mode == "raise":
                self._handler_failed("$connect", RefusedByHandler(connection_id))

        _, expected_error = _attempt(model)
        if expected_error is not None:  # the handler's exception (or a nested $disconnect's) reached the test
            assert _described(error) == _described(expected_error)
            self.refused.append(connection_id)
            return
        if mode != "ok":
            refusal = (
                (500, '{"message": "Internal server error"}') if mode == "raise" else (int(mode), f"refused {mode}")
            )
            assert isinstance(error, ConnectionRejected), error
            assert (error.status_code, error.body) == refusal
            self.refused.append(connection_id)
            return
        assert error is None, error
        assert client.connection_id == connection_id
        self.clients[connection_id] = client
        self.conns[connection_id] = Conn(stage, self.now_ms, source_ip, user_agent)

    @precondition(lambda self: self.conns)
    @rule(data=st.data(), fails=st.booleans())
    def plan_disconnect(self, data: st.DataObject, fails: bool) -> None:
        """Make a connection's $disconnect post to an id (or not), then raise (or not)."""
        conn = self.conns[data.draw(st.sampled_from(list(self.conns)), label="client")]
        conn.leave_to = self._any_id(data) if data.draw(st.booleans(), label="post?") else None
        conn.disconnect_fails = fails

    @precondition(lambda self: self.clients)
    @rule(
        kind=st.sampled_from(["echo", "relay", "boom", "plain", "not json", "binary", "too big"]),
        data=st.data(),
    )
    def send(self, kind: str, data: st.DataObject) -> None:
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="sender")
        client = self.clients[connection_id]
        message: Any
        if kind in ("echo", "relay", "boom", "plain"):
            action = kind
            if kind == "plain":  # no such route: $default
                action = data.draw(st.sampled_from(["$connect", "$disconnect", "kick", ""]), label="action")
            message = {"action": action}
            # The handler deletes a connection first: often its own, which closes it under the handler.
            if data.draw(st.booleans(), label="kick?"):
                own = data.draw(st.booleans(), label="own")
                message["kick"] = connection_id if own else self._any_id(data)
        if kind == "echo":
            message["n"] = data.draw(st.integers(0, 10**6), label="n")
        elif kind == "relay":
            targets = data.draw(st.lists(st.builds(lambda: None), min_size=1, max_size=3), label="fan-out")
            message["to"] = [self._any_id(data) for _ in targets]
            message["data"] = data.draw(st.text(max_size=12), label="relayed")
        elif kind == "not json":
            message = data.draw(st.text(max_size=20).filter(lambda text: not text.startswith("{")), label="text")
        elif kind == "binary":
            message = b"\x00\x01"
        elif kind == "too big":
            message = "x" * (MAX_MESSAGE + 1)
        self._both(lambda: self._send(connection_id, kind, message), lambda: client.send(message))

    def _send(self, connection_id: str, kind: str, message: Any) -> None:
        conn = self.conns[connection_id]
        self._touch(connection_id)
        if not conn.open:
            raise Closed(conn.close_code, conn.close_reason)
        if kind == "binary":
            self._close(connection_id, 1003, "Binary frames are not supported")
            return
        if kind == "too big":
            self._close(connection_id, 1009, "Message too big")
            return
        conn.last_active = self.now_ms
        route = kind if kind in ("echo", "relay", "boom") else "$default"
        self.expected.append(("message", connection_id, route))
        if isinstance(message, dict) and "kick" in message:
            self.expected.append(("delete", message["kick"], self._delete(conn.stage, message["kick"])))
        # A two-way answer or an error frame goes to the client whatever its buffer holds, if it is still open.
        if kind == "echo" and conn.open:
            self._deliver(conn, json.dumps({"echo": message["n"]}).encode())
        elif kind == "boom":
            self._handler_failed("boom", RuntimeError("boom"))
            if conn.open:
                self._deliver(conn, ErrorFrame(connection_id))
        elif kind == "relay":
            for target in message["to"]:
                self.expected.append(("post", target, self._post(conn.stage, target, message["data"].encode())))

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def receive(self, data: st.DataObject) -> None:
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="reader")
        conn = self.conns[connection_id]
        if not conn.unread:
            with pytest.raises(LookupError):
                self.clients[connection_id].receive()
            return
        assert _same([self.clients[connection_id].receive()], [conn.unread.popleft()])

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), code=st.sampled_from([1000, 1001, 3000, 4000, 4999]), reason=st.sampled_from(["", "bye"]))
    def close(self, data: st.DataObject, code: int, reason: str) -> None:
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="closer")

        def model() -> None:
            self._touch(connection_id)  # a connection past its limits was closed with 1001 already
            self._close(connection_id, code, reason)

        self._both(model, lambda: self.clients[connection_id].close(code, reason))

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), limit=st.sampled_from([None, 0, 1, 8, 40]))
    def limit_buffer(self, data: st.DataObject, limit: int | None) -> None:
        self._limit(data.draw(st.sampled_from(list(self.clients)), label="client"), limit)

    def _limit(self, connection_id: str, limit: int | None) -> None:
        self.clients[connection_id].max_unread_bytes = limit
        assert self.clients[connection_id].max_unread_bytes == limit
        self.conns[connection_id].max_unread = limit

    @rule(
        data=st.data(),
        stage=st.sampled_from([*STAGES, "nostage"]),
        payload=st.one_of(st.binary(max_size=12), st.sampled_from([MAX_DATA, MAX_DATA + 1]).map(lambda n: b"p" * n)),
    )
    def post(self, data: st.DataObject, stage: str, payload: bytes) -> None:
        self._post_both(stage, self._any_id(data), payload)

    def _post_both(self, stage: str, connection_id: str, payload: bytes) -> Any:
        return self._both(
            lambda: self._post(stage, connection_id, payload),
            lambda: _call(self.mgmt[stage].post_to_connection, connection_id, payload, status=200),
        )

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), size=st.integers(1, 9), limit=st.integers(0, 40))
    def flood(self, data: st.DataObject, size: int, limit: int) -> None:
        """Limit a client's buffer, then post to it until the buffer is full (or a few times)."""
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="flooded")
        self._limit(connection_id, limit)
        stage = self.conns[connection_id].stage
        for n in range(6):
            payload = bytes([65 + n]) * size
            if self._post_both(stage, connection_id, payload) is not None:
                break

    @rule(data=st.data(), stage=st.sampled_from([*STAGES, "nostage"]))
    def get(self, data: st.DataObject, stage: str) -> None:
        connection_id = self._any_id(data)

        def model() -> Any:
            error, conn = self._find(stage, connection_id)
            if conn is None:
                return error
            identity = {"SourceIp": conn.source_ip, "UserAgent": conn.user_agent}
            return {
                "ConnectedAt": _moment(conn.connected_at),
                "Identity": identity,
                "LastActiveAt": _moment(conn.last_active),
            }

        def real() -> Any:
            answer = _call(self.mgmt[stage].get_connection, connection_id, status=200, result=True)
            if isinstance(answer, dict):
                del answer["ResponseMetadata"]
            return answer

        self._both(model, real)

    @rule(data=st.data(), stage=st.sampled_from([*STAGES, "nostage"]))
    def delete(self, data: st.DataObject, stage: str) -> None:
        connection_id = self._any_id(data)
        self._both(
            lambda: self._delete(stage, connection_id),
            lambda: _call(self.mgmt[stage].delete_connection, connection_id, status=204),
        )

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def ping(self, data: st.DataObject) -> None:
        self._ping_both(data.draw(st.sampled_from(list(self.clients)), label="pinger"))

    def _ping_both(self, connection_id: str) -> None:
        self._both(lambda: self._ping(connection_id), self.clients[connection_id].ping)

    def _ping(self, connection_id: str) -> None:
        conn = self.conns[connection_id]
        self._touch(connection_id)
        if not conn.open:
            raise Closed(conn.close_code, conn.close_reason)
        conn.last_active = self.now_ms

    @rule(
        us=st.one_of(
            st.integers(0, 5_000_000),
            st.sampled_from([IDLE_MS - 1, IDLE_MS, LIFETIME_MS - IDLE_MS]).map(lambda ms: ms * 1000),
            st.integers(0, 3 * LIFETIME_MS * 1000),
        )
    )
    def advance(self, us: int) -> None:
        self._shift(us)

    @rule(rounds=st.integers(1, 15), us=st.integers(1, IDLE_MS * 1000 - 1))
    def stay_active(self, rounds: int, us: int) -> None:
        """Ping every client at intervals under the idle timeout, which only the 2-hour lifetime ends."""
        for _ in range(rounds):
            self._shift(us)
            for connection_id in self.clients:
                self._ping_both(connection_id)

    def _shift(self, us: int) -> None:
        self.now_us += us
        self.traveller.shift(dt.timedelta(microseconds=us))

    def _both(self, model: Callable[[], Any], real: Callable[[], Any]) -> Any:
        """Take a step in the model and in the mock: both return the same, or raise the same."""
        expected, expected_error = _attempt(model)
        actual, error = _attempt(real)
        assert _described(error) == _described(expected_error)
        assert actual == expected
        return actual

    # --- invariants

    @invariant()
    def warned_as_documented(self) -> None:
        warned = [str(w.message) for w in self.warned if issubclass(w.category, MockApiGatewayWarning)]
        assert [_kind(message) for message in warned] == self.expected_warnings

    @invariant()
    def handlers_saw_what_the_model_expects(self) -> None:
        assert self.actual == self.expected

    @invariant()
    def disconnect_runs_once_per_accepted_connection(self) -> None:
        closed = [entry[1] for entry in self.actual if entry[0] == "disconnect"]
        assert len(closed) == len(set(closed))
        assert set(closed) == {cid for cid, conn in self.conns.items() if not conn.open}
        assert not set(closed) & set(self.refused)

    @invariant()
    def clients_match_the_model(self) -> None:
        for connection_id, client in self.clients.items():
            conn = self.conns[connection_id]
            assert _same(client.received, conn.received)
            if not self._due(conn):  # reading the state of an expired connection would notice its expiry
                assert (client.connected, client.close_code) == (conn.open, conn.close_code)
                assert client.close_reason == conn.close_reason


def _call(
    operation: Any, connection_id: str, data: bytes | None = None, *, status: int | None = None, result: bool = False
) -> Any:
    """Call a @connections operation: its output (or ``None``), or the modeled error's (code, status, message).

    Any other exception fails the test: every call either succeeds or raises a ClientError.
    """
    kwargs: dict[str, Any] = {"ConnectionId": connection_id}
    if data is not None:
        kwargs["Data"] = data
    try:
        response = operation(**kwargs)
    except ClientError as error:
        return (
            error.response["Error"]["Code"],
            error.response["ResponseMetadata"]["HTTPStatusCode"],
            error.response["Error"]["Message"],
        )
    if status is not None:
        assert response["ResponseMetadata"]["HTTPStatusCode"] == status
    return response if result else None


class Closed(Exception):
    """The model's ConnectionClosed."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(code, reason)
        self.code, self.reason = code, reason


_RAISED = (ConnectionClosed, Closed, ConnectionRejected, RefusedByHandler, DisconnectFailed, RuntimeError)


def _attempt(call: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    """What *call* returned, or what it raised of the exceptions the model foresees (any other fails the test)."""
    try:
        return call(), None
    except _RAISED as error:
        return None, error


def _described(error: BaseException | None) -> Any:
    """An exception as the model can foresee it: its kind and what the test can read from it."""
    if isinstance(error, (ConnectionClosed, Closed)):
        return ("closed", error.code, error.reason)
    if isinstance(error, ConnectionRejected):
        return ("rejected", error.status_code, error.body)
    return None if error is None else (type(error).__name__, str(error))


ConnectionsMachine.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestConnections = ConnectionsMachine.TestCase
