"""The modules of mockapigw/apigatewayv2 import each other without a cycle.

Every import counts: module level, under ``TYPE_CHECKING`` and inside functions. A cycle would mean the file
split does not split the code (aws-facts aside, issue 13's design rule).
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "mockapigw.apigatewayv2"
ROOT = Path(__file__).resolve().parents[1] / "mockapigw" / "apigatewayv2"


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The sibling modules that *path* imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1:
                base = node.module
            elif node.level == 0 and node.module and node.module.startswith(PACKAGE + "."):
                base = node.module[len(PACKAGE) + 1 :]
            elif node.level == 0 and node.module == PACKAGE:
                base = None
            else:
                continue
            if base is None:  # from . import a, b
                found.update(alias.name for alias in node.names if alias.name in modules)
            else:
                found.add(base.split(".")[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith(PACKAGE + "."):
                    found.add(alias.name[len(PACKAGE) + 1 :].split(".")[0])
    return (found & modules) - {path.stem}


def _graph() -> dict[str, set[str]]:
    paths = {path.stem: path for path in ROOT.glob("*.py")}
    modules = set(paths) - {"__init__"}
    return {name: _imports(paths[name], modules) for name in sorted(modules)}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of *graph* (a list of modules, first repeated last), or ``None``."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*stack[stack.index(target) :], target]
            if target not in state:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for start in graph:
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None


def test_the_checker_finds_cycles() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_checker_reads_every_kind_of_import(tmp_path: Path) -> None:
    source = tmp_path / "sample.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "from . import store\n"
        "from .lookup import api\n"
        "import mockapigw.apigatewayv2.tags\n"
        "if TYPE_CHECKING:\n    from .resources import Api\n"
        "def f():\n    from mockapigw.apigatewayv2.routes import create_route\n"
        "from ..core import clock\n"
    )
    modules = {"store", "lookup", "tags", "resources", "routes", "clock"}
    assert _imports(source, modules) == {"store", "lookup", "tags", "resources", "routes"}


def test_apigatewayv2_has_no_import_cycle() -> None:
    graph = _graph()
    assert {"store", "table", "resources", "lookup"} <= set(graph)
    cycle = _cycle(graph)
    assert cycle is None, f"import cycle in {PACKAGE}: {' -> '.join(cycle or [])}"
