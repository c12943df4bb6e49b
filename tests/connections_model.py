"""A reference model of WebSocket connections and the @connections API (for tests/management's state machine).

It holds what docs/connections.md and docs/websockets.md promise, and nothing else: which connections are open,
what each client has been sent, what the handlers should see (in order) and which warnings are due. The mock's
documented choices are part of it: expiry is noticed when a connection is next used, times are kept to the
millisecond, and a @connections call checks the endpoint, then the size of the data, then the id's format, then
whether the connection exists (noticing its expiry), then the client's buffer.
"""

from __future__ import annotations

import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from hypothesis import event

STAGES = ("prod", "dev")
IDLE_MS = 10 * 60 * 1000  # docs/websockets.md "Connection lifetime"
LIFETIME_MS = 2 * 60 * 60 * 1000
MAX_DATA = 131072  # docs/connections.md: PostToConnection's limit
VALID_ID = re.compile(r"^[A-Za-z0-9_-]+=*$")  # docs/connections.md: "A malformed id is one that is not ..."

Outcome = tuple[str, int, str] | None  # a @connections error's (code, status, message), or None for success
GONE = ("GoneException", 410, "")
LIMIT = ("LimitExceededException", 429, "Limit Exceeded")
FORBIDDEN = ("ForbiddenException", 403, "Forbidden")
# An empty id makes a path no operation has (docs/operations.md): API Gateway's own 403, whatever the endpoint.
NO_SUCH_PATH = ("MissingAuthenticationTokenException", 403, "Missing Authentication Token")

# The documented warnings (MockApiGatewayWarning), by kind.
_WARNINGS = {
    "endpoint": r" answered 403 Forbidden: ",
    "other stage": r"^@connections answered 410 GoneException: connection .* is open on stage ",
    "$connect": r"^\$connect integration of .* failed: RefusedByHandler",
    "$disconnect": r"^\$disconnect integration of .* failed: DisconnectFailed",
    "boom": r"^integration of route boom of .* failed: RuntimeError\('boom'\)",
}


def warning_kind(message: str) -> str:
    """The kind of a MockApiGatewayWarning's message, or the message when it is none of the documented ones."""
    return next((kind for kind, pattern in _WARNINGS.items() if re.search(pattern, message)), message)


def too_large(size: int) -> Outcome:
    return ("PayloadTooLargeException", 413, f"Data size {size} exceeds the maximum message size of {MAX_DATA} bytes")


def bad_request(connection_id: str) -> Outcome:
    return ("BadRequestException", 400, f"Invalid connectionId: {connection_id}")


class RefusedByHandler(Exception):
    """What the ``$connect`` handler raises to refuse a connection."""


class DisconnectFailed(Exception):
    """What a failing ``$disconnect`` handler raises; the model raises it where the mock should."""


class Closed(Exception):
    """The model's ``ConnectionClosed``."""

    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(code, reason)
        self.code, self.reason = code, reason


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


def same(actual: list[bytes], expected: list[Frame]) -> bool:
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


