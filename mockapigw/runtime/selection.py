"""Selection expressions: ``$request.body.action``, ``${request.body.a.b}-static``, ``$default``."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

_VARIABLE = re.compile(r"\$\{([^}]+)\}|\$([A-Za-z][A-Za-z0-9_.\-]*)")

Evaluator = Callable[[dict[str, Any]], str]


def _lookup(path: str, context: dict[str, Any]) -> str:
    parts = path.split(".")
    value: Any = context
    for part in parts:
        if isinstance(value, dict) and part in value:
            value = value[part]
        else:
            return ""
    return "" if value is None else _text(value)


def _text(value: Any) -> str:
    """A selected value as text: an array as the developer guide shows one (``"[item1, item2]"``).

    AWS's guide says no more about non-scalar values: an object is compact JSON (the mock's choice), and an
    array's ``null`` is ``null``.
    """
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_text(item) for item in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)  # text as it came, as a string's is
    return str(value)


@lru_cache(maxsize=256)
def compile_expression(expression: str) -> Evaluator:
    """Compile an expression once; the evaluator takes ``{"request": {"body": ...}, ...}``.

    Missing values evaluate to ``""`` (aws-behaviour.md §5.1); ``\\$`` escapes a literal dollar sign.
    """
    pieces: list[str | tuple[str]] = []
    position = 0
    text = expression.replace("\\$", "\0")
    for match in _VARIABLE.finditer(text):
        pieces.append(text[position : match.start()].replace("\0", "$"))
        pieces.append((match.group(1) or match.group(2),))
        position = match.end()
    pieces.append(text[position:].replace("\0", "$"))

    def evaluate(context: dict[str, Any]) -> str:
        return "".join(p if isinstance(p, str) else _lookup(p[0], context) for p in pieces)

    return evaluate


def request_context(body: str) -> dict[str, Any]:
    """The evaluation context of a WebSocket message: its body as JSON, or no body when it is not JSON."""
    try:
        parsed = json.loads(body)
    except ValueError:
        return {"request": {}}
    return {"request": {"body": parsed}}


def matches_key(key: str, value: str) -> bool:
    """Whether a selection key (``$default`` aside) matches *value*: exact, or a ``/regex/`` full match."""
    if len(key) >= 2 and key.startswith("/") and key.endswith("/"):
        return re.fullmatch(key[1:-1], value) is not None
    return key == value
