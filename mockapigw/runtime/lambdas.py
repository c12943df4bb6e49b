"""Python callables standing in for Lambda functions, and the context object the Lambda runtime passes."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

Handler = Callable[[Any, "LambdaContext"], Any]

# arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function arn}/invocations
_INVOCATION_URI = re.compile(r"^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/[^/]+/functions/(.+)/invocations$")
_FUNCTION_ARN = re.compile(r"^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([^:]+)(?::([^:]+))?$")


class LambdaNotRegistered(LookupError):
    """An integration or authorizer names a function nobody registered."""


def function_arn(uri: str) -> str:
    """The Lambda function ARN (or bare name) an integration or authorizer URI names."""
    match = _INVOCATION_URI.match(uri)
    return match.group(1) if match else uri


def _function_name(name_or_arn: str) -> str:
    match = _FUNCTION_ARN.match(name_or_arn)
    return match.group(4) if match else name_or_arn


class LambdaContext:
    """What the Lambda Python runtime passes as ``context``; remaining time counts down the timeout."""

    def __init__(self, arn: str, timeout_ms: int, memory_limit_in_mb: int = 128) -> None:
        name = _function_name(arn)
        self.function_name = name
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = memory_limit_in_mb
        self.aws_request_id = str(uuid.uuid4())
        self.log_group_name = f"/aws/lambda/{name}"
        day = time.strftime("%Y/%m/%d", time.gmtime())
        self.log_stream_name = f"{day}/[$LATEST]{uuid.uuid4().hex}"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + timeout_ms / 1000

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the integration times out (never negative)."""
        return max(0, int((self._deadline - time.monotonic()) * 1000))


class LambdaRegistry:
    """Handlers registered by function name or ARN; looked up by any URI form that names them."""

    def __init__(self) -> None:
        self._by_arn: dict[str, Handler] = {}
        self._by_name: dict[str, Handler] = {}
        self._lock = threading.Lock()

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


class Invocation:
    """The outcome of one handler call: its result, or the error/timeout that made it fail."""

    __slots__ = ("error", "result", "timed_out")

    def __init__(self, result: Any = None, error: BaseException | None = None, timed_out: bool = False) -> None:
        self.result = result
        self.error = error
        self.timed_out = timed_out

    @property
    def ok(self) -> bool:
        """Whether the handler returned in time."""
        return self.error is None and not self.timed_out


def invoke(registry: LambdaRegistry, uri: str, event: Any, timeout_ms: int) -> Invocation:
    """Call the handler for *uri*; a handler that runs past *timeout_ms* counts as timed out.

    The handler is not interrupted (it runs in the caller's thread); its result is discarded when it overran,
    as API Gateway discards a late Lambda response.
    """
    try:
        arn, handler = registry.resolve(uri)
    except LambdaNotRegistered as missing:
        return Invocation(error=missing)
    context = LambdaContext(arn, timeout_ms)
    started = time.perf_counter()
    try:
        result = handler(event, context)
    except Exception as error:  # noqa: BLE001 - a failing function is an integration failure, not a mock crash
        return Invocation(error=error)
    if (time.perf_counter() - started) * 1000 > timeout_ms:
        return Invocation(timed_out=True)
    return Invocation(result=result)
