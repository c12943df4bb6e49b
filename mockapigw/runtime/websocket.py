"""Simulated WebSocket clients and the API Gateway side of their connections.

A stage serves its deployed snapshot: every event reads the stage's current deployment, as AWS does; the front
door (:mod:`.endpoints`) resolves it. This runtime owns the connection lifecycle: closing (and ``$disconnect``),
idle and lifetime expiry; the @connections backend asks it to close and to check expiry through
:class:`~mockapigw.management.connections.ConnectionLifecycle`.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from typing import Any

from ..apigatewayv2.snapshot import Snapshot
from ..core import ids
from ..management.connections import (
    CLOSED,
    EMPTY,
    GOING_AWAY,
    IDLE_TIMEOUT_S,
    MAX_LIFETIME_S,
    OPEN,
    Connection,
    ConnectionRegistry,
    Transport,
    now_ms,
)
from . import ws_inputs, ws_integrations
from .alerts import listing, warn
from .endpoints import Endpoints, Refusal
from .events import connect_authorizer_event, connect_event, disconnect_event, message_event
from .http_auth import Denied, check_iam
from .http_events import HttpRequest
from .lambdas import CallSite, Kind, LambdaRegistry, invoke
from .policies import policy_allows, response_problem, stringify_context
from .selection import compile_expression, request_context
from .setup_hints import not_active

MAX_MESSAGE_BYTES = 128 * 1024  # aws-behaviour.md §4
UNSUPPORTED_DATA = 1003
MESSAGE_TOO_BIG = 1009
DEFAULT_SOURCE_IP = "192.0.2.1"
DEFAULT_USER_AGENT = "mockapigw-websocket-client"
_AUTHORIZER_TIMEOUT_MS = 10000


class ConnectionRejected(Exception):
    """The WebSocket handshake failed: API Gateway answered the upgrade request with ``status_code``.

    ``status_code`` and ``body`` are exactly AWS's; the message adds why, when the test's set-up is the cause.
    """

    def __init__(self, status_code: int, body: str = "", reason: str = "") -> None:
        message = f"WebSocket handshake rejected with {status_code}: {body}"
        super().__init__(f"{message} ({reason})" if reason else message)
        self.status_code = status_code
        self.body = body
        self.reason = reason


class ConnectionClosed(Exception):
    """The client tried to use a connection that is closed; the message says why when the mock knows more."""

    def __init__(self, connection: Connection, why: str = "") -> None:
        message = f"connection {connection.connection_id} is closed ({connection.close_code} {connection.close_reason})"
        super().__init__(f"{message}: {why}" if why else message)
        self.code = connection.close_code
        self.reason = connection.close_reason


def _clock(epoch_ms: int) -> str:
    return _dt.datetime.fromtimestamp(epoch_ms / 1000, _dt.timezone.utc).isoformat(timespec="seconds")


def _expiry(connection: Connection, at_ms: int) -> str:
    """Why *connection* expires at *at_ms*, with the mock's clock readings, so that a jump of the clock shows."""
    passed = []
    if at_ms - connection.last_active_ms >= IDLE_TIMEOUT_S * 1000:
        passed.append(f"its idle timeout ({IDLE_TIMEOUT_S // 60} minutes)")
    if at_ms - connection.connected_at_ms >= MAX_LIFETIME_S * 1000:
        passed.append(f"its maximum lifetime ({MAX_LIFETIME_S // 3600} hours)")
    return (
        f"it passed {' and '.join(passed)} by the mock's clock, which read {_clock(at_ms)}; it connected at "
        f"{_clock(connection.connected_at_ms)} and was last active at {_clock(connection.last_active_ms)}. Time is "
        "read at every call: leaving freeze_time or time_machine.travel, or moving the clock, moves it too."
    )


def _error_frame(message: str, connection: Connection, request_id: str) -> bytes:
    # AWS's exact spacing (aws-behaviour.md §5.1): a space after "message": and none after the other colons.
    text = f'{{"message": "{message}", "connectionId":"{connection.connection_id}", "requestId":"{request_id}"}}'
    return text.encode()


