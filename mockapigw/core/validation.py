"""Server-side input validation compiled from the model: what AWS checks that botocore does not.

botocore checks required members, types and minimums on the client, but users can turn that off
(``parameter_validation=False``) and it never checks enums or maximums. The service does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from botocore.model import Shape, StructureShape

Check = Callable[[Any, str, list[str]], None]


class InvalidInput(Exception):
    """The request is malformed; the service answers with its bad-request error and this message."""


@cache
def operation_validator(service_name: str, operation: str) -> Callable[[dict[str, Any]], None]:
    """The validator of an operation's input, compiled once (for callers that build params without the wire)."""
    from .model import service_model

    shape = service_model(service_name).operation_model(operation).input_shape
    return compile_validator(shape) if shape is not None else (lambda params: None)


def compile_validator(shape: StructureShape) -> Callable[[dict[str, Any]], None]:
    """Return a function that raises :class:`InvalidInput` listing every violated constraint."""
    valid, validate = compile_validation(shape)

    def checked(params: dict[str, Any]) -> None:
        if not valid(params):
            validate(params)

    return checked


def compile_validation(
    shape: StructureShape,
) -> tuple[Callable[[dict[str, Any]], bool], Callable[[dict[str, Any]], None]]:
    """Return whether input is valid, and a function that raises :class:`InvalidInput` listing every problem.

    Nearly every request is valid: the predicate, which builds no member paths, says so at a third of the cost of
    the check, which need only run when it says no.
    """
    check = _compile(shape, {})
    valid = _compile_valid(shape, {})
    assert valid is not None  # a structure always has a predicate

    def validate(params: dict[str, Any]) -> None:
        problems: list[str] = []
        check(params, "", problems)
        if problems:
            count = len(problems)
            noun = "error" if count == 1 else "errors"
            raise InvalidInput(f"{count} validation {noun} detected: " + "; ".join(problems))

    return valid, validate


def _label(path: str, wire: str) -> str:
    return f"{path}.{wire}" if path else wire


def _compile(shape: Shape, memo: dict[str, Check]) -> Check:
    kind = shape.type_name
    if kind == "structure":
        return _structure(shape, memo)  # type: ignore[arg-type]
    if kind == "list":
        return _list(shape, memo)
    if kind == "map":
        return _map(shape, memo)
    if kind == "string":
        return _string(shape)
    if kind in ("integer", "long"):
        return _number(shape, int, "an integer")
    if kind in ("double", "float"):
        return _number(shape, (int, float), "a number")
    if kind == "boolean":
        return _typed(bool, "a boolean")
    if kind == "blob":
        return _typed((bytes, bytearray, str), "binary data")
    return lambda value, path, problems: None


def _structure(shape: StructureShape, memo: dict[str, Check]) -> Check:
    if shape.name in memo:
        return memo[shape.name]
    members: list[tuple[str, str, Check]] = []
    required = [(name, shape.members[name].serialization.get("name", name)) for name in shape.required_members]

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be an object")
            return
        for name, wire in required:
            if value.get(name) is None:
                problems.append(
                    f"Value null at '{_label(path, wire)}' failed to satisfy constraint: Member must not be null"
                )
        for name, wire, member_check in members:
            item = value.get(name)
            if item is not None:
                member_check(item, _label(path, wire), problems)

    memo[shape.name] = check
    for name, member in shape.members.items():
        members.append((name, member.serialization.get("name", name), _compile(member, memo)))
    return check


def _length(shape: Shape) -> Callable[[int], str | None]:
    """The check of a shape's ``min``/``max`` traits; a shape's name (``StringWithLengthBetween1And128``) is no rule."""
    low: int | None = shape.metadata.get("min")
    high: int | None = shape.metadata.get("max")

    def problem(size: int) -> str | None:
        if low is not None and size < low:
            return f"Member must have length greater than or equal to {low}"
        if high is not None and size > high:
            return f"Member must have length less than or equal to {high}"
        return None

    return problem


def _string(shape: Shape) -> Check:
    enum: list[str] = shape.enum  # type: ignore[attr-defined]  # StringShape's attribute
    allowed = frozenset(enum) if enum else None
    length = _length(shape)

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, str):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a string")
            return
        if allowed is not None and value not in allowed:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must satisfy enum value set: [{', '.join(enum)}]"
            )
        wrong = length(len(value))
        if wrong:
            problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: {wrong}")

    return check


def _number(shape: Shape, kinds: type | tuple[type, ...], noun: str) -> Check:
    low: int | None = shape.metadata.get("min")
    high: int | None = shape.metadata.get("max")

    def check(value: Any, path: str, problems: list[str]) -> None:
        number: float = value  # read before isinstance() narrows ``value`` to ``object``
        if isinstance(value, bool) or not isinstance(value, kinds):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be {noun}")
            return
        if low is not None and number < low:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value greater than or equal to {low}"
            )
        if high is not None and number > high:
            problems.append(
                f"Value '{value}' at '{path}' failed to satisfy constraint: "
                f"Member must have value less than or equal to {high}"
            )

    return check


def _typed(kinds: type | tuple[type, ...], noun: str) -> Check:
    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, kinds):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be {noun}")

    return check


