"""Time, read at every call so freezegun and time-machine move it."""

from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """The current UTC time, to the second (the precision of control-plane timestamps)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)


def now_ms() -> _dt.datetime:
    """The current UTC time, to the millisecond (the precision of connection timestamps)."""
    t = _dt.datetime.now(_dt.timezone.utc)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)
