"""The message of a missing handler: what to register, and what is registered (a near miss is then plain)."""

from __future__ import annotations

import pytest

from mockapigw import LambdaNotRegistered
from mockapigw.runtime.lambdas import LambdaRegistry

ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def _handler(event: object, context: object) -> None:
    return None


def _message(registry: LambdaRegistry, uri: str) -> str:
    with pytest.raises(LambdaNotRegistered) as caught:
        registry.resolve(uri)
    return str(caught.value)


def test_nothing_registered_yet() -> None:
    assert _message(LambdaRegistry(raise_errors=True), ARN) == (
        f"No Lambda handler is registered for '{ARN}'. Call gw.register_lambda('{ARN}', handler) (or with the "
        "function name) first. No handler is registered yet."
    )


def test_near_misses_are_listed() -> None:
    registry = LambdaRegistry(raise_errors=True)
    for name in (ARN + ":prod", "ech", ARN.replace("us-east-1", "eu-west-1")):
        registry.register(name, _handler)
    assert _message(registry, ARN).endswith(
        f" Registered: '{ARN.replace('us-east-1', 'eu-west-1')}', '{ARN}:prod', 'ech'."
    )


def test_a_long_list_is_cut_short() -> None:
    registry = LambdaRegistry(raise_errors=True)
    for index in range(12):
        registry.register(f"f{index:02}", _handler)
    assert _message(registry, ARN).endswith(
        " Registered: 'f00', 'f01', 'f02', 'f03', 'f04', 'f05', 'f06', 'f07', 'f08', 'f09' and 2 more."
    )
