"""Resources stored as their model members, and the rules every resource shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core import ids
from ..core.collection import Collection
from ..core.versions import History
from .exceptions import BadRequestException, NotFoundException, TooManyRequestsException

HTTP = "HTTP"
WEBSOCKET = "WEBSOCKET"


_changes = 0  # every change to a versioned record's members, so that indexes over records know when to rebuild


def change_count() -> int:
    """How many changes versioned records' members have had so far (a stamp for indexes over records)."""
    return _changes


class _Fields(dict[str, Any]):
    """A record's members: saves the previous state before a change, for deployed snapshots (core/versions.py)."""

    __slots__ = ("_history",)

    def __init__(self, items: Mapping[str, Any], history: History[dict[str, Any]]) -> None:
        super().__init__(items)
        self._history = history

    def _changing(self) -> None:
        global _changes
        _changes += 1
        self._history.before_change(lambda: dict(self))

    def __setitem__(self, key: str, value: Any) -> None:
        self._changing()
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self._changing()
        super().__delitem__(key)

    def pop(self, *args: Any) -> Any:
        self._changing()
        return super().pop(*args)

    def popitem(self) -> tuple[str, Any]:
        self._changing()
        return super().popitem()

    def setdefault(self, key: str, default: Any = None) -> Any:
        self._changing()
        return super().setdefault(key, default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changing()
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self._changing()
        super().clear()

    def __ior__(self, other: Any) -> _Fields:  # type: ignore[override,misc]
        self.update(other)
        return self


class Record:
    """A resource whose state is a dict keyed by the model's member names.

    ``fields`` keeps its history for deployed snapshots: change members through it (or replace it), and replace
    nested values instead of mutating them in place. Kinds that no snapshot holds set ``versioned = False``.
    """

    versioned = True

    def __init__(self, fields: Mapping[str, Any]) -> None:
        values = {k: v for k, v in fields.items() if v is not None}
        self._history: History[dict[str, Any]] | None = History() if self.versioned else None
        self._fields: dict[str, Any] = _Fields(values, self._history) if self._history is not None else values

    @property
    def fields(self) -> dict[str, Any]:
        """The members by model name."""
        return self._fields

    @fields.setter
    def fields(self, value: Mapping[str, Any]) -> None:
        if self._history is None:
            self._fields = dict(value)
            return
        global _changes
        _changes += 1
        self._history.before_change(lambda: dict(self._fields))
        self._fields = _Fields(value, self._history)

    def fields_at(self, time: int) -> dict[str, Any]:
        """The members as they were at snapshot *time* (:mod:`mockapigw.core.versions`); do not mutate."""
        return self._history.at(time, self._fields) if self._history is not None else self._fields

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def get(self, name: str, default: Any = None) -> Any:
        """A member's value, or *default* when unset."""
        return self._fields.get(name, default)

    def describe(self) -> dict[str, Any]:
        """The members as an output dict (a shallow copy)."""
        return dict(self.fields)

    def apply(self, params: Mapping[str, Any], members: Iterable[str]) -> None:
        """Copy the given *members* that are present in *params*."""
        for name in members:
            if name in params:
                self.fields[name] = params[name]

    @property
    def managed(self) -> bool:
        """Whether API Gateway manages this resource (created by quick create)."""
        return bool(self.fields.get("ApiGatewayManaged"))


def pick(params: Mapping[str, Any], members: Iterable[str]) -> dict[str, Any]:
    """The subset of *params* named by *members*."""
    return {name: params[name] for name in members if name in params}


def page_of(collection: Collection[Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """The output of a Get* collection operation: one page of described items and the next page's token."""
    page, token = collection.page(params.get("MaxResults"), params.get("NextToken"))
    return {"Items": [item.describe() for item in page], "NextToken": token}


def new_id(collection: Collection[Any], length: int) -> str:
    """A fresh lower-case alphanumeric id of *length* that *collection* does not use yet."""
    while True:
        candidate = ids.lower_alnum(length)
        if candidate not in collection:
            return candidate


# AWS's text for a stage that does not exist (CreateApiMapping, aws-behaviour.md §9.6), used wherever a stage is named.
STAGE_NOT_FOUND = "Invalid stage identifier specified"


def not_found(kind: str, identifier: str) -> NotFoundException:
    """AWS-style 404 for a sub-resource id: ``Invalid Route identifier specified abc1234``."""
    return NotFoundException(f"Invalid {kind} identifier specified {identifier}")


def drop_other_protocol(
    protocol: str, params: dict[str, Any], *, http_only: Sequence[str] = (), websocket_only: Sequence[str] = ()
) -> dict[str, Any]:
    """*params* without the members the model documents as "Supported only for" the other protocol.

    AWS accepts such a member and does not return it (``PassthroughBehavior`` on an HTTP integration, aws-behaviour.md
    §9.3), so the mock accepts and ignores them wherever no rejection by AWS is known. *params* itself comes
    back when it has none of them (the usual case costs no copy).
    """
    wrong = websocket_only if protocol == HTTP else http_only
    if not any(name in params for name in wrong):
        return params
    return {name: value for name, value in params.items() if name not in wrong}


def refuse_managed(record: Record, kind: str, action: str = "delete") -> None:
    """Managed (quick-create) resources cannot be deleted (or, for some, modified)."""
    if record.managed:
        raise BadRequestException(
            f"Cannot {action} {kind}: it is managed by API Gateway (created by quick create). "
            "Update or delete the API's quick create target instead."
        )


def check_quota(collection: Collection[Any], limit: int, kind: str) -> None:
    """AWS quotas per API (aws-behaviour.md §4): creating past them is a ``TooManyRequestsException``."""
    if len(collection) >= limit:
        raise TooManyRequestsException(
            f"Maximum number of {kind} for this API has been reached ({limit}).", LimitType=kind
        )
