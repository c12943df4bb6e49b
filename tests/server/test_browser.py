"""A real browser against server mode: headless Chromium opens the docs' page (served from another origin by
http.server), connects with its own ``WebSocket`` and calls an HTTP API with ``fetch`` across origins (CORS).

The page writes what it saw into ``<pre id="log">``; the test reads it over the DevTools protocol."""

from __future__ import annotations

import functools
import http.client
import http.server
import json
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from nodejs import docs_block, missing

from mockapigw import MockApiGateway

websockets_client = pytest.importorskip(
    "websockets.sync.client", reason="install the test extra: pip install -e '.[test]'"
)

WS_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:hello-ws"
HTTP_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:greeting"
PAGE_WAIT = 30.0  # seconds for the page to log everything (a bound, not a measurement)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    missing("Chromium is not installed: `apt-get install chromium` (Debian) to run the browser test")
    raise AssertionError("unreachable")


@pytest.fixture
def page_origin(tmp_path: Path) -> Iterator[int]:
    """Serve the docs' chat.html from a local http.server on its own port (another origin than the mock's)."""
    (tmp_path / "chat.html").write_text(docs_block("<!doctype html>", "html"), encoding="utf-8")
    quiet = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *args: None})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()


def _devtools_port(profile: Path, browser: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + PAGE_WAIT
    marker = profile / "DevToolsActivePort"
    while time.monotonic() < deadline:
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        assert browser.poll() is None, "chromium exited before opening its DevTools port"
        time.sleep(0.1)
    raise AssertionError("chromium did not open its DevTools port")


def _page_log(port: int, done: tuple[str, ...]) -> str:
    """Poll the page's ``#log`` over the DevTools protocol until it contains each of *done* (or the wait runs out)."""
    deadline = time.monotonic() + PAGE_WAIT
    targets: list[dict[str, Any]] = []
    while not targets:  # the page's target may appear a moment after the DevTools port opens
        assert time.monotonic() < deadline, "chromium opened no page"
        listing = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # never through a proxy
        try:
            listing.request("GET", "/json/list")
            targets = [t for t in json.load(listing.getresponse()) if t["type"] == "page"]
        finally:
            listing.close()
        time.sleep(0.05)
    with websockets_client.connect(targets[0]["webSocketDebuggerUrl"], max_size=None) as devtools:
        text = ""
        for message_id in range(1, 10_000):
            devtools.send(
                json.dumps(
                    {
                        "id": message_id,
                        "method": "Runtime.evaluate",
                        "params": {
                            "expression": "document.getElementById('log')?.textContent ?? ''",
                            "returnByValue": True,
                        },
                    }
                )
            )
            reply = json.loads(devtools.recv(timeout=10))
            while reply.get("id") != message_id:
                reply = json.loads(devtools.recv(timeout=10))
            text = reply.get("result", {}).get("result", {}).get("value", "")
            if all(part in text for part in done) or time.monotonic() > deadline:
                return text
            time.sleep(0.1)
    return text


def open_page(url: str, profile: Path, *done: str) -> list[str]:
    """Open *url* in headless Chromium; the lines the page logged once each of *done* appears (or the wait ran out)."""
    browser = subprocess.Popen(
        [
            chromium(),
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            url,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        return _page_log(_devtools_port(profile, browser), done).splitlines()
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()


@pytest.fixture
def apis(apigw: MockApiGateway, v2: Any, page_origin: int) -> dict[str, str]:
    """A WebSocket API whose ``hello`` handler answers through @connections, and an HTTP API with CORS for the page."""

    def hello(event: dict[str, Any], context: Any) -> dict[str, Any]:
        # Handler code as written for AWS: its endpoint is the event's domainName and stage.
        context_ = event["requestContext"]
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{context_['domainName']}/{context_['stage']}",
        )
        name = json.loads(event["body"])["name"]
        management.post_to_connection(ConnectionId=context_["connectionId"], Data=f"hello {name}".encode())
        return {"statusCode": 200}

    def greeting(event: dict[str, Any], context: Any) -> dict[str, Any]:
        name = json.loads(event["body"])["name"]
        return {"statusCode": 200, "body": f"hi {name}, {event['headers']['x-client']}"}

    apigw.register_lambda(WS_FUNCTION, hello)
    apigw.register_lambda(HTTP_FUNCTION, greeting)
    ws_api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(ApiId=ws_api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=WS_FUNCTION)
    v2.create_route(ApiId=ws_api["ApiId"], RouteKey="hello", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=ws_api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=ws_api["ApiId"], StageName="prod")
    http_api = v2.create_api(
        Name="http",
        ProtocolType="HTTP",
        Target=HTTP_FUNCTION,
        RouteKey="POST /greeting",
        CorsConfiguration={
            "AllowOrigins": [f"http://127.0.0.1:{page_origin}"],
            "AllowMethods": ["POST"],
            "AllowHeaders": ["content-type", "x-client"],
        },
    )
    return {"ws": ws_api["ApiId"], "http": http_api["ApiId"]}


def _page_url(host: str, page_port: int, server: Any, apis: dict[str, str]) -> str:
    from urllib.parse import urlencode

    stages = f"{server.url}/_aws/execute-api"
    query = urlencode(
        {"ws": f"{stages}/{apis['ws']}/prod".replace("http://", "ws://", 1), "http": f"{stages}/{apis['http']}"}
    )
    return f"http://{host}:{page_port}/chat.html?{query}"


def test_browser_websocket_and_cross_origin_fetch(
    apigw: MockApiGateway, apis: dict[str, str], page_origin: int, tmp_path: Path
) -> None:
    chromium()
    with apigw.serve(host="127.0.0.1", port=0) as server:
        lines = open_page(_page_url("127.0.0.1", page_origin, server, apis), tmp_path / "profile", "ws closed", "http")

    assert "ws: hello browser" in lines, lines
    assert "ws closed: 1000" in lines, lines
    assert "http: 200 hi browser, chat-page" in lines, lines
    preflights = [i for i in apigw.invocations if i.function_arn == HTTP_FUNCTION]
    assert len(preflights) == 1  # the browser's OPTIONS preflight was answered by CORS, not by the handler


def test_browser_from_an_origin_cors_does_not_allow(
    apigw: MockApiGateway, apis: dict[str, str], page_origin: int, tmp_path: Path
) -> None:
    chromium()
    with apigw.serve(host="127.0.0.1", port=0) as server:
        # localhost is another origin than 127.0.0.1: the preflight's answer does not allow it, so fetch fails.
        lines = open_page(_page_url("localhost", page_origin, server, apis), tmp_path / "profile", "ws closed", "http")

    assert "http failed: Failed to fetch" in lines, lines
    assert "ws: hello browser" in lines, lines  # WebSocket handshakes are not subject to CORS
    assert not [i for i in apigw.invocations if i.function_arn == HTTP_FUNCTION]
