"""Time, read at every call so freezegun and time-machine move it."""

from __future__ import annotations

import datetime as _dt


def now() -> _dt.datetime:
    """The current UTC time, to the second (the precision of control-plane timestamps)."""
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
