"""Lambda proxy events of HTTP APIs (payload formats 1.0 and 2.0) and how AWS reads the function's answer.

Shapes follow aws-behaviour.md §6 and §9.7: 2.0 lower-cases header names, joins repeated headers and query values with
commas, moves cookies to ``cookies`` and leaves out empty optional fields; 1.0 keeps the client's header case
(capitalising those API Gateway adds), keeps multi-value maps and sends ``null`` for what is missing.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .events import clf_time
from .lambdas import CallSite, Kind

_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/javascript", "+json", "+xml")
_TEXT_TYPES_EXTRA = ("application/x-www-form-urlencoded", "application/graphql")


@dataclass
class HttpRequest:
    """A request as it reaches an HTTP API."""

    method: str
    raw_path: str
    query: str
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str = "192.0.2.1"

    def header(self, name: str) -> str | None:
        """The comma-joined values of a header (case-insensitive), or ``None``."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return ",".join(values) if values else None

    @property
    def query_pairs(self) -> list[tuple[str, str]]:
        """The query string's pairs, decoded, in order."""
        return parse_qsl(self.query, keep_blank_values=True)


@dataclass
class RequestInfo:
    """Everything about one request the events need besides the request itself."""

    account_id: str
    api_id: str
    stage: str
    route_key: str
    resource_path: str
    path_parameters: dict[str, str]
    stage_variables: dict[str, str]
    domain_name: str
    domain_prefix: str
    request_id: str
    now_ms: int
    authorizer: dict[str, Any] | None = None
    identity_extra: dict[str, Any] = field(default_factory=dict)
    region: str = ""

    def site(self, kind: Kind) -> CallSite:
        """Who invokes a Lambda function for this request: the route's integration or its authorizer."""
        return CallSite(kind, "HTTP", self.api_id, self.route_key, self.region, self.account_id)


def _is_text(content_type: str | None) -> bool:
    if not content_type:
        return True
    lowered = content_type.lower()
    return any(t in lowered for t in _TEXT_TYPES) or any(lowered.startswith(t) for t in _TEXT_TYPES_EXTRA)


def encode_body(request: HttpRequest) -> tuple[str | None, bool]:
    """The event's ``body`` and ``isBase64Encoded``: binary or non-UTF-8 bodies are base64-encoded."""
    if not request.body:
        return None, False
    if _is_text(request.header("content-type")):
        try:
            return request.body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(request.body).decode(), True


