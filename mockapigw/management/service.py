"""The apigatewaymanagementapi service as the dispatcher sees it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.dispatch import Call
from ..core.errors import ServiceError, UnsupportedOperation

NAME = "apigatewaymanagementapi"


def implemented_operations() -> set[str]:
    """Model operation names this service implements."""
    return set()


class BadRequestException(ServiceError):
    """400 for malformed requests (not in the model, but what AWS answers)."""


class ManagementService:
    """Answers @connections calls."""

    name = NAME

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        raise UnsupportedOperation(NAME, call.operation, "the @connections API is not implemented yet")

    def invalid_input(self, message: str) -> ServiceError:
        return BadRequestException(message)