def _list(shape: Shape, memo: dict[str, Check]) -> Check:
    element = _compile(shape.member, memo)  # type: ignore[attr-defined]
    length = _length(shape)

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, list):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a list")
            return
        wrong = length(len(value))
        if wrong:
            problems.append(f"Value at '{path}' failed to satisfy constraint: {wrong}")
        for index, item in enumerate(value):
            element(item, f"{path}.{index + 1}.member", problems)

    return check


def _map(shape: Shape, memo: dict[str, Check]) -> Check:
    key_check = _compile(shape.key, memo)  # type: ignore[attr-defined]
    value_check = _compile(shape.value, memo)  # type: ignore[attr-defined]

    def check(value: Any, path: str, problems: list[str]) -> None:
        if not isinstance(value, dict):
            problems.append(f"Value at '{path}' failed to satisfy constraint: Member must be a map")
            return
        for key, item in value.items():
            key_check(key, f"{path}.key", problems)
            value_check(item, f"{path}.{key}", problems)

    return check


# ---------------------------------------------------------------------------------------------- predicates
#
# Whether a value passes its check with no problem, decided exactly as the checks above decide it (the same
# comparisons, on the same values), but without building member paths or messages. ``None`` stands for a
# predicate that holds for every value, so callers skip it.

Valid = Callable[[Any], bool]


def _compile_valid(shape: Shape, memo: dict[str, Valid]) -> Valid | None:
    kind = shape.type_name
    if kind == "structure":
        return _structure_valid(shape, memo)  # type: ignore[arg-type]
    if kind == "list":
        return _list_valid(shape, memo)
    if kind == "map":
        return _map_valid(shape, memo)
    if kind == "string":
        return _string_valid(shape)
    if kind in ("integer", "long"):
        return _number_valid(shape, int)
    if kind in ("double", "float"):
        return _number_valid(shape, (int, float))
    if kind == "boolean":
        return _typed_valid(bool)
    if kind == "blob":
        return _typed_valid((bytes, bytearray, str))
    return None


def _typed_valid(kinds: type | tuple[type, ...]) -> Valid:
    return lambda value: isinstance(value, kinds)


def _structure_valid(shape: StructureShape, memo: dict[str, Valid]) -> Valid:
    if shape.name in memo:
        return memo[shape.name]
    required = tuple(shape.required_members)
    # A member whose only rule is its type is checked inline; the others call their predicate.
    types: dict[str, type | tuple[type, ...]] = {}
    predicates: dict[str, Valid] = {}

    def valid(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for name in required:
            if value.get(name) is None:
                return False
        for name, item in value.items():  # members not in the shape are not checked, as above
            if item is None:
                continue
            kinds = types.get(name)
            if kinds is not None:
                if not isinstance(item, kinds):
                    return False
                continue
            predicate = predicates.get(name)
            if predicate is not None and not predicate(item):
                return False
        return True

    memo[shape.name] = valid
    for name, member in shape.members.items():
        only_type = _only_type(member)
        if only_type is not None:
            types[name] = only_type
            continue
        predicate = _compile_valid(member, memo)
        if predicate is not None:
            predicates[name] = predicate
    return valid


def _only_type(shape: Shape) -> type | tuple[type, ...] | None:
    """The types a value of *shape* may have, when that is the shape's only rule."""
    kind = shape.type_name
    if kind == "boolean":
        return bool
    if kind == "blob":
        return (bytes, bytearray, str)
    if kind == "string" and not shape.enum and _unbounded(shape):  # type: ignore[attr-defined]
        return str
    return None


def _unbounded(shape: Shape) -> bool:
    return shape.metadata.get("min") is None and shape.metadata.get("max") is None


def _length_valid(shape: Shape) -> Callable[[int], bool]:
    low: int | None = shape.metadata.get("min")
    high: int | None = shape.metadata.get("max")
    return lambda size: not ((low is not None and size < low) or (high is not None and size > high))


def _string_valid(shape: Shape) -> Valid:
    enum: list[str] = shape.enum  # type: ignore[attr-defined]  # StringShape's attribute
    allowed = frozenset(enum) if enum else None
    length = _length_valid(shape)

    def valid(value: Any) -> bool:
        return isinstance(value, str) and (allowed is None or value in allowed) and length(len(value))

    return valid


def _number_valid(shape: Shape, kinds: type | tuple[type, ...]) -> Valid:
    low: int | None = shape.metadata.get("min")
    high: int | None = shape.metadata.get("max")

    def valid(value: Any) -> bool:
        number: float = value
        if isinstance(value, bool) or not isinstance(value, kinds):
            return False
        return not ((low is not None and number < low) or (high is not None and number > high))

    return valid


def _list_valid(shape: Shape, memo: dict[str, Valid]) -> Valid:
    element = _compile_valid(shape.member, memo)  # type: ignore[attr-defined]
    length = _length_valid(shape)

    def valid(value: Any) -> bool:
        if not isinstance(value, list) or not length(len(value)):
            return False
        return element is None or all(element(item) for item in value)

    return valid


def _map_valid(shape: Shape, memo: dict[str, Valid]) -> Valid:
    key_valid = _compile_valid(shape.key, memo)  # type: ignore[attr-defined]
    value_valid = _compile_valid(shape.value, memo)  # type: ignore[attr-defined]

    def valid(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        if key_valid is not None and not all(key_valid(key) for key in value):
            return False
        return value_valid is None or all(value_valid(item) for item in value.values())

    return valid
