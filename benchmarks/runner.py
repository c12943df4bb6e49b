"""Interleaved rounds of worker processes, and the medians across them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import CASES, IMPORT_SIZE, SCALE_CASES, SCALE_SUBJECTS, SIZED_CASES, SUBJECTS
from .timing import median

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    """How much to measure: rounds of one process per subject and case, each timing batches of calls."""

    rounds: int
    calls: int
    batches: int
    warmup: int


@dataclass
class Outcome:
    """What one subject did in one case: a per-round median each round, or why it was not measured."""

    rounds_us: list[float] = field(default_factory=list)
    missing: str = ""

    @property
    def median_us(self) -> float | None:
        """The median across rounds, in microseconds per call."""
        return median(self.rounds_us) if self.rounds_us else None


Results = dict[str, dict[str, Outcome]]  # case -> subject -> outcome


@dataclass(frozen=True)
class ScaleSettings:
    """How much to measure for the scaling cases.

    Each round runs one process per case, subject and size (with *shared*, one process per subject runs them
    all in turn, each under a fresh subject: for ``--quick``). A process times as many full paginations (or
    broadcasts) as fit in *paginated_items* routes (*broadcast_posts* posts), at least one; the round trip
    times *batches* batches of *calls* operations. *warmup* untimed posts or operations come first.
    """

    rounds: int
    sizes: tuple[int, ...]
    paginated_items: int
    broadcast_posts: int
    calls: int
    batches: int
    warmup: int
    shared: bool = False
    import_size: int = IMPORT_SIZE  # bytes of the OpenAPI import case's JSON document
    import_passes: int = 1  # per process; each scaling round is a process

    def passes(self, case: str, size: int) -> int:
        """Timed passes per process of a sized case at *size*."""
        budget = self.paginated_items if case == "paginate_routes" else self.broadcast_posts
        return max(1, budget // size)


@dataclass
class ScaleOutcome:
    """What one subject did in one scaling case at one size: per figure, the per-round medians (ns)."""

    rounds_ns: dict[str, list[float]] = field(default_factory=dict)
    info: dict[str, int] = field(default_factory=dict)
    missing: str = ""

    def median_ns(self, figure: str) -> float | None:
        """The median across rounds of *figure*, in nanoseconds (per pass, or per operation)."""
        values = self.rounds_ns.get(figure)
        return median(values) if values else None


# (case, subject, size) -> outcome; the round trip has size 0.
ScaleResults = dict[tuple[str, str, int], ScaleOutcome]


def _python(module: str, *args: str) -> str:
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    # The repository root first, so the checkout is measured rather than some installed copy.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"python -m {module} {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def schedule(round_index: int) -> list[tuple[str, str]]:
    """The order of one round: every case x subject once, rotated by one step per round."""
    jobs = [(case, subject) for case in CASES for subject in SUBJECTS]
    shift = round_index % len(jobs)
    return jobs[shift:] + jobs[:shift]


def scale_jobs(settings: ScaleSettings) -> list[tuple[str, str, int]]:
    """Every (case, subject, size) the scaling rounds run, in the order of the first round."""
    return [
        (case, subject, size)
        for case in SCALE_CASES
        for subject in SCALE_SUBJECTS[case]
        for size in (settings.sizes if case in SIZED_CASES else (0,))
    ]


def run_scaling(settings: ScaleSettings, progress: Callable[[str], None]) -> ScaleResults:
    """Measure the scaling cases in interleaved rounds, like the per-call ones; *progress* gets a line per process."""
    jobs = scale_jobs(settings)
    results: ScaleResults = {job: ScaleOutcome() for job in jobs}
    for round_index in range(settings.rounds):
        shift = round_index % len(jobs)
        pending = [job for job in jobs[shift:] + jobs[:shift] if not results[job].missing]
        if settings.shared:
            groups = [[job for job in pending if job[1] == subject] for subject in dict.fromkeys(j[1] for j in pending)]
        else:
            groups = [[job] for job in pending]
        for group in groups:
            subject = group[0][1]
            names = ", ".join(f"{case}{f' N={size:,}' if size else ''}" for case, _, size in group)
            progress(f"scaling round {round_index + 1}/{settings.rounds}: {subject} {names}")
            specs = [_spec(settings, case, size) for case, _, size in group]
            output = _python(
                "benchmarks.worker",
                subject,
                *specs,
                f"--calls={settings.calls}",
                f"--batches={settings.batches}",
                f"--warmup={settings.warmup}",
            )
            for job, line in zip(group, output.strip().splitlines()[-len(group) :], strict=True):
                _record(results[job], json.loads(line))
    return results


def _spec(settings: ScaleSettings, case: str, size: int) -> str:
    """A worker's scaling job: ``CASE:SIZE:PASSES``."""
    if case == "openapi_import":
        return f"{case}:{settings.import_size}:{settings.import_passes}"
    return f"{case}:{size}:{settings.passes(case, size) if size else 1}"


def _record(outcome: ScaleOutcome, answer: dict[str, Any]) -> None:
    if answer["status"] != "ok":
        outcome.missing = answer["reason"]
        return
    for figure, values in answer["figures"].items():
        outcome.rounds_ns.setdefault(figure, []).append(median(values))
    outcome.info = answer["info"]


def run(settings: Settings, progress: Callable[[str], None]) -> Results:
    """Measure the per-call and start+stop cases; *progress* gets a line per process."""
    results: Results = {case: {subject: Outcome() for subject in SUBJECTS} for case in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        recorded = str(Path(tmp) / "canned.json")
        _python("benchmarks.capture", recorded)
        for round_index in range(settings.rounds):
            for case, subject in schedule(round_index):
                outcome = results[case][subject]
                if outcome.missing:
                    continue  # not implemented: asking again in later rounds would only cost time
                progress(f"round {round_index + 1}/{settings.rounds}: {subject} {case}")
                output = _python(
                    "benchmarks.worker",
                    subject,
                    case,
                    f"--calls={settings.calls}",
                    f"--batches={settings.batches}",
                    f"--warmup={settings.warmup}",
                    f"--canned={recorded}",
                )
                answer = json.loads(output.strip().splitlines()[-1])
                if answer["status"] == "ok":
                    outcome.rounds_us.append(median(answer["per_call_ns"]) / 1000)
                else:
                    outcome.missing = answer["reason"]
    return results
