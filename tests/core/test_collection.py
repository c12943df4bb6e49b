"""Collections and their pagination tokens."""

from __future__ import annotations

import pytest

from mockapigw.core.collection import Collection, decode_token, encode_token
from mockapigw.core.validation import InvalidInput


def _numbers(count: int) -> Collection[int]:
    items: Collection[int] = Collection()
    for n in range(count):
        items.add(str(n), n)
    return items


def test_pages_cover_everything_once() -> None:
    items = _numbers(10)
    seen: list[int] = []
    token = None
    while True:
        page, token = items.page("3", token)
        seen += page
        if token is None:
            break
    assert seen == list(range(10))


def test_without_max_results_everything_is_one_page() -> None:
    assert _numbers(4).page(None, None) == ([0, 1, 2, 3], None)


def test_snapshot_is_reused_until_a_change() -> None:
    items = _numbers(3)
    first = items.values()
    assert items.values() is first
    items.remove("1")
    assert items.values() == [0, 2]
    assert items.remove("nope") is None
    assert "0" in items and len(items) == 2 and list(items) == [0, 2]


def test_tokens_round_trip_and_reject_forgeries() -> None:
    assert decode_token(encode_token(42)) == 42
    for bad in ("", "%%%", encode_token(1)[:-1] + "!", "eHh4OjE"):
        with pytest.raises(InvalidInput):
            decode_token(bad)
