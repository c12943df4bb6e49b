"""``python -m benchmarks.server_run``: server mode side by side with serverless-offline and moto's server.

Each subject serves the same application (``server_app.py``; in Node, ``server_offline/``) in its own process
on 127.0.0.1; the same clients (``server_clients.py``) measure each one in this process:

* WebSocket connect time (a handshake that runs ``$connect``), p50;
* message round trip (client -> route -> handler -> post_to_connection -> client), p50 and p99;
* messages per second with 100 concurrent clients;
* N connections held at once (default 10,000), with the server's memory per connection;
* a broadcast to those N real sockets (the handler posts to each), from the send until the last one has it, and
  beside it two floors (``server_floor.py``): botocore's own part of its N + 1 calls, and the same broadcast in
  mockapigw's server with each post answered by the delivery alone, the least any in-process mock can take;
* one HTTP API request (``GET /ping``), p50;
* one control-plane call (boto3 ``get_apis`` with ``endpoint_url``), p50, against moto's ``ThreadedMotoServer``.

serverless-offline has no control plane; moto's server has no WebSocket or HTTP APIs. A subject that cannot run
here is reported with the reason, and the others still run.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import server_clients as clients
from .server_floor import broadcast_floor
from .server_offline import DEFAULT_WORK_DIR, serverless_offline
from .server_subjects import Unavailable, mockapigw_control_plane, mockapigw_server, moto_control_plane

DELIVERY_ONLY_APP = "benchmarks.server_floor:delivery_only"


@dataclass(frozen=True)
class Sizes:
    """How much of each case one run does (every case is bounded)."""

    connects: int
    round_trips: int
    clients: int
    messages_each: int
    held: int
    broadcasts: int
    http_requests: int
    control_calls: int


FULL = Sizes(
    connects=300,
    round_trips=1000,
    clients=100,
    messages_each=20,
    held=10_000,
    broadcasts=3,
    http_requests=1000,
    control_calls=300,
)
QUICK = Sizes(
    connects=5, round_trips=10, clients=5, messages_each=2, held=20, broadcasts=1, http_requests=10, control_calls=5
)


def measure_data_plane(target: clients.Target, sizes: Sizes) -> dict[str, float]:
    """Every data-plane figure of one subject (times in milliseconds)."""
    connects = clients.run(clients.connect_times(target, sizes.connects))
    trips = clients.run(clients.round_trips(target, sizes.round_trips))
    rate = clients.run(clients.throughput(target, sizes.clients, sizes.messages_each))
    held = clients.run(clients.hold_and_broadcast(target, sizes.held, sizes.broadcasts))
    requests = clients.http_times(target.http_url, sizes.http_requests)
    return {
        "connect_p50_ms": clients.percentile(connects, 0.5) * 1e3,
        "round_trip_p50_ms": clients.percentile(trips, 0.5) * 1e3,
        "round_trip_p99_ms": clients.percentile(trips, 0.99) * 1e3,
        "messages_per_s": rate,
        "held_connections": held.connections,
        "open_all_s": held.open_s,
        "kib_per_connection": held.bytes_per_connection / 1024,
        "broadcast_s": clients.percentile(held.broadcast_s, 0.5) if not held.failure else held.failure,
        "http_p50_ms": clients.percentile(requests, 0.5) * 1e3,
    }


def measure_broadcast(target: clients.Target, sizes: Sizes) -> float | str:
    """The broadcast figure alone (seconds, median), or why it failed."""
    held = clients.run(clients.hold_and_broadcast(target, sizes.held, sizes.broadcasts))
    return held.failure or clients.percentile(held.broadcast_s, 0.5)


def _run(name: str, start: Callable[[], AbstractContextManager[Any]], measure: Callable[[Any], Any]) -> Any:
    print(f"  {name} ...", file=sys.stderr, flush=True)
    try:
        with start() as served:
            figures = measure(served)
        print(f"  {name}: {json.dumps(figures)}", file=sys.stderr, flush=True)
        return figures
    except (Unavailable, ImportError, RuntimeError) as missing:
        print(f"  {name}: not measured: {missing}", file=sys.stderr, flush=True)
        return str(missing)
    except Exception as failed:  # noqa: BLE001 - one subject failing must not lose the others' figures
        print(f"  {name}: failed: {failed!r}", file=sys.stderr, flush=True)
        return f"failed: {failed!r}"


def _version(command: list[str]) -> str:
    if shutil.which(command[0]) is None:
        return "not installed"
    done = subprocess.run(command, capture_output=True, text=True, timeout=30)
    return done.stdout.strip() or done.stderr.strip()


def machine() -> dict[str, str]:
    """What the figures were measured on."""

    def package(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "platform": platform.platform(),
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "node": _version(["node", "--version"]),
        "mockapigw": package("mockapigw"),
        "aiohttp": package("aiohttp"),
        "uvloop": package("uvloop"),
        "websockets (client)": package("websockets"),
        "botocore": package("botocore"),
        "moto": package("moto"),
        "serverless-offline": "13.10.1 (serverless 3.40.0, aws-sdk 2.1693.0)",
        # Other work on the machine moves every figure: say how busy it was.
        "load average at the start": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


ROWS = [
    ("WebSocket connect, p50 (ms)", "connect_p50_ms", "lower"),
    ("round trip via post_to_connection, p50 (ms)", "round_trip_p50_ms", "lower"),
    ("round trip via post_to_connection, p99 (ms)", "round_trip_p99_ms", "lower"),
    ("messages per second, 100 clients", "messages_per_s", "higher"),
    ("connections held", "held_connections", "higher"),
    ("time to open them all (s)", "open_all_s", "lower"),
    ("server memory per connection (KiB)", "kib_per_connection", "lower"),
    ("broadcast to every held socket (s)", "broadcast_s", "lower"),
    ("HTTP API request, p50 (ms)", "http_p50_ms", "lower"),
]


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if value >= 100 else f"{value:.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def table(results: dict[str, Any]) -> Iterator[str]:
    """The results as Markdown tables."""
    mock, offline = results["mockapigw"], results["serverless-offline"]
    yield "| figure | mockapigw | serverless-offline | better |"
    yield "|---|---|---|---|"
    for label, key, direction in ROWS:
        theirs = offline.get(key, "-") if isinstance(offline, dict) else "not run"
        ours = mock[key]
        ahead = "-"
        if isinstance(theirs, (int, float)) and ours == theirs:
            ahead = "same"
        elif isinstance(theirs, (int, float)):
            ahead = "mockapigw" if (ours < theirs) == (direction == "lower") else "serverless-offline"
        yield f"| {label} | {_cell(ours)} | {_cell(theirs)} | {ahead} |"
    yield ""
    yield "| control plane: boto3 get_apis, p50 (ms) | mockapigw | moto ThreadedMotoServer |"
    yield "|---|---|---|"
    ours, moto = results["control_plane"], results["moto"]
    yield f"| through the server | {_cell(ours)} | {_cell(moto)} |"
    yield ""
    calls = results["sizes"]["held"] + 1
    yield (
        f"botocore's own part of the broadcast's {calls:,} calls (canned answers, no mock): "
        f"{results['broadcast_floor_s']:.2f} s"
    )
    yield ""
    yield (
        "the same broadcast in mockapigw's server, each post answered by the delivery alone (no decoding, no "
        f"answer, no parse): {_cell(results['broadcast_delivery_only_s'])} s, the least any mock that checks and "
        "delivers each post in-process can take here"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.server_run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few seconds (the smoke test's mode)")
    parser.add_argument("--connections", type=int, help=f"connections held and broadcast to (default {FULL.held})")
    parser.add_argument("--no-offline", action="store_true", help="skip serverless-offline (no Node, no npm)")
    parser.add_argument("--offline-dir", type=Path, default=DEFAULT_WORK_DIR, help="serverless-offline's work folder")
    parser.add_argument("--json", metavar="PATH", help="also write the figures and the machine to PATH as JSON")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    if args.connections:
        sizes = Sizes(**{**asdict(sizes), "held": args.connections})
    # Every WebSocket of the held case is a file descriptor here and one in the server (which inherits the limit).
    clients.raise_file_limit(2 * sizes.held + 1024)

    results: dict[str, Any] = {"machine": machine(), "sizes": asdict(sizes)}
    results["mockapigw"] = _run("mockapigw", mockapigw_server, lambda t: measure_data_plane(t, sizes))
    results["broadcast_delivery_only_s"] = _run(
        "mockapigw, posts answered by the delivery alone",
        lambda: mockapigw_server(DELIVERY_ONLY_APP),
        lambda t: measure_broadcast(t, sizes),
    )
    if args.no_offline:
        results["serverless-offline"] = "skipped (--no-offline)"
    else:
        results["serverless-offline"] = _run(
            "serverless-offline", lambda: serverless_offline(args.offline_dir), lambda t: measure_data_plane(t, sizes)
        )

    def control(url: str) -> float:
        return clients.percentile(clients.control_plane_times(url, sizes.control_calls), 0.5) * 1e3

    results["control_plane"] = _run("mockapigw control plane", mockapigw_control_plane, control)
    results["moto"] = _run("moto ThreadedMotoServer", moto_control_plane, control)
    results["broadcast_floor_s"] = broadcast_floor(sizes.held + 1)  # the sender receives each broadcast too

    if not isinstance(results["mockapigw"], dict):
        print(f"mockapigw's server did not run: {results['mockapigw']}", file=sys.stderr)
        return 1
    results["machine"]["load average at the end"] = " ".join(f"{load:.2f}" for load in os.getloadavg())
    print("\n".join(table(results)))
    print("\n" + ", ".join(f"{k}: {v}" for k, v in results["machine"].items()))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
