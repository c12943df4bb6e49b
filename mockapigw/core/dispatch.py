"""One call, end to end: wire request -> codec -> service -> codec -> botocore response."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Protocol

from botocore.awsrequest import AWSPreparedRequest, AWSResponse, HeadersDict
from botocore.exceptions import HTTPClientError
from urllib3.exceptions import URLSchemeUnknown

from . import ids
from .codec import ErrorEncoder, Operation, WireRequest, WireResponse
from .errors import ServiceError
from .hints import hint
from .model import service_model
from .validation import InvalidInput


class Call:
    """A decoded request, as a service sees it: operation, model-named params and where it was sent."""

    __slots__ = ("account_id", "base_path", "host", "operation", "params", "region", "request_id")

    def __init__(
        self,
        operation: str,
        params: dict[str, Any],
        account_id: str,
        region: str,
        host: str,
        base_path: str,
        request_id: str,
    ) -> None:
        self.operation = operation
        self.params = params
        self.account_id = account_id
        self.region = region
        self.host = host
        self.base_path = base_path
        self.request_id = request_id


class Service(Protocol):
    """A service the mock serves: a botocore service name plus a handler for decoded calls."""

    name: str

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        """Run *call*; return the output members, or raise a :class:`ServiceError`."""
        ...

    def invalid_input(self, message: str) -> ServiceError:
        """The error this service answers malformed requests with."""
        ...


class _Raw:
    """The minimal raw stream botocore reads streaming payloads (e.g. ExportApi) from."""

    __slots__ = ("_data", "_position")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._position = 0

    def read(self, amt: int | None = None) -> bytes:
        end = len(self._data) if amt is None else self._position + amt
        chunk = self._data[self._position : end]
        self._position += len(chunk)
        return chunk

    def stream(self, **kwargs: Any) -> Any:
        yield self.read()

    def close(self) -> None:
        self._position = len(self._data)


class MockResponse(AWSResponse):
    """An ``AWSResponse`` whose body is already in memory."""

    def __init__(self, url: str, wire: WireResponse) -> None:
        self.url = url
        self.status_code = wire.status
        self.headers = HeadersDict(wire.headers)
        self.raw = _Raw(wire.body)
        self._content = wire.body


@cache
def compiled(service_name: str, operation: str) -> Operation:
    """The compiled codec of one operation, built on first use."""
    return Operation(service_model(service_name).operation_model(operation))


@cache
def _error_encoder(service_name: str) -> ErrorEncoder:
    return ErrorEncoder(service_model(service_name))


@cache
def _split_event(event_name: str) -> tuple[str, str]:
    _, service, operation = event_name.split(".", 2)
    return service, operation


def _refuse_unsendable_scheme(url: str) -> None:
    """Fail as botocore's HTTP client does outside the mock for a scheme it cannot send (aws-facts §9.11)."""
    scheme = url.partition("://")[0].lower()
    if scheme in ("https", "http"):
        return
    hint(
        f"the client's endpoint_url uses {scheme}://, which botocore cannot send (outside the mock it fails the "
        "same way); a management client needs endpoint_url='https://{domainName}/{stage}'."
    )
    raise HTTPClientError(error=URLSchemeUnknown(scheme))


class Dispatcher:
    """Answers botocore requests for a set of services on behalf of one mock."""

    def __init__(self, services: Mapping[str, Service], account_id: str) -> None:
        self._services = dict(services)
        self.account_id = account_id

    def respond(self, event_name: str, request: AWSPreparedRequest, region: str) -> AWSResponse:
        """Answer one request (the ``before-send`` hook's job)."""
        service_id, operation_name = _split_event(event_name)
        _refuse_unsendable_scheme(request.url)
        service = self._services[service_id]
        operation = compiled(service.name, operation_name)
        request_id = ids.request_id()
        try:
            headers: Mapping[str, Any] = request.headers  # type: ignore[assignment]  # HTTPHeaders is a mapping
            params, host, base_path = operation.parse(WireRequest(request.method, request.url, headers, request.body))
            call = Call(operation_name, params, self.account_id, region, host, base_path, request_id)
            wire = operation.respond(service.handle(call), request_id)
        except InvalidInput as problem:
            wire = _error_encoder(service.name).encode(service.invalid_input(str(problem)), request_id)
        except ServiceError as error:
            wire = _error_encoder(service.name).encode(error, request_id)
        return MockResponse(request.url, wire)
