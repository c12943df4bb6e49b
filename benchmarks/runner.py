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

from . import CASES, SUBJECTS
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


def run(settings: Settings, progress: Callable[[str], None]) -> Results:
    """Measure everything; *progress* gets a line per process."""
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
