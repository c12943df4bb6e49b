"""Identifiers in the formats AWS uses."""

from __future__ import annotations

import base64
import os
import random
import string
import uuid

_LOWER_ALNUM = string.ascii_lowercase + string.digits
# A private generator seeded from the OS: one system call at import, not one per character, and unaffected
# by tests that call random.seed().
_rng = random.Random(os.urandom(32))


def lower_alnum(length: int) -> str:
    """A random id of lower-case letters and digits, like ``bwop0s66op`` (ApiId) or ``72jz1wk`` (RouteId)."""
    return "".join(_rng.choices(_LOWER_ALNUM, k=length))


def connection_style() -> str:
    """A 16-character id like ``L0SM9cOFvHcCIhw=``: 15 URL-safe base64 characters and ``=``.

    AWS uses this shape for WebSocket connection ids and for runtime request ids.
    """
    # 12 random bytes make 16 URL-safe base64 characters, each uniform over the 64: keep 15 (5x cheaper than
    # choosing 15 characters one by one, and this runs for every message the runtime handles).
    return base64.urlsafe_b64encode(_rng.randbytes(12))[:15].decode() + "="


def request_id() -> str:
    """A control-plane request id (a UUID, as in ``x-amzn-RequestId``)."""
    return str(uuid.uuid4())
