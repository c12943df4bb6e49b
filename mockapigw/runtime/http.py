"""HTTP APIs that run: a request to an invoke URL, through route matching, authorization and the integration."""

from __future__ import annotations

import email.utils
import json
import os
from dataclasses import dataclass
from typing import Any

import requests

from ..core import ids
from ..management.connections import now_ms
from .alerts import listing, warn
from .endpoints import Address, Endpoints, Refusal, Resolution
from .http_auth import Denied, JwtKeys, LambdaAuthorizers, check_iam, check_jwt
from .http_events import HttpAnswer, HttpRequest, MalformedResponse, RequestInfo, event_v1, event_v2, read_v1, read_v2
from .http_input import checked_request, url_credentials, url_parts
from .http_proxy import MappingError, forward
from .http_routing import match_route, match_route_key
from .lambdas import LambdaRegistry, invoke
from .requests_hook import Claim
from .setup_hints import how_to_deploy

DEFAULT_TIMEOUT_MS = 30000
DEFAULT_SOURCE_IP = "192.0.2.1"  # a documentation address (RFC 5737) for requests made in-process
MAX_PAYLOAD_BYTES = 10 * 1024 * 1024  # aws-behaviour.md §4: HTTP API payload size
MAX_REQUEST_HEAD_BYTES = 10240  # aws-behaviour.md §4: request line plus header values


@dataclass
class InvokeResponse:
    """What ``MockApiGateway.invoke`` returns: status, headers and body of the API's answer."""

    status_code: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        """The body decoded as UTF-8."""
        return self.body.decode("utf-8")

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


def _warn(message: str) -> None:
    warn(message)


def _head_size(method: str, path: str, query: str, headers: list[tuple[str, str]]) -> int:
    """Bytes of the request line plus the header lines, as sent over HTTP/1.1."""
    target = f"{path}?{query}" if query else path
    size = len(f"{method} {target} HTTP/1.1\r\n".encode("utf-8", "surrogateescape"))
    # Server mode hands over header bytes that are not UTF-8 as surrogate escapes: count them as the bytes they were.
    return size + sum(
        len(name.encode("utf-8", "surrogateescape")) + len(value.encode("utf-8", "surrogateescape")) + 4
        for name, value in headers
    )


