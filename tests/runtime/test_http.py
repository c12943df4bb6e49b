"""HTTP APIs that run: URLs, stages, route priority, payload formats 1.0/2.0, responses, HTTP proxying, CORS."""

from __future__ import annotations

import base64
import http.server
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway, MockApiGatewayWarning, mock_apigateway

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


class App:
    """An HTTP API whose routes all call one recording handler."""

    def __init__(self, gw: MockApiGateway, v2: Any, *, version: str = "2.0", stage: str = "$default") -> None:
        self.gw, self.v2, self.stage = gw, v2, stage
        self.events: list[dict[str, Any]] = []
        self.reply: Callable[[dict[str, Any]], Any] = lambda event: {"statusCode": 200, "body": "ok"}
        self.api = v2.create_api(Name="app", ProtocolType="HTTP")
        self.api_id = self.api["ApiId"]
        self.integration = v2.create_integration(
            ApiId=self.api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion=version
        )["IntegrationId"]
        gw.register_lambda(LAMBDA, self._handle)
        v2.create_stage(ApiId=self.api_id, StageName=stage, AutoDeploy=True, StageVariables={"env": "test"})

    def _handle(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        return self.reply(event)

    def route(self, *keys: str, **extra: Any) -> None:
        for key in keys:
            self.v2.create_route(ApiId=self.api_id, RouteKey=key, Target=f"integrations/{self.integration}", **extra)

    def url(self, path: str) -> str:
        prefix = "" if self.stage == "$default" else f"/{self.stage}"
        return f"https://{self.api_id}.execute-api.us-east-1.amazonaws.com{prefix}{path}"


@pytest.fixture
def app(apigw: MockApiGateway, v2: Any) -> App:
    return App(apigw, v2)


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


@pytest.mark.parametrize("path", ["/missing", "/pets/1/extra"])
def test_no_matching_route_is_not_found(app: App, path: str) -> None:
    app.route("GET /pets/{id}")
    response = requests.get(app.url(path))
    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})
    assert response.headers["content-type"] == "application/json"


def test_stage_without_deployment_and_disabled_endpoint(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default")
    assert requests.get(api["ApiEndpoint"] + "/").status_code == 404
    v2.update_api(ApiId=api["ApiId"], DisableExecuteApiEndpoint=True)
    response = requests.get(api["ApiEndpoint"] + "/")
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})


def test_route_priority_follows_aws(app: App) -> None:
    app.route("GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default")
    app.reply = lambda event: event["routeKey"]
    expected = {
        ("GET", "/pets/dog/1"): "GET /pets/dog/1",
        ("GET", "/pets/dog/2"): "GET /pets/dog/{id}",
        ("GET", "/pets/cat/2"): "GET /pets/{proxy+}",
        ("POST", "/pets/dog/1"): "ANY /{proxy+}",
        ("GET", "/"): "$default",
    }
    for (method, path), route in expected.items():
        assert requests.request(method, app.url(path)).text == route


def test_explicit_method_beats_any_on_the_same_path(app: App) -> None:
    app.route("ANY /items", "POST /items")
    app.reply = lambda event: event["routeKey"]
    assert requests.post(app.url("/items")).text == "POST /items"
    assert requests.delete(app.url("/items")).text == "ANY /items"


def test_path_parameters_are_url_decoded(app: App) -> None:
    app.route("GET /files/{name}", "GET /tree/{proxy+}")
    requests.get(app.url("/files/a%20b%2Bc"))
    requests.get(app.url("/tree/x/y%20z"))
    assert app.events[0]["pathParameters"] == {"name": "a b+c"}
    assert app.events[1]["pathParameters"] == {"proxy": "x/y z"}


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


# ---------------------------------------------------------------------------------------------- HTTP proxy


def _proxy_api(v2: Any, uri: str, route_key: str = "ANY /{proxy+}", **extra: Any) -> tuple[str, str]:
    api = v2.create_api(Name="p", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="HTTP_PROXY", IntegrationUri=uri, IntegrationMethod="ANY", **extra
    )
    v2.create_route(ApiId=api["ApiId"], RouteKey=route_key, Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", StageVariables={"backend": "backend.example"})
    v2.create_deployment(ApiId=api["ApiId"], StageName="$default")
    return api["ApiId"], api["ApiEndpoint"]


def test_http_proxy_forwards_the_request_to_a_responses_mock_started_first() -> None:
    with responses.RequestsMock() as backend, mock_apigateway():
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        _, endpoint = _proxy_api(
            v2,
            "https://${stageVariables.backend}/{proxy}",
            RequestParameters={
                "append:header.x-added": "$context.requestId",
                "overwrite:querystring.limit": "10",
                "remove:header.x-secret": "''",
            },
            ResponseParameters={"200": {"overwrite:header.x-from": "backend", "remove:header.x-internal": "''"}},
        )
        backend.post("https://backend.example/orders/1", body="created", headers={"x-internal": "1"})
        response = requests.post(
            endpoint + "/orders/1?limit=5&keep=yes", data=b"payload", headers={"X-Secret": "s", "X-Keep": "k"}
        )
        assert (response.status_code, response.text) == (200, "created")
        assert response.headers["x-from"] == "backend"
        assert "x-internal" not in response.headers
        sent = backend.calls[0].request
        assert sent.method == "POST"
        assert sent.body == b"payload"
        assert sent.url == "https://backend.example/orders/1?keep=yes&limit=10"
        assert sent.headers["X-Keep"] == "k"
        assert "X-Secret" not in sent.headers
        assert len(sent.headers["x-added"]) == 16


def test_http_proxy_default_route_forwards_the_full_path() -> None:
    with responses.RequestsMock() as backend, mock_apigateway():
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        _, endpoint = _proxy_api(v2, "https://backend.example", route_key="$default")
        backend.get("https://backend.example/a/b", body="deep")
        assert requests.get(endpoint + "/a/b").text == "deep"


@pytest.fixture
def local_server() -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"local {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_other_urls_and_real_local_servers_are_left_alone(apigw: MockApiGateway, v2: Any, local_server: str) -> None:
    assert requests.get(local_server + "/direct").text == "local /direct"
    _, endpoint = _proxy_api(v2, local_server + "/{proxy}")
    assert requests.get(endpoint + "/via/api").text == "local /via/api"


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


def test_cookies_that_are_not_a_list_are_a_malformed_response(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="c", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200, "cookies": "a=1"})
    with pytest.warns(MockApiGatewayWarning, match="cookies"):
        assert requests.get(api["ApiEndpoint"] + "/").status_code == 500


def test_streamed_request_bodies(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="s", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: event.get("body"))
    assert requests.post(api["ApiEndpoint"] + "/", data=(c for c in [b"ab", b"cd"])).text == "abcd"
