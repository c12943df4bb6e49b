"""WebSocket connections: their state, and the registry the @connections API reads.

The connection lifecycle (closing with ``$disconnect``, idle and lifetime expiry) has one owner, the WebSocket
runtime. This package never imports the runtime: the @connections backend is given the owner as a
:class:`ConnectionLifecycle` when the mock is built, and calls it explicitly.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Protocol

from ..core import ids

# An empty mapping all connections share: the handshake's headers and query string once $connect has run, and
# the stage variables of a stage that has none. Thousands of open connections then hold no empty dicts of their own.
EMPTY: Mapping[str, Any] = MappingProxyType({})
# Connections share a few locks instead of one each (an RLock is about 100 bytes, per open socket in server mode).
# A connection's lock is held briefly, and never while taking another connection's, so sharing costs at most a
# rare wait.
_LOCKS = tuple(threading.RLock() for _ in range(64))

IDLE_TIMEOUT_S = 10 * 60  # aws-behaviour.md §4: idle connection timeout
MAX_LIFETIME_S = 2 * 60 * 60  # aws-behaviour.md §4: connection duration
GOING_AWAY = 1001

CONNECTING = "CONNECTING"
OPEN = "OPEN"
CLOSED = "CLOSED"


def now_ms() -> int:
    """Epoch milliseconds, read at every call (freezegun and time-machine move it)."""
    return int(time.time() * 1000)


class Transport(Protocol):
    """A real socket behind a connection (server mode): frames go out through it, and it can be closed."""

    def send(self, data: bytes) -> None:
        """Send *data* to the client as one message (a text frame); callable from any thread."""

    def close(self, code: int, reason: str) -> None:
        """Close the socket with *code* and *reason* (once; later calls do nothing); callable from any thread."""

    def buffer_full(self, incoming: int) -> bool:
        """Whether *incoming* more bytes would pass what the socket holds for its client; callable from any thread."""


class _SocketGone:
    """The transport of a connection whose real socket has closed: messages for it go nowhere."""

    __slots__ = ()

    def send(self, data: bytes) -> None:
        """Drop *data*: the socket is closed."""

    def close(self, code: int, reason: str) -> None:
        """Nothing to close."""

    def buffer_full(self, incoming: int) -> bool:
        """Never full: nothing is kept for a closed socket (its connection is not open, so posts are gone)."""
        return False


SOCKET_GONE: Transport = _SocketGone()


# One copy of each string many connections hold (API id, stage, domain name, source IP, User-Agent). Not
# sys.intern: interned strings are never freed on Python 3.12, and real clients bring any number of User-Agents
# and addresses. Bounded: forgotten when full, after which each string is shared again from its next use.
_SHARED: dict[str, str] = {}
_SHARED_MAX = 4096


def _shared(text: str) -> str:
    """The one kept copy of *text*, if it is a plain ``str``; anything else (a ``str`` enum) is kept as given."""
    if type(text) is not str:
        return text
    kept = _SHARED.get(text)
    if kept is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        kept = _SHARED.setdefault(text, text)
    return kept


class Connection:
    """One simulated WebSocket connection and everything API Gateway knows about it.

    Thousands are open at once in server mode, and closed ones stay (their ids answer ``GoneException``), so a
    connection keeps little: slots, the simulated client's message lists only once a message arrives, and the
    handshake's headers and query string only until ``$connect`` has run (see :meth:`handshake_done`).
    """

    __slots__ = (
        "account_id",
        "api_id",
        "authorizer",
        "close_code",
        "close_reason",
        "connected_at_ms",
        "connection_id",
        "domain_name",
        "headers",
        "last_active_ms",
        "max_unread_bytes",
        "query",
        "received",
        "region",
        "source_ip",
        "stage",
        "stage_variables",
        "state",
        "subprotocol",
        "transport",
        "unread",
        "unread_bytes",
        "user_agent",
    )

    def __init__(
        self,
        *,
        account_id: str,
        region: str,
        api_id: str,
        stage: str,
        domain_name: str,
        source_ip: str,
        user_agent: str | None,
        headers: Mapping[str, str],
        query: Mapping[str, list[str]],
        stage_variables: Mapping[str, str],
    ) -> None:
        self.connection_id = ids.connection_style()
        self.account_id = account_id
        # Shared: every connection to one stage, from one kind of client, holds the same strings.
        self.region = _shared(region)
        self.api_id = _shared(api_id)
        self.stage = _shared(stage)
        self.domain_name = _shared(domain_name)
        self.source_ip = _shared(source_ip)
        self.user_agent = _shared(user_agent) if user_agent is not None else None
        # The handshake's, read by $connect and its authorizer only.
        self.headers = headers
        self.query = query
        self.stage_variables = stage_variables or EMPTY
        self.connected_at_ms = now_ms()
        self.last_active_ms = self.connected_at_ms
        self.state = CONNECTING
        self.close_code: int | None = None
        self.close_reason = ""
        self.authorizer: dict[str, Any] | None = None
        self.subprotocol: str | None = None
        # A simulated client's messages: every one delivered, and those it has not read yet (made on first use).
        self.received: list[bytes] | None = None
        self.unread: deque[bytes] | None = None
        self.unread_bytes = 0
        self.max_unread_bytes: int | None = None
        # Server mode: the real socket messages go to instead of the unread queue (a simulated client's).
        self.transport: Transport | None = None

    def handshake_done(self) -> None:
        """Forget the handshake's headers and query string: nothing reads them after ``$connect``."""
        self.headers = EMPTY
        self.query = EMPTY

    @property
    def lock(self) -> threading.RLock:
        """The lock of this connection's state and simulated client (shared with a few other connections)."""
        return _LOCKS[hash(self.connection_id) & 63]

    def socket_closed(self) -> None:
        """The real socket has closed: let go of it, so a closed connection keeps only its record."""
        self.transport = SOCKET_GONE

    def due_to_expire(self, at_ms: int) -> bool:
        """Whether the idle timeout or the maximum lifetime has passed at *at_ms*."""
        return self.state == OPEN and (
            at_ms - self.last_active_ms >= IDLE_TIMEOUT_S * 1000
            or at_ms - self.connected_at_ms >= MAX_LIFETIME_S * 1000
        )

    def deliver(self, data: bytes) -> None:
        """Queue a message for the client, or send it on the real socket when there is one."""
        transport = self.transport
        if transport is not None:
            transport.send(data)
            return
        with self.lock:
            if self.received is None or self.unread is None:
                self.received, self.unread = [], deque()
            self.received.append(data)
            self.unread.append(data)
            self.unread_bytes += len(data)

    def pop_unread(self) -> bytes:
        """The oldest message the client has not read yet; ``LookupError`` when there is none."""
        with self.lock:
            if not self.unread:
                raise LookupError(f"no unread message on connection {self.connection_id}")
            data = self.unread.popleft()
            self.unread_bytes -= len(data)
            return data

    def buffer_full(self, incoming: int) -> bool:
        """Whether *incoming* more bytes would pass the client's unread-buffer limit."""
        limit = self.max_unread_bytes
        return limit is not None and self.unread_bytes + incoming > limit


class ConnectionLifecycle(Protocol):
    """The owner of the connection lifecycle (the WebSocket runtime), as the @connections backend calls it."""

    def close(self, connection: Connection, code: int, reason: str) -> None:
        """Close *connection*; an open one runs ``$disconnect``."""

    def refresh(self, connection: Connection) -> None:
        """Close *connection* if its idle timeout or lifetime has passed."""


class ConnectionRegistry:
    """Connections by id, for one mock. Closed connections stay, so their ids answer ``GoneException``."""

    def __init__(self) -> None:
        self._connections: dict[str, Connection] = {}
        self._lock = threading.Lock()

    def add(self, connection: Connection) -> None:
        """Register a new connection."""
        with self._lock:
            self._connections[connection.connection_id] = connection

    def get(self, connection_id: str) -> Connection | None:
        """The connection with this id, whatever its state, or ``None``."""
        return self._connections.get(connection_id)

    def close(self, connection: Connection, code: int, reason: str) -> bool:
        """Mark *connection* closed (once); whether it was open (so ``$disconnect`` is due)."""
        with connection.lock:
            if connection.state == CLOSED:
                return False
            was_open = connection.state == OPEN
            connection.state = CLOSED
            connection.close_code = code
            connection.close_reason = reason
        return was_open
