"""Identifiers in the formats AWS uses."""

from __future__ import annotations

import base64
import os
import random
import string

_LOWER_ALNUM = string.ascii_lowercase + string.digits
# A private generator seeded from the OS: one system call at import, not one per character, and unaffected
# by tests that call random.seed().
_rng = random.Random(os.urandom(32))
if hasattr(os, "register_at_fork"):  # a forked child (multiprocessing, pytest-xdist) must not repeat the parent's ids
    os.register_at_fork(after_in_child=lambda: _rng.seed(os.urandom(32)))
# UUID version 4 (RFC 4122 §4.4): version nibble 0100 at bits 76-79, variant 10 at bits 62-63.
_UUID4_KEEP = ~((0xF << 76) | (0x3 << 62)) & ((1 << 128) - 1)
_UUID4_SET = (0x4 << 76) | (0x2 << 62)


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
    # From the private generator and formatted here: uuid.uuid4() reads os.urandom and builds a UUID object on
    # every call, several times the cost, on every answer the mock gives.
    text = "%032x" % (_rng.getrandbits(128) & _UUID4_KEEP | _UUID4_SET)  # version 4, RFC 4122 variant
    return "-".join((text[:8], text[8:12], text[12:16], text[16:20], text[20:]))


def random_bytes(count: int) -> bytes:
    """*count* random bytes for the synthetic values in events (no system call, unlike ``os.urandom``)."""
    return _rng.randbytes(count)
