"""HTTP API payloads 1.0 and 2.0: the events handlers get and how their results become responses.

Recorded payload 1.0 events: docs/reference/aws-behaviour.md §9.7.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
import requests
from helpers import App

from mockapigw import MockApiGateway, MockApiGatewayWarning

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


def test_payload_2_0_event(app: App) -> None:
    app.route("POST /pets/{id}")
    requests.post(
        app.url("/pets/7?tag=a&tag=b&q=1"),
        headers={"X-Custom": "v", "Cookie": "c1=one; c2=two", "User-Agent": "ua/1"},
        data=b'{"name": "rex"}',
    )
    event = app.events[0]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /pets/{id}"
    assert event["rawPath"] == "/pets/7"
    assert event["rawQueryString"] == "tag=a&tag=b&q=1"
    assert event["queryStringParameters"] == {"tag": "a,b", "q": "1"}
    assert event["cookies"] == ["c1=one", "c2=two"]
    assert "cookie" not in event["headers"]
    assert event["headers"]["x-custom"] == "v"
    assert event["headers"]["host"] == f"{app.api_id}.execute-api.us-east-1.amazonaws.com"
    assert event["headers"]["x-forwarded-proto"] == "https"
    assert all(name == name.lower() for name in event["headers"])
    assert event["pathParameters"] == {"id": "7"}
    assert event["stageVariables"] == {"env": "test"}
    assert (event["body"], event["isBase64Encoded"]) == ('{"name": "rex"}', False)
    context = event["requestContext"]
    assert context["http"] == {
        "method": "POST",
        "path": "/pets/7",
        "protocol": "HTTP/1.1",
        "sourceIp": "192.0.2.1",
        "userAgent": "ua/1",
    }
    assert (context["accountId"], context["apiId"], context["stage"]) == ("123456789012", app.api_id, "$default")
    assert (context["domainPrefix"], context["routeKey"]) == (app.api_id, "POST /pets/{id}")
    assert isinstance(context["timeEpoch"], int)


def test_payload_2_0_leaves_out_empty_optional_fields(app: App) -> None:
    app.v2.update_stage(ApiId=app.api_id, StageName="$default", StageVariables={"env": ""})
    app.route("GET /plain")
    requests.get(app.url("/plain"))
    event = app.events[0]
    for absent in ("cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"):
        assert absent not in event
    assert event["rawQueryString"] == ""
    assert "authorizer" not in event["requestContext"]


def test_repeated_headers_are_comma_joined(app: App) -> None:
    app.route("GET /h")
    answer = app.gw.http.handle("GET", app.url("/h"), [("X-Dup", "a"), ("x-dup", "b")], b"")
    assert answer is not None and answer.status == 200
    assert app.events[0]["headers"]["x-dup"] == "a,b"


def test_binary_bodies_are_base64_encoded(app: App) -> None:
    app.route("PUT /blob")
    data = bytes(range(256))
    requests.put(app.url("/blob"), data=data, headers={"Content-Type": "application/octet-stream"})
    event = app.events[0]
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == data


def test_payload_1_0_event(apigw: MockApiGateway, v2: Any) -> None:
    app = App(apigw, v2, version="1.0")
    app.route("GET /pets/{id}", "GET /none")
    requests.get(app.url("/pets/3?a=1&a=2"), headers={"X-One": "1"})
    requests.get(app.url("/none"))
    event, bare = app.events
    assert event["version"] == "1.0"
    assert (event["resource"], event["path"], event["httpMethod"]) == ("/pets/{id}", "/pets/3", "GET")
    assert event["headers"]["X-One"] == "1"  # the client's case (aws-behaviour.md §9.7)
    assert event["multiValueHeaders"]["X-One"] == ["1"]
    assert event["queryStringParameters"] == {"a": "1,2"}
    assert event["multiValueQueryStringParameters"] == {"a": ["1", "2"]}
    assert event["pathParameters"] == {"id": "3"}
    context = event["requestContext"]
    assert context["authorizer"] == {"claims": None, "scopes": None}
    assert context["identity"]["sourceIp"] == "192.0.2.1"
    assert context["identity"]["accessKey"] is None
    assert (context["resourcePath"], context["httpMethod"]) == ("/pets/{id}", "GET")
    assert context["requestId"] == context["extendedRequestId"]
    assert (bare["pathParameters"], bare["queryStringParameters"], bare["body"]) == (None, None, None)


@pytest.mark.parametrize(
    ("reply", "status", "body", "content_type"),
    [
        ("Hello from Lambda!", 200, b"Hello from Lambda!", "application/json"),
        ({"message": "hi"}, 200, b'{"message": "hi"}', "application/json"),
        ({"statusCode": 201, "body": "made", "headers": {"Content-Type": "text/plain"}}, 201, b"made", "text/plain"),
        (
            {"statusCode": 200, "body": base64.b64encode(b"\x00\x01").decode(), "isBase64Encoded": True},
            200,
            b"\x00\x01",
            "application/json",
        ),
    ],
)
def test_payload_2_0_response_interpretation(app: App, reply: Any, status: int, body: bytes, content_type: str) -> None:
    app.route("GET /r")
    app.reply = lambda event: reply
    response = requests.get(app.url("/r"))
    assert (response.status_code, response.content) == (status, body)
    assert response.headers["content-type"] == content_type


def test_cookies_become_set_cookie_headers(app: App) -> None:
    app.route("GET /login")
    app.reply = lambda event: {"statusCode": 200, "cookies": ["a=1; Secure", "b=2"], "body": ""}
    answer = app.gw.http.handle("GET", app.url("/login"), [], b"")
    assert answer is not None
    assert [v for k, v in answer.headers if k == "set-cookie"] == ["a=1; Secure", "b=2"]
    assert requests.get(app.url("/login")).cookies.get("b") == "2"


@pytest.mark.parametrize("reply", ["just a string", {"body": "no status"}, {"statusCode": "abc"}])
def test_malformed_1_0_response_is_a_500(apigw: MockApiGateway, v2: Any, reply: Any) -> None:
    app = App(apigw, v2, version="1.0")
    app.route("GET /bad")
    app.reply = lambda event: reply
    with pytest.warns(MockApiGatewayWarning, match="malformed"):
        response = requests.get(app.url("/bad"))
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("status", ["\u00b2", "\u0662\u0660\u0660", "2\u00b200", "\uff12\uff10\uff10"])
def test_a_status_code_of_digits_other_than_ascii_is_a_malformed_response(
    apigw: MockApiGateway, v2: Any, version: str, status: str
) -> None:
    """str.isdigit() takes "²" (which int() refuses), and Arabic-Indic or fullwidth 200 (which int() reads as 200)."""
    app = App(apigw, v2, version=version)
    app.route("GET /odd")
    app.reply = lambda event: {"statusCode": status, "body": "x"}
    with pytest.warns(MockApiGatewayWarning, match="malformed"):
        response = requests.get(app.url("/odd"))
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})


def test_cookies_that_are_not_a_list_are_a_malformed_response(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="c", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200, "cookies": "a=1"})
    with pytest.warns(MockApiGatewayWarning, match="cookies"):
        assert requests.get(api["ApiEndpoint"] + "/").status_code == 500


# A payload 1.0 event captured from a real HTTP API (2024; values replaced, names and structure kept).
CAPTURED_V1 = {
    "version": "1.0",
    "resource": "/api/core/services",
    "path": "/dev/api/core/services",
    "httpMethod": "GET",
    "headers": {},
    "multiValueHeaders": {},
    "queryStringParameters": None,
    "multiValueQueryStringParameters": None,
    "requestContext": {
        "accountId": "",
        "apiId": "",
        "authorizer": {"claims": None, "scopes": None},
        "domainName": "",
        "domainPrefix": "",
        "extendedRequestId": "",
        "httpMethod": "GET",
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAmr": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": "",
            "user": None,
            "userAgent": "",
            "userArn": None,
        },
        "path": "/dev/api/core/services",
        "protocol": "HTTP/1.1",
        "requestId": "",
        "requestTime": "",
        "requestTimeEpoch": 0,
        "resourceId": "GET /api/core/services",
        "resourcePath": "/api/core/services",
        "stage": "dev",
    },
    "pathParameters": None,
    "stageVariables": None,
    "body": None,
    "isBase64Encoded": False,
}


def _shape(value: Any) -> Any:
    """Member names, order and JSON types (``None`` kept apart), without the values."""
    if isinstance(value, dict):
        return [(key, _shape(item)) for key, item in value.items()]
    return None if value is None else type(value).__name__


def _v1_event(apigw: MockApiGateway, v2: Any, headers: dict[str, str]) -> dict[str, Any]:
    api = v2.create_api(Name="v1", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="dev", AutoDeploy=True)
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="1.0"
    )
    v2.create_route(
        ApiId=api["ApiId"], RouteKey="GET /api/core/services", Target=f"integrations/{integration['IntegrationId']}"
    )
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200})
    requests.get(api["ApiEndpoint"] + "/dev/api/core/services", headers=headers)
    return apigw.invocations[-1].event  # type: ignore[no-any-return]


def test_payload_1_0_event_has_the_captured_members(apigw: MockApiGateway, v2: Any) -> None:
    event = _v1_event(apigw, v2, {})
    expected = _shape({**CAPTURED_V1, "headers": {}, "multiValueHeaders": {}})
    assert _shape({**event, "headers": {}, "multiValueHeaders": {}}) == expected
    context = event["requestContext"]
    assert context["resourceId"] == "GET /api/core/services"  # the route key, not null
    assert context["identity"]["cognitoAmr"] is None
    assert (event["resource"], context["resourcePath"], context["stage"]) == (
        "/api/core/services",
        "/api/core/services",
        "dev",
    )


def test_payload_1_0_header_names_keep_the_clients_case(apigw: MockApiGateway, v2: Any) -> None:
    event = _v1_event(
        apigw, v2, {"accept": "*/*", "X-Razorpay-Signature": "s", "user-agent": "curl/8", "Content-Type": "a/b"}
    )
    names = list(event["headers"])
    assert names == sorted(names)  # listed in code-point order, as captured
    for added in ("Host", "User-Agent", "X-Amzn-Trace-Id", "X-Forwarded-For", "X-Forwarded-Port", "X-Forwarded-Proto"):
        assert added in event["headers"] and added.lower() not in event["headers"]
    assert event["headers"]["User-Agent"] == "curl/8"
    assert {"accept", "X-Razorpay-Signature", "Content-Type"} <= set(names)
    assert event["multiValueHeaders"] == {name: [value] for name, value in event["headers"].items()}
    assert event["requestContext"]["identity"]["userAgent"] == "curl/8"


def test_payload_2_0_still_lower_cases_every_name(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="v2", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: "ok")
    requests.get(api["ApiEndpoint"] + "/", headers={"X-Mixed-Case": "1"})
    headers = apigw.invocations[-1].event["headers"]
    assert all(name == name.lower() for name in headers) and headers["x-mixed-case"] == "1"
