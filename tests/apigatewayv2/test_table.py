"""The table of operations is what the mock implements: the dispatcher, the docs and the tests all read it."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from botocore import xform_name
from test_all_operations import CASES, NEWER_CASES

from mockapigw import UnsupportedOperation
from mockapigw.apigatewayv2 import table
from mockapigw.apigatewayv2.service import ApiGatewayV2Service, implemented_operations
from mockapigw.core.dispatch import Call
from mockapigw.core.model import service_model


def _call(operation: str, params: dict[str, Any] | None = None) -> Call:
    return Call(operation, params or {}, "123456789012", "us-east-1", "apigateway.amazonaws.com", "", "rid")


def test_every_entry_is_a_model_operation() -> None:
    unknown = set(table.OPERATIONS) - set(service_model("apigatewayv2").operation_names)
    assert not unknown, f"the table names operations the model does not have: {sorted(unknown)}"


def test_each_entry_is_the_function_of_that_name_in_a_resource_module() -> None:
    for operation, function in table.OPERATIONS.items():
        assert function.__name__ == xform_name(operation), operation
        module = inspect.getmodule(function)
        assert module is not None
        assert module.__name__.startswith("mockapigw.apigatewayv2."), operation
        assert getattr(module, "OPERATIONS", {}).get(operation) is function, operation


def test_the_table_driven_test_covers_the_table() -> None:
    cases = set(CASES) | set(NEWER_CASES)
    missing = set(table.OPERATIONS) - cases
    extra = cases - set(table.OPERATIONS)
    assert not missing, f"operations without a success and an error case in test_all_operations: {sorted(missing)}"
    assert not extra, f"cases for operations the table lacks: {sorted(extra)}"


def test_the_operations_page_reads_the_table() -> None:
    assert implemented_operations() == set(table.OPERATIONS)


def test_the_dispatcher_runs_the_table_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    service = ApiGatewayV2Service()
    seen: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setitem(table.OPERATIONS, "GetApis", lambda store, params: seen.append((store, params)) or {})
    assert service.handle(_call("GetApis", {"MaxResults": "1"})) == {}
    assert seen == [(service.stores("123456789012", "us-east-1"), {"MaxResults": "1"})]
    assert service.backends is service.stores  # the older name outside code uses


def test_an_operation_outside_the_table_is_unsupported_by_name() -> None:
    with pytest.raises(UnsupportedOperation, match="apigatewayv2 FutureOperation") as info:
        ApiGatewayV2Service().handle(_call("FutureOperation"))
    assert info.value.operation == "FutureOperation"
