"""The cheap paths of answering a call give exactly what the general ones give.

Percent-decoding, input validation and everything kept per service or per operation between calls are checked
against the general code (``urllib.parse.unquote``, the problem-listing checks) and end to end through boto3.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from botocore.model import Shape
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway, mock_apigateway
from mockapigw.core.codec import _dump_json, _iso8601, _unquote
from mockapigw.core.dispatch import MockHeaders
from mockapigw.core.model import service_model
from mockapigw.core.validation import InvalidInput, _compile, _compile_valid, compile_validator

SERVICES = ("apigatewayv2", "apigatewaymanagementapi")
INPUTS = [
    (service, name)
    for service in SERVICES
    for name in service_model(service).operation_names
    if service_model(service).operation_model(name).input_shape is not None
]


# ---------------------------------------------------------------------------------------------- percent-decoding


def _reference_unquote(raw: str, where: str) -> str:
    """The decoding as it was before the ASCII fast path: check the text, then ``unquote``."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(f"surrogate in {where}") from None
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise InvalidInput(f"Invalid request: {where} is not valid UTF-8 once percent-decoded") from None


_HEX = "0123456789abcdefABCDEF"
# Text with many escapes (ASCII, non-ASCII bytes, invalid ones, a bare %) and arbitrary characters between them.
_ENCODED = st.lists(
    st.one_of(
        st.text(max_size=4),
        st.builds(lambda a, b: f"%{a}{b}", st.sampled_from(_HEX), st.sampled_from(_HEX)),
        st.builds(lambda a, b: f"%{a}{b}", st.sampled_from(_HEX + "gz%/ "), st.sampled_from(_HEX + "gz%/ ")),
        st.just("%"),
        st.text(alphabet="%", max_size=3),
        st.sampled_from(["%E2%82%AC", "%C3%A9", "%F0%9F%98%80", "%ED%A0%80", "%C3", "%80", "%FF"]),
    ),
    max_size=8,
).map("".join)


def _outcome(decode: Any, raw: str) -> tuple[str, str]:
    try:
        return "ok", decode(raw, "connectionId")
    except InvalidInput:
        return "invalid", ""


@settings(max_examples=400, deadline=None)
@given(st.one_of(_ENCODED, st.text()))
def test_labels_decode_exactly_as_unquote_decodes_them(raw: str) -> None:
    assert _outcome(_unquote, raw) == _outcome(_reference_unquote, raw)


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("L0SM9cOFvHcCIhw%3D", "L0SM9cOFvHcCIhw="),
        ("L0SM9cOFvHcCIhw%3d", "L0SM9cOFvHcCIhw="),
        ("a%2Fb%20c%3A0%3D%25", "a/b c:0=%"),
        ("100%", "100%"),
        ("%zz%3D", "%zz="),
        ("caf%C3%A9", "café"),
        ("%", "%"),
        ("plain", "plain"),
    ],
)
def test_labels_decode_as_before(raw: str, decoded: str) -> None:
    assert _unquote(raw, "label") == decoded == unquote(raw)


def test_invalid_utf8_once_decoded_is_still_bad_input() -> None:
    with pytest.raises(InvalidInput, match="not valid UTF-8 once percent-decoded"):
        _unquote("%3D%C3", "connectionId")


# ---------------------------------------------------------------------------------------------- JSON bodies

_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none()), inner, max_size=4),
    ),
    max_leaves=20,
)


def _reference_dump(value: Any) -> bytes:
    """The JSON bytes as the codec made them before it kept its encoder."""
    try:
        return json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode(value).encode("utf-8")
    except UnicodeEncodeError:
        return json.JSONEncoder(separators=(",", ":")).encode(value).encode("ascii")


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_json_bodies_are_the_bytes_json_encoder_makes(value: Any) -> None:
    assert _dump_json(value) == _reference_dump(value)


def test_what_json_cannot_encode_is_refused_as_before() -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        _dump_json({"a": {1, 2}})


# ---------------------------------------------------------------------------------------------- timestamps


