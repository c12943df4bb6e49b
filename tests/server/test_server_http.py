"""HTTP APIs over real HTTP: both local URL forms, stages, payload formats, authorizers, CORS, custom domains."""

from __future__ import annotations

import socket
from typing import Any

import pytest
import requests

from mockapigw import MockApiGateway
from mockapigw.server import Server

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:orders"
WAIT = 10


@pytest.fixture
def events(apigw: MockApiGateway) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        seen.append(event)
        return {"statusCode": 201, "headers": {"x-handled": "yes"}, "body": "made"}

    apigw.register_lambda(FUNCTION, handler)
    return seen


def http_api(v2: Any, *, stage: str = "$default", version: str = "2.0", **extra: Any) -> str:
    api = v2.create_api(Name="orders", ProtocolType="HTTP", **extra)
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION, PayloadFormatVersion=version
    )
    v2.create_route(
        ApiId=api["ApiId"], RouteKey="POST /orders/{id}", Target=f"integrations/{integration['IntegrationId']}"
    )
    v2.create_stage(ApiId=api["ApiId"], StageName=stage, AutoDeploy=True)
    return str(api["ApiId"])


def test_path_form_reaches_the_default_stage_with_aws_event_fields(
    server: Server, v2: Any, events: list[dict[str, Any]]
) -> None:
    api_id = http_api(v2)
    response = requests.post(
        f"{server.url}/_aws/execute-api/{api_id}/orders/7?q=1", data=b"{}", headers={"X-Team": "blue"}, timeout=WAIT
    )
    assert (response.status_code, response.text, response.headers["x-handled"]) == (201, "made", "yes")
    assert response.headers["apigw-requestid"]
    event = events[0]
    assert event["rawPath"] == "/orders/7"
    assert event["rawQueryString"] == "q=1"
    assert event["pathParameters"] == {"id": "7"}
    assert event["requestContext"]["domainName"] == f"{api_id}.execute-api.us-east-1.amazonaws.com"
    assert event["requestContext"]["http"]["sourceIp"] == "127.0.0.1"
    assert event["headers"]["host"] == event["requestContext"]["domainName"]
    assert event["headers"]["x-team"] == "blue"
    assert event["headers"]["x-forwarded-for"] == "127.0.0.1"


def test_a_named_stage_is_chosen_by_the_first_segment(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2, stage="prod", version="1.0")
    response = requests.post(f"{server.url}/_aws/execute-api/{api_id}/prod/orders/9", timeout=WAIT)
    assert response.status_code == 201
    assert events[0]["requestContext"]["stage"] == "prod"
    assert events[0]["path"] == "/prod/orders/9"  # payload format 1.0: the path as sent, with the stage
    assert events[0]["requestContext"]["identity"]["sourceIp"] == "127.0.0.1"
    missing = requests.post(f"{server.url}/_aws/execute-api/{api_id}/dev/orders/9", timeout=WAIT)
    assert (missing.status_code, missing.json()) == (404, {"message": "Not Found"})


def test_host_form(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    for host in (f"{api_id}.execute-api.localhost:{server.port}", f"{api_id}.execute-api.us-east-1.amazonaws.com"):
        response = requests.post(f"{server.url}/orders/1", headers={"Host": host}, timeout=WAIT)
        assert response.status_code == 201
    assert [e["requestContext"]["domainName"] for e in events] == [f"{api_id}.execute-api.us-east-1.amazonaws.com"] * 2


def test_unknown_api_and_unknown_route_get_aws_answers(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    nothing = requests.get(f"{server.url}/_aws/execute-api/nope0000/x", timeout=WAIT)
    assert (nothing.status_code, nothing.json()) == (403, {"message": "Forbidden"})
    unrouted = requests.get(f"{server.url}/_aws/execute-api/{api_id}/other", timeout=WAIT)
    assert (unrouted.status_code, unrouted.json()) == (404, {"message": "Not Found"})
    assert events == []


@pytest.mark.parametrize("status", [200, 204, 304])
def test_head_204_and_304_end_after_their_headers(apigw: MockApiGateway, server: Server, v2: Any, status: int) -> None:
    apigw.register_lambda(FUNCTION, lambda event, context: {"statusCode": status, "body": "made"})
    api_id = v2.create_api(Name="head", ProtocolType="HTTP", Target=FUNCTION)["ApiId"]
    url = f"{server.url}/_aws/execute-api/{api_id}/x"
    head = requests.head(url, timeout=WAIT)
    assert (head.status_code, head.content, head.headers.get("content-length")) == (
        status,
        b"",
        "4" if status == 200 else None,  # the length the GET's body has; a 204 or 304 says none
    )
    got = requests.get(url, timeout=WAIT)
    assert (got.status_code, got.content) == (status, b"made" if status == 200 else b"")


def test_cors_preflight_from_a_browser_origin(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    cors = {"AllowOrigins": ["http://localhost:3000"], "AllowMethods": ["POST"], "AllowHeaders": ["content-type"]}
    api_id = http_api(v2, CorsConfiguration=cors)
    url = f"{server.url}/_aws/execute-api/{api_id}/orders/1"
    preflight = requests.options(
        url,
        headers={"Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"},
        timeout=WAIT,
    )
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert preflight.headers["access-control-allow-methods"] == "POST"
    actual = requests.post(url, headers={"Origin": "http://localhost:3000"}, timeout=WAIT)
    assert actual.headers["access-control-allow-origin"] == "http://localhost:3000"
    assert len(events) == 1  # the preflight never reached the function


def test_custom_domain_by_host(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    v2.create_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
    )
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="$default", ApiMappingKey="v1")
    response = requests.post(f"{server.url}/v1/orders/3", headers={"Host": "api.example.com"}, timeout=WAIT)
    assert response.status_code == 201
    assert events[0]["requestContext"]["domainName"] == "api.example.com"
    assert events[0]["rawPath"] == "/v1/orders/3"


def test_lambda_authorizer_over_http(
    apigw: MockApiGateway, server: Server, v2: Any, events: list[dict[str, Any]]
) -> None:
    apigw.register_lambda("auth", lambda event, context: {"isAuthorized": event["headers"].get("x-key") == "ok"})
    api_id = http_api(v2)
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        Name="key",
        AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True,
        IdentitySource=["$request.header.x-key"],
        AuthorizerUri=(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
        ),
    )
    route = v2.get_routes(ApiId=api_id)["Items"][0]
    v2.update_route(
        ApiId=api_id, RouteId=route["RouteId"], AuthorizationType="CUSTOM", AuthorizerId=authorizer["AuthorizerId"]
    )
    url = f"{server.url}/_aws/execute-api/{api_id}/orders/1"
    assert requests.post(url, timeout=WAIT).status_code == 401
    assert requests.post(url, headers={"x-key": "no"}, timeout=WAIT).status_code == 403
    assert requests.post(url, headers={"x-key": "ok"}, timeout=WAIT).status_code == 201


def test_handler_error_gives_aws_500(apigw: MockApiGateway, server: Server, v2: Any) -> None:
    api_id = http_api(v2)
    apigw.register_lambda(FUNCTION, lambda event, context: 1 / 0)
    response = requests.post(f"{server.url}/_aws/execute-api/{api_id}/orders/1", timeout=WAIT)
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})


