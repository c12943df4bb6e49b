"""``MockApiGateway``: one object that is a decorator, a context manager (sync and async) and start/stop."""

from __future__ import annotations

import functools
import inspect
import os
import re
import threading
import unittest
from collections.abc import AsyncGenerator, Callable, Generator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, overload

from botocore.awsrequest import AWSResponse

from .apigatewayv2.service import ApiGatewayV2Service
from .core.dispatch import Dispatcher
from .core.interception import Interceptor
from .management.backend import ManagementBackend
from .management.connections import ConnectionRegistry
from .management.service import ManagementService
from .runtime.endpoints import Endpoints
from .runtime.http import HttpRuntime, InvokeResponse
from .runtime.http_input import header_pairs
from .runtime.lambdas import Handler, Invocation, LambdaRegistry
from .runtime.requests_hook import RequestsRouter
from .runtime.websocket import DEFAULT_SOURCE_IP, DEFAULT_USER_AGENT, WebSocketClient, WebSocketRuntime

if TYPE_CHECKING:
    from .server import Server

DEFAULT_ACCOUNT_ID = "123456789012"
ACCOUNT_ENV = "MOCKAPIGW_ACCOUNT_ID"
_ACCOUNT = re.compile(r"^\d{12}$")

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

# One interceptor per process: it only tracks clients, and hooks them while some mock is active.
_interceptor = Interceptor(("apigatewayv2", "apigatewaymanagementapi"))
# Likewise one router for ``requests``: patched while some mock is active, routing invoke URLs to its runtime.
_requests_router = RequestsRouter()


