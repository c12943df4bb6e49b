"""Resources stored as their model members, and the rules every resource shares."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..core import ids
from ..core.collection import Collection
from .exceptions import BadRequestException, NotFoundException, TooManyRequestsException

HTTP = "HTTP"
WEBSOCKET = "WEBSOCKET"


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


# AWS's text for a stage that does not exist (CreateApiMapping, aws-facts §9.6), used wherever a stage is named.
STAGE_NOT_FOUND = "Invalid stage identifier specified"


def not_found(kind: str, identifier: str) -> NotFoundException:
    """AWS-style 404 for a sub-resource id: ``Invalid Route identifier specified abc1234``."""
    return NotFoundException(f"Invalid {kind} identifier specified {identifier}")


def drop_other_protocol(
    protocol: str, params: dict[str, Any], *, http_only: Sequence[str] = (), websocket_only: Sequence[str] = ()
) -> dict[str, Any]:
    """*params* without the members the model documents as "Supported only for" the other protocol.

    AWS accepts such a member and does not return it (``PassthroughBehavior`` on an HTTP integration, aws-facts
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
    """AWS quotas per API (aws-facts §4): creating past them is a ``TooManyRequestsException``."""
    if len(collection) >= limit:
        raise TooManyRequestsException(
            f"Maximum number of {kind} for this API has been reached ({limit}).", LimitType=kind
        )
