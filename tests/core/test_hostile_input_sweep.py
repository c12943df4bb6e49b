"""Every member of every operation of both services, a fixed set of hostile values: every call ends in success
or a modeled error (or botocore refuses it before sending), and afterwards the whole state reads back, holding
everything it held before."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Any

import pytest
from hostile import (
    OPERATIONS,
    Watcher,
    base_params,
    clients,
    ids,
    input_shape,
    member_paths,
    populate,
    read_state,
    snapshot,
    with_value,
)

from mockapigw import mock_apigateway


def _deep(levels: int) -> Any:
    value: Any = "bottom"
    for _ in range(levels):
        value = [value]
    return value


HOSTILE: dict[str, Any] = {
    "lone surrogate": "\ud800",
    "lone surrogate inside": "a\udfffb",
    "empty": "",
    "very long": "x" * 40_000,  # longer than any string the model bounds, but Data (128 KiB)
    "NUL": "\x00",
    "NUL inside": "a\x00b",
    "control characters": "\r\n\t\x1b",
    "integer": 12345,
    "huge integer": 2**70,
    "negative": -1,
    "float": 1.5e308,
    "boolean": True,
    "nested garbage": {"a": [{"b": {"\ud800": ["\x00", 2**70, None]}}], "\x00": {}},
    "list garbage": [[["x"]], {"k": None}, "\udc00"],
    "deep nesting": _deep(200),
}


@pytest.mark.parametrize("validation", [True, False], ids=["client-validation", "no-client-validation"])
def test_hostile_values_in_every_member_of_every_operation(validation: bool) -> None:
    with mock_apigateway() as gw:
        setup, _ = clients(True, "https://unused.example.com")
        known = populate(gw, setup)
        before = snapshot(lambda: read_state(setup))
        v2, management = clients(validation, known["endpoint"])
        watcher = Watcher(gw)
        outcomes: Counter[str] = Counter()
        deleted: set[str] = set()
        try:
            for service, operation in OPERATIONS:
                client = v2 if service == "apigatewayv2" else management
                shape = input_shape(service, operation)
                base = base_params(service, operation, known)
                for path in member_paths(shape):
                    for value in HOSTILE.values():
                        if not path or (path[-1] == "key" and not isinstance(value, Hashable)):
                            continue
                        params = with_value(base, shape, path, value)
                        outcome = watcher.call(client, service, operation, params)
                        outcomes[outcome] += 1
                        if outcome == "ok" and operation == "DeleteRoutingRule":
                            # A map in the optional query member DomainNameId becomes query parameters of its
                            # own (botocore), so the request AWS gets is a plain, valid delete of the rule.
                            deleted.add("routing-rules")
            # A successful update may have turned the API's default endpoint off: any modeled answer will do.
            params = {"ConnectionId": known["connectionId"]}
            assert watcher.call(management, "apigatewaymanagementapi", "GetConnection", params) in (
                "ok",
                "ForbiddenException",
            )
        finally:
            watcher.close()
        after = snapshot(lambda: read_state(setup))
        lost = ids(before) - ids(after)
        assert {resource.split(":")[0].split("/")[-1] for resource in lost} <= deleted, lost
    # The sweep reached deep into the mock, not only botocore's own checks.
    assert outcomes["ok"] > 100
    assert outcomes["BadRequestException"] > 500
    assert watcher.asked > 2000