def _reference_iso8601(value: dt.datetime) -> str:
    """The ISO 8601 text of a timestamp as the codec made it with strftime."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    if value.microsecond:
        return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


_ZONES = st.one_of(
    st.none(),
    st.just(dt.timezone.utc),
    st.builds(lambda minutes: dt.timezone(dt.timedelta(minutes=minutes)), st.integers(-23 * 60, 23 * 60)),
)


@settings(max_examples=400, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=_ZONES))
def test_timestamps_are_written_as_strftime_wrote_them(value: dt.datetime) -> None:
    assert _iso8601(value) == _reference_iso8601(value)


# ---------------------------------------------------------------------------------------------- validation

_WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.binary(max_size=3),
    st.lists(st.none(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.none(), max_size=2),
)


def _bounds(shape: Shape) -> tuple[int | None, int | None]:
    return shape.metadata.get("min"), shape.metadata.get("max")


def _valid_values(shape: Shape, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values of *shape* that satisfy every constraint the service checks."""
    kind = shape.type_name
    low, high = _bounds(shape)
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        required = set(shape.required_members)  # type: ignore[attr-defined]
        optional = {n: _valid_values(m, depth + 1) for n, m in members.items() if n not in required and depth <= 3}
        return st.fixed_dictionaries({n: _valid_values(members[n], depth + 1) for n in required}, optional=optional)
    if kind == "string":
        if shape.enum:  # type: ignore[attr-defined]
            return st.sampled_from(shape.enum)  # type: ignore[attr-defined]
        return st.text(min_size=low or 0, max_size=min(high if high is not None else 8, (low or 0) + 8))
    if kind in ("integer", "long"):
        return st.integers(min_value=low, max_value=high)
    if kind in ("double", "float"):
        return st.floats(min_value=low, max_value=high, allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "blob":
        return st.one_of(st.binary(max_size=4), st.text(max_size=4))
    if kind == "list":
        element = _valid_values(shape.member, depth + 1)  # type: ignore[attr-defined]
        return st.lists(element, min_size=low or 0, max_size=max(low or 0, min(high if high is not None else 3, 3)))
    if kind == "map":
        keys = _valid_values(shape.key, depth + 1)  # type: ignore[attr-defined]
        return st.dictionaries(keys, _valid_values(shape.value, depth + 1), max_size=2)  # type: ignore[attr-defined]
    return st.datetimes()


def _scalar_faults(shape: Shape) -> st.SearchStrategy[Any]:
    """Values that break *shape*'s own constraints: a wrong type, a length or value out of bounds, no enum value."""
    kind = shape.type_name
    low, high = _bounds(shape)
    faults: list[st.SearchStrategy[Any]] = [_WRONG]
    if kind == "string":
        if high is not None and high <= 2048:
            faults.append(st.text(min_size=high + 1, max_size=high + 2))
        if low:
            faults.append(st.text(max_size=low - 1))
        if shape.enum:  # type: ignore[attr-defined]
            faults.append(st.text(max_size=8).filter(lambda text: text not in shape.enum))  # type: ignore[attr-defined]
    if kind in ("integer", "long", "double", "float"):
        if low is not None:
            faults.append(st.integers(min_value=low - 3, max_value=low - 1))
        if high is not None:
            faults.append(st.integers(min_value=high + 1, max_value=high + 3))
        faults.append(st.sampled_from([math.nan, True, 1.5, "1"]))
    if kind == "list" and (low or (high is not None and high <= 8)):
        element = _valid_values(shape.member)  # type: ignore[attr-defined]
        if low:
            faults.append(st.lists(element, max_size=low - 1))
        if high is not None and high <= 8:
            faults.append(st.lists(element, min_size=high + 1, max_size=high + 2))
    return st.one_of(*faults)


@st.composite
def _one_fault(draw: Any, shape: Shape, depth: int = 0) -> Any:
    """A valid value of *shape* with exactly one fault, at any depth (so no other fault can hide it)."""
    kind = shape.type_name
    if kind == "structure" and shape.members and depth <= 3:  # type: ignore[attr-defined]
        value = dict(draw(_valid_values(shape, depth)))
        name = draw(st.sampled_from(sorted(shape.members)))  # type: ignore[attr-defined]
        if name in shape.required_members and draw(st.booleans()):  # type: ignore[attr-defined]
            value.pop(name, None)
        else:
            value[name] = draw(_one_fault(shape.members[name], depth + 1))  # type: ignore[attr-defined]
        return value
    if kind == "list" and depth <= 3:
        value = list(draw(_valid_values(shape, depth)))
        if value and draw(st.booleans()):
            index = draw(st.integers(min_value=0, max_value=len(value) - 1))
            value[index] = draw(_one_fault(shape.member, depth + 1))  # type: ignore[attr-defined]
            return value
    if kind == "map" and depth <= 3:
        value = dict(draw(_valid_values(shape, depth)))
        if draw(st.booleans()):
            value[draw(_valid_values(shape.key))] = draw(_one_fault(shape.value, depth + 1))  # type: ignore[attr-defined]
        else:
            value[draw(_scalar_faults(shape.key).filter(lambda key: isinstance(key, str)))] = None  # type: ignore[attr-defined]
        return value
    return draw(_scalar_faults(shape))


@pytest.mark.parametrize(("service", "name"), INPUTS, ids=[f"{s}.{n}" for s, n in INPUTS])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_the_predicate_passes_exactly_what_the_check_finds_no_problem_in(service: str, name: str, data: Any) -> None:
    shape = service_model(service).operation_model(name).input_shape
    params = data.draw(st.one_of(_valid_values(shape), _one_fault(shape)))
    problems: list[str] = []
    _compile(shape, {})(params, "", problems)
    valid = _compile_valid(shape, {})
    assert valid is not None
    assert valid(params) == (not problems), problems


def test_the_validator_still_lists_every_problem() -> None:
    shape = service_model("apigatewayv2").operation_model("CreateRoute").input_shape
    with pytest.raises(InvalidInput) as raised:
        compile_validator(shape)({"ApiId": "a", "AuthorizationType": "WRONG", "RouteKey": None, "Extra": object()})
    assert str(raised.value) == (
        "2 validation errors detected: Value null at 'routeKey' failed to satisfy constraint: Member must not be null; "
        "Value 'WRONG' at 'authorizationType' failed to satisfy constraint: "
        "Member must satisfy enum value set: [NONE, AWS_IAM, CUSTOM, JWT]"
    )


# ---------------------------------------------------------------------------------------------- end to end


def _management(v2: Any, apigw: MockApiGateway) -> tuple[Any, str]:
    api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_route(ApiId=api["ApiId"], RouteKey="$default")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    endpoint = f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/prod"
    return boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint), api["ApiId"]


