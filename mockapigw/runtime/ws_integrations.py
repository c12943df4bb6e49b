"""Running a WebSocket route's integration: Lambda proxy, Lambda (AWS), MOCK, HTTP and HTTP proxy."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import requests

from ..apigatewayv2.deployments import Snapshot
from .lambdas import CallSite, LambdaRegistry, invoke
from .selection import compile_expression, matches_key

DEFAULT_TIMEOUT_MS = 29000
_CONTEXT_VARIABLE = re.compile(r"\$context\.([A-Za-z]+(?:\.[A-Za-z]+)*)")


@dataclass
class Outcome:
    """What an integration produced: a status code and a body, or a failure."""

    ok: bool
    status: int = 200
    body: str | None = None
    headers: dict[str, str] | None = None
    error: str = ""


def _render(template: str, event: dict[str, Any], body: str) -> str:
    """Render a mapping template's static text, substituting ``$context.X`` and ``$input.body``.

    Velocity directives (``#set``, ``#foreach``...) are not evaluated: templates are static apart from these.
    """
    context = event.get("requestContext", {})

    def lookup(match: re.Match[str]) -> str:
        value: Any = context
        for part in match.group(1).split("."):
            value = value.get(part, "") if isinstance(value, dict) else ""
        return "" if isinstance(value, dict) else str(value)

    # $context first, so that a client's message text is never itself treated as a template.
    return _CONTEXT_VARIABLE.sub(lookup, template).replace("$input.body", body)


def _select_template(templates: dict[str, str] | None, expression: str | None, body: str) -> str | None:
    if not templates:
        return None
    if expression:
        key = compile_expression(expression)({"request": {"body": _json_or_none(body)}})
        if key in templates:
            return templates[key]
    return templates.get("$default")


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _integration_response(
    snapshot: Snapshot, integration: dict[str, Any], status: int, event: dict[str, Any], body: str
) -> str | None:
    """Pick the integration response for *status* and render its template (non-proxy integrations)."""
    responses = snapshot.responses_of_integration(integration)
    if not responses:
        # Without integration responses nothing maps a response back: a MOCK has nothing to send.
        return None if integration["IntegrationType"] == "MOCK" else body
    chosen = None
    for response in responses.values():
        key = response["IntegrationResponseKey"]
        if key != "$default" and matches_key(key, str(status)):
            chosen = response
            break
    if chosen is None:
        chosen = next((r for r in responses.values() if r["IntegrationResponseKey"] == "$default"), None)
    if chosen is None:
        return body
    template = _select_template(chosen.get("ResponseTemplates"), chosen.get("TemplateSelectionExpression"), body)
    return body if template is None else _render(template, event, body)


def _sendable(outcome: Outcome) -> Outcome:
    """*outcome*, or a failure when its body cannot be sent as a text frame (UTF-8 cannot hold a lone surrogate,
    which a template can take from the mock's inputs, such as ``gw.connect(user_agent=...)``)."""
    if outcome.body is not None and not outcome.body.isascii():
        try:
            outcome.body.encode("utf-8")
        except UnicodeEncodeError as problem:
            return Outcome(ok=False, error=f"the integration's response is not valid UTF-8 text: {problem}")
    return outcome


def _ascii_digits(text: str) -> bool:
    # str.isdigit() and int() also take "²" and "٢٠٠" (int() reads the second as 200; the first it refuses).
    return text.isascii() and text.isdigit()


def _proxy_status(code: Any) -> int | None:
    """A proxy result's ``statusCode`` as a number, or ``None`` when it is none (a string must be ASCII digits)."""
    if isinstance(code, str):
        return int(code) if _ascii_digits(code) else None
    try:
        return int(code)
    except (TypeError, ValueError, OverflowError):  # OverflowError: Infinity, which json reads back
        return None


def _proxy_result(result: Any) -> Outcome:
    """Read a Lambda proxy result: ``{"statusCode", "body", "headers"}``, or anything else as the body."""
    if result is None:
        return Outcome(ok=True, status=200, body=None)
    if isinstance(result, dict) and ("statusCode" in result or "body" in result):
        code = result.get("statusCode", 200)
        status = _proxy_status(code)
        if status is None:
            return Outcome(ok=False, error=f"Malformed Lambda proxy response: statusCode {code!r}")
        if not 100 <= status <= 599:
            return Outcome(ok=False, error=f"Malformed Lambda proxy response: statusCode {status} is not 100-599")
        body = result.get("body")
        headers = result.get("headers") if isinstance(result.get("headers"), dict) else None
        # A string is sent as it is; any other value as JSON (json.dumps's default separators, as HTTP APIs do).
        text = body if body is None or isinstance(body, str) else json.dumps(body)
        return Outcome(ok=True, status=status, body=text, headers=headers)
    return Outcome(ok=True, status=200, body=result if isinstance(result, str) else json.dumps(result))


def run(
    lambdas: LambdaRegistry,
    snapshot: Snapshot,
    integration: dict[str, Any],
    event: dict[str, Any],
    body: str,
    site: CallSite,
) -> Outcome:
    """Run *integration* for *event* (whose raw message text is *body*) on behalf of *site*.

    A Lambda handler's exception propagates from here when the mock raises handler errors.
    """
    kind = integration["IntegrationType"]
    timeout_ms = int(integration.get("TimeoutInMillis", DEFAULT_TIMEOUT_MS))
    if kind == "AWS_PROXY":
        called = invoke(lambdas, integration.get("IntegrationUri", ""), event, timeout_ms, site)
        if not called.ok:
            return Outcome(ok=False, error="timed out" if called.timed_out else repr(called.error))
        return _proxy_result(called.payload)
    if kind == "MOCK":
        request = _select_template(
            integration.get("RequestTemplates"), integration.get("TemplateSelectionExpression"), body
        )
        status = 200
        if request is not None:
            parsed = _json_or_none(_render(request, event, body))
            code = parsed.get("statusCode") if isinstance(parsed, dict) else None
            if code is not None:
                if isinstance(code, bool) or not _ascii_digits(str(code)):
                    return Outcome(ok=False, error=f"MOCK request template gave a non-numeric statusCode {code!r}")
                status = int(code)
        response = _integration_response(snapshot, integration, status, event, body)
        return _sendable(Outcome(ok=True, status=status, body=response))
    if kind == "AWS":
        template = _select_template(
            integration.get("RequestTemplates"), integration.get("TemplateSelectionExpression"), body
        )
        payload = _json_or_none(_render(template, event, body) if template is not None else body)
        called = invoke(
            lambdas, integration.get("IntegrationUri", ""), payload if payload is not None else body, timeout_ms, site
        )
        if not called.ok:
            return Outcome(ok=False, error="timed out" if called.timed_out else repr(called.error))
        text = called.payload if isinstance(called.payload, str) else json.dumps(called.payload)
        return _sendable(Outcome(ok=True, body=_integration_response(snapshot, integration, 200, event, text)))
    return _http(snapshot, integration, event, body, timeout_ms)


def _http(
    snapshot: Snapshot, integration: dict[str, Any], event: dict[str, Any], body: str, timeout_ms: int
) -> Outcome:
    method = integration.get("IntegrationMethod") or "POST"
    if integration["IntegrationType"] == "HTTP":
        template = _select_template(
            integration.get("RequestTemplates"), integration.get("TemplateSelectionExpression"), body
        )
        if template is not None:
            body = _render(template, event, body)
    try:
        data = body.encode("utf-8")
    except UnicodeEncodeError as problem:  # a template took text UTF-8 cannot hold from the mock's inputs
        return Outcome(ok=False, error=f"the HTTP integration's request is not valid UTF-8 text: {problem}")
    try:
        response = requests.request(method, integration["IntegrationUri"], data=data, timeout=timeout_ms / 1000)
    except requests.RequestException as problem:
        return Outcome(ok=False, error=f"HTTP integration failed: {problem}")
    text = response.text
    if integration["IntegrationType"] == "HTTP":
        text = _integration_response(snapshot, integration, response.status_code, event, text) or ""
    return _sendable(Outcome(ok=True, status=response.status_code, body=text))
