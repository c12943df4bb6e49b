"""Hooking botocore: the only place that touches botocore's event system.

Every botocore client copies its session's event emitter when it is created, so a handler registered later on
a session never reaches existing clients. To reach them, clients of the intercepted services get a small mixin
at creation (through ``creating-client-class``, the hook boto3 itself uses) that records them in a weak set.
While at least one mock is active, each recorded client carries two handlers, both with ``unique_id``s:

* ``choose-signer.<service>`` answers ``UNSIGNED``: no credentials are looked up and nothing is signed;
* ``before-send.<service>`` answers the request in-process, so no socket is ever opened.

When the last active mock stops, both are unregistered again and the clients are exactly as they were.
Clients of other services are never touched.

An endpoint URL that botocore itself cannot send to (``wss://``, the WebSocket URL people mistake for the
@connections endpoint) fails as botocore fails outside the mock, with the same exception and message, so a test
cannot pass on code that fails against AWS.

The hooks are process-wide, as moto's are: while a mock is active it answers every thread's clients.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import botocore
import botocore.handlers
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.exceptions import HTTPClientError
from urllib3.exceptions import URLSchemeUnknown
from urllib3.util import parse_url

from .hints import hint

SEND_ID = "mockapigw-before-send"
SIGNER_ID = "mockapigw-choose-signer"
ANSWERED_PREFIX = "mockapigw-answered:"


class Responder(Protocol):
    """What an active mock offers the interceptor: turn one request into one response."""

    def respond(self, event_name: str, request: AWSPreparedRequest, region: str) -> AWSResponse | None:
        """Answer *request* for the operation named by *event_name*, for a client in *region*; ``None``: send it."""
        ...

    def sends_over_socket(self, url: str) -> bool:
        """Whether *url* is one of this mock's servers (server mode), which answers it over the socket."""
        ...


def _unsigned(**kwargs: Any) -> object:
    return botocore.UNSIGNED


def _refuse_unsendable(url: str) -> None:
    """Raise what botocore raises, before sending anything, for a URL its HTTP layer has no scheme for."""
    if url.startswith(("https://", "http://")):
        return
    scheme = parse_url(url).scheme or ""
    if scheme not in ("http", "https"):  # urllib3's PoolManager knows only these two; botocore wraps its refusal
        hint(
            f"the client's endpoint_url uses {scheme}://, which botocore cannot send (outside the mock it fails the "
            "same way); a management client needs endpoint_url='https://{domainName}/{stage}'."
        )
        raise HTTPClientError(error=URLSchemeUnknown(scheme))


class Interceptor:
    """Routes the calls of clients of *services* to the innermost active mock."""

    def __init__(self, services: Iterable[str]) -> None:
        self.services = tuple(services)
        self._lock = threading.RLock()
        self._clients: weakref.WeakSet[Any] = weakref.WeakSet()
        self._active: list[Responder] = []
        interceptor = self

        class Tracked:
            """Mixin that lets the interceptor find clients created before a mock starts."""

            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                interceptor._adopt(self)

        self._mixin = Tracked
        for service in self.services:
            botocore.handlers.BUILTIN_HANDLERS.append((f"creating-client-class.{service}", self._add_mixin))
        self._hook_existing_default_session()

    def _hook_existing_default_session(self) -> None:
        # A boto3 default session made before this import did not get BUILTIN_HANDLERS; give it the hook too.
        try:
            import boto3
        except ImportError:  # pragma: no cover - boto3 is a dependency
            return
        session = boto3.DEFAULT_SESSION
        if session is not None:
            for service in self.services:
                session._session.register(f"creating-client-class.{service}", self._add_mixin)  # type: ignore[arg-type]

    def _add_mixin(self, base_classes: list[type], **kwargs: Any) -> None:
        if self._mixin not in base_classes:
            base_classes.insert(0, self._mixin)

    # --- activation

    @property
    def active(self) -> bool:
        """Whether any mock is active."""
        return bool(self._active)

    def push(self, responder: Responder) -> None:
        """Make *responder* the innermost active mock; hook all known clients when it is the first."""
        with self._lock:
            self._active.append(responder)
            if len(self._active) == 1:
                for client in list(self._clients):
                    self._attach(client)

    def pop(self, responder: Responder) -> None:
        """Deactivate *responder* (wherever it is in the stack); unhook everything when none is left."""
        with self._lock:
            for index in range(len(self._active) - 1, -1, -1):
                if self._active[index] is responder:
                    del self._active[index]
                    break
            if not self._active:
                for client in list(self._clients):
                    self._detach(client)

    # --- clients

    def _adopt(self, client: Any) -> None:
        with self._lock:
            self._clients.add(client)
            if self._active:
                self._attach(client)

    def _attach(self, client: Any) -> None:
        events = client.meta.events
        service = client.meta.service_model.service_id.hyphenize()
        events.register_first(f"before-send.{service}", self._handler(client.meta.region_name), unique_id=SEND_ID)
        events.register_first(f"choose-signer.{service}", _unsigned, unique_id=SIGNER_ID)

    def _detach(self, client: Any) -> None:
        events = client.meta.events
        service = client.meta.service_model.service_id.hyphenize()
        events.unregister(f"before-send.{service}", unique_id=SEND_ID)
        events.unregister(f"choose-signer.{service}", unique_id=SIGNER_ID)

    def _handler(self, region: str) -> Callable[..., AWSResponse | None]:
        active = self._active

        def before_send(request: AWSPreparedRequest, event_name: str, **kwargs: Any) -> AWSResponse | None:
            if not active:  # stopped by another thread mid-call: behave like plain botocore
                return None
            _refuse_unsendable(request.url)
            # A request to the server of any active mock, not only the innermost, goes to that server's socket.
            if any(responder.sends_over_socket(request.url) for responder in active):
                return None
            response = active[-1].respond(event_name, request, region)
            if response is None:  # the mock's own server (server mode) answers it over the socket
                return None
            # botocore's emit() runs every before-send handler even after one answered. Catch-all handlers
            # registered after ours (moto's mock_aws has one for every AWS host) would answer this request
            # a second time, with side effects. The answer is final, so mark the request as answered;
            # botocore builds a new request object for any retry.
            request.url = ANSWERED_PREFIX + request.url
            return response

        return before_send
