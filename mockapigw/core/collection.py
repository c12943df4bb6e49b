"""An ordered set of resources with AWS-style pagination."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator
from typing import Generic, TypeVar

from .validation import InvalidInput
from .versions import History

T = TypeVar("T")


class Collection(Generic[T]):
    """Resources by id, in creation order.

    ``page`` slices a list snapshot that is rebuilt only after a change, so reading every page of N
    items costs O(N) in total.
    """

    def __init__(self, *, versioned: bool = True) -> None:
        self._items: dict[str, T] = {}
        self._snapshot: list[T] | None = None
        self.generation = 0  # counts adds and removes, so that indexes over the items know when to rebuild
        # Earlier memberships, for deployed snapshots (core/versions.py); off for what no snapshot holds.
        self._history: History[dict[str, T]] | None = History() if versioned else None

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        return iter(self.values())

    def get(self, key: str) -> T | None:
        """The item with *key*, or ``None``."""
        return self._items.get(key)

    def add(self, key: str, item: T) -> T:
        """Store *item* under *key* (replacing any item there) and return it."""
        if self._history is not None:
            self._history.before_change(self._items.copy)
        self._items[key] = item
        self.generation += 1
        self._snapshot = None
        return item

    def remove(self, key: str) -> T | None:
        """Remove and return the item with *key*, or ``None`` when there is none."""
        if self._history is not None and key in self._items:
            self._history.before_change(self._items.copy)
        item = self._items.pop(key, None)
        if item is not None:
            self._snapshot = None
            self.generation += 1
        return item

    def values(self) -> list[T]:
        """All items in creation order (a shared snapshot: do not mutate)."""
        if self._snapshot is None:
            self._snapshot = list(self._items.values())
        return self._snapshot

    def items_at(self, time: int) -> dict[str, T]:
        """The items by key as they were at snapshot *time* (:mod:`mockapigw.core.versions`); do not mutate.

        The answer may be the live dict: read it under the lock its owner changes the collection under.
        """
        return self._history.at(time, self._items) if self._history is not None else self._items

    def page(self, max_results: str | int | None, next_token: str | None) -> tuple[list[T], str | None]:
        """One page of items and the token of the next page (``None`` on the last page)."""
        start = decode_token(next_token) if next_token else 0
        items = self.values()
        if max_results is None:
            return items[start:], None
        size = parse_max_results(max_results)
        end = start + size
        return items[start:end], encode_token(end) if end < len(items) else None


def parse_max_results(value: str | int) -> int:
    """Parse a ``MaxResults`` value (a string in the API Gateway V2 model)."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"Invalid MaxResults value: {value!r} is not a number") from None
    if size < 1:
        raise InvalidInput(f"Invalid MaxResults value: {value!r} must be a positive number")
    return size


def encode_token(offset: int) -> str:
    """An opaque next-page token."""
    return base64.urlsafe_b64encode(f"mockapigw:{offset}".encode()).decode().rstrip("=")


def decode_token(token: str) -> int:
    """The offset a token stands for; :class:`InvalidInput` for anything this mock did not issue."""
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        prefix, _, offset = text.partition(":")
        value = int(offset)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput(f"Invalid pagination token: {token!r}") from None
    if prefix != "mockapigw" or value < 0:
        raise InvalidInput(f"Invalid pagination token: {token!r}")
    return value
