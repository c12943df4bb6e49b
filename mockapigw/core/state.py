"""Backends per (account, region), created on first use."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

B = TypeVar("B")


class Regional(Generic[B]):
    """One backend per ``(account_id, region)``; reset by making a new ``Regional``."""

    def __init__(self, factory: Callable[[str, str], B]) -> None:
        self._factory = factory
        self._backends: dict[tuple[str, str], B] = {}
        self._lock = threading.Lock()

    def __call__(self, account_id: str, region: str) -> B:
        key = (account_id, region)
        backend = self._backends.get(key)
        if backend is None:
            with self._lock:  # two threads' first calls must not each make (and one lose) a backend
                backend = self._backends.get(key)
                if backend is None:
                    backend = self._backends[key] = self._factory(account_id, region)
        return backend

    def __iter__(self) -> Iterator[B]:
        return iter(list(self._backends.values()))
