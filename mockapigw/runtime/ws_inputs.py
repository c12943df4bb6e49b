"""Checks of what a test hands the simulated WebSocket client and ``gw.connect``, before anything runs.

A wrong type would otherwise travel into events (an ``int`` header a real Lambda never sees) or fail deep inside
the mock; each check raises ``TypeError`` or ``ValueError`` naming the argument instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

NO_STATUS = 1005  # a close frame without a status code
DROPPED = 1006  # the connection ended without a close frame

# Close codes a client may send (RFC 6455 §7.4; the codes the websockets library sends): 1015 is never sent in a
# close frame, 1004 and 1016-2999 are reserved, 3000-4999 are for libraries and applications. 1005 and 1006 are
# not sent either, but they are how AWS reports a close frame without a code and a connection dropped without
# one, and a test simulates those endings with them.
_CLIENT_CLOSE_CODES = frozenset({1000, 1001, 1002, 1003, NO_STATUS, DROPPED, *range(1007, 1015)})
NO_STATUS_REASON = "Client-side close frame status not set"  # AWS's $disconnect reason for 1005 (aws-facts §9)
MAX_CLOSE_REASON_BYTES = 123  # RFC 6455 §5.5: a control frame's payload is at most 125 bytes, 2 of them the code


def _kind(value: object) -> str:
    return type(value).__name__


def message(data: object) -> str | bytes:
    """What ``WebSocketClient.send(data)`` sends: text for ``str`` and JSON (dict, list), ``bytes`` for binary."""
    if isinstance(data, str):
        if data.isascii():  # most messages: nothing to check, and no encoding to throw away
            return data
        try:
            data.encode("utf-8")
        except UnicodeEncodeError as problem:
            raise ValueError(f"send(data): a text frame is UTF-8, and data cannot be encoded: {problem}") from None
        return data
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    if isinstance(data, (dict, list)):
        try:
            return json.dumps(data, allow_nan=False)  # NaN and Infinity are not JSON
        except TypeError as problem:
            raise TypeError(f"send(data): a dict or list is sent as JSON, and {problem}") from None
        except ValueError as problem:
            raise ValueError(f"send(data): a dict or list is sent as JSON, and {problem}") from None
    raise TypeError(
        f"send(data) takes str (a text frame), bytes (a binary frame), or a dict or list (JSON text), not {_kind(data)}"
    )


def close_frame(code: object, reason: object) -> tuple[int, str]:
    """The *code* and *reason* of ``WebSocketClient.close``, if a client may send them (RFC 6455)."""
    if not isinstance(code, int) or isinstance(code, bool):
        raise TypeError(f"close(code): the close code is an int, not {_kind(code)}")
    if code not in _CLIENT_CLOSE_CODES and not 3000 <= code <= 4999:
        raise ValueError(
            f"close(code): a client may not send close code {code}; use 1000 (normal), 1001, 1002, 1003, "
            "1007-1014, or 3000-4999, or 1005 (a close frame without a code) or 1006 (the connection dropped)"
        )
    if not isinstance(reason, str):
        raise TypeError(f"close(reason): the close reason is a str, not {_kind(reason)}")
    try:
        size = len(reason.encode("utf-8"))
    except UnicodeEncodeError as problem:
        raise ValueError(f"close(reason): the close reason is UTF-8, and it cannot be encoded: {problem}") from None
    if size > MAX_CLOSE_REASON_BYTES:
        raise ValueError(
            f"close(reason): the close reason is {size} bytes in UTF-8, over the {MAX_CLOSE_REASON_BYTES} a close "
            "frame holds (RFC 6455 §5.5)"
        )
    if code == NO_STATUS and not reason:
        reason = NO_STATUS_REASON  # what AWS reports for a close frame without a code
    return code, reason


def max_unread_bytes(limit: object) -> int | None:
    """A client's unread-buffer limit: an int of at least 0, or ``None`` for no limit."""
    if limit is None:
        return None
    if not isinstance(limit, int) or isinstance(limit, bool):
        raise TypeError(f"max_unread_bytes is an int (bytes) or None, not {_kind(limit)}")
    if limit < 0:
        raise ValueError(f"max_unread_bytes is at least 0, not {limit}")
    return limit


def _text(name: str, value: object, *, optional: bool = False) -> None:
    if not isinstance(value, str) and not (optional and value is None):
        wanted = "a str or None" if optional else "a str"
        raise TypeError(f"connect({name}=...) is {wanted}, not {_kind(value)}")


def connect_arguments(
    api_id: object, stage: object, headers: object, query: object, source_ip: object, user_agent: object, region: object
) -> None:
    """Check ``gw.connect``'s arguments (the documented forms: str, and mappings of str)."""
    _text("api_id", api_id)
    _text("stage", stage)
    _text("source_ip", source_ip)
    _text("user_agent", user_agent, optional=True)
    _text("region", region, optional=True)
    if headers is not None:
        if not isinstance(headers, Mapping):
            raise TypeError(f"connect(headers=...) is a mapping of header names to str values, not {_kind(headers)}")
        for name, value in headers.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError(
                    f"connect(headers=...): header {name!r} is {_kind(value)}; header names and values are str"
                )
    if query is not None:
        if not isinstance(query, Mapping):
            raise TypeError(
                f"connect(query=...) is a mapping of names to a str or a list of str, not {_kind(query)}"
                + (" (pass {'name': 'value'} rather than a query string)" if isinstance(query, str) else "")
            )
        for name, value in query.items():
            values: Any = value if isinstance(value, list) else [value]
            if not isinstance(name, str) or not all(isinstance(item, str) for item in values):
                raise TypeError(
                    f"connect(query=...): parameter {name!r} is {value!r}; names are str, and values a str or a "
                    "list of str"
                )
