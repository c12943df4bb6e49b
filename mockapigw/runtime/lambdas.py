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

from ..core.hints import has_caller
from . import lambda_env
from .lambda_env import lambda_variables

Handler = Callable[[Any, "LambdaContext"], Any]
Kind = Literal["integration", "authorizer"]
Protocol = Literal["WEBSOCKET", "HTTP"]

MAX_RESPONSE_BYTES = 6 * 1024 * 1024  # Lambda's synchronous invocation response quota (6 MB)
MEMORY_LIMIT_MB = 128  # Lambda's default memory size

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
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        self.log_stream_name = log_stream_name or new_log_stream()
        self.identity = CognitoIdentity()
        self.client_context: Any = None
        self._deadline = time.monotonic() + timeout_ms / 1000

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
        arn = function_arn(uri)
        handler = self._by_arn.get(arn)
        if handler is None:
            match = _FUNCTION_ARN.match(arn)
            if match and match.group(5):  # a qualified ARN also answers to its unqualified registration
                handler = self._by_arn.get(arn.rsplit(":", 1)[0])
            handler = handler or self._by_name.get(_function_name(arn))
        if handler is None:
            raise LambdaNotRegistered(
                f"No Lambda handler is registered for {arn!r}. "
                f"Call gw.register_lambda({arn!r}, handler) (or with the function name) first."
            )
        return arn, handler


def _decimal(value: Any) -> Any:
    # The runtime's encoder writes a Decimal (as DynamoDB returns numbers) as a JSON number.
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _marshal(result: Any) -> Any:
    """The result as API Gateway receives it: serialized by the runtime, then read back as JSON.

    The runtime sends the JSON text as UTF-8 (unescaped, as Python 3.12+ runtimes write it), so text UTF-8 cannot
    hold (a lone surrogate, anywhere in the result) cannot be returned either.
    """
    try:
        text = json.dumps(result, default=_decimal, ensure_ascii=False)
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


def _environment(arn: str, site: CallSite, context: LambdaContext) -> dict[str, str]:
    match = _FUNCTION_ARN.match(arn)
    return lambda_variables(
        region=match.group(2) if match else site.region,  # a function runs in its own region
        function_name=context.function_name,
        version=context.function_version,
        memory_mb=int(context.memory_limit_in_mb),
        log_group=context.log_group_name,
        log_stream=context.log_stream_name,
    )


def invoke(registry: LambdaRegistry, uri: str, event: Any, timeout_ms: int, site: CallSite) -> Invocation:
    """Call the handler for *uri*; a handler that runs past *timeout_ms* counts as timed out.

    The handler is not interrupted (it runs in the caller's thread); its result is discarded when it overran,
    as API Gateway discards a late Lambda response. With ``registry.raise_errors``, an exception of the
    handler, a missing handler and a result the runtime cannot return are raised here after being recorded.
    """
    try:
        arn, handler = registry.resolve(uri)
    except LambdaNotRegistered as missing:
        return _finish(registry, Invocation(site, function_arn(uri), event, None, error=missing))
    if not _FUNCTION_ARN.match(arn):  # a bare name: the ARN Lambda would report for it
        arn = f"arn:aws:lambda:{site.region}:{site.account_id}:function:{arn}"
    context = LambdaContext(arn, timeout_ms, log_stream_name=registry.log_stream(arn))
    started = time.perf_counter()
    try:
        token = lambda_env.enter(_environment(arn, site, context))  # a plain call: cheaper than a with block
        try:
            result = handler(event, context)
        finally:
            lambda_env.leave(token)
        marshalled = _marshal(result)
    except Exception as error:  # noqa: BLE001 - a failing function is an integration failure, not a mock crash
        return _finish(registry, Invocation(site, arn, event, context, error=error))
    except BaseException as stop:  # KeyboardInterrupt, SystemExit, pytest.fail/skip: recorded, never swallowed
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
