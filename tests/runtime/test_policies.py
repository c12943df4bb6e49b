"""Authorizer policies and context: IAM policy evaluation and context stringification."""

from __future__ import annotations

from typing import Any

import pytest

from mockapigw.runtime.policies import policy_allows, stringify_context

ARN = "arn:aws:execute-api:us-east-1:123456789012:abc/prod/GET/pets"


@pytest.mark.parametrize(
    ("policy", "allowed"),
    [
        ({"Statement": {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": ARN}}, True),
        (
            {"Statement": [{"Action": ["execute-api:*"], "Effect": "Allow", "Resource": ["arn:aws:execute-api:*"]}]},
            True,
        ),
        (
            {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "arn:*:abc/pro?/GET/*"}]},
            True,
        ),
        ({"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "arn:*:abc/dev/*"}]}, False),
        ({"Statement": [{"Action": "s3:GetObject", "Effect": "Allow", "Resource": "*"}]}, False),
        ({"Statement": ["not a statement", {"Action": "execute-api:Invoke", "Effect": "Allow"}]}, False),
        ({"Statement": "nonsense"}, False),
        ("not a policy", False),
        (None, False),
    ],
)
def test_policies(policy: Any, allowed: bool) -> None:
    assert policy_allows(policy, ARN) is allowed


def test_context_values_are_stringified_and_objects_dropped() -> None:
    context = {"s": "x", "n": 2, "f": 1.5, "b": False, "obj": {"no": 1}, "list": [1]}
    assert stringify_context(context) == {"s": "x", "n": "2", "f": "1.5", "b": "false"}
    assert stringify_context("nope") == {}
