"""WebSocket connections and the @connections API against a reference model, as a hypothesis state machine.

The machine opens connections to a deployed WebSocket API (two stages), sends frames routed by action, calls
PostToConnection, GetConnection and DeleteConnection through boto3, closes clients, fills their unread buffers
and moves the clock past the idle timeout and the maximum lifetime. Its handlers post and delete through boto3
too, from ``$connect``, ``$disconnect`` and message routes, and some of them fail. A plain-Python model of what
docs/connections.md and docs/websockets.md promise (tests/connections_model.py) predicts every answer, every
message each client gets (in order, exactly once), every ``$disconnect`` (once per accepted connection, never
for a refused one) and every warning.

Only documented behaviour is modelled, including the mock's documented choices (see the model's docstring).
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from collections.abc import Callable
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from connections_model import (
    GONE,
    IDLE_MS,
    LIFETIME_MS,
    MAX_DATA,
    STAGES,
    Closed,
    Conn,
    ConnectionsModel,
    DisconnectFailed,
    RefusedByHandler,
    same,
    warning_kind,
)
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from wsapi import unread

from mockapigw import ConnectionClosed, ConnectionRejected, MockApiGatewayWarning, mock_apigateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:stateful"
START = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
MAX_MESSAGE = 128 * 1024  # docs/websockets.md "Frames"
NO_RETRIES = Config(retries={"total_max_attempts": 1})  # botocore retries 429s (docs/connections.md)


class ConnectionsMachine(RuleBasedStateMachine):
    """Real connections and the @connections API next to a model of both."""

    def __init__(self) -> None:
        super().__init__()
        self.model = ConnectionsModel((START - EPOCH) // dt.timedelta(microseconds=1), raise_errors=False)
        self.clients: dict[str, Any] = {}
        self.actual: list[tuple[Any, ...]] = []  # what the handlers recorded (the model has what they should)
        self.gw: Any = None
        self.clock: Any = None
        self.mgmt: dict[str, Any] = {}
        self.recorder: Any = None
        self.warned: list[warnings.WarningMessage] = []
        self.model.expected_warnings: list[str] = []

    # --- set-up

    @initialize(raise_errors=st.booleans(), first=st.lists(st.sampled_from(STAGES), min_size=1, max_size=3))
    def deploy(self, raise_errors: bool, first: list[str]) -> None:
        """Deploy the API (its stages and routes), then open the first connections."""
        self.model.raise_errors = raise_errors
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
                    assert same(unread(client), list(self.model.conns[connection_id].unread)), connection_id
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
            conn = self.model.conns[connection_id]
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

    # --- strategies over what exists now

    def _any_id(self, data: st.DataObject) -> str:
        """A live, closed or expired id of either stage, a refused one, one never issued, or a malformed one."""
        # Mostly ids the mock issued (one_of picks its branches about evenly).
        choices = [st.sampled_from(list(self.model.conns))] * 4 if self.model.conns else []
        if self.model.refused:
            choices.append(st.sampled_from(self.model.refused))
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
        self.model.expected += [("connect", connection_id), ("post", connection_id, GONE)]

        def model() -> None:
            if notify is not None:
                outcome = self.model.post(stage, notify, f"joined:{connection_id}".encode())
                self.model.expected.append(("post", notify, outcome))
            if mode == "raise":
                self.model.handler_failed("$connect", RefusedByHandler(connection_id))

        _, expected_error = _attempt(model)
        if expected_error is not None:  # the handler's exception (or a nested $disconnect's) reached the test
            assert _described(error) == _described(expected_error)
            self.model.refused.append(connection_id)
            return
        if mode != "ok":
            refusal = (
                (500, '{"message": "Internal server error"}') if mode == "raise" else (int(mode), f"refused {mode}")
            )
            assert isinstance(error, ConnectionRejected), error
            assert (error.status_code, error.body) == refusal
            self.model.refused.append(connection_id)
            return
        assert error is None, error
        assert client.connection_id == connection_id
        self.clients[connection_id] = client
        self.model.conns[connection_id] = Conn(stage, self.model.now_ms, source_ip, user_agent)

    @precondition(lambda self: self.model.conns)
    @rule(data=st.data(), fails=st.booleans())
    def plan_disconnect(self, data: st.DataObject, fails: bool) -> None:
        """Make a connection's $disconnect post to an id (or not), then raise (or not)."""
        conn = self.model.conns[data.draw(st.sampled_from(list(self.model.conns)), label="client")]
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
        self._both(lambda: self.model.send(connection_id, kind, message), lambda: client.send(message))

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def receive(self, data: st.DataObject) -> None:
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="reader")
        conn = self.model.conns[connection_id]
        if not conn.unread:
            with pytest.raises(LookupError):
                self.clients[connection_id].receive()
            return
        assert same([self.clients[connection_id].receive()], [conn.unread.popleft()])

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), code=st.sampled_from([1000, 1001, 3000, 4000, 4999]), reason=st.sampled_from(["", "bye"]))
    def close(self, data: st.DataObject, code: int, reason: str) -> None:
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="closer")

        def model() -> None:
            self.model.touch(connection_id)  # a connection past its limits was closed with 1001 already
            self.model.close(connection_id, code, reason)

        self._both(model, lambda: self.clients[connection_id].close(code, reason))

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), limit=st.sampled_from([None, 0, 1, 8, 40]))
    def limit_buffer(self, data: st.DataObject, limit: int | None) -> None:
        self._limit(data.draw(st.sampled_from(list(self.clients)), label="client"), limit)

    def _limit(self, connection_id: str, limit: int | None) -> None:
        self.clients[connection_id].max_unread_bytes = limit
        assert self.clients[connection_id].max_unread_bytes == limit
        self.model.conns[connection_id].max_unread = limit

    @rule(
        data=st.data(),
        stage=st.sampled_from([*STAGES, "nostage"]),
        payload=st.one_of(st.binary(max_size=12), st.sampled_from([MAX_DATA, MAX_DATA + 1]).map(lambda n: b"p" * n)),
    )
    def post(self, data: st.DataObject, stage: str, payload: bytes) -> None:
        self._post_both(stage, self._any_id(data), payload)

    def _post_both(self, stage: str, connection_id: str, payload: bytes) -> Any:
        return self._both(
            lambda: self.model.post(stage, connection_id, payload),
            lambda: _call(self.mgmt[stage].post_to_connection, connection_id, payload, status=200),
        )

    @precondition(lambda self: self.clients)
    @rule(data=st.data(), size=st.integers(1, 9), limit=st.integers(0, 40))
    def flood(self, data: st.DataObject, size: int, limit: int) -> None:
        """Limit a client's buffer, then post to it until the buffer is full (or a few times)."""
        connection_id = data.draw(st.sampled_from(list(self.clients)), label="flooded")
        self._limit(connection_id, limit)
        stage = self.model.conns[connection_id].stage
        for n in range(6):
            payload = bytes([65 + n]) * size
            if self._post_both(stage, connection_id, payload) is not None:
                break

    @rule(data=st.data(), stage=st.sampled_from([*STAGES, "nostage"]))
    def get(self, data: st.DataObject, stage: str) -> None:
        connection_id = self._any_id(data)

        def model() -> Any:
            error, conn = self.model.find(stage, connection_id)
            if conn is None:
                return error
            identity = {"SourceIp": conn.source_ip, "UserAgent": conn.user_agent}
            return {
                "ConnectedAt": EPOCH + dt.timedelta(milliseconds=conn.connected_at),
                "Identity": identity,
                "LastActiveAt": EPOCH + dt.timedelta(milliseconds=conn.last_active),
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
            lambda: self.model.delete(stage, connection_id),
            lambda: _call(self.mgmt[stage].delete_connection, connection_id, status=204),
        )

    @precondition(lambda self: self.clients)
    @rule(data=st.data())
    def ping(self, data: st.DataObject) -> None:
        self._ping_both(data.draw(st.sampled_from(list(self.clients)), label="pinger"))

    def _ping_both(self, connection_id: str) -> None:
        self._both(lambda: self.model.ping(connection_id), self.clients[connection_id].ping)

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
        self.model.now_us += us
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
        assert [warning_kind(message) for message in warned] == self.model.expected_warnings

    @invariant()
    def handlers_saw_what_the_model_expects(self) -> None:
        assert self.actual == self.model.expected

    @invariant()
    def disconnect_runs_once_per_accepted_connection(self) -> None:
        closed = [entry[1] for entry in self.actual if entry[0] == "disconnect"]
        assert len(closed) == len(set(closed))
        assert set(closed) == {cid for cid, conn in self.model.conns.items() if not conn.open}
        assert not set(closed) & set(self.model.refused)

    @invariant()
    def clients_match_the_model(self) -> None:
        for connection_id, client in self.clients.items():
            conn = self.model.conns[connection_id]
            assert same(client.received, conn.received)
            if not self.model.due(conn):  # reading the state of an expired connection would notice its expiry
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
