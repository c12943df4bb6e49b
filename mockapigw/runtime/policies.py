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
