"""Resources stored as their model members, so describing one is a copy, not a translation."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class Record:
    """A resource whose state is a dict keyed by the model's member names."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields: dict[str, Any] = {k: v for k, v in fields.items() if v is not None}

    def __getitem__(self, name: str) -> Any:
        return self.fields[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A member's value, or *default* when unset."""
        return self.fields.get(name, default)

    def describe(self) -> dict[str, Any]:
        """The members as an output dict (a shallow copy)."""
        return dict(self.fields)

    def apply(self, params: Mapping[str, Any], members: Iterable[str]) -> None:
        """Copy the given *members* that are present in *params*."""
        for name in members:
            if name in params:
                self.fields[name] = params[name]


def pick(params: Mapping[str, Any], members: Iterable[str]) -> dict[str, Any]:
    """The subset of *params* named by *members*."""
    return {name: params[name] for name in members if name in params}