class WebSocketRuntime:
    """The data plane of WebSocket APIs for one mock."""

    def __init__(
        self, endpoints: Endpoints, lambdas: LambdaRegistry, account_id: str, connections: ConnectionRegistry
    ) -> None:
        self._endpoints = endpoints
        self._lambdas = lambdas
        self._account_id = account_id
        self.connections = connections
        # The simulated clients' open connections (not a server's), for close_all: a stop costs what is open.
        self._simulated: dict[str, Connection] = {}
        # Call sites by (kind, API, route key, region, account): one per route, not one per invocation.
        self._sites: dict[tuple[str, str, str, str, str], CallSite] = {}

    # --- lookups

    def _site(self, connection: Connection, route_key: str, kind: Kind = "integration") -> CallSite:
        key = (kind, connection.api_id, route_key, connection.region, connection.account_id)
        site = self._sites.get(key)
        if site is None:  # made once per route (a frozen dataclass is slow to make, and it is immutable)
            site = self._sites.setdefault(
                key, CallSite(kind, "WEBSOCKET", connection.api_id, route_key, connection.region, connection.account_id)
            )
        return site

    def snapshot_of(self, connection: Connection) -> Snapshot | Refusal:
        """What the connection's stage serves now (resolved once); its stage variables are refreshed on the way."""
        resolved = self._endpoints.websocket(connection.api_id, connection.stage, connection.region, connecting=False)
        if isinstance(resolved, Refusal):
            return resolved
        # Stage variables take effect without a redeployment, for open connections too.
        connection.stage_variables = resolved.stage_variables or EMPTY  # read-only, so kept without a copy
        return resolved.snapshot

    # --- handshake

    def connect(
        self,
        api_id: str,
        stage: str,
        *,
        headers: dict[str, str] | None,
        query: dict[str, str | list[str]] | None,
        source_ip: str,
        user_agent: str | None,
        region: str | None,
        transport: Transport | None = None,
        domain_name: str | None = None,
    ) -> Connection:
        """Open a connection, running ``$connect`` and its authorizer; :class:`ConnectionRejected` on failure.

        With a *transport* (server mode's real socket), messages for the client go to it, from ``$connect`` on.
        *domain_name* is the custom domain name the client connected through, if any (events carry it).
        """
        ws_inputs.connect_arguments(api_id, stage, headers, query, source_ip, user_agent, region)
        resolved = self._endpoints.websocket(api_id, stage, region)
        if isinstance(resolved, Refusal):
            raise ConnectionRejected(resolved.status, resolved.body, resolved.reason)
        snapshot = resolved.snapshot
        api_region = resolved.region
        domain = domain_name or f"{api_id}.execute-api.{api_region}.amazonaws.com"
        connection = Connection(
            account_id=self._account_id,
            region=api_region,
            api_id=api_id,
            stage=stage,
            domain_name=domain,
            source_ip=source_ip,
            user_agent=user_agent,
            headers=self._handshake_headers(domain, source_ip, user_agent, headers),
            query={k: list(v) if isinstance(v, list) else [v] for k, v in (query or {}).items()},
            stage_variables=resolved.stage_variables,  # read-only, so kept without a copy
        )
        connection.transport = transport
        self.connections.add(connection)
        try:
            self._run_connect(connection, snapshot)
        except BaseException:  # a rejection, or a handler's exception on its way to the test
            connection.state = CLOSED
            if transport is not None:  # the socket is never opened: keep only the record, as for a closed one
                connection.socket_closed()
            raise
        finally:
            connection.handshake_done()  # the events that read the handshake's headers are made
        connection.state = OPEN
        if transport is None:
            self._simulated[connection.connection_id] = connection
        return connection

    @staticmethod
    def _handshake_headers(
        domain: str, source_ip: str, user_agent: str | None, extra: dict[str, str] | None
    ) -> dict[str, str]:
        entropy = ids.random_bytes(28)  # 16 bytes for the key, 12 for the trace id
        headers = {
            "Host": domain,
            "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
            "Sec-WebSocket-Key": base64.b64encode(entropy[:16]).decode(),
            "Sec-WebSocket-Version": "13",
            "X-Amzn-Trace-Id": f"Root=1-{now_ms() // 1000:08x}-{entropy[16:].hex()}",
            "X-Forwarded-For": source_ip,
            "X-Forwarded-Port": "443",
            "X-Forwarded-Proto": "https",
        }
        if user_agent:
            headers["User-Agent"] = user_agent
        headers.update(extra or {})
        return headers

    def _run_connect(self, connection: Connection, snapshot: Snapshot) -> None:
        route = snapshot.route_by_key("$connect")
        if route is None:
            return
        request_id = ids.connection_style()
        event = connect_event(connection, request_id, now_ms())
        if route.get("AuthorizationType") == "CUSTOM":
            self._authorize(connection, snapshot, route, event)
            event = connect_event(connection, request_id, now_ms())  # now with requestContext.authorizer
        elif route.get("AuthorizationType") == "AWS_IAM":
            handshake = HttpRequest("GET", f"/{connection.stage}", "", list(connection.headers.items()), b"")
            try:
                check_iam(handshake, connection.region, connection.account_id)
            except Denied:
                raise ConnectionRejected(403, '{"message":"Forbidden"}') from None
        integration = self._integration(snapshot, route)
        if integration is None:
            return
        site = self._site(connection, "$connect")
        outcome = ws_integrations.run(self._lambdas, snapshot, integration, event, "", site)
        if not outcome.ok:
            warn(f"$connect integration of {connection.api_id}/{connection.stage} failed: {outcome.error}")
            raise ConnectionRejected(500, '{"message": "Internal server error"}')
        if not 200 <= outcome.status < 300:
            raise ConnectionRejected(outcome.status, outcome.body or "")
        for name, value in (outcome.headers or {}).items():
            if name.lower() == "sec-websocket-protocol":
                connection.subprotocol = value

    def _authorize(
        self, connection: Connection, snapshot: Snapshot, route: dict[str, Any], event: dict[str, Any]
    ) -> None:
        authorizer = snapshot.authorizer_for(route)
        if authorizer is None:
            raise ConnectionRejected(500, '{"message": "Internal server error"}')
        lowered = {k.lower(): v for k, v in connection.headers.items()}
        for source in authorizer.get("IdentitySource") or []:
            if source.startswith("route.request.header."):
                present = source.removeprefix("route.request.header.").lower() in lowered
            elif source.startswith("route.request.querystring."):
                present = source.removeprefix("route.request.querystring.") in connection.query
            else:
                present = True
            if not present:
                raise ConnectionRejected(401, '{"message":"Unauthorized"}')
        method_arn = (
            f"arn:aws:execute-api:{connection.region}:{connection.account_id}:"
            f"{connection.api_id}/{connection.stage}/$connect"
        )
        request = connect_authorizer_event(connection, event, method_arn)
        site = self._site(connection, "$connect", "authorizer")
        called = invoke(self._lambdas, authorizer.get("AuthorizerUri", ""), request, _AUTHORIZER_TIMEOUT_MS, site)
        if not called.ok or not isinstance(called.payload, dict):
            reason = "timed out" if called.timed_out else repr(called.error or called.result)
            warn(f"authorizer {authorizer.get('Name')} of {connection.api_id} failed: {reason}")
            raise ConnectionRejected(500, '{"message": "Internal server error"}')
        if "policyDocument" not in called.payload:  # no policy allows the connection: 403, and the reason why
            problem = response_problem(called.payload, simple=False, websocket=True)
            raise ConnectionRejected(403, '{"message":"Forbidden"}', f"authorizer {authorizer.get('Name')}: {problem}")
        if not policy_allows(called.payload.get("policyDocument"), method_arn):
            raise ConnectionRejected(403, '{"message":"Forbidden"}')
        context = stringify_context(called.payload.get("context"))
        connection.authorizer = {"principalId": str(called.payload.get("principalId", "")), **context}

    @staticmethod
    def _integration(snapshot: Snapshot, route: dict[str, Any]) -> dict[str, Any] | None:
        return snapshot.integration_for(route)

    # --- messages

    def refresh(self, connection: Connection) -> None:
        """Close the connection if its idle timeout or lifetime has passed (time is read now)."""
        self._expire(connection)

    def _expire(self, connection: Connection) -> str:
        """:meth:`refresh`, saying why it closed the connection now (``""`` when it did not)."""
        at_ms = now_ms()
        if not connection.due_to_expire(at_ms):
            return ""
        why = _expiry(connection, at_ms)
        self.close(connection, GOING_AWAY, "Going away")
        return why

    def send(self, connection: Connection, data: str | bytes | bytearray | dict[str, Any] | list[Any]) -> None:
        """A frame from the client: route it, run the integration, send back what a two-way route returns."""
        why = self._expire(connection)
        if connection.state != OPEN:
            raise ConnectionClosed(connection, why)
        if isinstance(data, (bytes, bytearray, memoryview)):
            # API Gateway does not accept binary frames from clients (aws-behaviour.md §4).
            self.close(connection, UNSUPPORTED_DATA, "Binary frames are not supported")
            return
        text = json.dumps(data) if isinstance(data, (dict, list)) else str(data)
        if len(text.encode("utf-8")) > MAX_MESSAGE_BYTES:
            self.close(connection, MESSAGE_TOO_BIG, "Message too big")
            return
        connection.last_active_ms = now_ms()
        snapshot = self.snapshot_of(connection)
        request_id = ids.connection_style()
        if isinstance(snapshot, Refusal):
            warn(f"message on connection {connection.connection_id} answered Forbidden: {snapshot.reason}")
            connection.deliver(_error_frame("Forbidden", connection, request_id))
            return
        selected, route = self._select_route(snapshot, text)
        if route is None or route["RouteKey"] != selected:
            undeployed = self._undeployed(connection, selected)
            if route is None:
                keys = [key for key in snapshot.route_keys if key not in ("$connect", "$disconnect")]
                expression = str(snapshot.api.get("RouteSelectionExpression", ""))
                warn(
                    f"no route of WebSocket API {connection.api_id} matched the message (route selection expression "
                    f"{expression!r} gave {selected!r}) and it has no $default route, so API Gateway answers "
                    f"Forbidden. {undeployed or f'Its route keys: {listing(keys, near=selected)}'}"
                )
                connection.deliver(_error_frame("Forbidden", connection, request_id))
                return
            if undeployed is not None:
                warn(f"the message went to the $default route of WebSocket API {connection.api_id}: {undeployed}")
        integration = self._integration(snapshot, route)
        event = message_event(connection, route["RouteKey"], text, request_id, ids.connection_style(), now_ms())
        if integration is None:
            warn(f"route {route['RouteKey']} of {connection.api_id} has no integration")
            connection.deliver(_error_frame("Internal server error", connection, request_id))
            return
        site = self._site(connection, str(route["RouteKey"]))
        outcome = ws_integrations.run(self._lambdas, snapshot, integration, event, text, site)
        if not outcome.ok:
            warn(f"integration of route {route['RouteKey']} of {connection.api_id} failed: {outcome.error}")
            if connection.state == OPEN:  # the handler may have closed it (DeleteConnection): a closed one gets nothing
                connection.deliver(_error_frame("Internal server error", connection, request_id))
            return
        if outcome.body is not None and snapshot.is_two_way(route) and connection.state == OPEN:
            reply = outcome.body.encode("utf-8")
            if len(reply) > MAX_MESSAGE_BYTES:
                # A message over 128 KiB closes the connection with 1009 (aws-behaviour.md §4), whichever side sends it.
                warn(
                    f"the two-way response of route {route['RouteKey']} is {len(reply)} bytes, over API Gateway's "
                    f"{MAX_MESSAGE_BYTES}-byte message limit: the connection closes with 1009"
                )
                self.close(connection, MESSAGE_TOO_BIG, "Message too big")
                return
            connection.deliver(reply)

    @staticmethod
    def _select_route(snapshot: Snapshot, text: str) -> tuple[str, dict[str, Any] | None]:
        """The route selection expression's value for *text*, and the route it selects (else ``$default``'s)."""
        expression = str(snapshot.api.get("RouteSelectionExpression", ""))
        key = compile_expression(expression)(request_context(text))
        route = snapshot.route_by_key(key) if key not in ("$connect", "$disconnect") else None
        return key, route or snapshot.route_by_key("$default")

    def _undeployed(self, connection: Connection, key: str) -> str | None:
        """Why *key* selects no deployed route although the live API has it (for a hint), else ``None``."""
        if key in ("$connect", "$disconnect", "$default"):
            return None
        return self._endpoints.undeployed_route(connection.api_id, connection.region, connection.stage, key)

    def ping(self, connection: Connection) -> None:
        """A ping frame from the client: keeps the connection from going idle."""
        why = self._expire(connection)
        if connection.state != OPEN:
            raise ConnectionClosed(connection, why)
        connection.last_active_ms = now_ms()

    # --- closing

    def close(self, connection: Connection, code: int, reason: str) -> None:
        """Close the connection once; an open one then runs ``$disconnect`` (client, expiry or @connections)."""
        if self.connections.close(connection, code, reason):
            self._simulated.pop(connection.connection_id, None)
            transport = connection.transport
            if transport is not None:  # a real socket closes with the same code, before $disconnect runs
                transport.close(code, reason)
            self._run_disconnect(connection)

    @property
    def active(self) -> bool:
        """Whether the mock is started: its simulated clients may send only then."""
        return self._endpoints.active

    def close_all(self) -> None:
        """Close the simulated clients' open connections with 1001 ``Going away`` (a stopping mock), running nothing.

        No handler runs once the mock stops: the services its boto3 calls would reach (another mock, moto) may be
        gone already, and the calls would then go to AWS. A client's ``close`` afterwards finds it closed.
        """
        simulated, self._simulated = self._simulated, {}
        for connection in simulated.values():  # a server's connections were closed as it stopped
            self.connections.close(connection, GOING_AWAY, "Going away")

    def client_closed(self, connection: Connection, code: int, reason: str) -> None:
        """The client's side ended the connection (a close, a broken rule, the socket gone): :meth:`close` with *code*,
        unless its idle timeout or lifetime had passed first.

        On AWS such a connection was closed with 1001 before the client's close came; that close comes first here.
        """
        self.refresh(connection)
        self.close(connection, code, reason)

    def _run_disconnect(self, connection: Connection) -> None:
        """Run ``$disconnect`` after an open connection closed (best effort, as on AWS)."""
        snapshot = self.snapshot_of(connection)
        if isinstance(snapshot, Refusal):
            return
        route = snapshot.route_by_key("$disconnect")
        integration = self._integration(snapshot, route) if route is not None else None
        if integration is None:
            return
        event = disconnect_event(connection, ids.connection_style(), now_ms())
        site = self._site(connection, "$disconnect")
        outcome = ws_integrations.run(self._lambdas, snapshot, integration, event, "", site)
        if not outcome.ok:
            warn(f"$disconnect integration of {connection.api_id} failed: {outcome.error}")


