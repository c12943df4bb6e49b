"""``mockapigw serve``: the mock on one port until interrupted, with the project's handlers and APIs from ``--app``."""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from ..apigatewayv2.records import WEBSOCKET
from ..mock import MockApiGateway, mock_apigateway
from .runner import DEFAULT_HOST, DEFAULT_REGION, Server

KEEP_INVOCATIONS = 1000  # the invocations a served mock remembers by default (gw.invocations), newest last
# The cyclic collector's first threshold while serving (CPython's default is 700), see tune_gc().
GC_GEN0_THRESHOLD = 10_000
# How long a thread keeps the GIL while another waits for it, while serving (CPython's default is 5 ms); see
# tune_gc().
SWITCH_INTERVAL_S = 0.02


def _port(text: str) -> int:
    port = int(text) if text.isascii() and text.isdigit() else -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535)")
    return port


def _account(text: str) -> str:
    if not (len(text) == 12 and text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a 12-digit AWS account id")
    return text


def _count(text: str) -> int:
    count = int(text) if text.isascii() and text.isdigit() else -1
    if count < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count (0 or more)")
    return count


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mockapigw", description="A local API Gateway V2 and @connections API.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the mock on one port until interrupted (Ctrl-C)")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default %(default)s)")
    serve.add_argument("--port", type=_port, default=4510, help="port to bind, 0 for a free one (default %(default)s)")
    serve.add_argument("--region", default=DEFAULT_REGION, help="region of unsigned requests (default %(default)s)")
    serve.add_argument("--account", type=_account, default=None, help="12-digit account id (default 123456789012)")
    serve.add_argument(
        "--app",
        action="append",
        default=[],
        metavar="MODULE:FUNCTION",
        help="import MODULE and call FUNCTION(gw) before serving, to register handlers and create APIs (repeatable)",
    )
    serve.add_argument(
        "--keep-invocations",
        type=_count,
        default=KEEP_INVOCATIONS,
        metavar="N",
        help="Lambda invocations gw.invocations keeps, the newest (default %(default)s; 0 keeps none)",
    )
    return parser


def tune_gc() -> None:
    """Make the cyclic garbage collector, and the GIL's switching, cheap for a long-running server (this process
    is ours).

    Everything loaded so far (botocore's models, the ``--app`` handlers' modules and APIs) lives as long as the
    server: ``gc.freeze()`` takes it out of every later collection. A higher first threshold makes collections
    rarer while thousands of handshakes allocate; each collection then still frees every cycle. Measured on
    opening 10,000 WebSockets, the collector took about 40% of the server's time with CPython's defaults.
    """
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, second, third)
    # The event loop and the worker threads take turns with the GIL for every handshake and message. Forced
    # switches every 5 ms cost more than they give: opening 10,000 WebSockets took the server about 3.0 s of CPU
    # in half the runs with the default, about 2.0 s in every run with 20 ms. A handler that holds the GIL
    # (pure Python work) can then delay other connections by up to 20 ms instead of 5.
    sys.setswitchinterval(SWITCH_INTERVAL_S)


def load_app(spec: str) -> Callable[[MockApiGateway], Any]:
    """The function ``module:function`` names, imported from the working directory first (as ``python -m``)."""
    module_name, sep, function_name = spec.partition(":")
    if not sep or not module_name or not function_name:
        raise SystemExit(f"mockapigw: --app takes module:function, got {spec!r}")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except ImportError as problem:
        raise SystemExit(f"mockapigw: --app {spec}: cannot import {module_name!r}: {problem}") from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise SystemExit(f"mockapigw: {module_name} has no function {function_name!r}")
    return function  # type: ignore[no-any-return]


def urls(server: Server) -> list[str]:
    """What the server serves, one line each: the control plane, then every stage of every API."""
    lines = [
        f"control plane (apigatewayv2, any SDK or the AWS CLI): {server.url}",
        f"APIs: {server.url}/_aws/execute-api/{{apiId}}/{{stage}}/..., or Host: {{apiId}}.execute-api.localhost:"
        f"{server.port}, or a custom domain name by Host",
    ]
    gw = server.gateway.gw
    for backend in gw.apigatewayv2.backends:
        for api in backend.apis:
            scheme = server.ws_url if api.protocol == WEBSOCKET else server.url
            for stage in api.stages:
                base = f"{server.url}/_aws/execute-api/{api.api_id}/{stage.name}"
                lines.append(f"{api.get('Name')} ({api.api_id}, stage {stage.name}): {scheme}{base[len(server.url) :]}")
                if api.protocol == WEBSOCKET:
                    lines.append(f"  @connections endpoint: {base}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    """Run the ``mockapigw`` command."""
    options = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    gw = mock_apigateway(account_id=options.account)
    gw.start()
    try:
        # Nobody in this process reads the history unless an --app function keeps gw: bound it (see the docs).
        gw.lambdas.keep_invocations(options.keep_invocations)  # after start(), which makes the mock's state
        for spec in options.app:
            load_app(spec)(gw)
        tune_gc()
        try:
            server = Server(gw, options.host, options.port, region=options.region)
        except OSError as problem:  # the port is taken, or the host is not an address of this machine
            raise SystemExit(f"mockapigw: cannot listen on {options.host}:{options.port}: {problem}") from None

        def ready(server: Server) -> None:
            print(f"mockapigw serving on {server.url} (Ctrl-C to stop)", flush=True)
            for line in urls(server):
                print("  " + line, flush=True)

        server.run(ready)
        print("mockapigw stopped", flush=True)
    finally:
        gw.stop()
