"""What an active mock adds to an unrelated ``requests`` call: ``python -m benchmarks.requests_overhead``.

The call goes to a URL that is no invoke URL (``http://unrelated.invalid/``). Everything ``requests`` does
runs, including ``HTTPAdapter.send`` (and whatever patches it); only the connection is replaced by one that
answers a canned 200 at once, so no socket is opened and the network adds no noise. The same call is timed with
no mock, with a mockapigw mock active, and, for reference, with moto's ``mock_aws`` active, in interleaved
rounds in one process.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from typing import Any

import requests
import requests.adapters
from urllib3 import HTTPResponse

from .timing import measure, median

UNRELATED = "http://unrelated.invalid/status"
SUBJECTS = ("no mock", "mockapigw", "moto")


class _CannedPool:
    """Stands for urllib3's connection pool: answers every request with the same small 200."""

    def urlopen(self, method: str, url: str, **kwargs: Any) -> HTTPResponse:
        return HTTPResponse(
            body=io.BytesIO(b'{"ok":true}'),
            headers={"content-type": "application/json", "content-length": "11"},
            status=200,
            reason="OK",
            preload_content=False,
            decode_content=False,
            request_method=method,
        )


def _canned_connection(self: Any, *args: Any, **kwargs: Any) -> _CannedPool:
    return _CannedPool()


def _activate(subject: str) -> Callable[[], None]:
    """Start *subject*; the function that stops it."""
    if subject == "mockapigw":
        from mockapigw import mock_apigateway

        gw = mock_apigateway()
        gw.start()
        return gw.stop
    if subject == "moto":
        from moto import mock_aws

        moto = mock_aws()
        moto.start()
        return moto.stop
    return lambda: None


def _cases() -> dict[str, Callable[[int], object]]:
    session = requests.Session()
    return {
        "session.get": lambda i: session.get(UNRELATED).content,
        "requests.get": lambda i: requests.get(UNRELATED).content,  # a new Session per call, as most code does
        # The one step of an unrelated call that an active mockapigw mock changes: choosing the transport.
        "get_adapter": lambda i: session.get_adapter(UNRELATED),
    }


def run(rounds: int, calls: int, batches: int, warmup: int) -> dict[str, dict[str, float]]:
    """Median nanoseconds per call, by case and subject."""
    # Every HTTPAdapter connects to the canned pool: the only change to requests, made before any mock starts.
    requests.adapters.HTTPAdapter.get_connection_with_tls_context = _canned_connection  # type: ignore[method-assign,assignment]
    figures: dict[str, dict[str, list[float]]] = {case: {s: [] for s in SUBJECTS} for case in _cases()}
    for _ in range(rounds):
        for subject in SUBJECTS:
            stop = _activate(subject)
            try:
                for case, call in _cases().items():
                    if case != "get_adapter":  # reached the canned connection, through whatever is active
                        assert call(0) == b'{"ok":true}'
                    figures[case][subject].extend(measure(call, 0, warmup, batches, calls))
            finally:
                stop()
    return {case: {s: median(values) for s, values in by_subject.items()} for case, by_subject in figures.items()}


def table(results: dict[str, dict[str, float]]) -> str:
    """A markdown table: the time per call in each state, and what an active mockapigw mock adds."""
    lines = [
        "| case | no mock (µs) | mockapigw active (µs) | added by mockapigw | moto active (µs) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for case, by_subject in results.items():
        base, ours, moto = (by_subject[s] / 1000 for s in SUBJECTS)
        added = ours - base
        lines.append(
            f"| {case} | {base:.1f} | {ours:.1f} | {added:+.1f} µs ({added / base:+.1%}) | {moto:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run and print the table."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.requests_overhead", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a second or two, for smoke tests; figures are rough")
    args = parser.parse_args(argv)
    rounds, calls, batches, warmup = (1, 20, 2, 5) if args.quick else (5, 300, 5, 100)
    print(table(run(rounds, calls, batches, warmup)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
