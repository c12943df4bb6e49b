"""Copy-on-write history, so that a deployed snapshot costs the same whatever the size of the API.

A snapshot does not copy anything: it takes a *time* (:func:`snapshot_time`). A versioned object (a record's
fields, a collection's members) saves its state only when it is about to change for the first time after a
snapshot was taken, and answers "what were you at time t?" from that history. So a deployment costs O(1), and a
change costs a copy of the one object it changes, at most once per snapshot taken since its last change.

Contract: change a versioned object through its own methods (set, pop, update, replace a value); never mutate a
nested value in place (replace it instead), or the change reaches every snapshot that shares it.
"""

from __future__ import annotations

import bisect
import itertools
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

S = TypeVar("S")

_ticks = itertools.count(1)
_now = 0
_lock = threading.Lock()  # two threads deploying at once must not move the time backwards


def snapshot_time() -> int:
    """Start a new snapshot and return its time; changes from now on are saved before they happen."""
    global _now
    with _lock:
        _now = next(_ticks)
        return _now


class History(Generic[S]):
    """The saved states of one object, by the time of the last snapshot each one was current for."""

    __slots__ = ("_changed_at", "_states", "_until")

    def __init__(self) -> None:
        self._changed_at = _now
        self._until: list[int] = []
        self._states: list[S] = []

    def before_change(self, current: Callable[[], S]) -> None:
        """Save the current state if a snapshot was taken since the last change (call before changing)."""
        now = _now  # read once: another thread may take a snapshot meanwhile
        if self._changed_at < now:
            # The state goes in before its time, so that a reader in another thread never finds a time without
            # its state (it would take the live object, about to change, for the state of then).
            self._states.append(current())
            self._until.append(now)
            self._changed_at = now

    def at(self, time: int, live: S) -> S:
        """The state at snapshot *time*: a saved one, or *live* when nothing changed since.

        Safe against a concurrent :meth:`before_change`; *live* itself is only safe to read under the lock its
        owner changes it under.
        """
        states = self._states
        index = bisect.bisect_left(self._until, time)
        return states[index] if index < len(states) else live