class WebSocketClient:
    """A simulated WebSocket client connected to a stage of a WebSocket API."""

    def __init__(self, runtime: WebSocketRuntime, connection: Connection) -> None:
        self._runtime = runtime
        self._connection = connection

    def __repr__(self) -> str:
        state = "open" if self._connection.state == OPEN else f"closed {self._connection.close_code}"
        return f"<WebSocketClient {self.connection_id} {self._connection.api_id}/{self._connection.stage} {state}>"

    @property
    def connection_id(self) -> str:
        """The id API Gateway gave this connection (``L0SM9cOFvHcCIhw=``)."""
        return self._connection.connection_id

    @property
    def connected(self) -> bool:
        """Whether the connection is open (expiry is checked now)."""
        self._runtime.refresh(self._connection)
        return self._connection.state == OPEN

    @property
    def close_code(self) -> int | None:
        """The close status code once closed (1000 normal, 1001 going away, 1003, 1009...), else ``None``."""
        self._runtime.refresh(self._connection)
        return self._connection.close_code

    @property
    def close_reason(self) -> str:
        """The close reason once closed (expiry is checked now)."""
        self._runtime.refresh(self._connection)
        return self._connection.close_reason

    @property
    def subprotocol(self) -> str | None:
        """The subprotocol ``$connect`` negotiated with a ``Sec-WebSocket-Protocol`` header, if any."""
        return self._connection.subprotocol

    @property
    def received(self) -> list[bytes]:
        """Every message delivered to this client, oldest first."""
        return list(self._connection.received or ())

    @property
    def max_unread_bytes(self) -> int | None:
        """Unread bytes the client buffers before @connections posts get ``LimitExceededException``."""
        return self._connection.max_unread_bytes

    @max_unread_bytes.setter
    def max_unread_bytes(self, limit: int | None) -> None:
        self._connection.max_unread_bytes = ws_inputs.max_unread_bytes(limit)

    def _check_active(self, call: str) -> None:
        # After stop() a handler's boto3 calls would go to AWS: refuse, as gw.connect does.
        if not self._runtime.active:
            raise RuntimeError(not_active(f"WebSocketClient.{call}", f"call {call}"))

    def send(self, data: str | bytes | dict[str, Any] | list[Any]) -> None:
        """Send a message: ``str`` as a text frame, ``bytes`` as a binary frame, dict/list as JSON text."""
        frame = ws_inputs.message(data)
        self._check_active("send")
        self._runtime.send(self._connection, frame)

    def ping(self) -> None:
        """Send a ping frame, which counts as activity for the idle timeout."""
        self._check_active("ping")
        self._runtime.ping(self._connection)

    def receive(self) -> bytes:
        """Pop the oldest unread message; ``LookupError`` when there is none."""
        return self._connection.pop_unread()

    def receive_text(self) -> str:
        """Pop the oldest unread message as text."""
        return self.receive().decode("utf-8")

    def receive_json(self) -> Any:
        """Pop the oldest unread message, parsed as JSON."""
        return json.loads(self.receive())

    def close(self, code: int = 1000, reason: str = "") -> None:
        """Close from the client side; ``$disconnect`` runs with this code and reason (1001 if it had expired).

        After the mock stopped, its connections are closed already, and nothing runs
        (:meth:`WebSocketRuntime.close_all`).
        """
        self._runtime.client_closed(self._connection, *ws_inputs.close_frame(code, reason))
