"""The table of operations is complete: every operation of botocore's installed model has an implementation.

When botocore gains an operation, this fails naming it; until it is implemented, calling it raises
``UnsupportedOperation`` naming it too.
"""

from __future__ import annotations

from typing import Any

import pytest

from mockapigw.apigatewayv2.table import OPERATIONS
from mockapigw.core.errors import UnsupportedOperation
from mockapigw.core.model import service_model


def test_every_model_operation_is_in_the_table() -> None:
    missing = sorted(set(service_model("apigatewayv2").operation_names) - set(OPERATIONS))
    assert not missing, f"apigatewayv2 operations botocore's model has and the table lacks: {', '.join(missing)}"


def test_an_operation_missing_from_the_table_is_unsupported_by_name(v2: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # Stand in for an operation a future botocore adds: take one out of the table for this test.
    monkeypatch.delitem(OPERATIONS, "GetPortal")
    with pytest.raises(UnsupportedOperation, match="GetPortal"):
        v2.get_portal(PortalId="abcdefghij")
