"""IAM policy evaluation for Lambda authorizer results (``execute-api:Invoke`` on a method ARN)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=512)
def _pattern(glob: str) -> re.Pattern[str]:
    parts = (re.escape(piece) for piece in re.split(r"([*?])", glob))
    return re.compile("".join(".*" if p == r"\*" else "." if p == r"\?" else p for p in parts) + r"\Z")


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _matches(globs: list[str], value: str) -> bool:
    return any(_pattern(glob).match(value) for glob in globs)


def policy_allows(policy: Any, method_arn: str) -> bool:
    """Whether *policy* allows ``execute-api:Invoke`` on *method_arn*: an explicit Deny wins, no Allow denies."""
    if not isinstance(policy, dict):
        return False
    statements = policy.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    allowed = False
    for statement in statements if isinstance(statements, list) else []:
        if not isinstance(statement, dict):
            continue
        if not _matches(_as_list(statement.get("Action")), "execute-api:Invoke"):
            continue
        if not _matches(_as_list(statement.get("Resource")), method_arn):
            continue
        effect = statement.get("Effect")
        if effect == "Deny":
            return False
        if effect == "Allow":
            allowed = True
    return allowed


def stringify_context(context: Any) -> dict[str, str]:
    """Authorizer ``context`` values as API Gateway passes them on: strings (``true``/``false`` for booleans)."""
    if not isinstance(context, dict):
        return {}
    out: dict[str, str] = {}
    for key, value in context.items():
        if isinstance(value, bool):
            out[str(key)] = "true" if value else "false"
        elif isinstance(value, (str, int, float)):
            out[str(key)] = str(value)
    return out


def _shown(value: Any) -> str:
    return f"{value!r} ({type(value).__name__})"


def response_problem(result: dict[str, Any], *, simple: bool, websocket: bool = False) -> str | None:
    """What makes a Lambda authorizer's *result* unusable in its mode (a sentence for the user), or ``None``.

    *simple* is the authorizer's ``EnableSimpleResponses``; a WebSocket authorizer always returns a policy.
    """
    context = result.get("context")
    if context is not None and not isinstance(context, dict):
        return f'its "context" must be an object (a dict of names to values), not {_shown(context)}.'
    if simple:
        if "isAuthorized" not in result:
            returned = "an IAM policy" if "policyDocument" in result else f"a dict with the keys {sorted(result)!r}"
            return (
                f"the authorizer has EnableSimpleResponses on, so it must return "
                f'{{"isAuthorized": true or false, "context": {{...}}}}; it returned {returned}. Return a simple '
                "response, or turn EnableSimpleResponses off to return an IAM policy."
            )
        if not isinstance(result["isAuthorized"], bool):
            return f'"isAuthorized" must be a JSON boolean (True or False), not {_shown(result["isAuthorized"])}.'
        return None
    if "policyDocument" in result:
        return None
    expected = '{"principalId": ..., "policyDocument": {...}, "context": {...}}'
    if websocket:
        why = "a WebSocket API's authorizer must return an IAM policy"
    else:
        why = "the authorizer has EnableSimpleResponses off, so it must return an IAM policy"
    if "isAuthorized" in result:
        fix = (
            "turn EnableSimpleResponses on for the authorizer (HTTP APIs, payload format 2.0), or return a policy"
            if not websocket
            else "return a policy allowing execute-api:Invoke on the event's methodArn"
        )
        return f'{why}, {expected}; it returned a simple response ({{"isAuthorized": ...}}). To fix it, {fix}.'
    return f"{why}, {expected}; it returned a dict without policyDocument (its keys: {sorted(result)!r})."
