"""``python -m benchmarks.frontdoor``: what the front door and deployments cost (docs/performance.md).

Three figures, all in one process (mockapigw only; the floor and moto have no front door):

- ``create_route`` on an HTTP API whose ``$default`` stage has AutoDeploy, so every call also deploys: at 10
  routes and at 290 routes, timed in interleaved batches. Target: the cost at 290 within 1.1x of that at 10.
- an unrelated ``requests`` call (a local server, not an invoke URL) with no mock and with a mock active,
  interleaved: what an active mock adds to every other HTTP call of the test.
- how many times the front door resolves one request, for each entry point. Target: at most one.
"""

from __future__ import annotations

import argparse
import http.server
import os
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

import boto3
import requests

from mockapigw import MockApiGateway, mock_apigateway
from mockapigw.runtime.endpoints import Endpoints

SMALL, LARGE = 10, 290  # routes per API; AWS allows 300
TARGET_RATIO = 1.1


@dataclass(frozen=True)
class Settings:
    """How much to time."""

    rounds: int
    calls: int


DEFAULT = Settings(rounds=61, calls=10)  # 290 + 10 routes: the 300-route quota
QUICK = Settings(rounds=2, calls=5)


def _client(service: str, **kwargs: Any) -> Any:
    return boto3.client(
        service, region_name="us-east-1", aws_access_key_id="bench", aws_secret_access_key="bench", **kwargs
    )


def _median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


# ---------------------------------------------------------------------------------------------- deployments


def deploy_cost(settings: Settings) -> tuple[float, float]:
    """Microseconds per auto-deploying ``create_route`` at :data:`SMALL` and at :data:`LARGE` routes."""
    with mock_apigateway():
        v2 = _client("apigatewayv2")

        def api_with(routes: int) -> str:
            api_id = str(v2.create_api(Name=f"r{routes}", ProtocolType="HTTP")["ApiId"])
            v2.create_stage(ApiId=api_id, StageName="$default", AutoDeploy=True)
            for n in range(routes):
                v2.create_route(ApiId=api_id, RouteKey=f"GET /base{n}")
            return api_id

        apis = {SMALL: api_with(SMALL), LARGE: api_with(LARGE)}
        samples: dict[int, list[float]] = {SMALL: [], LARGE: []}
        for round_number in range(settings.rounds):
            order = (SMALL, LARGE) if round_number % 2 == 0 else (LARGE, SMALL)
            for size in order:
                api_id = apis[size]
                started = time.perf_counter()
                created = [
                    v2.create_route(ApiId=api_id, RouteKey=f"GET /t{round_number}/{n}")["RouteId"]
                    for n in range(settings.calls)
                ]
                samples[size].append((time.perf_counter() - started) / settings.calls)
                for route_id in created:  # back to the size (untimed; each delete deploys too)
                    v2.delete_route(ApiId=api_id, RouteId=route_id)
        return _median_us(samples[SMALL]), _median_us(samples[LARGE])


# ---------------------------------------------------------------------------------------------- unrelated requests


