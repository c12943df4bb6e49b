"""HTTP_PROXY integrations of HTTP APIs: forwarding, parameter mapping and local backends."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
import requests
import responses

from mockapigw import MockApiGateway, mock_apigateway


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
