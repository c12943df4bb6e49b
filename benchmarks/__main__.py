"""``python -m benchmarks``: mockapigw against botocore's floor and moto, per call and per start+stop, and how
mockapigw scales (pagination, broadcast) with its WebSocket round trip."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass

from . import report, runner

# The default run takes about two minutes on a 2-core machine; --quick a few seconds (the smoke test's mode).
DEFAULT = runner.Settings(rounds=7, calls=200, batches=5, warmup=100)
QUICK = runner.Settings(rounds=1, calls=10, batches=2, warmup=5)
# Scaling: 1,000 and 10,000 routes / connections. A process times as many full paginations (broadcasts) as
# fit in 30,000 routes (3,000 posts), at least one: 30 and 3 paginations, 3 broadcasts of 1,000 and one of 10,000.
DEFAULT_SCALE = runner.ScaleSettings(
    rounds=3,
    sizes=report.FULL_SIZES,
    paginated_items=30000,
    broadcast_posts=3000,
    calls=500,
    batches=5,
    warmup=100,
)
# --quick: N = 100 and 1,000, one process per subject for all the scaling cases, a broadcast or two each.
QUICK_SCALE = runner.ScaleSettings(
    rounds=1,
    sizes=(100, 1000),
    paginated_items=2000,
    broadcast_posts=200,
    calls=20,
    batches=2,
    warmup=5,
    shared=True,
    import_size=500_000,
)


@dataclass(frozen=True)
class Options:
    """What the command line asks for."""

    settings: runner.Settings
    scale: runner.ScaleSettings
    per_call: bool
    scaling: bool
    json_path: str | None


def _sizes(text: str) -> tuple[int, ...]:
    sizes = tuple(sorted(int(part.replace("_", "")) for part in text.split(",")))
    if len(sizes) < 2 or sizes[0] < 1:
        raise argparse.ArgumentTypeError("give at least two positive sizes, e.g. 1000,10000")
    return sizes


def parse(argv: list[str] | None) -> Options:
    """The settings asked for on the command line, what to run, and where to write JSON (if anywhere)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="mockapigw against botocore's floor and moto, per call and per start+stop; and scaling.",
    )
    parser.add_argument("--quick", action="store_true", help="a few seconds, for smoke tests; figures are rough")
    parser.add_argument("--rounds", type=int, help=f"interleaved rounds (default {DEFAULT.rounds})")
    parser.add_argument("--calls", type=int, help=f"calls per timed batch (default {DEFAULT.calls})")
    parser.add_argument("--batches", type=int, help=f"timed batches per process (default {DEFAULT.batches})")
    parser.add_argument("--warmup", type=int, help=f"untimed calls first (default {DEFAULT.warmup})")
    parser.add_argument(
        "--scale-rounds", type=int, help=f"interleaved rounds of the scaling cases (default {DEFAULT_SCALE.rounds})"
    )
    parser.add_argument(
        "--sizes", type=_sizes, help="N for the scaling cases, comma-separated (default 1000,10000; --quick 100,1000)"
    )
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--no-scaling", action="store_true", help="only the per-call and start+stop cases")
    which.add_argument("--scaling-only", action="store_true", help="only the scaling cases")
    parser.add_argument("--json", metavar="PATH", help="also write all figures to PATH as JSON")
    args = parser.parse_args(argv)
    base, scale = (QUICK, QUICK_SCALE) if args.quick else (DEFAULT, DEFAULT_SCALE)
    settings = runner.Settings(
        rounds=args.rounds or base.rounds,
        calls=args.calls or base.calls,
        batches=args.batches or base.batches,
        warmup=base.warmup if args.warmup is None else args.warmup,
    )
    scale = runner.ScaleSettings(
        rounds=args.scale_rounds or scale.rounds,
        sizes=args.sizes or scale.sizes,
        paginated_items=scale.paginated_items,
        broadcast_posts=scale.broadcast_posts,
        calls=scale.calls,
        batches=scale.batches,
        warmup=scale.warmup,
        shared=scale.shared,
        import_size=scale.import_size,
        import_passes=scale.import_passes,
    )
    return Options(settings, scale, not args.scaling_only, not args.no_scaling, args.json)


def main(argv: list[str] | None = None) -> int:
    """Run, print the tables and the verdict; the exit status is 0 whatever the verdict (it is a report)."""
    options = parse(argv)
    env = report.environment()
    print(", ".join(f"{key} {value}" for key, value in env.items()))

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    results = runner.run(options.settings, progress) if options.per_call else None
    scaling = runner.run_scaling(options.scale, progress) if options.scaling else None
    if results is not None:
        print()
        print(report.table(results))
    if scaling is not None:
        print()
        print(report.scaling_tables(scaling, options.scale))
    print()
    print(report.verdict(results, scaling, options.scale.sizes)[1])
    if options.json_path:
        with open(options.json_path, "w", encoding="utf-8") as file:
            json.dump(report.as_json(results, options.settings, scaling, options.scale), file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
