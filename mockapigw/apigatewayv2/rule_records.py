"""A routing rule of a custom domain name, and how it matches a request (developer guide, rest-api-routing-rules)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .records import Record


def _glob_matches(glob: str, value: str) -> bool:
    """A header value glob: literal, ``abc*`` (prefix), ``*abc`` (suffix) or ``*abc*`` (contains); case-sensitive."""
    if glob == "*":
        return True
    if glob.startswith("*") and glob.endswith("*") and len(glob) > 1:
        return glob[1:-1] in value
    if glob.endswith("*"):
        return value.startswith(glob[:-1])
    if glob.startswith("*"):
        return value.endswith(glob[1:])
    return value == glob


class RoutingRule(Record):
    """One rule: conditions (AND between them, OR inside each ``AnyOf``), one action and a priority."""

    versioned = False  # read live by the front door, like the domain's API mappings

    @property
    def rule_id(self) -> str:
        """The rule's id."""
        return str(self.fields["RoutingRuleId"])

    @property
    def priority(self) -> int:
        """Lower values are evaluated first."""
        return int(self.fields["Priority"])

    @property
    def target(self) -> dict[str, Any]:
        """The ``InvokeApi`` action (a REST API stage)."""
        action: dict[str, Any] = self.fields["Actions"][0]["InvokeApi"]
        return action

    def matches(self, headers: Iterable[tuple[str, str]], path: str) -> bool:
        """Whether a request with *headers* to *path* meets every condition (a rule without any is a catch-all)."""
        values: dict[str, list[str]] = {}
        for name, value in headers:
            values.setdefault(name.lower(), []).append(value)
        segments = [segment for segment in path.split("/") if segment]
        for condition in self.fields["Conditions"]:
            if "MatchBasePaths" in condition:
                # Base paths are case-sensitive and match whole leading segments (``a/b`` matches ``/a/b/c``).
                keys = [[s for s in key.split("/") if s] for key in condition["MatchBasePaths"]["AnyOf"]]
                if not any(segments[: len(key)] == key for key in keys):
                    return False
            if "MatchHeaders" in condition and not any(
                any(_glob_matches(item["ValueGlob"], value) for value in values.get(item["Header"].lower(), []))
                for item in condition["MatchHeaders"]["AnyOf"]
            ):
                return False
        return True
