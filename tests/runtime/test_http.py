"""HTTP API runtime: stages, endpoints, invocation, CORS, request limits and the ``invoke`` entry point."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
import requests
import responses
from helpers import App
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway, MockApiGatewayWarning, mock_apigateway

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


def test_requests_to_the_invoke_url_reach_the_handler(app: App) -> None:
    app.route("GET /pets")
    response = requests.get(app.url("/pets"))
    assert (response.status_code, response.text) == (200, "ok")
    assert response.headers["apigw-requestid"] == app.events[0]["requestContext"]["requestId"]
    assert len(response.headers["apigw-requestid"]) == 16


def test_named_stage_is_the_first_path_segment(apigw: MockApiGateway, v2: Any) -> None:
    app = App(apigw, v2, stage="prod")
    app.route("GET /pets")
    assert requests.get(app.url("/pets")).status_code == 200
    event = app.events[0]
    assert event["rawPath"] == "/prod/pets"  # API Gateway keeps the stage in rawPath
    assert event["requestContext"]["stage"] == "prod"
    base = f"https://{app.api_id}.execute-api.us-east-1.amazonaws.com"
    assert requests.get(base + "/pets").json() == {"message": "Not Found"}  # no $default stage
    assert requests.get(base + "/other/pets").status_code == 404


def test_stage_without_deployment_and_disabled_endpoint(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default")
    assert requests.get(api["ApiEndpoint"] + "/").status_code == 404
    v2.update_api(ApiId=api["ApiId"], DisableExecuteApiEndpoint=True)
    response = requests.get(api["ApiEndpoint"] + "/")
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})


@pytest.mark.apigw(raise_handler_errors=False)
def test_handler_error_is_a_500(app: App) -> None:
    app.route("GET /boom")

    def boom(event: Any) -> Any:
        raise RuntimeError("bug")

    app.reply = boom
    with pytest.warns(MockApiGatewayWarning, match="bug"):
        response = requests.get(app.url("/boom"))
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})


def test_timeout_is_a_503(app: App) -> None:
    app.route("GET /slow")
    app.v2.update_integration(ApiId=app.api_id, IntegrationId=app.integration, TimeoutInMillis=50)

    def slow(event: Any) -> Any:
        import time

        time.sleep(0.08)
        return "late"

    app.reply = slow
    response = requests.get(app.url("/slow"))
    assert (response.status_code, response.json()) == (503, {"message": "Service Unavailable"})


@pytest.mark.apigw(raise_handler_errors=False)
def test_unregistered_function_names_the_arn(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target="arn:aws:lambda:us-east-1:123456789012:function:nobody")
    with pytest.warns(MockApiGatewayWarning, match="register_lambda"):
        response = requests.get(api["ApiEndpoint"] + "/")
    assert response.status_code == 500


def test_quick_create_needs_only_the_handler(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target="arn:aws:lambda:us-east-1:123456789012:function:hello")
    apigw.register_lambda("hello", lambda event, context: {"path": event["rawPath"]})
    assert requests.get(api["ApiEndpoint"] + "/any/path").json() == {"path": "/any/path"}


def test_the_stage_serves_its_deployed_snapshot(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
    )
    apigw.register_lambda(LAMBDA, lambda event, context: "hi")
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /a", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /b", Target=f"integrations/{integration['IntegrationId']}")
    assert requests.get(api["ApiEndpoint"] + "/prod/a").status_code == 200
    assert requests.get(api["ApiEndpoint"] + "/prod/b").status_code == 404
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    assert requests.get(api["ApiEndpoint"] + "/prod/b").status_code == 200


def test_a_route_created_after_the_deployment_gets_a_hint_to_deploy(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")
    target = "integrations/" + v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
    )["IntegrationId"]
    apigw.register_lambda(LAMBDA, lambda event, context: "hi")
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /pets", Target=target)
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    v2.create_route(ApiId=api["ApiId"], RouteKey="POST /pets/{id}", Target=target)
    with pytest.warns(MockApiGatewayWarning) as caught:
        assert requests.post(api["ApiEndpoint"] + "/prod/pets/7").status_code == 404
    hint = str(caught[0].message)
    assert "Its route keys: GET /pets. The API has a route POST /pets/{id} that matches it" in hint
    assert f"create_deployment(ApiId='{api['ApiId']}', StageName='prod')" in hint
    with pytest.warns(MockApiGatewayWarning) as caught:  # no route matches, deployed or not: no such sentence
        assert requests.delete(api["ApiEndpoint"] + "/prod/pets/7").status_code == 404
    assert "create_deployment" not in str(caught[0].message)


def test_head_answers_have_the_headers_of_a_get_and_no_body(app: App) -> None:
    app.route("ANY /pets")
    app.reply = lambda event: {"statusCode": 200, "body": "hello", "headers": {"content-type": "text/plain"}}
    got, head = requests.get(app.url("/pets")), requests.head(app.url("/pets"))
    assert (head.status_code, head.content, got.content) == (200, b"", b"hello")
    for name in ("content-length", "content-type"):
        assert head.headers[name] == got.headers[name]
    assert head.headers["content-length"] == "5"
    invoked = app.gw.invoke("HEAD", app.url("/pets"))
    assert (invoked.status_code, invoked.body, invoked.headers["content-length"]) == (200, b"", "5")
    assert app.events[-1]["requestContext"]["http"]["method"] == "HEAD"
    # The mock's own answers too: AWS's 403 for an API the mock does not have.
    with pytest.warns(MockApiGatewayWarning, match="there is no API abcdefghij"):
        refused = requests.head(app.url("/pets").replace(app.api_id, "abcdefghij"))
    assert (refused.status_code, refused.content, refused.headers["content-length"]) == (403, b"", "23")


@pytest.mark.parametrize("status", [204, 304])
def test_no_content_and_not_modified_have_no_body(app: App, status: int) -> None:
    """Whatever the handler returns, a 204 or 304 ends after its headers (RFC 9110 §6.4.1), and says no length."""
    app.route("GET /pets")
    app.reply = lambda event: {"statusCode": status, "body": "x", "headers": {"etag": '"v1"'}}
    response = requests.get(app.url("/pets"))
    assert (response.status_code, response.content, response.headers["etag"]) == (status, b"", '"v1"')
    assert "content-length" not in response.headers and "content-type" not in response.headers
    invoked = app.gw.invoke("GET", app.url("/pets"))
    assert (invoked.status_code, invoked.body) == (status, b"")
    assert "content-length" not in invoked.headers


def test_the_content_length_is_the_gateways_own(app: App) -> None:
    app.route("GET /pets")
    app.reply = lambda event: {"statusCode": 200, "body": "hello", "headers": {"Content-Length": "99"}}
    response = requests.get(app.url("/pets"))
    assert (response.text, response.headers["content-length"]) == ("hello", "5")


def test_custom_domain_through_api_mappings(app: App) -> None:
    app.route("GET /pets")
    app.v2.create_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
    )
    app.v2.create_api_mapping(DomainName="api.example.com", ApiId=app.api_id, Stage="$default", ApiMappingKey="v1")
    assert requests.get("https://api.example.com/v1/pets").text == "ok"
    assert app.events[0]["requestContext"]["domainName"] == "api.example.com"
    assert requests.get("https://api.example.com/v2/pets").status_code == 404


def test_invoke_without_requests(app: App) -> None:
    app.route("POST /echo")
    app.reply = lambda event: {"statusCode": 200, "body": event["body"], "headers": {"x-echo": "1"}}
    response = app.gw.invoke("POST", app.url("/echo"), headers={"Content-Type": "text/plain"}, body="hello")
    assert (response.status_code, response.text, response.headers["x-echo"]) == (200, "hello", "1")
    with pytest.raises(ValueError, match="not an invoke URL"):
        app.gw.invoke("GET", "https://example.com/")


def test_each_mock_serves_its_own_apis_when_nested(v2: Any) -> None:
    with mock_apigateway() as outer:
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        outer_api = client.create_api(Name="o", ProtocolType="HTTP", Target=LAMBDA)
        outer.register_lambda(LAMBDA, lambda event, context: "outer")
        with mock_apigateway():
            assert requests.get(outer_api["ApiEndpoint"] + "/").text == "outer"


# ---------------------------------------------------------------------------------------------- CORS


def test_cors_preflight_and_response_headers(app: App) -> None:
    app.v2.update_api(
        ApiId=app.api_id,
        CorsConfiguration={
            "AllowOrigins": ["https://shop.example"],
            "AllowMethods": ["GET", "POST"],
            "AllowHeaders": ["authorization"],
            "ExposeHeaders": ["x-total"],
            "MaxAge": 300,
            "AllowCredentials": True,
        },
    )
    app.route("GET /items")
    app.reply = lambda event: {"statusCode": 200, "body": "[]", "headers": {"access-control-allow-origin": "*"}}
    preflight = requests.options(
        app.url("/items"), headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "GET"}
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "https://shop.example"
    assert preflight.headers["access-control-allow-methods"] == "GET,POST"
    assert preflight.headers["access-control-allow-headers"] == "authorization"
    assert preflight.headers["access-control-max-age"] == "300"
    assert preflight.headers["access-control-allow-credentials"] == "true"
    assert app.events == []  # API Gateway answered without an OPTIONS route
    actual = requests.get(app.url("/items"), headers={"Origin": "https://shop.example"})
    assert actual.headers["access-control-allow-origin"] == "https://shop.example"  # the integration's is replaced
    assert actual.headers["access-control-expose-headers"] == "x-total"
    other = requests.get(app.url("/items"), headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_preflight_for_a_method_not_allowed_has_no_cors_headers(app: App) -> None:
    app.v2.update_api(ApiId=app.api_id, CorsConfiguration={"AllowOrigins": ["*"], "AllowMethods": ["GET"]})
    response = requests.options(
        app.url("/x"), headers={"Origin": "https://a.example", "Access-Control-Request-Method": "DELETE"}
    )
    assert response.status_code == 204
    assert "access-control-allow-origin" not in response.headers


def test_without_cors_options_is_routed_normally(app: App) -> None:
    app.route("OPTIONS /x")
    app.reply = lambda event: "custom options"
    response = requests.options(app.url("/x"), headers={"Origin": "o", "Access-Control-Request-Method": "GET"})
    assert response.text == "custom options"
    assert json.loads(json.dumps(app.events[0]["requestContext"]["http"]))["method"] == "OPTIONS"


# --- data-plane limits (aws-behaviour.md §4, §9.10)


def test_payload_over_10_mb_is_refused_with_413(app: App) -> None:
    app.route("POST /upload")
    assert requests.post(app.url("/upload"), data=b"x" * (10 * 1024 * 1024)).status_code == 200
    with pytest.warns(MockApiGatewayWarning, match="10 MB payload limit"):
        response = requests.post(app.url("/upload"), data=b"x" * (10 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert response.text == "HTTP content length exceeded 10485760 bytes."
    assert len(app.events) == 1


def test_request_line_and_headers_over_10240_bytes_are_refused(app: App) -> None:
    app.route("GET /pets")
    assert app.gw.invoke("GET", app.url("/pets"), headers={"x-big": "a" * 9000}).status_code == 200
    with pytest.warns(MockApiGatewayWarning, match="10240 bytes"):
        response = app.gw.invoke("GET", app.url("/pets"), headers={"x-big": "a" * 10300})
    assert (response.status_code, response.json()) == (431, {"message": "Request Header Fields Too Large"})
    assert len(app.events) == 1


@pytest.mark.parametrize(
    ("name", "value"),
    [("", "v"), ("x name", "v"), ("x:y", "v"), ("x-ok", "a\r\nInjected: 1"), ("x-ok", "a\nb"), ("x-ok", "a\rb")],
)
def test_invoke_refuses_header_names_and_values_http_forbids(app: App, name: str, value: str) -> None:
    app.route("GET /pets")
    with pytest.raises(requests.exceptions.InvalidHeader):
        app.gw.invoke("GET", app.url("/pets"), headers={name: value})
    assert app.events == []


_TOKEN = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.one_of(st.text(max_size=12), st.text(alphabet=_TOKEN, min_size=1, max_size=12)),
    value=st.one_of(st.text(max_size=12), st.text(alphabet="abc \r\n\0", max_size=6)),
)
def test_invoke_headers_either_reach_the_handler_or_are_refused(app: App, name: str, value: str) -> None:
    """Any header: a valid one reaches the event unchanged (name lower-cased); anything else is InvalidHeader."""
    if not any(route["RouteKey"] == "GET /pets" for route in app.v2.get_routes(ApiId=app.api_id)["Items"]):
        app.route("GET /pets")
    valid = bool(name) and all(c in _TOKEN for c in name) and not any(c in value for c in "\r\n\0")
    seen = len(app.events)
    try:
        response = app.gw.invoke("GET", app.url("/pets"), headers={name: value})
    except requests.exceptions.InvalidHeader:
        assert not valid
        assert len(app.events) == seen
        return
    assert valid and response.status_code == 200
    assert app.events[-1]["headers"][name.lower()].startswith(value) or name.lower() in ("host", "content-length")


def test_non_numeric_status_mapping_is_a_500(apigw: MockApiGateway, v2: Any) -> None:
    with responses.RequestsMock() as backend:
        api = v2.create_api(Name="p", ProtocolType="HTTP")
        integration = v2.create_integration(
            ApiId=api["ApiId"],
            IntegrationType="HTTP_PROXY",
            IntegrationUri="https://backend.example/x",
            IntegrationMethod="GET",
            ResponseParameters={"200": {"overwrite:statuscode": "$request.header.x-status"}},
        )
        v2.create_route(ApiId=api["ApiId"], RouteKey="GET /x", Target=f"integrations/{integration['IntegrationId']}")
        v2.create_stage(ApiId=api["ApiId"], StageName="$default")
        v2.create_deployment(ApiId=api["ApiId"], StageName="$default")
        backend.get("https://backend.example/x", body="b")
        # The backend mock was started inside the mock: invoke without requests.
        assert apigw.invoke("GET", api["ApiEndpoint"] + "/x", headers={"x-status": "201"}).status_code == 201
        with pytest.warns(MockApiGatewayWarning, match="not an HTTP status code"):
            assert apigw.invoke("GET", api["ApiEndpoint"] + "/x").status_code == 500
        for digits in ("\u00b2", "\u0662\u0660\u0660"):  # str.isdigit() takes both; int() refuses one, reads 200
            with pytest.warns(MockApiGatewayWarning, match="not an HTTP status code"):
                answer = apigw.invoke("GET", api["ApiEndpoint"] + "/x", headers={"x-status": digits})
            assert answer.status_code == 500


def test_streamed_request_bodies(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="s", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: event.get("body"))
    assert requests.post(api["ApiEndpoint"] + "/", data=(c for c in [b"ab", b"cd"])).text == "abcd"
