"""Hooking botocore: the only place that touches botocore's event system.

Every botocore client copies its session's event emitter when it is created, so a handler registered later on
a session never reaches existing clients. To reach them, clients of the intercepted services get a small mixin
at creation (through ``creating-client-class``, the hook boto3 itself uses) that records them in a weak set.
While at least one mock is active, each recorded client carries three handlers, all with ``unique_id``s:

* ``before-call`` answers the call in-process from the serialized request, and hands botocore the response
  parsed by botocore's own parser (with the ``before-parse`` and ``response-received`` events botocore emits once
  a response is in; botocore then emits ``after-call`` itself), as botocore's ``Stubber`` hands its canned
  answers. It skips botocore's work after that point for a call that never leaves the process, well over half of
  a call's cost: building and preparing the ``AWSRequest``, ``request-created`` (signing, a second ``User-Agent``
  build), ``before-send`` and the retry check. It is registered last on the bare ``before-call`` event, so the
  handlers registered before the mock started and those on a more specific event name run first: botocore's own
  request tweaks, the ``Stubber`` of a stubbed client (``before-call.*.*``), a user's handler that answers the
  call. (A handler added with ``register_last("before-call", ...)`` while the mock is active runs after it.)
  The parser is the one the client's own factory makes; where that is botocore's default timestamp parser, the
  timestamps the mock sends are parsed once each (``timestamps.py``), with the same results.
* ``before-send.<service>`` answers whatever ``before-call`` leaves to botocore's full path (below);
* ``choose-signer.<service>`` answers ``UNSIGNED`` on that path: no credentials are looked up and nothing is signed.

Only a success (status below 300) is answered at ``before-call``. An error must go through botocore's retry
handling, which only the full path has: a throttled or 5xx answer is retried as often as against AWS, with the
same ``RetryAttempts``. The request was already answered, though, and answering it again at ``before-send``
could differ (and a mock's answer may have side effects), so the error is kept for this thread and this client
and ``before-send`` returns it for the first attempt; retries are answered afresh, as against AWS. An exception
from the mock is kept the same way, so botocore raises it from the same place as before.

When the last active mock stops, all three are unregistered again and the clients are exactly as they were.
Clients of other services are never touched.

An endpoint URL that botocore itself cannot send to (``wss://``, the WebSocket URL people mistake for the
@connections endpoint) fails as botocore fails outside the mock, with the same exception and message, so a test
cannot pass on code that fails against AWS. Such a request, and one to a mock's own server (server mode), takes
botocore's full path.

The hooks are process-wide, as moto's are: while a mock is active it answers every thread's clients.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

import botocore
import botocore.handlers
import botocore.utils
from botocore.awsrequest import AWSPreparedRequest, AWSResponse
from botocore.endpoint import convert_to_response_dict
from botocore.exceptions import HTTPClientError
from botocore.httpchecksum import handle_checksum_body
from botocore.parsers import ResponseParserFactory
from urllib3.exceptions import URLSchemeUnknown
from urllib3.util import parse_url

from .hints import hint
from .timestamps import keeping

CALL_ID = "mockapigw-before-call"
SEND_ID = "mockapigw-before-send"
SIGNER_ID = "mockapigw-choose-signer"
ANSWERED_PREFIX = "mockapigw-answered:"

_SENDABLE = ("https://", "http://")
_BEFORE_CALL = len("before-call")  # the event name's prefix; what follows is ".<service>.<Operation>"


class Responder(Protocol):
    """What an active mock offers the interceptor: turn one request into one response."""

    def respond(
        self, service_id: str, method: str, url: str, headers: Mapping[str, Any], body: Any, region: str
    ) -> AWSResponse | None:
        """Answer a request to *service_id* from a client in *region*; ``None``: send it.

        *headers* is a mapping whose ``get`` takes lower-case names.
        """
        ...

    def sends_over_socket(self, url: str) -> bool:
        """Whether *url* is one of this mock's servers (server mode), which answers it over the socket."""
        ...


def _unsigned(**kwargs: Any) -> object:
    return botocore.UNSIGNED


def _refuse_unsendable(url: str) -> None:
    """Raise what botocore raises, before sending anything, for a URL its HTTP layer has no scheme for."""
    if url.startswith(_SENDABLE):
        return
    scheme = parse_url(url).scheme or ""
    if scheme not in ("http", "https"):  # urllib3's PoolManager knows only these two; botocore wraps its refusal
        hint(
            f"the client's endpoint_url uses {scheme}://, which botocore cannot send (outside the mock it fails the "
            "same way); a management client needs endpoint_url='https://{domainName}/{stage}'."
        )
        raise HTTPClientError(error=URLSchemeUnknown(scheme))