class MockApiGateway:
    """A fake API Gateway V2 and @connections API; its state lives on this object.

    Each start from stopped begins with empty state. Starting an already started mock (nesting the same
    object) only counts; the matching stop counts down.
    """

    def __init__(self, *, account_id: str | None = None, raise_handler_errors: bool = True) -> None:
        account = account_id or os.environ.get(ACCOUNT_ENV) or DEFAULT_ACCOUNT_ID
        if not isinstance(account, str):
            raise TypeError(f"account_id must be a string of 12 digits, got {type(account).__name__} {account!r}")
        if not _ACCOUNT.match(account):
            raise ValueError(f"account_id must be 12 digits, got {account!r}")
        if not isinstance(raise_handler_errors, bool):
            raise TypeError(f"raise_handler_errors must be True or False, got {raise_handler_errors!r}")
        self.account_id = account
        # True: a handler's exception propagates to the test from the call that ran it; False: AWS's answer.
        self.raise_handler_errors = raise_handler_errors
        self._depth = 0
        self._stopping = False  # the last stop() is stopping the servers (the mock is still active meanwhile)
        self._lock = threading.Lock()
        self._served: list[str] = []  # URL prefixes of this mock's servers, which botocore reaches over the socket
        self._servers: list[Server] = []  # started by serve(); stopped with the mock
        self._reset()

    def _reset(self) -> None:
        self.apigatewayv2 = ApiGatewayV2Service()
        self.lambdas = LambdaRegistry(raise_errors=self.raise_handler_errors)
        connections = ConnectionRegistry()
        # The front door: the one place that says which API, stage and deployment a request reaches.
        self.endpoints = Endpoints(self.apigatewayv2, self.account_id, lambda: self.active)
        self.websockets = WebSocketRuntime(self.endpoints, self.lambdas, self.account_id, connections)
        self.http = HttpRuntime(self.endpoints, self.lambdas, self.account_id)
        # @connections closes connections through their lifecycle's owner, the WebSocket runtime (explicitly).
        backend = ManagementBackend(connections, lifecycle=self.websockets)
        self.management = ManagementService(backend, self.endpoints.connections_target)
        self._dispatcher = Dispatcher(
            {"apigatewayv2": self.apigatewayv2, "apigatewaymanagementapi": self.management}, self.account_id
        )

    # --- start / stop

    def start(self) -> MockApiGateway:
        """Activate the mock (state starts empty unless it is already active)."""
        with self._lock:  # held while hooking, so a concurrent start() never returns before the hooks are in
            self._depth += 1
            if self._depth > 1:
                return self
            self._reset()
            _interceptor.push(self)
            _requests_router.push(self.http)
        return self

    def stop(self) -> None:
        """Deactivate the mock; botocore is as it was once no mock is active."""
        with self._lock:
            if self._depth == 0 or self._stopping:
                raise RuntimeError("stop() called on a mock_apigateway that is not started")
            if self._depth > 1:
                self._depth -= 1
                return
            self._stopping = True
            servers, self._servers = self._servers, []
        try:
            # Outside the lock, and while the mock is still active: a stopping server runs $disconnect, whose
            # handler's calls (boto3, requests to the mock's HTTP APIs) must still reach the mock.
            for server in servers:
                server.stop()
        finally:
            self._finish_stop()

    def _finish_stop(self) -> None:
        with self._lock:
            self._stopping = False
            self._depth -= 1
            if self._depth:  # started again while its servers stopped: it stays active
                return
            self.websockets.close_all()  # the simulated clients' connections end with the mock (no handler runs)
            try:
                _requests_router.pop(self.http)
            finally:
                _interceptor.pop(self)

    @property
    def active(self) -> bool:
        """Whether this mock is started."""
        return self._depth > 0

    def respond(
        self, service_id: str, method: str, url: str, headers: Mapping[str, Any], body: Any, region: str
    ) -> AWSResponse:
        """Answer an intercepted botocore request (called by the interceptor).

        The interceptor first lets requests to any active mock's servers (:meth:`sends_over_socket`) go over the
        socket, where the server answers with the same bytes.
        """
        return self._dispatcher.respond(service_id, method, url, headers, body, region)

    def sends_over_socket(self, url: str) -> bool:
        """Whether *url* is one of this mock's servers (``gw.serve``), which answers it over the socket."""
        served = self._served
        return bool(served) and url.startswith(tuple(served))

    def send_over_socket(self, url: str, *, on: bool) -> None:
        """Let botocore requests to *url* (a server of this mock) go over the socket (*on*), or stop letting them."""
        prefixes = (url + "/", url + "?")
        with self._lock:
            if on:
                self._served.extend(prefixes)
            else:
                for prefix in prefixes:
                    if prefix in self._served:
                        self._served.remove(prefix)

    @property
    def dispatcher(self) -> Dispatcher:
        """The control plane and @connections API as raw HTTP requests reach them (server mode)."""
        return self._dispatcher

    # --- server mode

    def serve(self, host: str = "127.0.0.1", port: int = 0, *, region: str = "us-east-1") -> Server:
        """Serve this mock on *host*:*port* (0: a free port) from a background thread; use it as a context manager.

        Needs the ``server`` extra (``pip install 'mockapigw[server]'``). ``server.url`` is the endpoint URL for
        any SDK and the base of the local URL forms; leaving the ``with`` block (or ``server.stop()``) closes every
        WebSocket with 1001 and runs ``$disconnect``.
        """
        if not self.active:
            raise RuntimeError("serve() needs a started mock: call it inside `with mock_apigateway() as gw:`")
        if not isinstance(host, str) or not host:
            raise TypeError(f"host must be a host name or address such as '127.0.0.1', got {host!r}")
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise ValueError(f"port must be a number from 0 (any free port) to 65535, got {port!r}")
        try:
            from .server import Server
        except ImportError as missing:  # aiohttp is the extra's
            raise ImportError(
                f"server mode needs the server extra: pip install 'mockapigw[server]' ({missing})"
            ) from missing
        server = Server(self, host, port, region=region)
        self._servers.append(server)
        return server.start()

    # --- runtime

    def register_lambda(self, name_or_arn: str, handler: Handler) -> None:
        """Let the callable ``handler(event, context)`` stand for a Lambda function.

        Integrations and authorizers whose URI names the function (function name, function ARN, or the
        ``arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations`` form) call it.
        """
        self.lambdas.register(name_or_arn, handler)

    @property
    def invocations(self) -> list[Invocation]:
        """Every Lambda invocation (integrations and authorizers, both runtimes) since the start, oldest first."""
        return list(self.lambdas.invocations)

    def connect(
        self,
        api_id: str,
        stage: str,
        *,
        headers: dict[str, str] | None = None,
        query: dict[str, str | list[str]] | None = None,
        source_ip: str = DEFAULT_SOURCE_IP,
        user_agent: str | None = DEFAULT_USER_AGENT,
        region: str | None = None,
    ) -> WebSocketClient:
        """Open a WebSocket connection to a stage; ``ConnectionRejected`` when the handshake fails."""
        connection = self.websockets.connect(
            api_id, stage, headers=headers, query=query, source_ip=source_ip, user_agent=user_agent, region=region
        )
        return WebSocketClient(self.websockets, connection)

    def invoke(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str] | None = None,
        body: str | bytes | None = None,
    ) -> InvokeResponse:
        """Send a request to an HTTP API's invoke URL without ``requests``; AWS's 404 if no API serves it."""
        # A body or headers of the wrong type are refused by the runtime, as requests and http.client refuse them.
        raw = body.encode("utf-8") if isinstance(body, str) else (b"" if body is None else body)
        answer = self.http.handle(method, url, header_pairs(headers), raw)
        if answer is None:
            raise ValueError(f"{url} is not an invoke URL of an HTTP API (or mapped custom domain) of this mock")
        merged: dict[str, str] = {}
        for name, value in answer.headers:
            merged[name] = f"{merged[name]}, {value}" if name in merged else value
        return InvokeResponse(answer.status, merged, answer.body)

    def register_jwt_keys(self, issuer: str, keys: Any) -> None:
        """Trust *keys* for JWT authorizers of *issuer*: a JWKS, one JWK or a list of JWKs (dicts or JSON text),
        PyJWT's ``PyJWK``/``PyJWKSet``, or ``{kid: key}`` for RSA key objects, PEM text or JWKs without a kid.

        Every key needs a kid, as AWS picks the key by the token's ``kid``. Without registered keys, the issuer's
        JWKS is fetched once through OIDC discovery with ``requests``.
        """
        self.http.jwt_keys.register(issuer, keys)

    # --- context managers

    def __enter__(self) -> MockApiGateway:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MockApiGateway:
        return self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- decorator

    @overload
    def __call__(self, target: C) -> C: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: Any) -> Any:
        """Decorate a function, coroutine function, class or ``unittest.TestCase``.

        A decorated class gets the attribute ``apigw``: this mock, so its tests can call ``self.apigw.connect``.
        """
        if isinstance(target, type):
            return self._decorate_class(target)
        if inspect.isgeneratorfunction(target):
            return self._decorate_generator(target)
        if inspect.isasyncgenfunction(target):
            return self._decorate_async_generator(target)
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                async with self:
                    return await target(*args, **kwargs)

            return async_wrapper
        if not callable(target):
            raise TypeError(f"mock_apigateway cannot decorate {target!r}")

        @functools.wraps(target)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return target(*args, **kwargs)

        return wrapper

    def _decorate_generator(self, target: Callable[..., Generator[Any, Any, Any]]) -> Any:
        # A generator (a pytest yield fixture) runs inside the mock from its first step until it ends or is
        # closed, so the mock is still active between its yields.
        @functools.wraps(target)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Generator[Any, Any, Any]:
            with self:
                return (yield from target(*args, **kwargs))

        return generator_wrapper

    def _decorate_async_generator(self, target: Callable[..., AsyncGenerator[Any, Any]]) -> Any:
        @functools.wraps(target)
        async def async_generator_wrapper(*args: Any, **kwargs: Any) -> AsyncGenerator[Any, Any]:
            async with self:
                inner = target(*args, **kwargs)
                try:
                    value = await inner.__anext__()
                    while True:  # what `yield from` does for a generator, which async generators lack
                        try:
                            sent = yield value
                        except GeneratorExit:
                            await inner.aclose()
                            raise
                        except BaseException as error:  # noqa: BLE001 - thrown in by the caller: the inner one's
                            value = await inner.athrow(error)
                        else:
                            value = await inner.asend(sent)
                except StopAsyncIteration:
                    return

        return async_generator_wrapper

    def _decorate_class(self, cls: C) -> C:
        # The tests reach their mock as ``self.apigw``, the fixture's name (also in setUp and in inherited tests).
        setattr(cls, "apigw", self)  # noqa: B010 - C has no such attribute for mypy
        if issubclass(cls, unittest.TestCase):
            # setUp, the test and tearDown all run inside the mock; the cleanup stops it even if setUp fails.
            original_setup = cls.setUp
            mock = self

            @functools.wraps(original_setup)
            def setUp(test: unittest.TestCase) -> None:
                mock.start()
                test.addCleanup(mock.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
            return cls
        for name in dir(cls):
            if not name.startswith("test"):
                continue
            raw = inspect.getattr_static(cls, name)
            if isinstance(raw, (staticmethod, classmethod)):
                setattr(cls, name, type(raw)(self(raw.__func__)))
            elif callable(raw):
                setattr(cls, name, self(raw))  # inherited tests too: set on this class, the base is untouched
        return cls


@overload
def mock_apigateway(target: C, /) -> C: ...


@overload
def mock_apigateway(target: F, /) -> F: ...


@overload
def mock_apigateway(*, account_id: str | None = None, raise_handler_errors: bool = True) -> MockApiGateway: ...


def mock_apigateway(target: Any = None, /, *, account_id: str | None = None, raise_handler_errors: bool = True) -> Any:
    """Mock API Gateway V2 and the @connections API.

    Use as ``@mock_apigateway``, ``@mock_apigateway()``, ``with mock_apigateway() as gw``,
    ``async with mock_apigateway() as gw`` or ``gw = mock_apigateway(); gw.start() ... gw.stop()``.
    """
    mock = MockApiGateway(account_id=account_id, raise_handler_errors=raise_handler_errors)
    if target is None:
        return mock
    return mock(target)
