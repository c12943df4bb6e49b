"""The apigatewaymanagementapi service as the dispatcher sees it: the adapter in front of the backend.

The endpoint a client was made with names the API and stage. The adapter asks the front door (given to it as an
:data:`Addressing` callable, so this package never imports the runtime) and hands the backend plain ids.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..core.dispatch import Call
from ..core.errors import ServiceError, UnsupportedOperation
from ..core.hints import hint
from .backend import BadRequestException, ForbiddenException, ManagementBackend

NAME = "apigatewaymanagementapi"

# (host, base path, client region) -> (api_id, stage), or the reason the endpoint addresses no stage.
Addressing = Callable[[str, str, str], "tuple[str, str] | str"]


# The backend's method for each implemented operation, called with the backend: a dict lookup, not a chain of
# comparisons, on every call.
_OPERATIONS: dict[str, Callable[[ManagementBackend, dict[str, Any], tuple[str, str]], Mapping[str, Any] | None]] = {
    "PostToConnection": ManagementBackend.post_to_connection,
    "GetConnection": ManagementBackend.get_connection,
    "DeleteConnection": ManagementBackend.delete_connection,
}


def implemented_operations() -> set[str]:
    """Model operation names this service implements."""
    return set(_OPERATIONS)


class ManagementService:
    """Answers @connections calls from the endpoint they were sent to."""

    name = NAME

    def __init__(self, backend: ManagementBackend, addressing: Addressing) -> None:
        self.backend = backend
        self._addressing = addressing

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        target = self._addressing(call.host, call.base_path, call.region)
        if isinstance(target, str):
            hint(f"{call.operation} answered 403 Forbidden: {target}")
            raise ForbiddenException("Forbidden")
        operation = _OPERATIONS.get(call.operation)
        if operation is None:
            raise UnsupportedOperation(NAME, call.operation, "it is not implemented yet")
        return operation(self.backend, call.params, target)

    def invalid_input(self, message: str) -> ServiceError:
        return BadRequestException(message, status=400)