class HttpRuntime:
    """The data plane of HTTP APIs for one mock; requests reach it through the front door (:mod:`.endpoints`)."""

    def __init__(self, endpoints: Endpoints, lambdas: LambdaRegistry, account_id: str) -> None:
        self._endpoints = endpoints
        self._lambdas = lambdas
        self._account_id = account_id
        self.jwt_keys = JwtKeys()
        self._authorizers = LambdaAuthorizers(lambdas)

    def claims(self, url: str) -> Claim:
        """How a request to *url* is this mock's: an API or custom domain it has, another execute-api host, or not.

        Reads only the host: the request is resolved once, by :meth:`handle`.
        """
        host = url_parts(url)[0]
        if self._endpoints.knows(host):
            return Claim.SERVE
        return Claim.REFUSE if self._endpoints.claims(host) else Claim.NONE

    def handle(
        self,
        method: str,
        url: str,
        headers: list[tuple[str, str]],
        body: bytes,
        *,
        address: Address | None = None,
        source_ip: str | None = None,
    ) -> HttpAnswer | None:
        """Answer a request to an invoke URL (resolved once); ``None`` when the host is not the mock's.

        Server mode passes the :class:`Address` its local URL forms make, and the real peer's address. Arguments
        that no client could send (``gw.invoke`` passes them as given) raise what ``requests`` would raise.
        """
        method, url, body = checked_request(method, url, body)
        host, path, query = url_parts(url)
        credentials = url_credentials(url)
        if credentials is not None and not any(k.lower() == "authorization" for k, _ in headers):
            headers = [*headers, ("Authorization", credentials)]  # as requests sends https://user:pass@host
        if address is None:
            address = Address.of(host, path, tuple(headers))
        resolved = self._endpoints.http(address)
        if resolved is None:
            return None
        path = address.path
        if isinstance(resolved, Resolution):
            host = resolved.domain_name  # the host API Gateway puts in the event, not a local one
        method = method.upper()
        request_id = ids.connection_style()
        if _head_size(method, path, query, headers) > MAX_REQUEST_HEAD_BYTES:
            _warn(f"the request line and headers of {method} {url} pass API Gateway's {MAX_REQUEST_HEAD_BYTES} bytes")
            answer = HttpAnswer.message(431, "Request Header Fields Too Large")
            return self._finish(answer, None, None, request_id, method)
        if len(body) > MAX_PAYLOAD_BYTES:
            _warn(f"the body of {method} {url} ({len(body)} bytes) passes API Gateway's 10 MB payload limit")
            answer = HttpAnswer(
                413, [("content-type", "text; charset=utf-8")], b"HTTP content length exceeded 10485760 bytes."
            )
            return self._finish(answer, None, None, request_id, method)
        peer = source_ip or DEFAULT_SOURCE_IP
        request = HttpRequest(method, path, query, _with_gateway_headers(headers, host, body, peer), body, peer)
        if isinstance(resolved, Refusal):
            _warn(f"{method} {url} answered {resolved.status}: {resolved.reason}")
            answer = HttpAnswer(resolved.status, [], resolved.body.encode())
            return self._finish(answer, None, request, request_id, method)
        answer = self._serve(resolved, request, request_id)
        return self._finish(answer, resolved, request, request_id, method)

    def _serve(self, target: Resolution, request: HttpRequest, request_id: str) -> HttpAnswer:
        cors = target.snapshot.api.get("CorsConfiguration")
        if (
            cors
            and request.method == "OPTIONS"
            and request.header("origin")
            and request.header("access-control-request-method")
        ):
            return _preflight(cors, request)  # answered by API Gateway itself, even without an OPTIONS route
        route, params = match_route(target.snapshot, request.method, target.path)
        if route is None:
            sent = f"{request.method} {target.path}"
            _warn(
                f"no route of HTTP API {target.api_id} (stage {target.stage!r}) matches {sent} and it has no "
                f"$default route, so API Gateway answers 404. Its route keys: "
                f"{listing(target.snapshot.route_keys, near=sent)}{self._not_deployed(target, request.method)}"
            )
            return HttpAnswer.message(404, "Not Found")
        info = RequestInfo(
            account_id=self._account_id,
            api_id=target.api_id,
            stage=target.stage,
            route_key=str(route["RouteKey"]),
            resource_path=str(route["RouteKey"]).split(" ", 1)[-1],
            path_parameters={k.rstrip("+"): v for k, v in params.items()},
            stage_variables=dict(target.stage_variables),
            domain_name=target.domain_name,
            domain_prefix=target.domain_prefix,
            request_id=request_id,
            now_ms=now_ms(),
            region=target.region,
        )
        try:
            authorized = self._authorize(target, route, request, info)
        except Denied as denied:
            return denied.answer
        integration = target.snapshot.integration_for(route)
        if integration is None:
            _warn(f"route {route['RouteKey']} of HTTP API {target.api_id} has no integration")
            return HttpAnswer.message(500, "Internal Server Error")
        if authorized is not None and integration.get("PayloadFormatVersion") == "1.0":
            if "jwt" in authorized:
                authorized = dict(authorized["jwt"])  # 1.0 events carry claims and scopes as REST APIs do
            elif "iam" in authorized:
                iam = authorized["iam"]  # and the IAM caller in requestContext.identity
                info.identity_extra = {
                    "accessKey": iam["accessKey"],
                    "accountId": iam["accountId"],
                    "caller": iam["callerId"],
                    "user": iam["userId"],
                    "userArn": iam["userArn"],
                }
        info.authorizer = authorized
        return self._integrate(integration, request, info, target.path)

    def _not_deployed(self, target: Resolution, method: str) -> str:
        """What to add to the no-route hint when a route the API has now, but the stage's deployment has not,
        would take the request (the stage serves its last deployment, as on AWS)."""
        keys = self._endpoints.current_route_keys(target.api_id, target.region)
        route_key = match_route_key(keys, method, target.path)
        if route_key is None:
            return ""
        return (
            f". The API has a route {route_key} that matches it, but stage {target.stage!r} serves a deployment "
            f"made before that route was created or changed. {how_to_deploy(target.api_id, target.stage)}"
        )

    def _authorize(
        self, target: Resolution, route: dict[str, Any], request: HttpRequest, info: RequestInfo
    ) -> dict[str, Any] | None:
        kind = route.get("AuthorizationType", "NONE")
        if kind == "AWS_IAM":
            return check_iam(request, target.region, self._account_id)
        if kind not in ("JWT", "CUSTOM"):
            return None
        authorizer = target.snapshot.authorizer_for(route)
        if authorizer is None:
            raise Denied(HttpAnswer.message(500, "Internal Server Error"))
        if kind == "JWT":
            return check_jwt(authorizer, route, request, info, self.jwt_keys)
        route_arn = (
            f"arn:aws:execute-api:{target.region}:{self._account_id}:{info.api_id}/{info.stage}/"
            f"{request.method}{target.path}"
        )
        context = {"requestId": info.request_id, "apiId": info.api_id, "stage": info.stage, "routeKey": info.route_key}
        generation = target.authorizer_cache_generation
        return self._authorizers.authorize(generation, authorizer, request, info, route_arn, context)

    def _integrate(self, integration: dict[str, Any], request: HttpRequest, info: RequestInfo, path: str) -> HttpAnswer:
        kind = integration["IntegrationType"]
        if kind == "HTTP_PROXY" and integration.get("ConnectionType", "INTERNET") == "INTERNET":
            try:
                return forward(integration, request, info, path)
            except MappingError as problem:
                _warn(f"HTTP_PROXY integration {integration['IntegrationId']}: {problem}")
                return HttpAnswer.message(500, "Internal Server Error")
            except requests.Timeout:
                return HttpAnswer.message(503, "Service Unavailable")  # as for a Lambda integration that times out
            except requests.RequestException as problem:
                _warn(f"HTTP_PROXY integration to {integration.get('IntegrationUri')} failed: {problem}")
                return HttpAnswer.message(500, "Internal Server Error")
        if kind != "AWS_PROXY" or integration.get("IntegrationSubtype"):
            _warn(f"integration {integration['IntegrationId']} ({kind}) is not run by mockapigw's HTTP runtime")
            return HttpAnswer.message(500, "Internal Server Error")
        version = integration.get("PayloadFormatVersion", "2.0")
        event = event_v1(request, info) if version == "1.0" else event_v2(request, info)
        timeout = int(integration.get("TimeoutInMillis") or DEFAULT_TIMEOUT_MS)
        uri = str(integration.get("IntegrationUri", ""))
        called = invoke(self._lambdas, uri, event, timeout, info.site("integration"))
        if called.timed_out:
            return HttpAnswer.message(503, "Service Unavailable")
        if not called.ok:
            _warn(f"Lambda integration of {info.route_key} failed: {called.error!r}")
            return HttpAnswer.message(500, "Internal Server Error")
        try:
            return read_v1(called.payload) if version == "1.0" else read_v2(called.payload)
        except MalformedResponse as problem:
            _warn(f"Lambda integration of {info.route_key} returned a malformed response: {problem}")
            return HttpAnswer.message(500, "Internal Server Error")

    def _finish(
        self,
        answer: HttpAnswer,
        target: Resolution | None,
        request: HttpRequest | None,
        request_id: str,
        method: str,
    ) -> HttpAnswer:
        cors = target.snapshot.api.get("CorsConfiguration") if target is not None else None
        origin = request.header("origin") if request is not None else None
        if cors and origin and request is not None and request.method != "OPTIONS":
            # API Gateway replaces CORS headers from the integration with its own (aws-behaviour.md §3.7).
            answer.headers = [(k, v) for k, v in answer.headers if not k.startswith("access-control-")]
            answer.headers.extend(_cors_headers(cors, origin, preflight=False))
        bodyless = _bodyless(answer.status)
        if bodyless:
            # A 1xx, 204 or 304 response ends after its headers, whatever the handler returned (RFC 9110 §6.4.1),
            # and says no length (§8.6: a 304 may only give the length of a 200, which the mock cannot know).
            answer.body = b""
        # The length is API Gateway's, of the body it sends: a handler's own content-length is not passed on.
        answer.headers = [(k, v) for k, v in answer.headers if k.lower() != "content-length"]
        names = {k for k, _ in answer.headers}
        if "content-type" not in names and answer.body:
            answer.headers.append(("content-type", "application/json"))
        if not bodyless:
            answer.headers.append(("content-length", str(len(answer.body))))
        answer.headers.append(("date", email.utils.formatdate(usegmt=True)))
        answer.headers.append(("apigw-requestid", request_id))
        if method == "HEAD":
            # RFC 9110 §9.3.2: the headers of a GET (its content-length too), and no body.
            answer.body = b""
        return answer