def _joined(pairs: list[tuple[str, str]], lower: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in pairs:
        key = key.lower() if lower else key
        out[key] = f"{out[key]},{value}" if key in out else value
    return out


def _multi(pairs: list[tuple[str, str]], lower: bool) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in pairs:
        out.setdefault(key.lower() if lower else key, []).append(value)
    return out


def event_v2(request: HttpRequest, info: RequestInfo) -> dict[str, Any]:
    """A payload format 2.0 event."""
    cookies = [c.strip() for k, v in request.headers if k.lower() == "cookie" for c in v.split(";") if c.strip()]
    headers = _joined([(k, v) for k, v in request.headers if k.lower() != "cookie"], lower=True)
    context: dict[str, Any] = {
        "accountId": info.account_id,
        "apiId": info.api_id,
        "domainName": info.domain_name,
        "domainPrefix": info.domain_prefix,
        "http": {
            "method": request.method,
            "path": request.raw_path,
            "protocol": "HTTP/1.1",
            "sourceIp": request.source_ip,
            "userAgent": request.header("user-agent") or "",
        },
        "requestId": info.request_id,
        "routeKey": info.route_key,
        "stage": info.stage,
        "time": clf_time(info.now_ms),
        "timeEpoch": info.now_ms,
    }
    if info.authorizer is not None:
        context["authorizer"] = info.authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": info.route_key,
        "rawPath": request.raw_path,
        "rawQueryString": request.query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = _joined(request.query_pairs, lower=False)
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = context
    body, encoded = encode_body(request)
    if body is not None:
        event["body"] = body
    if info.path_parameters:
        event["pathParameters"] = dict(info.path_parameters)
    event["isBase64Encoded"] = encoded
    if info.stage_variables:
        event["stageVariables"] = dict(info.stage_variables)
    return event


# Payload 1.0 capitalises the headers API Gateway adds (or rewrites); the client's own keep its case (§9.7).
_GATEWAY_HEADERS = {
    name.lower(): name
    for name in (
        "Content-Length",
        "Host",
        "User-Agent",
        "X-Amzn-Trace-Id",
        "X-Forwarded-For",
        "X-Forwarded-Port",
        "X-Forwarded-Proto",
    )
}


def _v1_headers(request: HttpRequest) -> list[tuple[str, str]]:
    pairs = [(_GATEWAY_HEADERS.get(name.lower(), name), value) for name, value in request.headers]
    return sorted(pairs, key=lambda pair: pair[0])  # the captures list names in code-point order (stable)


def event_v1(request: HttpRequest, info: RequestInfo) -> dict[str, Any]:
    """A payload format 1.0 event (REST-API compatible shape), member by member as AWS's captures show it."""
    query = request.query_pairs
    headers = _v1_headers(request)
    identity = {
        "accessKey": None,
        "accountId": None,
        "caller": None,
        "cognitoAmr": None,
        "cognitoAuthenticationProvider": None,
        "cognitoAuthenticationType": None,
        "cognitoIdentityId": None,
        "cognitoIdentityPoolId": None,
        "principalOrgId": None,
        "sourceIp": request.source_ip,
        "user": None,
        "userAgent": request.header("user-agent") or "",
        "userArn": None,
        **info.identity_extra,
    }
    body, encoded = encode_body(request)
    return {
        "version": "1.0",
        "resource": info.resource_path,
        "path": request.raw_path,
        "httpMethod": request.method,
        "headers": _joined(headers, lower=False),
        "multiValueHeaders": _multi(headers, lower=False),
        "queryStringParameters": _joined(query, lower=False) or None,
        "multiValueQueryStringParameters": _multi(query, lower=False) or None,
        "requestContext": {
            "accountId": info.account_id,
            "apiId": info.api_id,
            "authorizer": info.authorizer if info.authorizer is not None else {"claims": None, "scopes": None},
            "domainName": info.domain_name,
            "domainPrefix": info.domain_prefix,
            "extendedRequestId": info.request_id,
            "httpMethod": request.method,
            "identity": identity,
            "path": request.raw_path,
            "protocol": "HTTP/1.1",
            "requestId": info.request_id,
            "requestTime": clf_time(info.now_ms),
            "requestTimeEpoch": info.now_ms,
            "resourceId": info.route_key,
            "resourcePath": info.resource_path,
            "stage": info.stage,
        },
        "pathParameters": dict(info.path_parameters) or None,
        "stageVariables": dict(info.stage_variables) or None,
        "body": body,
        "isBase64Encoded": encoded,
    }


# ---------------------------------------------------------------------------------------------- responses


@dataclass
class HttpAnswer:
    """Status, headers (name, value pairs; repeats allowed) and body of an answer."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes

    @classmethod
    def message(cls, status: int, message: str, *extra: tuple[str, str]) -> HttpAnswer:
        """API Gateway's own JSON error answer: ``{"message":"Not Found"}``."""
        body = json.dumps({"message": message}, separators=(",", ":")).encode()
        return cls(status, [("content-type", "application/json"), *extra], body)


class MalformedResponse(ValueError):
    """The function's answer cannot be read as a proxy response."""


def _body_bytes(body: Any, encoded: Any) -> bytes:
    if body is None:
        return b""
    text = body if isinstance(body, str) else json.dumps(body)
    if encoded is True:
        try:
            return base64.b64decode(text, validate=True)
        except ValueError:
            raise MalformedResponse("isBase64Encoded is true but the body is not base64") from None
    return text.encode("utf-8")


def _headers(result: dict[str, Any]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    single = result.get("headers") or {}
    multi = result.get("multiValueHeaders") or {}
    if not isinstance(single, dict) or not isinstance(multi, dict):
        raise MalformedResponse("headers and multiValueHeaders must be objects")
    for name, value in single.items():
        if name not in multi:
            headers.append((str(name).lower(), str(value)))
    for name, values in multi.items():
        for value in values if isinstance(values, list) else [values]:
            headers.append((str(name).lower(), str(value)))
    return headers


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _status(result: dict[str, Any]) -> int:
    status = result.get("statusCode")
    # ASCII digits only: str.isdigit() also accepts "²" (which int() refuses) and "٢٠٠" (which int() reads as 200).
    if isinstance(status, bool) or not isinstance(status, (int, str)) or not _ascii_digits(str(status)):
        raise MalformedResponse(f"statusCode must be an integer, got {status!r}")
    if not 100 <= int(status) <= 599:
        raise MalformedResponse(f"statusCode {status!r} is not an HTTP status code (100-599)")
    return int(status)


def read_v2(result: Any) -> HttpAnswer:
    """Read a 2.0 answer: the full form with ``statusCode``, or any JSON value meaning 200 and that body."""
    if isinstance(result, dict) and "statusCode" in result:
        headers = _headers(result)
        cookies = result.get("cookies") or []
        if not isinstance(cookies, list):
            raise MalformedResponse("cookies must be a list of strings")
        for cookie in cookies:
            headers.append(("set-cookie", str(cookie)))
        return HttpAnswer(_status(result), headers, _body_bytes(result.get("body"), result.get("isBase64Encoded")))
    if result is None:
        body = b""
    elif isinstance(result, str):
        body = result.encode("utf-8")
    else:
        body = json.dumps(result).encode("utf-8")
    return HttpAnswer(200, [("content-type", "application/json")], body)


def read_v1(result: Any) -> HttpAnswer:
    """Read a 1.0 answer: it must carry ``statusCode``; anything else is AWS's 500."""
    if not isinstance(result, dict) or "statusCode" not in result:
        raise MalformedResponse("a payload 1.0 response must be an object with statusCode")
    return HttpAnswer(_status(result), _headers(result), _body_bytes(result.get("body"), result.get("isBase64Encoded")))
