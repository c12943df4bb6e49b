"""Smoke test of the OpenAPI import benchmark case: it imports its documents and refuses the alias bomb."""

from __future__ import annotations

import json

from helpers import run_module

from benchmarks import documents, report
from benchmarks.runner import ScaleOutcome


def test_the_import_case_runs_and_is_reported() -> None:
    done = run_module("benchmarks.worker", "mockapigw", "openapi_import:100000:1")
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == "ok", answer
    assert set(answer["figures"]) == {"json", "yaml", "alias_bomb"}
    assert answer["info"]["routes"] == documents.ROUTES
    assert answer["info"]["json_bytes"] >= 100_000
    outcome = ScaleOutcome({name: [values[0]] for name, values in answer["figures"].items()}, answer["info"])
    table = report.import_table(outcome)
    assert f"({documents.ROUTES} routes)" in table
    assert "YAML alias bomb (refused)" in table


def test_the_alias_bomb_names_billions_of_strings_in_a_few_hundred_bytes() -> None:
    import yaml

    bomb = documents.alias_bomb()
    assert len(bomb) < 600
    tree = yaml.safe_load(bomb)  # PyYAML shares the repeated nodes; expanding them is what costs
    assert len(tree["x-l8"]) == 9 and tree["x-l8"][0] is tree["x-l7"]
