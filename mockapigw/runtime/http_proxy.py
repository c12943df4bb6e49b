"""HTTP_PROXY integrations: forward the request with ``requests``, applying parameter mappings.

See docs/reference/aws-behaviour.md §3.4.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import requests

from .http_events import HttpAnswer, HttpRequest, RequestInfo

_VARIABLE = re.compile(
    r"\$(request\.(?:header|querystring|path)(?:\.[A-Za-z0-9_.\-]+)?|request\.body|context\.[A-Za-z.]+|stageVariables\.[A-Za-z0-9_]+)"
)
_STAGE_VARIABLE = re.compile(r"\$\{stageVariables\.([A-Za-z0-9_]+)\}")
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "host"}


def _value(expression: str, request: HttpRequest, info: RequestInfo, path: str) -> str:
    """Evaluate a mapping value: static text with ``$request.header.X``, ``$context.requestId``... inside."""

    def lookup(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("request.header."):
            return request.header(name.removeprefix("request.header.")) or ""
        if name.startswith("request.querystring."):
            wanted = name.removeprefix("request.querystring.")
            return ",".join(v for k, v in request.query_pairs if k == wanted)
        if name == "request.path":
            return path
        if name.startswith("request.path."):
            return info.path_parameters.get(name.removeprefix("request.path."), "")
        if name.startswith("stageVariables."):
            return info.stage_variables.get(name.removeprefix("stageVariables."), "")
        if name.startswith("context."):
            return str(_context(info, request).get(name.removeprefix("context."), ""))
        return ""

    return _VARIABLE.sub(lookup, expression)


def _context(info: RequestInfo, request: HttpRequest) -> dict[str, Any]:
    return {
        "requestId": info.request_id,
        "apiId": info.api_id,
        "stage": info.stage,
        "routeKey": info.route_key,
        "domainName": info.domain_name,
        "httpMethod": request.method,
        "accountId": info.account_id,
    }


def target_url(integration: dict[str, Any], request: HttpRequest, info: RequestInfo, path: str) -> str:
    """The backend URL: stage variables and path parameters substituted; ``$default`` forwards the full path."""
    uri = _STAGE_VARIABLE.sub(lambda m: info.stage_variables.get(m.group(1), ""), str(integration["IntegrationUri"]))
    for name, value in info.path_parameters.items():
        uri = uri.replace("{" + name + "}", value).replace("{" + name + "+}", value)
    if info.route_key == "$default":
        uri = uri.rstrip("/") + path
    return uri


def forward(integration: dict[str, Any], request: HttpRequest, info: RequestInfo, path: str) -> HttpAnswer:
    """Send the request on to the integration URI and answer with what came back."""
    url = target_url(integration, request, info, path)
    headers = [(k, v) for k, v in request.headers if k.lower() not in _HOP_BY_HOP]
    query = list(request.query_pairs)
    for key, expression in (integration.get("RequestParameters") or {}).items():
        action, _, location = key.partition(":")
        value = _value(str(expression), request, info, path)
        if location == "path":
            url = url.split("://", 1)[0] + "://" + url.split("://", 1)[1].split("/", 1)[0] + value
            continue
        kind, _, name = location.partition(".")
        pairs = headers if kind == "header" else query
        if action in ("overwrite", "remove"):
            pairs[:] = [(k, v) for k, v in pairs if k.lower() != name.lower()]
        if action in ("overwrite", "append"):
            pairs.append((name, value))
    if query:
        url = f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"
    method = str(integration.get("IntegrationMethod") or "ANY")
    timeout = int(integration.get("TimeoutInMillis") or 30000) / 1000
    response = requests.request(
        request.method if method == "ANY" else method,
        url,
        headers=_merge(headers),
        data=request.body or None,
        timeout=timeout,
        allow_redirects=False,
    )
    answer_headers = [(k.lower(), v) for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP]
    answer = HttpAnswer(response.status_code, answer_headers, response.content)
    return _map_response(integration, answer, request, info, path)


class MappingError(ValueError):
    """A parameter mapping produced something API Gateway cannot use."""


def _merge(pairs: list[tuple[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for key, value in pairs:
        merged[key] = f"{merged[key]},{value}" if key in merged else value
    return merged


def _map_response(
    integration: dict[str, Any], answer: HttpAnswer, request: HttpRequest, info: RequestInfo, path: str
) -> HttpAnswer:
    mappings = (integration.get("ResponseParameters") or {}).get(str(answer.status)) or {}
    for key, expression in mappings.items():
        action, _, location = key.partition(":")
        value = _value(str(expression), request, info, path)
        value = value.replace("$response.statuscode", str(answer.status))
        if location == "statuscode":
            # ASCII digits only: str.isdigit() also accepts "²" (which int() refuses) and "٢٠٠" (200 to int()).
            if not (value.isascii() and value.isdigit()) or not 100 <= int(value) <= 599:
                raise MappingError(f"response mapping {key} gave {value!r}, which is not an HTTP status code")
            answer.status = int(value)
            continue
        name = location.removeprefix("header.").lower()
        if action in ("overwrite", "remove"):
            answer.headers = [(k, v) for k, v in answer.headers if k != name]
        if action in ("overwrite", "append"):
            answer.headers.append((name, value))
    return answer
