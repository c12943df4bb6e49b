"""Connections hold one shared copy of the strings many of them have, in a bounded table."""

from __future__ import annotations

import pytest

from mockapigw.management import connections
from mockapigw.management.connections import _shared


def test_equal_strings_become_one_object_and_others_stay_as_given() -> None:
    first, second = "".join(["api", "-1"]), "".join(["api", "-", "1"])
    assert first is not second
    assert _shared(first) is _shared(second)

    class Stage(str):
        pass

    stage = Stage("prod")
    assert _shared(stage) is stage  # a str subclass (a str enum) is kept as given


def test_the_table_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(connections, "_SHARED_MAX", 8)
    monkeypatch.setattr(connections, "_SHARED", {})
    for n in range(50):
        _shared(f"agent/{n}")
    assert len(connections._SHARED) <= 8
