"""The results table, the verdict against the targets, and the JSON record."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
from typing import Any

from . import (
    CALL_CASES,
    PAGE_SIZE,
    SCALE_SUBJECTS,
    SIZED_CASES,
    SUBJECTS,
    TARGET_PER_CALL_RATIO,
    TARGET_SCALING_RATIO,
    TARGET_START_STOP_US,
)
from .runner import Results, ScaleOutcome, ScaleResults, ScaleSettings, Settings

NOT_MEASURED = "n/a (not implemented yet)"
# The sizes of a full run's scaling cases (--quick measures smaller ones, and says so).
FULL_SIZES = (1000, 10000)
SIZED_TITLES = {
    "paginate_routes": f"Paginating routes: all pages of N routes (get_routes paginator, PageSize {PAGE_SIZE})",
    "broadcast": "Broadcast: PostToConnection of b'hello' to each of N connected clients in turn",
}
SIZED_UNITS = {"paginate_routes": "item", "broadcast": "post"}
ROUND_TRIP_ROWS = {
    "connect": "gw.connect, stage without a $connect route",
    "connect_lambda": "gw.connect, $connect route to the Lambda handler",
    "send_receive": "client.send + Lambda handler (two-way $default route) + client.receive",
    "http_requests": "requests.get to an HTTP API's invoke URL + Lambda handler (payload 2.0)",
    "http_invoke": "gw.invoke to the same URL + Lambda handler, without requests",
    "lambda_invocation": "one Lambda invocation alone: context, environment, serialization, gw.invocations record",
}


def _us(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:,.1f}"


def _ratio(value: float | None, base: float | None) -> str:
    return "-" if value is None or not base else f"{value / base:.2f}x"


def _markdown(rows: list[list[str]]) -> str:
    """*rows* (the first is the header) as a Markdown table with aligned columns."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in rows
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


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
    return _markdown(rows)


def per_item_us(scaling: ScaleResults, case: str, subject: str, size: int) -> float | None:
    """Median microseconds per item (route listed, post made) of a sized scaling case."""
    outcome = scaling.get((case, subject, size))
    total = outcome.median_ns("pass") if outcome else None
    return None if total is None else total / size / 1000


def scaling_ratio(scaling: ScaleResults, case: str, subject: str, sizes: tuple[int, ...]) -> float | None:
    """Per-item time at the largest size over that at the smallest: 1.00 is perfectly linear scaling."""
    small, large = (per_item_us(scaling, case, subject, size) for size in (sizes[0], sizes[-1]))
    return None if small is None or large is None or not small else large / small


def scaling_tables(scaling: ScaleResults, settings: ScaleSettings) -> str:
    """The scaling figures: a table per sized case, then the round trip's."""
    sizes = settings.sizes
    parts = [f"Scaling, N = {' and '.join(f'{size:,}' for size in sizes)}"]
    if sizes != FULL_SIZES:
        parts[0] += f" (a full run uses {' and '.join(f'{size:,}' for size in FULL_SIZES)})"
    rounds = f"{settings.rounds} round{'s' if settings.rounds > 1 else ''}"
    processes = "one process per subject (--quick)" if settings.shared else "one process per subject, case and N"
    parts[0] += f"; medians of {rounds}, {processes}."
    for case in SIZED_CASES:
        unit = SIZED_UNITS[case]
        header = ["subject", "N", "total (ms)", f"per {unit} (µs)", f"per {unit} / at N = {sizes[0]:,}"]
        if case == "paginate_routes":
            header.insert(2, "pages")
        rows = [header]
        for subject in SCALE_SUBJECTS[case]:
            base = per_item_us(scaling, case, subject, sizes[0])
            for size in sizes:
                outcome = scaling[(case, subject, size)]
                total = outcome.median_ns("pass")
                item = per_item_us(scaling, case, subject, size)
                row = [
                    subject,
                    f"{size:,}",
                    NOT_MEASURED if total is None else f"{total / 1e6:,.1f}",
                    _us(item),
                    "-" if size == sizes[0] else _ratio(item, base),
                ]
                if case == "paginate_routes":
                    row.insert(2, str(outcome.info.get("pages", "-")))
                rows.append(row)
        parts.append(f"{SIZED_TITLES[case]}:\n\n{_markdown(rows)}")
    trip = scaling[("round_trip", "mockapigw", 0)]
    rows = [["WebSocket round trip (mockapigw)", "µs per operation"]]
    rows += [[label, _us(_ns_to_us(trip.median_ns(figure)))] for figure, label in ROUND_TRIP_ROWS.items()]
    parts.append(_markdown(rows))
    imports = scaling.get(("openapi_import", "mockapigw", 0))
    if imports is not None:
        parts.append(import_table(imports))
    return "\n\n".join(parts)


