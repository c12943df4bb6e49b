"""One measurement in its own process: ``python -m benchmarks.worker SUBJECT CASE [options]``.

For a per-call case, prints one JSON line: ``{"status": "ok", "per_call_ns": [...]}`` with one figure per
batch, or ``{"status": "n/a", "reason": ...}`` when the subject does not implement the case yet.

Scaling cases are given as ``CASE:SIZE:PASSES`` (``round_trip`` alone), one or more of them: each runs in turn
under a fresh subject and prints a JSON line ``{"status": "ok", "figures": {name: [ns...]}, "info": {...}}``
(see :mod:`benchmarks.scaling`). Several in one process is for ``--quick`` only, where process start-up would
otherwise take most of the time.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import CASES, SCALE_CASES, SUBJECTS, canned, imports, scaling, subjects
from .cases import CALLS
from .timing import measure


def run(subject_name: str, case: str, calls: int, batches: int, warmup: int, answers: dict[str, Any]) -> dict[str, Any]:
    """Measure *case* for *subject_name*; *answers* are the recorded responses by case (floor only)."""
    if subject_name == "floor" and case != "start_stop" and case not in answers:
        return {"status": "n/a", "reason": "no mockapigw response to replay (not implemented yet)"}
    subject = subjects.make(subject_name, canned.from_json(answers.get(case, {})))
    if case == "start_stop":
        return {"status": "ok", "per_call_ns": measure(subject.start_stop(), 0, warmup, batches, calls)}
    subject.start()
    try:
        try:
            # The first call doubles as the "is it implemented?" probe; mockapigw.UnsupportedOperation is one.
            call = CALLS[case](subject, 1 + warmup + batches * calls)
            call(0)
        except NotImplementedError as missing:
            return {"status": "n/a", "reason": f"not implemented yet: {missing}"}
        return {"status": "ok", "per_call_ns": measure(call, 1, warmup, batches, calls)}
    finally:
        subject.stop()


def run_scaling(
    subject_name: str, case: str, size: int, passes: int, calls: int, batches: int, warmup: int
) -> dict[str, Any]:
    """Measure the scaling *case* for *subject_name* at *size* (*passes* timed passes; batches for the round trip)."""
    subject = subjects.make(subject_name)
    subject.start()
    try:
        if case == "paginate_routes":
            figures, info = scaling.paginate_routes(subject, size, passes)
        elif case == "broadcast":
            figures, info = scaling.broadcast(subject, size, passes, warmup)
        elif case == "openapi_import":
            figures, info = imports.openapi_import(subject, size, passes)
        else:
            figures, info = scaling.round_trip(subject, calls, batches, warmup)
    except NotImplementedError as missing:
        return {"status": "n/a", "reason": f"not implemented: {missing}"}
    finally:
        subject.stop()
    return {"status": "ok", "figures": figures, "info": info}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point of a worker process."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("subject", choices=SUBJECTS)
    parser.add_argument("case", nargs="+", help=f"one of {', '.join(CASES)}; or scaling jobs CASE:SIZE:PASSES")
    parser.add_argument("--calls", type=int, default=200, help="calls per batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--canned", help="JSON file of recorded mockapigw responses (floor only)")
    args = parser.parse_args(argv)
    if len(args.case) == 1 and args.case[0] in CASES:
        answers: dict[str, Any] = {}
        if args.canned:
            with open(args.canned, encoding="utf-8") as file:
                answers = json.load(file)
        _emit(run(args.subject, args.case[0], args.calls, args.batches, args.warmup, answers))
        return
    for job in args.case:
        case, size, passes = [*job.split(":"), "0", "1"][:3]
        if case not in SCALE_CASES:
            parser.error(f"not a scaling job: {job!r}")
        _emit(run_scaling(args.subject, case, int(size), int(passes), args.calls, args.batches, args.warmup))


def _emit(result: dict[str, Any]) -> None:
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
