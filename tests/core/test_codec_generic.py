"""Codec features the two API Gateway models do not use today, proven on a small synthetic model."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re

import pytest
from botocore.model import ServiceModel

from mockapigw.core.codec import Operation, WireRequest, split_url
from mockapigw.core.router import Router
from mockapigw.core.validation import InvalidInput

MODEL = {
    "metadata": {"protocol": "rest-json", "serviceId": "Synthetic", "apiVersion": "2020-01-01"},
    "operations": {
        "PutThing": {
            "name": "PutThing",
            "http": {"method": "PUT", "requestUri": "/things/{name}/{rest+}", "responseCode": 200},
            "input": {"shape": "PutThingRequest"},
            "output": {"shape": "PutThingResponse"},
        },
        "PutDoc": {
            "name": "PutDoc",
            "http": {"method": "PUT", "requestUri": "/docs"},
            "input": {"shape": "PutDocRequest"},
            "output": {"shape": "PutDocResponse"},
        },
    },
    "shapes": {
        "PutThingRequest": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "String", "location": "uri", "locationName": "name"},
                "Rest": {"shape": "String", "location": "uri", "locationName": "rest"},
                "Count": {"shape": "Integer", "location": "header", "locationName": "X-Count"},
                "Flag": {"shape": "Boolean", "location": "header", "locationName": "X-Flag"},
                "Since": {"shape": "Timestamp", "location": "header", "locationName": "X-Since"},
                "Ratio": {"shape": "Double", "location": "querystring", "locationName": "ratio"},
                "Blob": {"shape": "Blob", "locationName": "blob"},
                "When": {"shape": "Timestamp", "locationName": "when"},
                "Nodes": {"shape": "Nodes", "locationName": "nodes"},
                "ByKey": {"shape": "NodeMap", "locationName": "byKey"},
                "Level": {"shape": "Level", "locationName": "level"},
            },
        },
        "PutThingResponse": {
            "type": "structure",
            "members": {
                "Etag": {"shape": "String", "location": "header", "locationName": "ETag"},
                "Modified": {"shape": "Timestamp", "location": "header", "locationName": "Last-Modified"},
                "Status": {"shape": "Integer", "location": "statusCode"},
                "When": {"shape": "Timestamp", "locationName": "when"},
                "Blob": {"shape": "Blob", "locationName": "blob"},
                "Nodes": {"shape": "Nodes", "locationName": "nodes"},
                "ByKey": {"shape": "NodeMap", "locationName": "byKey"},
            },
        },
        "PutDocRequest": {"type": "structure", "payload": "Doc", "members": {"Doc": {"shape": "Node"}}},
        "PutDocResponse": {"type": "structure", "payload": "Doc", "members": {"Doc": {"shape": "Node"}}},
        "Node": {
            "type": "structure",
            "members": {
                "Label": {"shape": "String", "locationName": "label"},
                "Children": {"shape": "Nodes", "locationName": "children"},
            },
        },
        "Nodes": {"type": "list", "member": {"shape": "Node"}, "max": 3},
        "NodeMap": {"type": "map", "key": {"shape": "String"}, "value": {"shape": "Node"}},
        "Level": {"type": "integer", "min": 1, "max": 5},
        "String": {"type": "string"},
        "Integer": {"type": "integer"},
        "Boolean": {"type": "boolean"},
        "Double": {"type": "double"},
        "Blob": {"type": "blob"},
        "Timestamp": {"type": "timestamp"},
    },
}
SERVICE = ServiceModel(MODEL, service_name="synthetic")
PUT_THING = Operation(SERVICE.operation_model("PutThing"))
PUT_DOC = Operation(SERVICE.operation_model("PutDoc"))
ROUTER = Router(
    (SERVICE.operation_model(name).http["method"], SERVICE.operation_model(name).http["requestUri"], name)
    for name in SERVICE.operation_names
)
OPERATIONS = {"PutThing": PUT_THING, "PutDoc": PUT_DOC}


def parse(url: str, headers: dict[str, object], body: object) -> tuple[dict[str, object], str, str]:
    """Route a PUT to *url* and decode it: ``(params, host, base_path)``."""
    host, path, query = split_url(url)
    route = ROUTER.match("PUT", path, query)
    assert route is not None
    return OPERATIONS[route.target].parse(WireRequest(query, headers, body), route.labels), host, route.base_path


def test_headers_greedy_labels_query_doubles_and_body_types() -> None:
    body = {
        "blob": base64.b64encode(b"\x00\x01").decode(),
        "when": 1586372745,
        "nodes": [{"label": "a", "children": [{"label": "b"}]}],
        "byKey": {"k": {"label": "c"}},
    }
    headers = {"x-count": "3", "x-flag": b"true", "x-since": "Wed, 08 Apr 2020 19:05:45 GMT"}
    params, host, base = parse("https://h/base/things/n/a/b%20c?ratio=0.5&other=1", headers, json.dumps(body))
    assert (host, base) == ("h", "/base")
    when = dt.datetime(2020, 4, 8, 19, 5, 45, tzinfo=dt.timezone.utc)
    assert params == {
        "Name": "n",
        "Rest": "a/b c",
        "Ratio": 0.5,
        "Count": 3,
        "Flag": True,
        "Since": when,
        "Blob": b"\x00\x01",
        "When": when,
        "Nodes": [{"Label": "a", "Children": [{"Label": "b"}]}],
        "ByKey": {"k": {"Label": "c"}},
    }


def test_iso_timestamps_in_the_body_are_accepted() -> None:
    params, _, _ = parse("https://h/things/n/x", {}, b'{"when": "2020-04-08T19:05:45Z"}')
    assert params["When"] == dt.datetime(2020, 4, 8, 19, 5, 45, tzinfo=dt.timezone.utc)


@pytest.mark.parametrize(
    ("headers", "body", "message"),
    [
        ({"x-count": "many"}, b"", "not an integer"),
        ({"x-since": "yesterday"}, b"", "Invalid timestamp"),
        ({}, b'{"blob": "***"}', "Invalid base64"),
        ({}, b'{"level": 9}', "less than or equal to 5"),
        ({}, b'{"level": 0}', "greater than or equal to 1"),
        ({}, b'{"level": "high"}', "Member must be an integer"),
        ({}, b'{"nodes": [{}, {}, {}, {}]}', "length less than or equal to 3"),
        ({}, b'{"nodes": {"label": "x"}}', "Member must be a list"),
        ({}, b'{"byKey": ["x"]}', "Member must be a map"),
        ({}, b'{"byKey": {"k": "x"}}', "Expected an object"),
        ({"x-ratio": "x"}, b"", None),  # not a member: ignored
        ({}, b'{"when": 1e300}', "Invalid timestamp"),
        ({}, b'{"when": [1]}', "Invalid timestamp"),
        ({}, b"[" * 100_000, "Could not parse request body"),
    ],
)
def test_bad_values_are_invalid_input(headers: dict[str, str], body: bytes, message: str | None) -> None:
    if message is None:
        parse("https://h/things/n/x", headers, body)
        return
    with pytest.raises(InvalidInput, match=message):
        parse("https://h/things/n/x", headers, body)


@pytest.mark.parametrize(
    ("url", "headers", "body", "where"),
    [
        ("https://h/things/n/x", {}, b'{"nodes": [{"label": "\\ud800"}]}', "'nodes.1.member.label'"),
        ("https://h/things/n/x", {}, b'{"byKey": {"\\udfff": {}}}', "'byKey.key'"),
        ("https://h/things/n/x", {}, b'{"byKey": {"k": {"children": [{"label": "a\\udc00"}]}}}', "'byKey.k.children.1"),
        ("https://h/things/n/x", {}, '{"level": 1, "when": "\ud800"}', "the request body"),
        ("https://h/things/n/x", {"x-since": "\ud800"}, b"", "'x-since'"),
        ("https://h/things/n/x", {"x-since": b"\xed\xa0\x80"}, b"", "x-since is not valid UTF-8"),
        ("https://h/things/n/%ED%A0%80", {}, b"", "rest is not valid UTF-8"),
        ("https://h/things/n\ud800/x", {}, b"", "'name'"),
        ("https://h/things/n/x?ratio=%FF", {}, b"", "query string is not valid UTF-8"),
        ("https://h/things/n/x?ratio=\ud800", {}, b"", "'ratio'"),
        ("https://h/things/n/x", {}, 12345, "expected bytes, a string or a file, got int"),
    ],
)
def test_text_that_cannot_be_encoded_is_refused_wherever_it_is(
    url: str, headers: dict[str, object], body: object, where: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(where)):
        parse(url, headers, body)


def test_a_valid_surrogate_pair_escape_is_one_character() -> None:
    params, _, _ = parse("https://h/things/n/x", {}, b'{"nodes": [{"label": "\\ud83d\\ude00"}]}')
    assert params["Nodes"] == [{"Label": "\U0001f600"}]


def test_a_string_the_state_somehow_holds_unencodable_is_still_answered() -> None:
    """The input side refuses them; should one get in another way, the answer escapes it instead of failing."""
    wire = PUT_DOC.respond({"Doc": {"Label": "a\ud800"}}, "rid")
    assert wire.body == b'{"label":"a\\ud800"}'
    assert json.loads(wire.body) == {"label": "a\ud800"}


def test_a_path_that_matches_no_template_is_not_routed() -> None:
    assert ROUTER.match("PUT", "/other") is None
    assert ROUTER.match("GET", "/things/n/x") is None
    assert ROUTER.allows_path("/things/n/x")


def test_response_headers_status_member_and_body_conversions() -> None:
    when = dt.datetime(2020, 4, 8, 19, 5, 45, tzinfo=dt.timezone.utc)
    wire = PUT_THING.respond(
        {
            "Etag": "abc",
            "Modified": when,
            "Status": 202,
            "When": when,
            "Blob": b"\x00\x01",
            "Nodes": [{"Label": "a", "Children": [{"Label": "b"}]}],
            "ByKey": {"k": {"Label": "c"}},
        },
        "rid",
    )
    assert wire.status == 202
    assert wire.headers["etag"] == "abc"
    assert wire.headers["last-modified"] == "Wed, 08 Apr 2020 19:05:45 GMT"
    assert json.loads(wire.body) == {
        "when": 1586372745.0,
        "blob": "AAE=",
        "nodes": [{"label": "a", "children": [{"label": "b"}]}],
        "byKey": {"k": {"label": "c"}},
    }


def test_structure_payloads_both_ways() -> None:
    params, _, _ = parse("https://h/docs", {}, b'{"label": "root"}')
    assert params == {"Doc": {"Label": "root"}}
    empty, _, _ = parse("https://h/docs", {}, b"")
    assert empty == {}
    wire = PUT_DOC.respond({"Doc": {"Label": "root", "Children": []}}, "rid")
    assert json.loads(wire.body) == {"label": "root", "children": []}
    assert wire.headers["content-type"] == "application/json"
