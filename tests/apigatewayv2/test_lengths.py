"""Lengths: only the model's min/max traits are constraints, never the numbers in a shape's name.

See docs/reference/aws-behaviour.md §9.4.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.model import Shape

from mockapigw.core.model import service_model
from mockapigw.core.validation import InvalidInput, operation_validator

MODEL = service_model("apigatewayv2")
LONG = 5000


def _string_members(shape: Shape) -> list[tuple[str, Shape]]:
    members: dict[str, Shape] = getattr(shape, "members", {})
    return [(name, member) for name, member in members.items() if member.type_name == "string"]


def _cases() -> list[tuple[str, str, int | None]]:
    """(operation, member, max trait or None) for every top-level string member without an enum."""
    cases = []
    for operation in MODEL.operation_names:
        shape = MODEL.operation_model(operation).input_shape
        if shape is None:
            continue
        for name, member in _string_members(shape):
            if not getattr(member, "enum", None):
                cases.append((operation, name, member.metadata.get("max")))
    return cases


CASES = _cases()


def test_named_shapes_carry_no_traits() -> None:
    # The premise: the "WithLengthBetween" shapes state their bounds only in their names.
    named = [shape for shape in MODEL.shape_names if "WithLengthBetween" in shape and shape.startswith("String")]
    assert named
    assert all("max" not in MODEL.shape_for(name).metadata for name in named)


@pytest.mark.parametrize(("operation", "member", "maximum"), CASES, ids=[f"{o}.{m}" for o, m, _ in CASES])
def test_a_long_string_passes_unless_the_model_sets_a_maximum(operation: str, member: str, maximum: int | None) -> None:
    validate = operation_validator("apigatewayv2", operation)
    params: dict[str, Any] = {member: "x" * LONG}
    try:
        validate(params)
        refused = ""
    except InvalidInput as error:
        refused = str(error)
    wire = MODEL.operation_model(operation).input_shape.members[member].serialization.get("name", member)
    about_member = f"at '{wire}' failed to satisfy constraint: Member must have length" in refused
    assert about_member == (maximum is not None and maximum < LONG)
