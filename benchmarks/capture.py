"""Record, in its own process, the wire responses mockapigw gives for each case: the floor replays them.

``python -m benchmarks.capture OUT`` writes ``{case: {event name: [status, headers, base64 body]}}``;
cases mockapigw does not implement yet are left out.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from . import canned
from .cases import CALLS
from .subjects import Mockapigw

# Enough calls to pass the index-dependent branches of a case (e.g. draining) and record steady answers.
CALLS_PER_CASE = 3


class Recording(Mockapigw):
    """mockapigw, with a recorder on every client it hands out."""

    def __init__(self, into: canned.Canned) -> None:
        super().__init__()
        self._record = canned.recorder(into)

    def instrument(self, client: Any) -> None:
        client.meta.events.register("response-received", self._record)


def capture() -> dict[str, Any]:
    """The recorded responses of every case mockapigw implements."""
    recorded: dict[str, Any] = {}
    for case, prepare in CALLS.items():
        answers: canned.Canned = {}
        subject = Recording(answers)
        subject.start()
        try:
            call = prepare(subject, CALLS_PER_CASE)
            for i in range(CALLS_PER_CASE):
                call(i)
        except NotImplementedError:
            continue
        finally:
            subject.stop()
        recorded[case] = canned.to_json(answers)
    return recorded


def main() -> None:
    """Command-line entry point: write the recording to the path given as the only argument."""
    with open(sys.argv[1], "w", encoding="utf-8") as file:
        json.dump(capture(), file)


if __name__ == "__main__":
    main()
