"""``python -m benchmarks``: mockapigw against botocore's floor and moto, per call and per start+stop."""

from __future__ import annotations

import argparse
import json
import sys

from . import report, runner

# The default run takes one to two minutes on a 2-core machine; --quick a few seconds (the smoke test's mode).
DEFAULT = runner.Settings(rounds=7, calls=200, batches=5, warmup=100)
QUICK = runner.Settings(rounds=1, calls=10, batches=2, warmup=5)


def parse(argv: list[str] | None) -> tuple[runner.Settings, str | None]:
    """The settings asked for on the command line, and where to write JSON (if anywhere)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="mockapigw against botocore's floor and moto, per call and per start+stop.",
    )
    parser.add_argument("--quick", action="store_true", help="a few seconds, for smoke tests; figures are rough")
    parser.add_argument("--rounds", type=int, help=f"interleaved rounds (default {DEFAULT.rounds})")
    parser.add_argument("--calls", type=int, help=f"calls per timed batch (default {DEFAULT.calls})")
    parser.add_argument("--batches", type=int, help=f"timed batches per process (default {DEFAULT.batches})")
    parser.add_argument("--warmup", type=int, help=f"untimed calls first (default {DEFAULT.warmup})")
    parser.add_argument("--json", metavar="PATH", help="also write all figures to PATH as JSON")
    args = parser.parse_args(argv)
    base = QUICK if args.quick else DEFAULT
    settings = runner.Settings(
        rounds=args.rounds or base.rounds,
        calls=args.calls or base.calls,
        batches=args.batches or base.batches,
        warmup=base.warmup if args.warmup is None else args.warmup,
    )
    return settings, args.json


def main(argv: list[str] | None = None) -> int:
    """Run, print the table and the verdict; the exit status is 0 whatever the verdict (it is a report)."""
    settings, json_path = parse(argv)
    env = report.environment()
    print(", ".join(f"{key} {value}" for key, value in env.items()))
    results = runner.run(settings, lambda line: print(line, file=sys.stderr, flush=True))
    print()
    print(report.table(results))
    print()
    print(report.verdict(results)[1])
    if json_path:
        with open(json_path, "w", encoding="utf-8") as file:
            json.dump(report.as_json(results, settings), file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
