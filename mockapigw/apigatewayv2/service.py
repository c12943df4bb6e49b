"""The apigatewayv2 service as the dispatcher sees it: operation name -> operation, on the caller's store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core.dispatch import Call
from ..core.errors import ServiceError, UnsupportedOperation
from ..core.state import Regional
from .exceptions import BadRequestException
from .store import Store
from .table import OPERATIONS

NAME = "apigatewayv2"


def implemented_operations() -> set[str]:
    """Model operation names the mock implements: the keys of the table (used by the docs' operations page)."""
    return set(OPERATIONS)


def _why_unsupported(operation: str) -> str:
    # Every operation of the model mockapigw was built against is in the table: this one came with a newer botocore.
    return "it is newer than this version of mockapigw and not implemented yet"


class ApiGatewayV2Service:
    """Routes decoded apigatewayv2 calls to the operation in the table, on the store of the caller's region."""

    name = NAME

    def __init__(self) -> None:
        self.stores: Regional[Store] = Regional(Store)
        # Outside code (tests, the runtime, mock.py) reaches the per-region state by this older name.
        self.backends = self.stores

    def handle(self, call: Call) -> Mapping[str, Any] | None:
        operation = OPERATIONS.get(call.operation)
        if operation is None:
            raise UnsupportedOperation(NAME, call.operation, _why_unsupported(call.operation))
        store = self.stores(call.account_id, call.region)
        with store.lock:
            return operation(store, call.params)

    def invalid_input(self, message: str) -> ServiceError:
        return BadRequestException(message)
