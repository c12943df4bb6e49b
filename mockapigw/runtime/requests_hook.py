"""Answering ``requests`` calls to invoke URLs, through the ``responses`` library.

Only URLs of this mock's HTTP APIs (execute-api hosts and mapped custom domains) are answered. Everything else
passes through to whatever ``HTTPAdapter.send`` was in place when the mock started: the network, a local
server, or a ``responses`` mock the test started earlier.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

import requests
import requests.adapters
import responses

if TYPE_CHECKING:
    from requests import PreparedRequest

    from .http import HttpRuntime

_EVERYTHING = re.compile(r".*")


class _ApiResponse(responses.CallbackResponse):
    """A ``responses`` entry that claims exactly the URLs some active runtime serves, for any method."""

    def __init__(self, router: RequestsRouter) -> None:
        super().__init__("GET", _EVERYTHING, self._answer, content_type=None)
        self._router = router

    def matches(self, request: PreparedRequest) -> tuple[bool, str]:
        if self._router.runtime_for(str(request.url)) is not None:
            return True, ""
        return False, "not an invoke URL of a mockapigw API"

    def _answer(self, request: PreparedRequest) -> tuple[int, list[tuple[str, str]], bytes]:
        raw = _body_bytes(request.body)
        headers = [(str(k), str(v)) for k, v in request.headers.items()]
        runtime = self._router.runtime_for(str(request.url))
        answer = runtime.handle(str(request.method), str(request.url), headers, raw) if runtime else None
        if answer is None:  # the API went away between matching and answering
            raise requests.ConnectionError(f"mockapigw: no API serves {request.url}")
        return answer.status, answer.headers, answer.body


def _body_bytes(body: Any) -> bytes:
    """A prepared request's body as bytes, whether text, bytes, a file or a generator of chunks."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, (bytes, bytearray, memoryview)):
        return bytes(body)
    read = getattr(body, "read", None)
    if read is not None:
        data = read()
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return b"".join(chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk) for chunk in body)


class RequestsRouter:
    """One ``responses`` mock for the whole process, active while any mock is; reference-counted like botocore's.

    Each active mock pushes its runtime; a URL goes to the innermost runtime that serves it.
    """

    def __init__(self) -> None:
        self._runtimes: list[HttpRuntime] = []
        self._lock = threading.Lock()
        self._mock: responses.RequestsMock | None = None
        self._previous: Any = None
        self._installed: Any = None

    def runtime_for(self, url: str) -> HttpRuntime | None:
        """The innermost active runtime that has *url*'s API; else the innermost that claims its host."""
        runtimes = list(reversed(self._runtimes))
        for runtime in runtimes:
            if runtime.serves(url):
                return runtime
        return next((runtime for runtime in runtimes if runtime.claims(url)), None)

    def push(self, runtime: HttpRuntime) -> None:
        """Route to *runtime*; patch ``requests`` (chaining to the ``send`` in place now) for the first one."""
        with self._lock:
            self._runtimes.append(runtime)
            if self._mock is None:
                previous: Any = requests.adapters.HTTPAdapter.send
                mock = responses.RequestsMock(assert_all_requests_are_fired=False, real_adapter_send=previous)
                mock.add(_ApiResponse(self))
                mock.add_passthru(_EVERYTHING)
                # Install the mock's send ourselves: RequestsMock.start() goes through unittest.mock.patch, which
                # resolves the dotted target on every start (20x the cost of this one attribute swap).
                installed = mock.unbound_on_send()
                requests.adapters.HTTPAdapter.send = installed  # type: ignore[method-assign,assignment]
                self._mock, self._previous, self._installed = mock, previous, installed

    def pop(self, runtime: HttpRuntime) -> None:
        """Stop routing to *runtime*; unpatch ``requests`` when no runtime is left."""
        with self._lock:
            for index in range(len(self._runtimes) - 1, -1, -1):
                if self._runtimes[index] is runtime:
                    del self._runtimes[index]
                    break
            if not self._runtimes and self._mock is not None:
                # Put back what was there only if ours is still the outermost patch. When another library
                # patched requests on top of ours and is still active, ours stays in its chain as a pure
                # pass-through (no runtime is left to claim a URL) so that its mock keeps working.
                if requests.adapters.HTTPAdapter.send is self._installed:
                    requests.adapters.HTTPAdapter.send = self._previous  # type: ignore[method-assign]
                self._mock = None