@pytest.mark.parametrize("stop", [SystemExit, KeyboardInterrupt])
def test_a_handler_that_exits_gives_aws_500_and_the_server_keeps_serving(
    apigw: MockApiGateway, server: Server, v2: Any, stop: type[BaseException]
) -> None:
    # On Lambda, sys.exit() in a handler is a failed invocation (Runtime.ExitError); here it must not stop the
    # server's event loop, which runs in the same process as the handler.
    api_id = http_api(v2)

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        if event["rawPath"].endswith("/exit"):
            raise stop()
        return {"statusCode": 201, "body": "made"}

    apigw.register_lambda(FUNCTION, handler)
    base = f"{server.url}/_aws/execute-api/{api_id}/orders"
    response = requests.post(f"{base}/exit", timeout=WAIT)
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})
    assert isinstance(apigw.invocations[-1].error, stop)
    assert requests.post(f"{base}/1", timeout=WAIT).status_code == 201


def test_malformed_http_gets_a_clean_error_and_the_server_keeps_serving(server: Server, v2: Any) -> None:
    for garbage in (b"NOT HTTP AT ALL\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
            raw.sendall(garbage)
            assert raw.recv(100)[8:13] == b" 400 "  # a clean error, not a dropped connection
    assert v2.get_apis()["Items"] == []
    assert requests.get(f"{server.url}/v2/apis", timeout=WAIT).json() == {"items": []}


def test_payload_over_10_mb_gets_aws_413(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    url = f"{server.url}/_aws/execute-api/{api_id}/orders/1"
    for size in (10 * 1024 * 1024 + 1, 10 * 1024 * 1024 + 4096):  # read by the runtime, or refused while reading
        response = requests.post(url, data=b"x" * size, timeout=WAIT)
        assert (response.status_code, response.text) == (413, "HTTP content length exceeded 10485760 bytes.")
    assert events == []
    assert requests.post(url, data=b"x" * 1024, timeout=WAIT).status_code == 201


def test_request_head_over_10240_bytes_gets_aws_431(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    url = f"{server.url}/_aws/execute-api/{api_id}/orders/1"
    response = requests.post(url, headers={"x-big": "x" * 10300}, timeout=WAIT)
    assert response.status_code == 431
    assert events == []
    assert requests.post(url, headers={"x-big": "x" * 9000}, timeout=WAIT).status_code == 201


def test_header_bytes_that_are_not_utf8_are_answered(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    # aiohttp hands such bytes over as surrogate escapes; measuring the request head must not fail on them.
    api_id = http_api(v2)
    request = (
        f"POST /_aws/execute-api/{api_id}/orders/1 HTTP/1.1\r\nHost: x\r\nX-A: \xff\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    ).encode("latin-1")
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(request)
        answer = b""
        while chunk := raw.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]


def _read_all(raw: socket.socket) -> bytes:
    answer = b""
    while chunk := raw.recv(65536):
        answer += chunk
    return answer


def test_expect_100_continue_is_answered_before_the_body(
    server: Server, v2: Any, events: list[dict[str, Any]]
) -> None:
    # curl sends large bodies this way: the client waits for "100 Continue" before it sends the body.
    api_id = http_api(v2)
    head = (
        f"POST /_aws/execute-api/{api_id}/orders/1 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
        "Content-Length: 7\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(head.encode())
        assert raw.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        raw.sendall(b'{"a":1}')
        answer = _read_all(raw)
    assert answer.startswith(b"HTTP/1.1 201"), answer[:200]
    assert events[0]["body"] == '{"a":1}'


def test_an_unknown_expectation_gets_417(server: Server, v2: Any, events: list[dict[str, Any]]) -> None:
    api_id = http_api(v2)
    head = (
        f"POST /_aws/execute-api/{api_id}/orders/1 HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n"
        "Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as raw:
        raw.sendall(head.encode())
        answer = _read_all(raw)
    assert answer.startswith(b"HTTP/1.1 417"), answer[:200]
    assert answer.endswith(b"Unknown Expect: something-else")
    assert events == []
