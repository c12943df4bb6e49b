"""The model-driven codec, on the wire level."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from mockapigw.core.codec import ErrorEncoder, WireRequest, split_url
from mockapigw.core.dispatch import compiled, router
from mockapigw.core.errors import ServiceError
from mockapigw.core.model import service_model
from mockapigw.core.validation import InvalidInput


def parse(service: str, method: str, url: str, body: object = b"", headers: dict[str, str] | None = None) -> Any:
    """Route *url* as the dispatcher does, then decode it: ``(operation, params, host, base_path)``."""
    host, path, query = split_url(url)
    route = router(service).match(method, path, query)
    assert route is not None, f"{method} {path} matches no operation"
    params = compiled(service, route.target).parse(WireRequest(query, headers or {}, body), route.labels)
    return route.target, params, host, route.base_path


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://h/v2/apis?maxResults=1", ("h", "/v2/apis", "maxResults=1")),
        ("https://h/v2/apis", ("h", "/v2/apis", "")),
        ("https://h", ("h", "/", "")),
        ("https://h?x=1", ("h", "/", "x=1")),
        ("/v2/apis/?maxResults=1", ("", "/v2/apis/", "maxResults=1")),
        ("/", ("", "/", "")),
    ],
)
def test_split_url(url: str, expected: tuple[str, str, str]) -> None:
    assert split_url(url) == expected


def test_path_labels_are_url_decoded() -> None:
    path = "/v2/apis/abc/stages/%24default/routesettings/GET%20%2Fpets%2F%7Bid%7D"
    operation, params, host, base = parse("apigatewayv2", "DELETE", "https://apigateway.us-east-1.amazonaws.com" + path)
    assert operation == "DeleteRouteSettings"
    assert params == {"ApiId": "abc", "StageName": "$default", "RouteKey": "GET /pets/{id}"}
    assert (host, base) == ("apigateway.us-east-1.amazonaws.com", "")


def test_list_query_members_collect_every_value() -> None:
    arn = "arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc"
    _, params, _, _ = parse("apigatewayv2", "DELETE", f"https://h/v2/tags/{arn}?tagKeys=k&tagKeys=j")
    assert params == {"ResourceArn": "arn:aws:apigateway:us-east-1::/apis/abc", "TagKeys": ["k", "j"]}


def test_boolean_query_members() -> None:
    url = "https://h/v2/apis/a/exports/OAS30?outputType=YAML&includeExtensions="
    _, params, _, _ = parse("apigatewayv2", "GET", url + "false")
    assert params["IncludeExtensions"] is False
    with pytest.raises(InvalidInput, match="not a boolean"):
        parse("apigatewayv2", "GET", url + "maybe")


def test_base_path_before_the_request_uri_is_kept() -> None:
    url = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/@connections/L0SM9cOFvHcCIhw%3D"
    _, params, host, base = parse("apigatewaymanagementapi", "POST", url, b"hello")
    assert params == {"ConnectionId": "L0SM9cOFvHcCIhw=", "Data": b"hello"}
    assert (host, base) == ("abcdef1234.execute-api.us-east-1.amazonaws.com", "/prod")


@pytest.mark.parametrize("body", [b"hi", bytearray(b"hi"), "hi"])
def test_blob_payload_accepts_any_body_type(body: object) -> None:
    _, params, _, _ = parse("apigatewaymanagementapi", "POST", "https://h/s/@connections/x", body)
    assert params["Data"] == b"hi"


def test_file_like_body() -> None:
    import io

    _, params, _, _ = parse("apigatewaymanagementapi", "POST", "https://h/s/@connections/x", io.BytesIO(b"file"))
    assert params["Data"] == b"file"


def test_json_body_uses_wire_names_and_nested_structures() -> None:
    body = json.dumps({"name": "n", "protocolType": "HTTP", "corsConfiguration": {"allowOrigins": ["*"], "maxAge": 5}})
    _, params, _, _ = parse("apigatewayv2", "POST", "https://h/v2/apis", body.encode())
    assert params == {"Name": "n", "ProtocolType": "HTTP", "CorsConfiguration": {"AllowOrigins": ["*"], "MaxAge": 5}}


def test_malformed_json_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="Could not parse request body"):
        parse("apigatewayv2", "POST", "https://h/v2/apis", b"{nope")
    with pytest.raises(InvalidInput, match="Expected an object"):
        parse("apigatewayv2", "POST", "https://h/v2/apis", b"[1]")


def test_response_uses_wire_names_status_and_iso_timestamps() -> None:
    op = compiled("apigatewayv2", "CreateApi")
    when = dt.datetime(2020, 4, 8, 19, 5, 45, tzinfo=dt.timezone.utc)
    wire = op.respond({"ApiId": "a", "Name": "n", "CreatedDate": when, "Tags": {}, "Description": None}, "rid")
    assert wire.status == 201
    assert json.loads(wire.body) == {"apiId": "a", "name": "n", "createdDate": "2020-04-08T19:05:45Z", "tags": {}}
    assert wire.headers["x-amzn-requestid"] == "rid"
    assert wire.headers["content-type"] == "application/json"
    assert wire.headers["content-length"] == str(len(wire.body))


def test_millisecond_timestamps_keep_their_precision() -> None:
    op = compiled("apigatewaymanagementapi", "GetConnection")
    when = dt.datetime(2020, 4, 30, 20, 10, 33, 236000, tzinfo=dt.timezone.utc)
    wire = op.respond({"ConnectedAt": when, "Identity": {"SourceIp": "192.0.2.1", "UserAgent": "x"}}, "rid")
    assert json.loads(wire.body) == {
        "connectedAt": "2020-04-30T20:10:33.236Z",
        "identity": {"sourceIp": "192.0.2.1", "userAgent": "x"},
    }


def test_no_content_responses() -> None:
    wire = compiled("apigatewayv2", "DeleteApi").respond(None, "rid")
    assert (wire.status, wire.body, wire.headers["content-length"]) == (204, b"", "0")


def test_blob_payload_response_is_raw_bytes() -> None:
    wire = compiled("apigatewayv2", "ExportApi").respond({"body": b"openapi: 3.0.1\n"}, "rid")
    assert wire.body == b"openapi: 3.0.1\n"


class NotFoundException(ServiceError):
    pass


class GoneException(ServiceError):
    pass


class ForbiddenException(ServiceError):
    pass


def test_error_body_uses_the_error_shape() -> None:
    encoder = ErrorEncoder(service_model("apigatewayv2"))
    wire = encoder.encode(NotFoundException("missing", ResourceType="Api"), "rid")
    assert wire.status == 404
    assert wire.headers["x-amzn-errortype"] == "NotFoundException"
    assert json.loads(wire.body) == {"message": "missing", "resourceType": "Api"}


def test_error_without_message_has_an_empty_body() -> None:
    encoder = ErrorEncoder(service_model("apigatewaymanagementapi"))
    gone = encoder.encode(GoneException(None), "rid")
    assert (gone.status, gone.body) == (410, b"")
    assert "content-type" not in gone.headers
    forbidden = encoder.encode(ForbiddenException("Forbidden"), "rid")
    assert (forbidden.status, json.loads(forbidden.body)) == (403, {"message": "Forbidden"})


def test_unmodeled_error_uses_its_own_status() -> None:
    class Teapot(ServiceError):
        status = 418

    wire = ErrorEncoder(service_model("apigatewayv2")).encode(Teapot("short and stout"), "rid")
    assert (wire.status, wire.headers["x-amzn-errortype"]) == (418, "Teapot")
