"""Answering ``requests`` calls to the mock's hosts, whatever else patches ``requests`` and in whatever order.

While any mock is active, ``requests.Session.get_adapter`` is wrapped. For a URL that an active mock claims (an
execute-api host, or a custom domain name it knows) it returns an adapter that answers in-process; for any other
URL it returns what the session would have used anyway, so those requests go on exactly as without the mock: to
the network, a local server, or a ``responses`` or moto mock.

Why the adapter choice and not ``HTTPAdapter.send``, where ``responses`` and moto patch: each of them patches
``send`` through ``unittest.mock.patch`` and puts back, on stop, whatever it found on start. Whoever patched
``send`` last sees every request first, and its pass-through goes to the send captured when ``responses`` was
imported, not to the patch below it. So a hook on ``send`` is skipped by any ``responses`` mock or ``mock_aws``
started after it, and when the two stop in the other order, a stale layer stays behind and the next start stacks
another one on it (the chain grows until ``RecursionError``). The session picks its adapter before any ``send``
runs, and neither library touches that choice: invoke URLs reach the mock in any start order, ``send`` is never
touched, and our one patch is undone in every stop order.

Mocks are process-wide, as moto's are: while one is active, it answers the requests of every thread.
"""

from __future__ import annotations

import enum
import http.client
import io
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import requests
import requests.adapters
from urllib3._collections import HTTPHeaderDict  # where urllib3 1.26 (allowed by botocore) has it too
from urllib3.response import HTTPResponse

if TYPE_CHECKING:
    from requests import PreparedRequest, Response

    from .http_events import HttpAnswer

GetAdapter = Callable[[requests.Session, str], requests.adapters.BaseAdapter]
_GET_ADAPTER_AT_IMPORT: GetAdapter = requests.Session.get_adapter


class Claim(enum.IntEnum):
    """How strongly a mock claims a URL, read from its host alone."""

    NONE = 0  # not API Gateway's: the request goes on as without the mock
    REFUSE = 1  # an execute-api host of no API the mock has: it answers API Gateway's refusal
    SERVE = 2  # a host of one of the mock's APIs or custom domain names


