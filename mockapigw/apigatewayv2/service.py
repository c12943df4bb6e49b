"""The apigatewayv2 service as the dispatcher sees it: operation name -> backend method."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from botocore import xform_name

from ..core.dispatch import Call
from ..core.errors import ServiceError, UnsupportedOperation
from ..core.state import Regional
from .backend import ApiGatewayV2Backend
from .exceptions import BadRequestException

NAME = "apigatewayv2"


def implemented_operations() -> set[str]:
    """Model operation names the backend implements (used by the docs' operations page)."""
    from ..core.model import service_model

    names = service_model(NAME).operation_names
    return {op for op in names if callable(getattr(ApiGatewayV2Backend, xform_name(op), None))}


def _why_unsupported(operation: str) -> str:
    if any(word in operation for word in ("Portal", "Product", "RoutingRule")):
        return "developer portals, portal products and routing rules are outside mockapigw's scope"
    return "it is not implemented yet"


class ApiGatewayV2Service:
    """Routes decoded apigatewayv2 calls to the backend of the caller's account and region."""

    name = NAME

    def __init__(self) -> None:
        self.backends: Regional[ApiGatewayV2Backend] = Regional(ApiGatewayV2Backend)
        self._methods: dict[str, Callable[[ApiGatewayV2Backend, dict[str, Any]], Mapping[str, Any] | None]] = {}

    def _method(self, operation: str) -> Callable[[ApiGatewayV2Backend, dict[str, Any]], Mapping[str, Any] | None]:
        method = self._methods.get(operation)
        if method is None:
            method = getattr(ApiGatewayV2Backend, xform_name(operation), None)
            if method is None:
                raise UnsupportedOperation(NAME, operation, _why_unsupported(operation))
            self._methods[operation] = method
        return method

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        method = self._method(call.operation)
        backend = self.backends(call.account_id, call.region)
        with backend.lock:
            return method(backend, call.params)

    def invalid_input(self, message: str) -> ServiceError:
        return BadRequestException(message)
