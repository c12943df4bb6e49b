"""Items handed to an event loop from any thread, delivered in batches: one wake-up of the loop per batch.

``loop.call_soon_threadsafe`` writes to the loop's self-pipe at every call (a system call, and the GIL handed
back and forth). With thousands of hand-overs in a burst (a broadcast's messages, finished handshakes) those
wake-ups cost the server more than the work they deliver. Here only the first item of a batch schedules the
loop's callback, which takes every item handed over by then.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Handover(Generic[T]):
    """Items put from any thread, delivered in order, in batches, to *deliver* on one event loop."""

    __slots__ = ("_deliver", "_items", "_loop", "_scheduled", "lock")

    def __init__(self, loop: asyncio.AbstractEventLoop, deliver: Callable[[list[T]], None]) -> None:
        self._loop = weakref.ref(loop)  # weak: a hand-over kept beside its loop does not keep the loop alive
        self._deliver = deliver
        self.lock = threading.Lock()
        self._items: list[T] = []
        self._scheduled = False  # a flush is on the loop's queue (read and set under the lock)

    def put(self, item: T) -> None:
        """Hand *item* to the loop (any thread)."""
        with self.lock:
            self.put_locked(item)

    def put_locked(self, item: T) -> None:
        """:meth:`put`, for a caller that holds ``lock`` (to change its own state with the same hand-over).

        Once the loop is closed nothing reaches it any more: items are dropped, as the server has stopped.
        """
        self._items.append(item)
        if self._scheduled:
            return
        # Scheduled under the lock, so that while the flag is up the callback is on the loop's queue.
        loop = self._loop()
        try:
            if loop is None:
                raise RuntimeError("the event loop is gone")
            loop.call_soon_threadsafe(self.flush)
        except RuntimeError:  # the loop is closed: nobody will take the items
            self._items.clear()
            return
        self._scheduled = True

    def flush(self) -> None:
        """Deliver every item handed over so far, in the order they came (event loop thread)."""
        with self.lock:
            items, self._items = self._items, []
            self._scheduled = False
        if items:
            self._deliver(items)