class Claimant(Protocol):
    """What the hook needs from a mock's HTTP runtime: a cheap claim on URLs, then one answer per request."""

    def claims(self, url: str) -> Claim:
        """How *url* is the mock's to answer; no resolution, nothing read but the host."""
        ...

    def handle(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> HttpAnswer | None:
        """Answer a request to a claimed URL, resolving it once (``None`` only if the claim has since lapsed)."""
        ...


class _MockAdapter(requests.adapters.HTTPAdapter):
    """The transport for the URLs one runtime claims: it answers in-process and never opens a socket."""

    def __init__(self, runtime: Claimant) -> None:
        super().__init__(pool_connections=1, pool_maxsize=1)
        self._runtime = runtime

    def send(
        self,
        request: PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: bool | str = True,
        cert: Any = None,
        proxies: Mapping[str, str] | None = None,
    ) -> Response:
        """Answer *request* from the runtime, as API Gateway would."""
        url, method = str(request.url), str(request.method)
        headers = [(str(k), str(v)) for k, v in request.headers.items()]
        answer = self._runtime.handle(method, url, headers, _body_bytes(request.body))
        if answer is None:  # the claim lapsed between choosing the adapter and sending (a custom domain deleted)
            raise requests.ConnectionError(f"mockapigw: no API serves {url}", request=request)
        return self.build_response(request, _raw_response(answer, method))


def _raw_response(answer: HttpAnswer, method: str) -> HTTPResponse:
    """The urllib3 response ``HTTPAdapter.build_response`` turns into a ``requests.Response``."""
    headers = HTTPHeaderDict()
    for name, value in answer.headers:
        headers.add(name, value)
    # requests reads Set-Cookie into the session's jar from the response's ``_original_response.msg``: give it one.
    original = HTTPResponse(body=io.BytesIO(), msg=headers, preload_content=False)  # type: ignore[arg-type]
    return HTTPResponse(
        body=io.BytesIO(answer.body),
        headers=headers,
        status=answer.status,
        reason=http.client.responses.get(answer.status),
        preload_content=False,
        decode_content=False,
        original_response=original,  # type: ignore[arg-type]
        request_method=method,
    )


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
    """The one patch of ``requests`` for the whole process: in place while any mock is active.

    Each active mock pushes its runtime; a URL goes to the innermost runtime that claims it.
    """

    def __init__(self) -> None:
        self._runtimes: list[tuple[Claimant, _MockAdapter | None]] = []
        self._lock = threading.Lock()
        self._wrapped: GetAdapter | None = None  # the get_adapter ours calls for everything it does not claim
        router = self

        def get_adapter(session: requests.Session, url: str) -> requests.adapters.BaseAdapter:
            adapter = router.adapter_for(url)
            if adapter is not None:
                return adapter
            wrapped = router._wrapped
            if wrapped is None:
                # Ours was removed after this call began (another thread stopped the last mock), or a reference
                # to it outlived its removal (requests-mock keeps one on sessions): do what requests does now.
                current = requests.Session.get_adapter
                wrapped = current if current is not get_adapter else _GET_ADAPTER_AT_IMPORT
            elif not router._runtimes:
                router._remove_if_left_on_top()
            return wrapped(session, url)

        get_adapter.__doc__ = requests.Session.get_adapter.__doc__
        self._get_adapter = get_adapter

    @property
    def installed(self) -> bool:
        """Whether ``requests.Session.get_adapter`` is ours right now."""
        return requests.Session.get_adapter is self._get_adapter

    def adapter_for(self, url: str) -> requests.adapters.BaseAdapter | None:
        """The adapter for *url*: of the innermost mock serving it, else of the innermost refusing it; or ``None``.

        So nested mocks each serve their own APIs, and an execute-api host that none has is refused, never sent.
        """
        if not url[:8].lower().startswith(("https://", "http://")):
            return None  # requests refuses other schemes (InvalidSchema): let it, exactly as without the mock
        runtimes = self._runtimes
        refusing = -1
        for index in range(len(runtimes) - 1, -1, -1):
            claim = runtimes[index][0].claims(url)
            if claim is Claim.SERVE:
                return self._adapter(runtimes, index)
            if claim is Claim.REFUSE and refusing < 0:
                refusing = index
        return self._adapter(runtimes, refusing) if refusing >= 0 else None

    @staticmethod
    def _adapter(runtimes: list[tuple[Claimant, _MockAdapter | None]], index: int) -> _MockAdapter:
        runtime, adapter = runtimes[index]
        if adapter is None:  # made on first use: most tests never call an invoke URL through requests
            adapter = _MockAdapter(runtime)
            runtimes[index] = (runtime, adapter)
        return adapter

    def push(self, runtime: Claimant) -> None:
        """Route to *runtime*; patch ``requests`` for the first active one."""
        with self._lock:
            # A new list each time: a request in another thread may be walking the old one.
            self._runtimes = [*self._runtimes, (runtime, None)]
            if self._wrapped is None:
                self._wrapped = requests.Session.get_adapter
                requests.Session.get_adapter = self._get_adapter  # type: ignore[method-assign,assignment]

    def pop(self, runtime: Claimant) -> None:
        """Stop routing to *runtime*; unpatch ``requests`` when no runtime is left."""
        with self._lock:
            for index in range(len(self._runtimes) - 1, -1, -1):
                if self._runtimes[index][0] is runtime:
                    self._runtimes = self._runtimes[:index] + self._runtimes[index + 1 :]
                    break
            if self._runtimes or self._wrapped is None:
                return
            # Put back what was there only if ours is still on top. If a library that patches get_adapter
            # (requests-mock) wrapped ours and is still active, ours stays in its chain as a pass-through, and
            # the next start reuses it instead of stacking a second one. When that library stops, it puts ours
            # back on top: ours then removes itself the next time it runs (or at the next start and stop).
            self._restore_if_on_top()

    def _remove_if_left_on_top(self) -> None:
        """Put back the ``get_adapter`` ours wraps if no mock is active and ours is on top again (a library that
        wrapped ours has stopped since the last mock did)."""
        with self._lock:
            if not self._runtimes and self._wrapped is not None:
                self._restore_if_on_top()

    def _restore_if_on_top(self) -> None:
        # Called with the lock held and no runtime left.
        if self.installed:
            requests.Session.get_adapter = self._wrapped  # type: ignore[method-assign,assignment]
            self._wrapped = None
