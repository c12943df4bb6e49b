"""The results table, the verdict against the targets, and the JSON record."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
from typing import Any

from . import CALL_CASES, SUBJECTS, TARGET_PER_CALL_RATIO, TARGET_START_STOP_US
from .runner import Results, Settings

NOT_MEASURED = "n/a (not implemented yet)"


def _us(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:,.1f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "-" if value is None or not base else f"{value / base:.2f}x"


def table(results: Results) -> str:
    """A Markdown table: median microseconds per call (per start+stop) and mockapigw's ratios."""
    header = ["case", *(f"{subject} (µs)" for subject in SUBJECTS), "mockapigw / floor", "mockapigw / moto"]
    rows = [header]
    for case, outcomes in results.items():
        medians = {subject: outcome.median_us for subject, outcome in outcomes.items()}
        mine = medians["mockapigw"]
        rows.append(
            [
                "start+stop" if case == "start_stop" else case,
                *(_us(medians[subject]) for subject in SUBJECTS),
                _ratio(mine, medians["floor"]),
                _ratio(mine, medians["moto"]),
            ]
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def verdict(results: Results) -> tuple[bool, str]:
    """PASS when every measured target is met; cases mockapigw cannot run yet are listed, not failed."""
    checks: list[str] = []
    passed = True
    for case in CALL_CASES:
        mine, floor = results[case]["mockapigw"].median_us, results[case]["floor"].median_us
        if mine is None or floor is None:
            checks.append(f"{case} not measured")
            continue
        ok = mine <= TARGET_PER_CALL_RATIO * floor
        passed &= ok
        checks.append(f"{case} {mine / floor:.2f}x floor {'<=' if ok else '>'} {TARGET_PER_CALL_RATIO:.2f}x")
    start_stop = results["start_stop"]["mockapigw"].median_us
    if start_stop is None:
        passed = False
        checks.append("start+stop not measured")
    else:
        ok = start_stop <= TARGET_START_STOP_US
        passed &= ok
        checks.append(f"start+stop {start_stop:.1f} µs {'<=' if ok else '>'} {TARGET_START_STOP_US:.0f} µs")
    return passed, f"{'PASS' if passed else 'MISS'}: " + "; ".join(checks)


def environment() -> dict[str, str]:
    """Versions and machine facts worth printing next to the figures."""
    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "botocore": importlib.metadata.version("botocore"),
        "boto3": importlib.metadata.version("boto3"),
        "moto": importlib.metadata.version("moto"),
        "cpus": str(os.cpu_count()),
        "platform": platform.platform(),
    }


def as_json(results: Results, settings: Settings) -> dict[str, Any]:
    """Everything measured, for ``--json``."""
    passed, line = verdict(results)
    return {
        "environment": environment(),
        "settings": vars(settings),
        "results": {
            case: {
                subject: {"median_us": outcome.median_us, "rounds_us": outcome.rounds_us, "missing": outcome.missing}
                for subject, outcome in outcomes.items()
            }
            for case, outcomes in results.items()
        },
        "verdict": {"passed": passed, "line": line},
    }