def import_table(outcome: ScaleOutcome) -> str:
    """The OpenAPI import case: milliseconds per ImportApi of each document."""
    info = outcome.info
    labels = {
        "json": f"import_api, {info.get('json_bytes', 0) / 1e6:.1f} MB JSON document ({info.get('routes', 0)} routes)",
        "yaml": f"import_api, the same document as {info.get('yaml_bytes', 0) / 1e6:.1f} MB of YAML",
        "alias_bomb": f"import_api, {info.get('alias_bomb_bytes', 0)}-byte YAML alias bomb (refused)",
    }
    rows = [["OpenAPI import (mockapigw)", "ms per import"]]
    for figure, label in labels.items():
        value = outcome.median_ns(figure)
        rows.append([label, NOT_MEASURED if value is None else f"{value / 1e6:,.1f}"])
    return _markdown(rows)


def _ns_to_us(value: float | None) -> float | None:
    return None if value is None else value / 1000


def verdict(
    results: Results | None, scaling: ScaleResults | None = None, sizes: tuple[int, ...] = FULL_SIZES
) -> tuple[bool, str]:
    """PASS when every measured target is met; cases mockapigw cannot run yet are listed, not failed."""
    checks: list[str] = []
    passed = True
    if results is not None:
        passed, checks = _per_call_checks(results)
    if scaling is not None:
        for case in SIZED_CASES:
            ratio = scaling_ratio(scaling, case, "mockapigw", sizes)
            if ratio is None:
                passed = False
                checks.append(f"{case} not measured")
                continue
            ok = ratio <= TARGET_SCALING_RATIO
            passed &= ok
            checks.append(
                f"{case} per {SIZED_UNITS[case]} at N={sizes[-1]:,} {ratio:.2f}x that at N={sizes[0]:,} "
                f"{'<=' if ok else '>'} {TARGET_SCALING_RATIO:.2f}x"
            )
    return passed, f"{'PASS' if passed else 'MISS'}: " + "; ".join(checks)


def _per_call_checks(results: Results) -> tuple[bool, list[str]]:
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
    return passed, checks


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


def as_json(
    results: Results | None,
    settings: Settings,
    scaling: ScaleResults | None = None,
    scale_settings: ScaleSettings | None = None,
) -> dict[str, Any]:
    """Everything measured, for ``--json``; scaling figures in nanoseconds (per pass, or per operation)."""
    sizes = scale_settings.sizes if scale_settings else FULL_SIZES
    passed, line = verdict(results, scaling, sizes)
    return {
        "environment": environment(),
        "settings": vars(settings),
        "scale_settings": vars(scale_settings) if scale_settings else None,
        "results": {
            case: {
                subject: {"median_us": outcome.median_us, "rounds_us": outcome.rounds_us, "missing": outcome.missing}
                for subject, outcome in outcomes.items()
            }
            for case, outcomes in (results or {}).items()
        },
        "scaling": [
            {
                "case": case,
                "subject": subject,
                "size": size or None,
                "median_ns": {figure: outcome.median_ns(figure) for figure in outcome.rounds_ns},
                "rounds_ns": outcome.rounds_ns,
                "info": outcome.info,
                "missing": outcome.missing,
            }
            for (case, subject, size), outcome in (scaling or {}).items()
        ],
        "verdict": {"passed": passed, "line": line},
    }
