"""The apigatewaymanagementapi service as the dispatcher sees it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.dispatch import Call
from ..core.errors import ServiceError, UnsupportedOperation
from .backend import BadRequestException, ManagementBackend

NAME = "apigatewaymanagementapi"


def implemented_operations() -> set[str]:
    """Model operation names this service implements."""
    return {"PostToConnection", "GetConnection", "DeleteConnection"}


class ManagementService:
    """Answers @connections calls from the endpoint they were sent to."""

    name = NAME

    def __init__(self, backend: ManagementBackend) -> None:
        self.backend = backend

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        target = self.backend.target(call.host, call.base_path, call.region)
        if call.operation == "PostToConnection":
            self.backend.post_to_connection(call.params, target)
            return None
        if call.operation == "GetConnection":
            return self.backend.get_connection(call.params, target)
        if call.operation == "DeleteConnection":
            self.backend.delete_connection(call.params, target)
            return None
        raise UnsupportedOperation(NAME, call.operation, "it is not implemented yet")

    def invalid_input(self, message: str) -> ServiceError:
        return BadRequestException(message, status=400)