class _NoContent(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


@contextmanager
def _local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NoContent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/health"
    finally:
        server.shutdown()
        server.server_close()


def unrelated_request_cost(settings: Settings) -> tuple[float, float]:
    """Microseconds per ``requests`` call to a local server, with no mock and with a mock active."""
    samples: dict[bool, list[float]] = {False: [], True: []}
    with _local_server() as url, requests.Session() as session:
        for _ in range(5):
            session.get(url)
        for round_number in range(settings.rounds):
            for active in (False, True) if round_number % 2 == 0 else (True, False):
                mock = mock_apigateway() if active else None
                if mock is not None:
                    mock.start()
                try:
                    started = time.perf_counter()
                    for _ in range(settings.calls):
                        session.get(url)
                    samples[active].append((time.perf_counter() - started) / settings.calls)
                finally:
                    if mock is not None:
                        mock.stop()
    return _median_us(samples[False]), _median_us(samples[True])


# ---------------------------------------------------------------------------------------------- resolutions


@contextmanager
def _counting(endpoints: Endpoints) -> Iterator[dict[str, int]]:
    """Count the front door's resolutions (one counter per entry point) while the block runs."""
    counts = {"http": 0, "websocket": 0, "management": 0}
    originals: dict[str, Callable[..., Any]] = {}
    for name in counts:
        original = getattr(endpoints, name)
        originals[name] = original

        def counted(*args: Any, _name: str = name, _original: Callable[..., Any] = original, **kwargs: Any) -> Any:
            counts[_name] += 1
            return _original(*args, **kwargs)

        setattr(endpoints, name, counted)
    try:
        yield counts
    finally:
        for name in originals:
            delattr(endpoints, name)


def resolutions_per_request() -> dict[str, int]:
    """How many resolutions one request makes, per entry point."""
    out: dict[str, int] = {}
    with mock_apigateway() as gw:
        v2 = _client("apigatewayv2")
        gw.register_lambda("pong", lambda event, context: {"statusCode": 200, "body": "pong"})
        arn = "arn:aws:lambda:us-east-1:123456789012:function:pong"
        gw.register_lambda(arn, lambda event, context: {"statusCode": 200, "body": "pong"})
        endpoint = v2.create_api(Name="http", ProtocolType="HTTP", Target=arn)["ApiEndpoint"]
        ws = _websocket_api(gw, v2)
        management = _client(
            "apigatewaymanagementapi", endpoint_url=f"https://{ws}.execute-api.us-east-1.amazonaws.com/prod"
        )
        client = gw.connect(ws, "prod")
        with _counting(gw.endpoints) as counts:
            requests.get(endpoint + "/ping")
        out["requests.get (HTTP API)"] = counts["http"]
        with _counting(gw.endpoints) as counts:
            gw.invoke("GET", endpoint + "/ping")
        out["gw.invoke (HTTP API)"] = counts["http"]
        with _counting(gw.endpoints) as counts:
            gw.connect(ws, "prod")
        out["gw.connect (WebSocket API)"] = counts["websocket"]
        with _counting(gw.endpoints) as counts:
            client.send('{"action": "x"}')
        out["client.send (WebSocket API)"] = counts["websocket"]
        with _counting(gw.endpoints) as counts:
            management.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
        out["post_to_connection (@connections)"] = counts["management"]
    return out


def _websocket_api(gw: MockApiGateway, v2: Any) -> str:
    api_id = str(
        v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    integration = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")["IntegrationId"]
    v2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration}")
    v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    v2.create_deployment(ApiId=api_id, StageName="prod")
    return api_id


# ---------------------------------------------------------------------------------------------- report


def main(argv: list[str] | None = None) -> int:
    """Run the three measurements and print them with the verdict."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.frontdoor", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few seconds; the figures are rough")
    settings = QUICK if parser.parse_args(argv).quick else DEFAULT
    small, large = deploy_cost(settings)
    ratio = large / small
    print(f"create_route with an AutoDeploy stage: {small:.1f} µs at {SMALL} routes, {large:.1f} µs at {LARGE}")
    print(f"  ratio {ratio:.2f}x (target <= {TARGET_RATIO:.2f}x)")
    idle, active = unrelated_request_cost(settings)
    print(f"unrelated requests.get to a local server: {idle:.1f} µs without a mock, {active:.1f} µs with one active")
    print(f"  an active mock adds {active - idle:.1f} µs per call")
    counts = resolutions_per_request()
    for entry, count in counts.items():
        print(f"resolutions per request, {entry}: {count}")
    worst = max(counts.values())
    verdict = "PASS" if ratio <= TARGET_RATIO and worst <= 1 else "MISS"
    print(f"Verdict: {verdict}: deploy cost at {LARGE} routes {ratio:.2f}x that at {SMALL}; at most {worst} resolution")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
