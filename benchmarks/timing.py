"""Timing one process's share: warm up, then batches of calls timed with ``perf_counter_ns``."""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable
from time import perf_counter_ns


def measure(call: Callable[[int], object], first: int, warmup: int, batches: int, calls: int) -> list[float]:
    """Per-call nanoseconds of each batch; *call* gets a running index starting at *first*."""
    for index in range(first, first + warmup):
        call(index)
    index = first + warmup
    per_call: list[float] = []
    gc.collect()  # start every process from the same heap state; collection during the batches stays on
    for _ in range(batches):
        begin = perf_counter_ns()
        for i in range(index, index + calls):
            call(i)
        per_call.append((perf_counter_ns() - begin) / calls)
        index += calls
    return per_call


def median(values: list[float]) -> float:
    """The median (``statistics.median``, typed for floats)."""
    return float(statistics.median(values))
