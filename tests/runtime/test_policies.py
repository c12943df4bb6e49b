"""Authorizer policies and context: IAM policy evaluation and context stringification."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapigw.runtime.policies import policy_allows, response_problem, stringify_context

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


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
_KEYS = st.sampled_from(["isAuthorized", "policyDocument", "principalId", "context", "other"])


@settings(max_examples=150, deadline=None)
@given(result=st.dictionaries(_KEYS, _JSON, max_size=4), simple=st.booleans(), websocket=st.booleans())
def test_response_problem_accepts_exactly_the_shapes_the_runtimes_read(
    result: dict[str, Any], simple: bool, websocket: bool
) -> None:
    simple = simple and not websocket  # a WebSocket authorizer has no simple responses
    problem = response_problem(result, simple=simple, websocket=websocket)
    usable = (result.get("context") is None or isinstance(result["context"], dict)) and (
        isinstance(result.get("isAuthorized"), bool) if simple else "policyDocument" in result
    )
    assert (problem is None) is usable
    assert problem is None or (isinstance(problem, str) and problem.endswith("."))


def test_a_websocket_authorizer_returning_a_simple_response_is_told_to_return_a_policy() -> None:
    problem = response_problem({"isAuthorized": True}, simple=False, websocket=True)
    assert problem is not None
    assert "a WebSocket API's authorizer must return an IAM policy" in problem
    assert "EnableSimpleResponses" not in problem
