"""One call, end to end: wire request -> router -> codec -> service -> codec -> botocore response.

The operation is the one the request's method and path lead to (``router.py``), as on AWS, not the SDK method
that built it: the botocore event only names the service.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, Protocol

from botocore.awsrequest import AWSResponse, HeadersDict

from . import ids
from .codec import ErrorEncoder, Operation, WireRequest, WireResponse, split_url
from .errors import ServiceError
from .model import service_model
from .router import Router
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


class MockHeaders(HeadersDict):
    """Response headers, case-insensitive as botocore's ``HeadersDict`` and urllib3's, but cheap to read.

    botocore's ``HeadersDict`` wraps every key it stores or looks up in an object, and its parser reads each
    header several times (``lowercase_dict``, the request id), which cost about 15 µs per call. Keys are
    stored lower-case in a plain dict, so a lookup is one ``lower()``; iteration yields the lower-case names.
    """

    def __init__(self, lowered: dict[str, str]) -> None:
        """Take *lowered*, whose names are lower-case already (the codec writes them so), as it is."""
        self._dict = lowered

    def __setitem__(self, key: str, value: str) -> None:
        self._dict[key.lower()] = value

    def __getitem__(self, key: str) -> str:
        value = self._dict.get(key)  # botocore asks by lower-case name; header values are never None
        return self._dict[key.lower()] if value is None else value

    def __delitem__(self, key: str) -> None:
        del self._dict[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and (key in self._dict or key.lower() in self._dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self._dict.get(key.lower(), default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._dict)

    def copy(self) -> MockHeaders:
        return MockHeaders(dict(self._dict))


class MockResponse(AWSResponse):
    """An ``AWSResponse`` whose body is already in memory."""

    def __init__(self, url: str, wire: WireResponse) -> None:
        self.url = url
        self.status_code = wire.status
        self.headers = MockHeaders(wire.headers)
        self._content = wire.body
        self._raw: Any = None

    @property
    def raw(self) -> Any:
        """The body as a stream, made on first use: botocore reads it only for streaming outputs (ExportApi)."""
        if self._raw is None:
            self._raw = _Raw(self._content)
        return self._raw

    @raw.setter
    def raw(self, value: Any) -> None:
        self._raw = value


class MissingAuthenticationTokenException(ServiceError):
    """API Gateway's own answer to a path no operation has, or to a method the path does not allow.

    AWS's control plane answers through API Gateway (its responses carry ``x-amz-apigw-id``), whose documented
    answer to "an unsupported API method or resource" is 403 ``MissingAuthenticationTokenException``, "Missing
    Authentication Token"; the same answer was recorded from the control plane's host for an unknown path
    (common-voice/common-voice#1599). The models do not declare it: botocore raises a plain ``ClientError``.
    """

    status = 403

    def __init__(self) -> None:
        super().__init__("Missing Authentication Token")


@cache
def compiled(service_name: str, operation: str) -> Operation:
    """The compiled codec of one operation, built on first use."""
    return Operation(service_model(service_name).operation_model(operation))


@cache
def router(service_name: str) -> Router[str]:
    """The method-and-path router of a service's operations (by name), compiled once."""
    model = service_model(service_name)
    templates = []
    for name in model.operation_names:
        http = model.operation_model(name).http
        templates.append((http.get("method", "POST"), http.get("requestUri", "/"), name))
    return Router(templates)


@cache
def _error_encoder(service_name: str) -> ErrorEncoder:
    return ErrorEncoder(service_model(service_name))


class _Served:
    """What answering one service takes: the service, its router and its compiled operations, found once."""

    __slots__ = ("operations", "router", "service")

    def __init__(self, service: Service) -> None:
        self.service = service
        self.router = router(service.name)
        self.operations = _operations(service.name)

    def operation(self, name: str) -> Operation:
        """The compiled operation *name* (compiled on first use)."""
        operation = self.operations.get(name)
        if operation is None:
            operation = self.operations[name] = compiled(self.service.name, name)
        return operation


@cache
def _operations(service_name: str) -> dict[str, Operation]:
    """The operations of a service compiled so far, by name: one dict lookup per call instead of a cached call."""
    return {}


class Dispatcher:
    """Answers botocore requests for a set of services on behalf of one mock."""

    def __init__(self, services: Mapping[str, Service], account_id: str) -> None:
        self._services = dict(services)
        self._served: dict[str, _Served] = {}
        self.account_id = account_id

    def respond(
        self, service_id: str, method: str, url: str, headers: Mapping[str, Any], body: Any, region: str
    ) -> AWSResponse:
        """Answer one intercepted botocore request (the interceptor's job)."""
        return MockResponse(url, self.answer(service_id, method, url, headers, body, region))

    def answer(
        self, service_id: str, method: str, url: str, headers: Mapping[str, Any], body: Any, region: str
    ) -> WireResponse:
        """Answer one HTTP request to *service_id* for a caller in *region*, wherever it came from."""
        served = self._served.get(service_id)
        if served is None:
            served = self._served[service_id] = _Served(self._services[service_id])
        service = served.service
        request_id = ids.request_id()
        host, path, query = split_url(url)
        try:
            route = served.router.match(method, path, query)
            if route is None:
                raise MissingAuthenticationTokenException()
            target = route.target
            operation = served.operations.get(target) or served.operation(target)
            params = operation.parse(WireRequest(query, headers, body), route.labels)
            call = Call(target, params, self.account_id, region, host, route.base_path, request_id)
            return operation.respond(service.handle(call), request_id)
        except InvalidInput as problem:
            return _error_encoder(service.name).encode(service.invalid_input(str(problem)), request_id)
        except ServiceError as error:
            return _error_encoder(service.name).encode(error, request_id)
