"""Strings that cannot be encoded, in any member of any operation of both services (hypothesis, from the shapes).

A lone surrogate anywhere in an input is refused before anything is stored: ``BadRequestException`` from the
mock, or botocore's own error before sending (it cannot percent-encode one into a path or a query string).
Any other input ends in success or a modeled error, and the state always reads back.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hostile import (
    FRONT_END,
    LONE_SURROGATES,
    MODELED,
    OPERATIONS,
    Watcher,
    any_text,
    base_params,
    clients,
    input_shape,
    label_names,
    member_paths,
    populate,
    read_state,
    shape_at,
    snapshot,
    strategy,
    with_value,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway, mock_apigateway
from mockapigw.core.dispatch import Dispatcher

# The custom domain that populate() maps (key "v1") to the WebSocket API's stage: the same in every mock.
MANAGEMENT_ENDPOINT = "https://api.example.com/v1"
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CLIENTS = {validation: clients(validation, MANAGEMENT_ENDPOINT) for validation in (True, False)}
VALIDATION = pytest.mark.parametrize("validation", [True, False], ids=["client-validation", "no-client-validation"])


def _string_paths(service: str, operation: str) -> list[tuple[str, ...]]:
    shape = input_shape(service, operation)
    return [path for path in member_paths(shape) if path and shape_at(shape, path).type_name == "string"]


STRING_PATHS = [(service, op, path) for service, op in OPERATIONS for path in _string_paths(service, op)]


def _params(data: st.DataObject, service: str, operation: str, known: dict[str, str]) -> dict[str, Any]:
    """Any well-typed input: any text in every string; path labels mostly name resources that exist."""
    shape = input_shape(service, operation)
    labels = {
        name: st.one_of(st.just(known[wire]), st.just(known[wire]), any_text())
        for name, wire in label_names(shape).items()
    }
    params: dict[str, Any] = data.draw(strategy(shape, any_text(), labels), label="params")
    return params


def _client(validation: bool, service: str) -> Any:
    v2, management = CLIENTS[validation]
    return v2 if service == "apigatewayv2" else management


@VALIDATION
def test_a_lone_surrogate_in_every_string_member_of_every_operation_is_refused(validation: bool) -> None:
    """Every member, one by one, the rest of the input plain and naming resources that exist."""
    with mock_apigateway() as gw:
        known = populate(gw, CLIENTS[True][0])
        before = snapshot(lambda: read_state(CLIENTS[True][0]))
        watcher = Watcher(gw)
        endings: dict[str, list[str]] = {}
        try:
            for service, operation, path in STRING_PATHS:
                shape = input_shape(service, operation)
                params = with_value(base_params(service, operation, known), shape, path, "a\udfffb")
                ending = watcher.call(_client(validation, service), service, operation, params)
                endings.setdefault(ending, []).append(f"{operation}.{'.'.join(path)}")
        finally:
            watcher.close()
        assert snapshot(lambda: read_state(CLIENTS[True][0])) == before
    refused = {"BadRequestException", FRONT_END, "client-side UnicodeEncodeError", "client-side ParamValidationError"}
    assert set(endings) <= refused, {ending: where for ending, where in endings.items() if ending not in refused}
    assert len(endings["BadRequestException"]) > 200


@VALIDATION
def test_a_lone_surrogate_in_any_string_member_is_refused_and_nothing_is_stored(validation: bool) -> None:
    with mock_apigateway() as gw:
        known = populate(gw, CLIENTS[True][0])
        before = snapshot(lambda: read_state(CLIENTS[True][0]))
        watcher = Watcher(gw)
        endings: set[str] = set()

        @SETTINGS
        @given(data=st.data())
        def refused(data: st.DataObject) -> None:
            service, operation, path = data.draw(st.sampled_from(STRING_PATHS), label="member")
            params = _params(data, service, operation, known)
            bad = data.draw(st.sampled_from(LONE_SURROGATES), label="surrogate")
            params = with_value(params, input_shape(service, operation), path, bad)
            ending = watcher.call(_client(validation, service), service, operation, params)
            assert ending in ("BadRequestException", FRONT_END) or ending.startswith("client-side"), ending
            endings.add(ending)

        try:
            refused()
        finally:
            watcher.close()
        assert snapshot(lambda: read_state(CLIENTS[True][0])) == before
        assert "BadRequestException" in endings


@VALIDATION
def test_any_input_to_any_operation_ends_in_success_or_a_modeled_error(validation: bool) -> None:
    with mock_apigateway() as gw:
        known = populate(gw, CLIENTS[True][0])
        watcher = Watcher(gw)

        @SETTINGS
        @given(data=st.data())
        def answered(data: st.DataObject) -> None:
            service, operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
            params = _params(data, service, operation, known)
            watcher.call(_client(validation, service), service, operation, params)

        try:
            answered()
        finally:
            watcher.close()
        snapshot(lambda: read_state(CLIENTS[True][0]))


# ---------------------------------------------------------------------------------------------- raw requests

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(any_text(), children, max_size=3),
    max_leaves=12,
)


def _raw_label(text: str) -> str:
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _raw_path(data: st.DataObject, service: str, operation: str, known: dict[str, str]) -> tuple[str, str]:
    from mockapigw.core.model import service_model

    http = service_model(service).operation_model(operation).http
    template = http["requestUri"].split("?")[0]
    for label in [part[1:-1] for part in template.split("/") if part.startswith("{")]:
        wire = label.rstrip("+")
        value = data.draw(st.one_of(st.just(known.get(wire, "x")), any_text()), label=wire)
        template = template.replace("{" + label + "}", _raw_label(value))
    prefix = "/prod" if service == "apigatewaymanagementapi" else ""
    return http["method"], prefix + template


def test_raw_requests_with_any_body_get_a_modeled_answer() -> None:
    """What server mode will hand the dispatcher: any path labels, query and body, even invalid UTF-8."""
    with mock_apigateway() as gw:
        known = populate(gw, CLIENTS[True][0])
        dispatcher = Dispatcher(
            {"apigatewayv2": gw.apigatewayv2, "apigatewaymanagementapi": gw.management}, gw.account_id
        )
        ws = known["apiId"]
        hosts = {
            "apigatewayv2": "apigateway.us-east-1.amazonaws.com",
            "apigatewaymanagementapi": f"{ws}.execute-api.us-east-1.amazonaws.com",
        }

        @SETTINGS
        @given(data=st.data())
        def answered(data: st.DataObject) -> None:
            service, operation = data.draw(st.sampled_from(OPERATIONS), label="operation")
            method, path = _raw_path(data, service, operation, known)
            query = data.draw(st.sampled_from(["", "maxResults=%ED%A0%80", "nextToken=%FF", "a=b&tagKeys=%C3%A9"]))
            body = data.draw(
                st.one_of(
                    JSON.map(lambda value: json.dumps(value).encode()),
                    st.binary(max_size=40),
                    st.sampled_from([b'{"name": "\\ud800"}', b"[" * 5000, b'{"a": ' * 3000]),
                ),
                label="body",
            )
            url = f"https://{hosts[service]}{path}" + (f"?{query}" if query else "")
            wire = dispatcher.answer(service, method, url, {}, body, "us-east-1")
            if wire.status >= 300:
                code = wire.headers["x-amzn-errortype"]
                expected = 403 if code == FRONT_END else MODELED[service].get(code)
                assert expected == wire.status, (code, wire.status, wire.body[:200])
            if wire.body and wire.headers.get("content-type") == "application/json":
                json.loads(wire.body)

        answered()
        snapshot(lambda: read_state(CLIENTS[True][0]))


def test_what_a_test_stored_before_is_never_lost_to_a_refused_call(apigw: MockApiGateway) -> None:
    """The example of the issue: ``create_api(Name="\\ud800")`` is refused and every later read still works."""
    v2 = CLIENTS[False][0]
    v2.create_api(Name="kept", ProtocolType="HTTP")
    for name in LONE_SURROGATES:
        with pytest.raises(v2.exceptions.BadRequestException, match="unpaired surrogate"):
            v2.create_api(Name=name, ProtocolType="HTTP")
        with pytest.raises(v2.exceptions.BadRequestException, match=r"'tags\.key'"):
            v2.create_api(Name="x", ProtocolType="HTTP", Tags={name: "v"})
        with pytest.raises(v2.exceptions.BadRequestException, match=r"'corsConfiguration\.allowOrigins\.1\.member'"):
            v2.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration={"AllowOrigins": [name]})
    assert [api["Name"] for api in v2.get_apis()["Items"]] == ["kept"]


def test_a_surrogate_pair_is_one_valid_character_once_sent(apigw: MockApiGateway) -> None:
    """botocore's JSON escapes a pair as two ``\\u`` escapes, which decode to one character: not refused."""
    v2 = CLIENTS[True][0]
    api = v2.create_api(Name="\ud83d\ude00", ProtocolType="HTTP")
    assert api["Name"] == "\U0001f600"
