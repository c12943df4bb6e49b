"""Python callables standing in for Lambda functions: the registry, the context, and one invocation.

An invocation runs the handler as Lambda's Python runtime would (its environment variables set, its context
passed), serializes the result as the runtime does, records the call, and then either returns the outcome to
the runtime that asked (which answers as API Gateway does) or, when the mock raises handler errors, re-raises
the handler's exception in the caller's thread so that the test sees it.
"""

from __future__ import annotations

import decimal
import json
import logging
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from ..core import ids
from ..core.hints import has_caller
from . import lambda_env
from .lambda_env import lambda_variables

Handler = Callable[[Any, "LambdaContext"], Any]
Kind = Literal["integration", "authorizer"]
Protocol = Literal["WEBSOCKET", "HTTP"]

MAX_RESPONSE_BYTES = 6 * 1024 * 1024  # Lambda's synchronous invocation response quota (6 MB)
MEMORY_LIMIT_MB = 128  # Lambda's default memory size
_LISTED = 10  # registrations a missing handler's message lists

# arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function arn}/invocations
_INVOCATION_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/[^/]+/functions/(.+)/invocations$")
_FUNCTION_ARN = re.compile(r"^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$")


class LambdaNotRegistered(LookupError):
    """An integration or authorizer names a function nobody registered."""


class LambdaResultError(TypeError):
    """The Lambda runtime could not return the handler's result (not JSON-serializable, or over 6 MB)."""


def function_arn(uri: str) -> str:
    """The Lambda function ARN (or bare name) an integration or authorizer URI names."""
    match = _INVOCATION_URI.match(uri)
    return match.group(1) if match else uri


def _function_name(name_or_arn: str) -> str:
    match = _FUNCTION_ARN.match(name_or_arn)
    return match.group(4) if match else name_or_arn


def new_log_stream() -> str:
    """A log stream name as Lambda gives each execution environment: ``2026/01/31/[$LATEST]{32 hex digits}``."""
    return f"{time.strftime('%Y/%m/%d', time.gmtime())}/[$LATEST]{uuid.uuid4().hex}"


class CognitoIdentity:
    """``context.identity``: the Amazon Cognito identity of the caller (none for API Gateway invocations)."""

    __slots__ = ("cognito_identity_id", "cognito_identity_pool_id")

    def __init__(self) -> None:
        self.cognito_identity_id: str | None = None
        self.cognito_identity_pool_id: str | None = None

    def __repr__(self) -> str:
        return f"CognitoIdentity(cognito_identity_id={self.cognito_identity_id!r})"


