"""Timestamps botocore's parser reads again and again, parsed once.

botocore parses every ISO 8601 timestamp of a response with ``dateutil``, which is most of the cost of a call that
returns one (about 25 µs per timestamp, twice what the mock spends on the rest of ``GetApi``). A test reads the
same resources over and over, so the same timestamps come back again and again. :func:`keeping` wraps botocore's
own parser: a timestamp in the one form the mock sends (``2024-05-01T12:00:00Z``, or with milliseconds) is
parsed by it once and given again while nothing it depends on changes. ``dateutil`` reads neither the clock (a
full date and time leaves it nothing to fill in) nor anything but the text and the process's time zone (a UTC
time parses with ``tzlocal()`` where the local zone is UTC), and freezegun swaps the ``datetime`` class it builds;
all of these are part of the key. The result is a ``datetime``, which cannot be changed, so giving the same one to
two calls is safe. Any other value goes to the wrapped parser every time.
"""

from __future__ import annotations

import datetime as _dt
import re
import time
from collections.abc import Callable
from typing import Any

TimestampParser = Callable[[Any], Any]

KEPT_TIMESTAMPS = 1024  # distinct (timestamp, environment) pairs kept; all are forgotten when there are more
_SENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{3})?Z\Z")
_kept: dict[tuple[Any, ...], Any] = {}


def keeping(parse: TimestampParser) -> TimestampParser:
    """*parse*, with the timestamps the mock sends parsed once per time zone and ``datetime`` class."""

    def parse_timestamp(value: Any) -> Any:
        if type(value) is not str or _SENT.match(value) is None:
            return parse(value)
        key = (parse, value, _dt.datetime, time.tzname, time.timezone, time.altzone, time.daylight)
        parsed = _kept.get(key)
        if parsed is None:
            parsed = parse(value)  # raises for a date that does not exist; nothing is kept then
            if len(_kept) >= KEPT_TIMESTAMPS:
                _kept.clear()
            _kept[key] = parsed
        return parsed

    return parse_timestamp