def test_each_connection_gets_its_own_messages(v2: Any, apigw: MockApiGateway) -> None:
    management, api_id = _management(v2, apigw)
    clients = [apigw.connect(api_id, "prod") for _ in range(5)]
    assert len({client.connection_id for client in clients}) == 5
    for round_ in range(3):
        for index, client in enumerate(clients):
            management.post_to_connection(ConnectionId=client.connection_id, Data=f"{index}:{round_}".encode())
    for index, client in enumerate(clients):
        assert client.received == [f"{index}:{round_}".encode() for round_ in range(3)]
        answer = management.get_connection(ConnectionId=client.connection_id)
        assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    clients[2].close()
    with pytest.raises(management.exceptions.GoneException):
        management.post_to_connection(ConnectionId=clients[2].connection_id, Data=b"late")
    management.post_to_connection(ConnectionId=clients[3].connection_id, Data=b"still here")
    assert clients[3].received[-1] == b"still here"


def test_encoded_labels_reach_the_backend_decoded(v2: Any, apigw: MockApiGateway) -> None:
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    keys = ["GET /pets/{id}", "ANY /x:y=z", "POST /caf\u00e9/{proxy+}", "$default"]
    routes = {key: v2.create_route(ApiId=api["ApiId"], RouteKey=key)["RouteId"] for key in keys}
    v2.create_stage(ApiId=api["ApiId"], StageName="s")
    for key in keys:
        assert v2.get_route(ApiId=api["ApiId"], RouteId=routes[key])["RouteKey"] == key
        v2.update_stage(ApiId=api["ApiId"], StageName="s", RouteSettings={key: {"ThrottlingBurstLimit": 5}})
        v2.delete_route_settings(ApiId=api["ApiId"], StageName="s", RouteKey=key)  # the key travels as a label
    assert v2.get_stage(ApiId=api["ApiId"], StageName="s").get("RouteSettings", {}) == {}
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.delete_route_settings(ApiId=api["ApiId"], StageName="s", RouteKey="GET /pets/{id}")


def test_response_headers_stay_case_insensitive() -> None:
    headers = MockHeaders({"x-amzn-requestid": "r", "content-length": "0"})
    assert headers["x-amzn-requestid"] == headers["X-Amzn-RequestId"] == "r"
    assert "Content-Length" in headers and "content-length" in headers
    assert "content-type" not in headers and 1 not in headers
    with pytest.raises(KeyError) as missing:
        headers["Content-Type"]
    assert missing.value.args == ("content-type",) and missing.value.__context__ is None
    headers["Content-Type"] = "application/json"
    assert list(headers) == ["x-amzn-requestid", "content-length", "content-type"]


def test_what_a_mock_keeps_per_service_is_its_own() -> None:
    """Routers and compiled operations are shared by every mock; the service that answers is each mock's own."""
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    with mock_apigateway() as outer:
        api_id = client.create_api(Name="outer", ProtocolType="HTTP")["ApiId"]
        with mock_apigateway() as inner:
            assert client.get_apis()["Items"] == []
            inner_id = client.create_api(Name="inner", ProtocolType="HTTP")["ApiId"]
            with pytest.raises(client.exceptions.NotFoundException):
                client.get_api(ApiId=api_id)
        assert [api["ApiId"] for api in client.get_apis()["Items"]] == [api_id]
        with pytest.raises(client.exceptions.NotFoundException):
            client.get_api(ApiId=inner_id)
        assert outer.dispatcher is not inner.dispatcher