class LambdaContext:
    """What the Lambda Python runtime passes as ``context``; remaining time counts down the timeout.

    As in the runtime, ``memory_limit_in_mb`` is the text of ``AWS_LAMBDA_FUNCTION_MEMORY_SIZE`` (``"128"``),
    ``identity`` a :class:`CognitoIdentity` whose members are ``None``, and ``client_context`` ``None``.
    """

    def __init__(
        self,
        arn: str,
        timeout_ms: int,
        memory_limit_in_mb: int = MEMORY_LIMIT_MB,
        *,
        log_stream_name: str | None = None,
    ) -> None:
        name = _function_name(arn)
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = str(memory_limit_in_mb)
        self.aws_request_id = ids.request_id()
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = log_stream_name or new_log_stream()
        self.identity = CognitoIdentity()
        self.client_context: Any = None
        self._deadline = time.monotonic() + timeout_ms / 1000

    @classmethod
    def _of(cls, function: _Function, timeout_ms: int) -> LambdaContext:
        """The context of one invocation of *function*: what ``__init__`` makes, from what was worked out once."""
        context = cls.__new__(cls)
        context.function_name = function.name
        context.function_version = "$LATEST"
        context.invoked_function_arn = function.arn
        context.memory_limit_in_mb = function.memory
        context.aws_request_id = ids.request_id()
        context.log_group_name = function.log_group
        context.log_stream_name = function.log_stream
        context.identity = CognitoIdentity()
        context.client_context = None
        context._deadline = time.monotonic() + timeout_ms / 1000
        return context

    def __repr__(self) -> str:
        return f"LambdaContext(function_name={self.function_name!r}, aws_request_id={self.aws_request_id!r})"

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the integration times out (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


@dataclass(frozen=True, slots=True)
class CallSite:
    """Who invokes a function: an integration or authorizer of an API's route, and where the API lives."""

    kind: Kind
    protocol: Protocol
    api_id: str
    route_key: str
    region: str
    account_id: str


class Invocation:
    """One Lambda invocation the mock made, as ``gw.invocations`` lists it.

    ``result`` is what the handler returned (``None`` when it failed or timed out), ``error`` the exception
    that made it fail (the handler's own, :class:`LambdaNotRegistered` or :class:`LambdaResultError`), and
    ``timed_out`` whether it ran past the timeout (its result is then discarded, as API Gateway does).
    ``payload`` is the result as API Gateway received it: serialized by the runtime and read back as JSON
    (a tuple is a list, a ``Decimal`` a number).
    """

    __slots__ = (
        "api_id",
        "context",
        "error",
        "event",
        "function_arn",
        "kind",
        "payload",
        "protocol",
        "result",
        "route_key",
        "timed_out",
    )

    def __init__(
        self,
        site: CallSite,
        function_arn: str,
        event: Any,
        context: LambdaContext | None,
        result: Any = None,
        error: BaseException | None = None,
        timed_out: bool = False,
        payload: Any = None,
    ) -> None:
        self.function_arn = function_arn
        self.event = event
        self.context = context
        self.result = result
        self.payload = payload
        self.error = error
        self.timed_out = timed_out
        self.kind: Kind = site.kind
        self.protocol: Protocol = site.protocol
        self.api_id = site.api_id
        self.route_key = site.route_key

    def __repr__(self) -> str:
        outcome = "timed out" if self.timed_out else f"error={self.error!r}" if self.error else "ok"
        return (
            f"<Invocation {self.kind} {self.protocol} {self.api_id} {self.route_key!r} {self.function_arn} {outcome}>"
        )

    @property
    def ok(self) -> bool:
        """Whether the handler returned a result in time."""
        return self.error is None and not self.timed_out


class LambdaRegistry:
    """Handlers registered by function name or ARN, and the log of every invocation, for one mock."""

    def __init__(self, *, raise_errors: bool = True) -> None:
        self._by_arn: dict[str, Handler] = {}
        self._by_name: dict[str, Handler] = {}
        self._lock = threading.Lock()
        self.raise_errors = raise_errors
        # Every invocation unless keep_invocations() bounds it; deque.append is atomic: threads record unlocked.
        self.invocations: deque[Invocation] = deque()
        self._log_streams: dict[str, str] = {}
        self._functions: dict[tuple[str, str, str], _Function] = {}

    def keep_invocations(self, count: int | None) -> None:
        """Keep only the last *count* invocations from now on (``None``: every one, the default).

        For a long-running process (``mockapigw serve``), where nobody may ever read the history; call it
        before anything is invoked.
        """
        if count is not None and count < 0:
            raise ValueError(f"keep_invocations takes a count of 0 or more, or None, not {count!r}")
        self.invocations = deque(self.invocations, maxlen=count)

    def log_stream(self, arn: str) -> str:
        """The function's log stream: one per function for the mock's life, like one warm execution environment."""
        stream = self._log_streams.get(arn)
        if stream is None:
            stream = self._log_streams.setdefault(arn, new_log_stream())
        return stream

    def register(self, name_or_arn: str, handler: Handler) -> None:
        """Make *handler* answer for a function name, a function ARN or an invocation URI."""
        if not callable(handler):
            raise TypeError(f"handler for {name_or_arn!r} must be callable, got {handler!r}")
        target = function_arn(name_or_arn)
        with self._lock:
            if _FUNCTION_ARN.match(target):
                self._by_arn[target] = handler
            else:
                self._by_name[target] = handler

    def resolve(self, uri: str) -> tuple[str, Handler]:
        """The function ARN and handler for *uri*; :class:`LambdaNotRegistered` naming what to register."""
        arn, lookup = _lookup_keys(uri)
        return arn, self._handler(arn, lookup)

    def handler_of(self, function: _Function) -> Handler:
        """The handler registered for *function* now; :class:`LambdaNotRegistered` naming what to register."""
        return self._handler(function.named, function.lookup)

    def _handler(self, arn: str, lookup: tuple[str, str | None, str]) -> Handler:
        # lookup: the registrations that answer for arn, in order (see _lookup_keys).
        handler = self._by_arn.get(lookup[0])
        if handler is None:
            if lookup[1] is not None:  # a qualified ARN also answers to its unqualified registration
                handler = self._by_arn.get(lookup[1])
            handler = handler or self._by_name.get(lookup[2])
        if handler is None:
            raise LambdaNotRegistered(
                f"No Lambda handler is registered for {arn!r}. "
                f"Call gw.register_lambda({arn!r}, handler) (or with the function name) first.{self._registered()}"
            )
        return handler

    def _registered(self) -> str:
        """What is registered, for a message about one that is not (a near miss is then plain to see)."""
        names = sorted([*self._by_arn, *self._by_name])
        if not names:
            return " No handler is registered yet."
        shown = ", ".join(repr(name) for name in names[:_LISTED])
        more = f" and {len(names) - _LISTED} more" if len(names) > _LISTED else ""
        return f" Registered: {shown}{more}."

    def function(self, uri: str, site: CallSite) -> _Function:
        """What every invocation of the function *uri* names from *site* shares (worked out on the first one).

        Registrations are not part of it: the handler is looked up at every invocation.
        """
        key = (uri, site.region, site.account_id)
        function = self._functions.get(key)
        if function is None:  # two threads may both work it out: the same result (the log stream is kept once)
            function = self._functions.setdefault(key, _Function(self, uri, site))
        return function


def _lookup_keys(uri: str) -> tuple[str, tuple[str, str | None, str]]:
    """The function ARN (or bare name) *uri* names, and the registrations that answer for it, in order.

    Its own, then (for a qualified ARN) the unqualified ARN's, then the function name's.
    """
    arn = function_arn(uri)
    match = _FUNCTION_ARN.match(arn)
    unqualified = arn.rsplit(":", 1)[0] if match and match.group(5) else None
    return arn, (arn, unqualified, match.group(4) if match else arn)


class _Function:
    """One function as a call site invokes it: its ARN, context values and environment, the same every time."""

    __slots__ = ("arn", "log_group", "log_stream", "lookup", "memory", "name", "named", "variables")

    def __init__(self, registry: LambdaRegistry, uri: str, site: CallSite) -> None:
        self.named, self.lookup = _lookup_keys(uri)
        arn = self.named
        match = _FUNCTION_ARN.match(arn)
        if match is None:  # a bare name: the ARN Lambda would report for it
            arn = f"arn:aws:lambda:{site.region}:{site.account_id}:function:{arn}"
            match = _FUNCTION_ARN.match(arn)
        self.arn = arn
        self.name = _function_name(arn)
        self.memory = str(MEMORY_LIMIT_MB)
        self.log_group = f"/aws/lambda/{self.name}"
        self.log_stream = registry.log_stream(arn)
        # Shared by every invocation; lambda_env only reads it.
        self.variables = lambda_variables(
            region=match.group(2) if match else site.region,  # a function runs in its own region
            function_name=self.name,
            version="$LATEST",
            memory_mb=MEMORY_LIMIT_MB,
            log_group=self.log_group,
            log_stream=self.log_stream,
        )


def _decimal(value: Any) -> Any:
    # The runtime's encoder writes a Decimal (as DynamoDB returns numbers) as a JSON number.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# What json.dumps(result, default=_decimal, ensure_ascii=False) builds at every call, built once (it keeps no state).
_ENCODER = json.JSONEncoder(default=_decimal, ensure_ascii=False)


# A result JSON gives back unchanged: small dicts (at most 16 entries, 4,096 characters of text in all, so far
# below the 6 MB quota whatever the escaping) of ASCII text names to ASCII text, ints short enough to convert to
# text (sys.set_int_max_str_digits), booleans, None, and such dicts one level down (a proxy result's headers).
_PLAIN_ENTRIES = 16
_PLAIN_CHARACTERS = 4096
_PLAIN_INT = 1 << 64


def _plain_copy(result: dict[Any, Any], budget: int, nested: bool) -> tuple[dict[str, Any] | None, int]:
    """What ``json.loads(json.dumps(result))`` gives, without writing it, and the *budget* left; ``None`` if unsure.

    A dict of ints, ASCII text, booleans and ``None`` is read back as an equal new dict: floats (``NaN``), text
    that may not be UTF-8 (lone surrogates), subclasses, lists and deeper nesting take the JSON road instead.
    """
    if len(result) > _PLAIN_ENTRIES:
        return None, budget
    copy: dict[str, Any] = {}
    for name, value in result.items():
        if type(name) is not str or not name.isascii():
            return None, budget
        budget -= len(name)
        kind = type(value)
        if kind is str:
            if not value.isascii():
                return None, budget
            budget -= len(value)
        elif kind is int:
            if not -_PLAIN_INT < value < _PLAIN_INT:
                return None, budget
        elif kind is dict and not nested:
            value, budget = _plain_copy(value, budget, True)
            if value is None:
                return None, budget
        elif kind is not bool and value is not None:
            return None, budget
        copy[name] = value
    return (copy if budget >= 0 else None), budget


def _marshal(result: Any) -> Any:
    """The result as API Gateway receives it: serialized by the runtime, then read back as JSON.

    The runtime sends the JSON text as UTF-8 (unescaped, as Python 3.12+ runtimes write it), so text UTF-8 cannot
    hold (a lone surrogate, anywhere in the result) cannot be returned either.
    """
    if type(result) is dict:  # most proxy results: {"statusCode": 200, "body": "..."}
        try:
            plain = _plain_copy(result, _PLAIN_CHARACTERS, False)[0]
        except RuntimeError:  # another thread changed its size while it was read: the JSON road copes, as before
            plain = None
        if plain is not None:
            return plain
    try:
        text = _ENCODER.encode(result)
        if not text.isascii():
            text.encode("utf-8")
    except (TypeError, ValueError) as problem:  # UnicodeEncodeError is a ValueError
        raise LambdaResultError(f"Runtime.MarshalError: Unable to marshal response: {problem}") from problem
    if len(text) > MAX_RESPONSE_BYTES // 4 and len(text.encode("utf-8")) > MAX_RESPONSE_BYTES:
        raise LambdaResultError(
            f"Response payload size ({len(text.encode('utf-8'))} bytes) exceeded maximum allowed payload size "
            f"({MAX_RESPONSE_BYTES} bytes)."
        )
    return json.loads(text)


_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")


def _with_stage_variables(uri: str, event: Any) -> str:
    """*uri* with the stage variables it names (a function name or alias, as AWS allows) put in.

    They are the stage's, which every event API Gateway sends a function carries; one the stage does not define
    is :class:`LambdaNotRegistered` saying so (AWS cannot invoke such a function either).
    """
    variables = (event.get("stageVariables") if isinstance(event, dict) else None) or {}
    missing = [name for name in _STAGE_VARIABLE.findall(uri) if name not in variables]
    if missing:
        defined = ", ".join(sorted(variables)) or "none"
        raise LambdaNotRegistered(
            f"The Lambda URI {uri!r} uses the stage variable {missing[0]!r}, which the stage does not define "
            f"(its stage variables: {defined}). Set it with create_stage or update_stage(StageVariables=...)."
        )
    return _STAGE_VARIABLE.sub(lambda match: str(variables[match.group(1)]), uri)


def invoke(registry: LambdaRegistry, uri: str, event: Any, timeout_ms: int, site: CallSite) -> Invocation:
    """Call the handler for *uri*; a handler that runs past *timeout_ms* counts as timed out.

    The handler is not interrupted (it runs in the caller's thread); its result is discarded when it overran,
    as API Gateway discards a late Lambda response. With ``registry.raise_errors``, an exception of the
    handler, a missing handler and a result the runtime cannot return are raised here after being recorded.
    """
    if "${stageVariables." in uri:
        try:
            uri = _with_stage_variables(uri, event)
        except LambdaNotRegistered as missing:
            return _finish(registry, Invocation(site, function_arn(uri), event, None, error=missing))
    function = registry.function(uri, site)
    try:
        handler = registry.handler_of(function)
    except LambdaNotRegistered as missing:
        return _finish(registry, Invocation(site, function.named, event, None, error=missing))
    arn = function.arn
    context = LambdaContext._of(function, timeout_ms)
    started = time.perf_counter()
    try:
        token = lambda_env.enter(function.variables)  # a plain call: cheaper than a with block
        try:
            result = handler(event, context)
        finally:
            lambda_env.leave(token)
        marshalled = _marshal(result)
    except Exception as error:  # noqa: BLE001 - a failing function is an integration failure, not a mock crash
        return _finish(registry, Invocation(site, arn, event, context, error=error))
    except BaseException as stop:  # KeyboardInterrupt, SystemExit, pytest.fail/skip: recorded, never swallowed
        if not has_caller():  # server mode: a worker of the server's, with no test to stop; on Lambda it fails
            return _finish(registry, Invocation(site, arn, event, context, error=stop))
        registry.invocations.append(Invocation(site, arn, event, context, error=stop))
        raise
    if (time.perf_counter() - started) * 1000 > timeout_ms:
        return _finish(registry, Invocation(site, arn, event, context, timed_out=True))
    return _finish(registry, Invocation(site, arn, event, context, result=result, payload=marshalled))


_log = logging.getLogger("mockapigw.server")


def _finish(registry: LambdaRegistry, called: Invocation) -> Invocation:
    registry.invocations.append(called)
    if called.error is not None:
        if not has_caller():  # server mode's workers: no test to raise to
            error = called.error
            _log.error("Lambda %s failed", called.function_arn, exc_info=(type(error), error, error.__traceback__))
        elif registry.raise_errors:
            raise called.error
    return called