def _bodyless(status: int) -> bool:
    """Whether a response with *status* has no body in HTTP (RFC 9110 §6.4.1): 1xx, 204 and 304."""
    return status < 200 or status in (204, 304)


def _with_gateway_headers(
    headers: list[tuple[str, str]], host: str, body: bytes, source_ip: str = DEFAULT_SOURCE_IP
) -> list[tuple[str, str]]:
    """The client's headers plus those API Gateway adds before the integration sees them."""
    names = {k.lower() for k, _ in headers}
    added = [
        ("host", host),
        ("x-amzn-trace-id", f"Root=1-{now_ms() // 1000:08x}-{os.urandom(12).hex()}"),
        ("x-forwarded-for", source_ip),
        ("x-forwarded-port", "443"),
        ("x-forwarded-proto", "https"),
    ]
    if body and "content-length" not in names:
        added.append(("content-length", str(len(body))))
    return [*headers, *[(k, v) for k, v in added if k not in names]]


def _origin_allowed(cors: dict[str, Any], origin: str) -> str | None:
    allowed = list(cors.get("AllowOrigins") or [])
    if "*" in allowed:
        return "*"
    return origin if origin in allowed else None


def _cors_headers(cors: dict[str, Any], origin: str, *, preflight: bool) -> list[tuple[str, str]]:
    allowed = _origin_allowed(cors, origin)
    if allowed is None:
        return []
    headers = [("access-control-allow-origin", allowed)]
    if cors.get("AllowCredentials"):
        headers.append(("access-control-allow-credentials", "true"))
    if not preflight and cors.get("ExposeHeaders"):
        headers.append(("access-control-expose-headers", ",".join(cors["ExposeHeaders"])))
    if preflight:
        if cors.get("AllowMethods"):
            headers.append(("access-control-allow-methods", ",".join(cors["AllowMethods"])))
        if cors.get("AllowHeaders"):
            headers.append(("access-control-allow-headers", ",".join(cors["AllowHeaders"])))
        if cors.get("MaxAge") is not None:
            headers.append(("access-control-max-age", str(cors["MaxAge"])))
    return headers


def _preflight(cors: dict[str, Any], request: HttpRequest) -> HttpAnswer:
    origin = request.header("origin") or ""
    method = (request.header("access-control-request-method") or "").upper()
    methods = [m.upper() for m in cors.get("AllowMethods") or []]
    headers = _cors_headers(cors, origin, preflight=True)
    if methods and "*" not in methods and method not in methods:
        headers = []  # a method the configuration does not allow: no CORS headers, so the browser refuses
    return HttpAnswer(204, headers, b"")
