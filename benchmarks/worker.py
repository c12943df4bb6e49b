"""One measurement in its own process: ``python -m benchmarks.worker SUBJECT CASE [options]``.

Prints one JSON line: ``{"status": "ok", "per_call_ns": [...]}`` with one figure per batch, or
``{"status": "n/a", "reason": ...}`` when the subject does not implement the case yet.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from . import CASES, SUBJECTS, canned, subjects
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


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point of a worker process."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.worker")
    parser.add_argument("subject", choices=SUBJECTS)
    parser.add_argument("case", choices=CASES)
    parser.add_argument("--calls", type=int, default=200, help="calls per batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--canned", help="JSON file of recorded mockapigw responses (floor only)")
    args = parser.parse_args(argv)
    answers: dict[str, Any] = {}
    if args.canned:
        with open(args.canned, encoding="utf-8") as file:
            answers = json.load(file)
    result = run(args.subject, args.case, args.calls, args.batches, args.warmup, answers)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