class ConnectionsModel:
    """The connections of one mock, and what its handlers and warnings should show, step by step.

    Each step mirrors one call to the mock. A step whose handler fails raises what the call should raise (with
    ``raise_handler_errors``), at the same point, so that the model and the mock stop together.
    """

    def __init__(self, now_us: int, raise_errors: bool) -> None:
        self.now_us = now_us
        self.raise_errors = raise_errors
        self.conns: dict[str, Conn] = {}
        self.refused: list[str] = []
        self.expected: list[tuple[Any, ...]] = []  # what the handlers should record, in order
        self.expected_warnings: list[str] = []

    @property
    def now_ms(self) -> int:
        return self.now_us // 1000

    def due(self, conn: Conn) -> bool:
        """Whether *conn* is past its idle timeout or lifetime (still open, as nothing has noticed)."""
        return conn.open and (
            self.now_ms - conn.last_active >= IDLE_MS or self.now_ms - conn.connected_at >= LIFETIME_MS
        )

    def touch(self, connection_id: str) -> None:
        """Notice the expiry of a connection when it is used (docs/websockets.md "Connection lifetime")."""
        conn = self.conns.get(connection_id)
        if conn is not None and self.due(conn):
            self.close(connection_id, 1001, "Going away")

    def close(self, connection_id: str, code: int, reason: str) -> None:
        """Close an open connection; its $disconnect runs once and may post to the connection it names."""
        conn = self.conns[connection_id]
        if not conn.open:
            return
        conn.open, conn.close_code, conn.close_reason = False, code, reason
        lifetime = self.now_ms - conn.connected_at >= LIFETIME_MS
        event(f"closed with {code}" + (" (lifetime)" if code == 1001 and lifetime else ""))
        self.expected.append(("disconnect", connection_id, code, reason))
        if conn.leave_to is not None:
            outcome = self.post(conn.stage, conn.leave_to, f"left:{connection_id}".encode())
            self.expected.append(("post", conn.leave_to, outcome))
        if conn.disconnect_fails:  # best effort: the connection stays closed (docs/websockets.md "Events")
            self.handler_failed("$disconnect", DisconnectFailed(connection_id))

    def handler_failed(self, kind: str, error: Exception) -> None:
        """A handler raised: its exception reaches the test, or with raise_handler_errors=False a warning does."""
        event(f"{kind} handler failed, " + ("raised" if self.raise_errors else "warned"))
        if self.raise_errors:
            raise error
        self.expected_warnings.append(kind)

    def find(self, stage: str, connection_id: str) -> tuple[Outcome, Conn | None]:
        """The checks of GetConnection and DeleteConnection: endpoint, format, existence (and expiry), stage."""
        if connection_id == "":
            return NO_SUCH_PATH, None
        if stage not in STAGES:
            self.expected_warnings.append("endpoint")
            return FORBIDDEN, None
        if not VALID_ID.match(connection_id):
            return bad_request(connection_id), None
        self.touch(connection_id)
        conn = self.conns.get(connection_id)
        if conn is None or not conn.open:
            return GONE, None
        if conn.stage != stage:  # AWS's answer, and a hint naming both stages (docs/connections.md)
            self.expected_warnings.append("other stage")
            return GONE, None
        return None, conn

    def post(self, stage: str, connection_id: str, data: bytes) -> Outcome:
        """PostToConnection through the endpoint of *stage* (``nostage``: an endpoint without one)."""
        if len(data) > MAX_DATA and connection_id != "" and stage in STAGES:
            outcome = too_large(len(data))
        else:
            error, conn = self.find(stage, connection_id)
            outcome = error
            if conn is not None:
                unread = sum(len(frame) for frame in conn.unread)
                if conn.max_unread is not None and unread + len(data) > conn.max_unread:
                    outcome = LIMIT
                else:
                    self.deliver(conn, data)
        event(f"post: {outcome[0] if outcome else 'delivered'}")
        return outcome

    def delete(self, stage: str, connection_id: str) -> Outcome:
        error, conn = self.find(stage, connection_id)
        if conn is None:
            return error
        self.close(connection_id, 1000, "")
        return None

    @staticmethod
    def deliver(conn: Conn, data: Frame) -> None:
        conn.unread.append(data)
        conn.received.append(data)

    def send(self, connection_id: str, kind: str, message: Any) -> None:
        """A client's frame, of the kinds the handlers know: echo, relay, boom, $default, binary and too big."""
        conn = self.conns[connection_id]
        self.touch(connection_id)
        if not conn.open:
            raise Closed(conn.close_code, conn.close_reason)
        if kind == "binary":
            self.close(connection_id, 1003, "Binary frames are not supported")
            return
        if kind == "too big":
            self.close(connection_id, 1009, "Message too big")
            return
        conn.last_active = self.now_ms
        route = kind if kind in ("echo", "relay", "boom") else "$default"
        self.expected.append(("message", connection_id, route))
        if isinstance(message, dict) and "kick" in message:
            self.expected.append(("delete", message["kick"], self.delete(conn.stage, message["kick"])))
        # A two-way answer or an error frame goes to the client whatever its buffer holds, if it is still open.
        if kind == "echo" and conn.open:
            self.deliver(conn, json.dumps({"echo": message["n"]}).encode())
        elif kind == "boom":
            self.handler_failed("boom", RuntimeError("boom"))
            if conn.open:
                self.deliver(conn, ErrorFrame(connection_id))
        elif kind == "relay":
            for target in message["to"]:
                self.expected.append(("post", target, self.post(conn.stage, target, message["data"].encode())))

    def ping(self, connection_id: str) -> None:
        conn = self.conns[connection_id]
        self.touch(connection_id)
        if not conn.open:
            raise Closed(conn.close_code, conn.close_reason)
        conn.last_active = self.now_ms
