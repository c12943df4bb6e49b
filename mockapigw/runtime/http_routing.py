"""Which route of a deployed HTTP API a request takes (aws-behaviour.md §3.3); the stage is the front door's job."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar
from urllib.parse import unquote

from ..apigatewayv2.snapshot import Snapshot

# ---------------------------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class _Pattern:
    method: str
    segments: tuple[str, ...]
    greedy: bool

    def match(self, parts: list[str]) -> dict[str, str] | None:
        fixed = self.segments[:-1] if self.greedy else self.segments
        if self.greedy:
            if len(parts) <= len(fixed):
                return None
        elif len(parts) != len(fixed):
            return None
        params: dict[str, str] = {}
        for segment, part in zip(fixed, parts, strict=False):
            if segment.startswith("{") and segment.endswith("}"):
                params[segment[1:-1]] = part
            elif segment != part:
                return None
        if self.greedy:
            params[self.segments[-1][1:-2]] = "/".join(parts[len(fixed) :])
        return params

    @property
    def rank(self) -> tuple[int, tuple[int, ...], int]:
        """Sort key: literal segments beat variables, variables beat a greedy tail; a method beats ANY."""
        scores = tuple(0 if s.startswith("{") else -1 for s in self.segments)
        return (1 if self.greedy else 0, scores, 1 if self.method == "ANY" else 0)


@lru_cache(maxsize=4096)
def _pattern(route_key: str) -> _Pattern | None:
    if " " not in route_key:
        return None
    method, path = route_key.split(" ", 1)
    segments = tuple(s for s in path.split("/") if s)
    greedy = bool(segments) and segments[-1].endswith("+}")
    return _Pattern(method, segments, greedy)


_Rank = tuple[int, tuple[int, ...], int]
T = TypeVar("T")


def _best(candidates: Iterable[tuple[str, T]], method: str, path: str) -> tuple[T, dict[str, str]] | None:
    """The candidate whose route key takes the request, with URL-decoded path parameters; ``$default`` is not one."""
    parts = [unquote(part) for part in path.split("/") if part]
    best: tuple[_Rank, T, dict[str, str]] | None = None
    for route_key, candidate in candidates:
        pattern = _pattern(route_key)
        if pattern is None or pattern.method not in (method, "ANY"):
            continue
        params = pattern.match(parts)
        if params is not None and (best is None or pattern.rank < best[0]):
            best = (pattern.rank, candidate, params)
    return (best[1], best[2]) if best is not None else None


def match_route(snapshot: Snapshot, method: str, path: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The route a request takes, with URL-decoded path parameters; ``$default`` last; ``(None, {})`` if none."""
    found = _best(((str(route["RouteKey"]), route) for route in snapshot.routes.values()), method, path)
    if found is not None:
        return found
    return snapshot.route_by_key("$default"), {}


def match_route_key(route_keys: Collection[str], method: str, path: str) -> str | None:
    """Which of *route_keys* a request takes, by the same rules as :func:`match_route`; ``None`` if none."""
    found = _best(((key, key) for key in route_keys), method, path)
    if found is not None:
        return found[0]
    return "$default" if "$default" in route_keys else None