def _parse(events: Any, parser: Any, response: AWSResponse, model: Any, context: dict[str, Any], suffix: str) -> Any:
    """What botocore's ``Endpoint`` makes of a successful *response* to a first attempt."""
    # The steps of Endpoint._do_get_response and _get_response once a response is in; a success has no modeled
    # error fields, and the retry check would say no.
    try:
        response_dict = convert_to_response_dict(response, model)
        handle_checksum_body(response, response_dict, context, model)  # type: ignore[arg-type]  # stub too narrow
        customized: dict[str, Any] = {}
        events.emit(
            "before-parse" + suffix,
            operation_model=model,
            response_dict=response_dict,
            customized_response_dict=customized,
        )
        parsed = parser.parse(response_dict, model.output_shape)
        parsed.update(customized)
        events.emit(
            "response-received" + suffix,
            response_dict=convert_to_response_dict(response, model),  # botocore makes a second one for the event
            parsed_response=parsed,
            context=context,
            exception=None,
        )
    except Exception as error:
        # Raised out of botocore's request path (a handler of these events included), which announces it first
        # (BaseClient._make_request).
        events.emit("after-call-error" + suffix, exception=error, context=context)
        raise
    metadata = parsed.get("ResponseMetadata")
    if metadata is not None:
        metadata["RetryAttempts"] = 0
    return parsed


def _handlers(client: Any, active: list[Responder]) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The ``before-call`` and ``before-send`` handlers of one client, made anew each time it is hooked.

    Plain functions taking keyword arguments only: botocore inspects every handler's signature when it is
    registered, which is most of what a start and a stop cost per live client; a bound method's signature costs
    twice as much to inspect as a function's, and a longer one more than a short one.
    """
    meta = client.meta
    region: str = meta.region_name
    service = meta.service_model
    service_id: str = service.service_id.hyphenize()
    events = meta.events
    # The parser botocore itself would use: the client's factory keeps any parser defaults set on the session.
    factory = getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None) or ResponseParserFactory()
    parser = factory.create_parser(getattr(service, "resolved_protocol", None) or service.protocol)
    # botocore's own timestamp parser parses the timestamps the mock sends once each; not one set on the session,
    # nor one put in place of botocore's module default (its results need not be the same every time).
    if getattr(parser, "_timestamp_parser", None) is botocore.utils.parse_timestamp:
        parser._timestamp_parser = keeping(botocore.utils.parse_timestamp)  # type: ignore[union-attr]
    # What before-call answered but left to botocore's full path (an error, or an exception), per thread.
    kept = threading.local()

    def before_call(**kwargs: Any) -> tuple[AWSResponse, Any] | None:
        params = kwargs["params"]  # model, params, context and event_name are botocore's arguments
        kept.outcome = None  # whatever an earlier call left (it never reached before-send) is not this call's
        url: str = params["url"]
        try:
            responder = active[-1]
        except IndexError:  # stopped by another thread: behave like plain botocore
            return None
        if not url.startswith(_SENDABLE):
            return None  # refused on botocore's full path, as outside the mock
        for other in active:
            if other.sends_over_socket(url):
                return None  # sent to that mock's server (server mode) on botocore's full path
        body = params["body"]
        if isinstance(body, dict):  # a form body (query protocols), which only botocore's request preparation encodes
            return None
        headers = {name.lower(): value for name, value in params["headers"].items()}
        try:
            response = responder.respond(service_id, params["method"], url, headers, body, region)
        except Exception as error:  # noqa: BLE001 - raised again from before-send, where botocore expects it
            kept.outcome = error
            return None
        if response is None:
            return None
        if response.status_code >= 300:
            kept.outcome = response
            return None
        suffix = kwargs["event_name"][_BEFORE_CALL:]
        return response, _parse(events, parser, response, kwargs["model"], kwargs["context"], suffix)

    def before_send(**kwargs: Any) -> AWSResponse | None:
        request: AWSPreparedRequest = kwargs["request"]
        outcome = getattr(kept, "outcome", None)
        if outcome is not None:  # the first attempt of a call before-call answered: its answer, not a new one
            kept.outcome = None
            if isinstance(outcome, Exception):
                raise outcome
            response: AWSResponse | None = outcome
        else:
            try:
                responder = active[-1]
            except IndexError:  # stopped by another thread mid-call: behave like plain botocore
                return None
            url = request.url
            _refuse_unsendable(url)
            # A request to the server of any active mock, not only the innermost, goes to that server's socket.
            if any(other.sends_over_socket(url) for other in active):
                return None
            headers: Mapping[str, Any] = request.headers  # type: ignore[assignment]  # HTTPHeaders is a mapping
            response = responder.respond(service_id, request.method, url, headers, request.body, region)
            if response is None:  # the mock's own server (server mode) answers it over the socket
                return None
        # botocore's emit() runs every before-send handler even after one answered. Catch-all handlers
        # registered after ours (moto's mock_aws has one for every AWS host) would answer this request
        # a second time, with side effects. The answer is final, so mark the request as answered;
        # botocore builds a new request object for any retry.
        request.url = ANSWERED_PREFIX + request.url
        return response

    return before_call, before_send


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
        before_call, before_send = _handlers(client, self._active)
        # Last of all before-call handlers (the bare event name is the least specific): see the module docstring.
        events.register_last("before-call", before_call, unique_id=CALL_ID)
        events.register_first(f"before-send.{service}", before_send, unique_id=SEND_ID)
        events.register_first(f"choose-signer.{service}", _unsigned, unique_id=SIGNER_ID)

    def _detach(self, client: Any) -> None:
        events = client.meta.events
        service = client.meta.service_model.service_id.hyphenize()
        events.unregister("before-call", unique_id=CALL_ID)
        events.unregister(f"before-send.{service}", unique_id=SEND_ID)
        events.unregister(f"choose-signer.{service}", unique_id=SIGNER_ID)
