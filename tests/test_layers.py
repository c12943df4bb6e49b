"""The layer rules of docs/architecture.md, checked on the package's source.

Every ``import`` and ``from … import`` counts wherever it stands: at the top, under ``if TYPE_CHECKING:``, inside a
function, or as ``importlib.import_module("…")`` with a literal name. The source read is the imported package's, so
the check also holds for an installed wheel.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import mockapigw

PACKAGE = Path(mockapigw.__file__).resolve().parent

# Modules that parse or build HTTP messages, URLs or headers. A backend receives decoded parameters from its adapter
# and knows none of these. Each entry covers the module and its submodules.
HTTP_PARSING = (
    "http",  # http.client, http.cookies, http.server, http.HTTPStatus
    "urllib",  # urllib.parse, urllib.request
    "email",  # header parsing (email.parser, email.utils)
    "requests",
    "responses",
    "urllib3",
    "botocore.awsrequest",
    "mockapigw.runtime.endpoints",  # the front door: turning a URL or host into an API and stage is its job
)


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


def _docstring_nodes(tree: ast.AST) -> set[int]:
    holders = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, holders)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


@dataclass(frozen=True)
class Module:
    """One module of a package: its dotted name and its parsed source."""

    name: str
    path: Path
    tree: ast.Module
    is_package: bool

    def _resolve(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        base = self.name.split(".")
        if not self.is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        return ".".join([*base, node.module] if node.module else base)

    def imports(self, known: set[str]) -> Iterator[tuple[int, str]]:
        """``(line, module)`` for every import in the module; ``from X import y`` counts ``X.y`` when it is a module."""
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield node.lineno, alias.name
            elif isinstance(node, ast.ImportFrom):
                source = self._resolve(node)
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    yield node.lineno, submodule if submodule in known else source
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, (ast.Attribute, ast.Name))
                and (node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id)
                in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield node.lineno, node.args[0].value

    def strings(self) -> Iterator[tuple[int, str]]:
        """``(line, text)`` for every string literal that is not a docstring."""
        docstrings = _docstring_nodes(self.tree)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                yield node.lineno, node.value


def read_package(root: Path, name: str) -> list[Module]:
    """Every module under *root*, the directory of the package called *name*."""
    modules = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        dotted = ".".join([name, *(parts[:-1] if is_package else parts)])
        modules.append(Module(dotted, path, ast.parse(path.read_text(encoding="utf-8"), str(path)), is_package))
    return modules


@dataclass(frozen=True)
class Rule:
    """Modules under ``layer`` may import, from the package, only ``allowed``, and nothing in ``forbidden``."""

    description: str
    layer: str
    allowed: tuple[str, ...] | None = None  # package modules (and their submodules) the layer may import
    forbidden: tuple[str, ...] = ()  # modules (and their submodules), inside the package or not

    def violations(self, modules: list[Module], package: str) -> list[str]:
        known = {module.name for module in modules}
        found = []
        for module in modules:
            if not _within(module.name, [self.layer]):
                continue
            for line, imported in module.imports(known):
                inside = _within(imported, [package])
                refused = _within(imported, self.forbidden) or (
                    self.allowed is not None and inside and not _within(imported, self.allowed)
                )
                if refused:
                    found.append(f"{module.path.name}:{line} ({module.name}) imports {imported}")
        return found


RULES = [
    Rule("core knows no service", "mockapigw.core", allowed=("mockapigw.core",)),
    Rule(
        "the control plane never imports the runtime (nor what sits on top of it)",
        "mockapigw.apigatewayv2",
        allowed=("mockapigw.core", "mockapigw.apigatewayv2"),
    ),
    Rule(
        "management never imports the runtime (nor what sits on top of it)",
        "mockapigw.management",
        allowed=("mockapigw.core", "mockapigw.apigatewayv2", "mockapigw.management"),
    ),
    Rule("management imports no HTTP parsing", "mockapigw.management", forbidden=HTTP_PARSING),
    Rule(
        "the runtime never imports the mock, the plugin or server mode that drive it",
        "mockapigw.runtime",
        forbidden=("mockapigw.mock", "mockapigw.plugin", "mockapigw.server"),
    ),
]


@pytest.mark.parametrize("rule", RULES, ids=[rule.description for rule in RULES])
def test_layer_rule_holds(rule: Rule) -> None:
    assert rule.violations(read_package(PACKAGE, "mockapigw"), "mockapigw") == []


# Host names are the front door's business (runtime/endpoints.py): a backend that matches execute-api hosts parses
# HTTP with `re` where no import shows it.
HOST_FORMS = re.compile(r"execute-api|amazonaws\.com")


def test_management_matches_no_host_names() -> None:
    found = [
        f"{module.path.name}:{line} {text!r}"
        for module in read_package(PACKAGE, "mockapigw")
        if _within(module.name, ["mockapigw.management"])
        for line, text in module.strings()
        if HOST_FORMS.search(text)
    ]
    assert found == []


# The checker itself, on a small package that breaks each rule in one of the ways an import can hide.
VIOLATIONS = {
    "core/__init__.py": "",
    "core/codec.py": "def f():\n    from ..apigatewayv2 import routes\n",
    "apigatewayv2/__init__.py": "",
    "apigatewayv2/routes.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..runtime.http import X\n",
    "management/__init__.py": "",
    "management/backend.py": (
        "import importlib\nfrom urllib.parse import urlsplit\nSTAGE = importlib.import_module('mockapigw.runtime')\n"
    ),
    "management/service.py": "from .. import mock\nHOST = r'^(\\w+)\\.execute-api\\.'\n",
    "runtime/__init__.py": "",
    "runtime/http.py": "def run():\n    import mockapigw.plugin\n",
    "mock.py": "",
    "plugin.py": "",
    "__init__.py": '"""Mentions execute-api only in a docstring."""\n',
}


@pytest.fixture
def broken(tmp_path: Path) -> list[Module]:
    for relative, text in VIOLATIONS.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    return read_package(tmp_path, "mockapigw")


def test_the_checker_sees_function_local_type_checking_and_dynamic_imports(broken: list[Module]) -> None:
    found = {rule.description: rule.violations(broken, "mockapigw") for rule in RULES}
    assert found == {
        "core knows no service": ["codec.py:2 (mockapigw.core.codec) imports mockapigw.apigatewayv2.routes"],
        "the control plane never imports the runtime (nor what sits on top of it)": [
            "routes.py:3 (mockapigw.apigatewayv2.routes) imports mockapigw.runtime.http"
        ],
        "management never imports the runtime (nor what sits on top of it)": [
            "backend.py:3 (mockapigw.management.backend) imports mockapigw.runtime",
            "service.py:1 (mockapigw.management.service) imports mockapigw.mock",
        ],
        "management imports no HTTP parsing": ["backend.py:2 (mockapigw.management.backend) imports urllib.parse"],
        "the runtime never imports the mock, the plugin or server mode that drive it": [
            "http.py:2 (mockapigw.runtime.http) imports mockapigw.plugin"
        ],
    }


def test_the_checker_finds_host_names_outside_docstrings(broken: list[Module]) -> None:
    strings = [(module.name, text) for module in broken for _, text in module.strings() if HOST_FORMS.search(text)]
    assert strings == [("mockapigw.management.service", r"^(\w+)\.execute-api\.")]


# No import cycle inside the control plane (issue 13): its modules form layers too. Records and the store at the
# bottom, lookups and shared rules above them, operations (one module per resource) above those, the table on top.
ACYCLIC = ("mockapigw.apigatewayv2",)


def import_cycle(modules: list[Module], layer: str) -> list[str] | None:
    """One import cycle among the modules under *layer* (first module repeated last), or ``None``."""
    inside = {module.name: module for module in modules if _within(module.name, [layer])}
    known = {module.name for module in modules}
    graph = {
        name: sorted({imported for _, imported in module.imports(known) if imported in inside and imported != name})
        for name, module in inside.items()
    }
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = "open"
        path.append(name)
        for target in graph[name]:
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        path.pop()
        state[name] = "done"
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


@pytest.mark.parametrize("layer", ACYCLIC)
def test_no_import_cycle(layer: str) -> None:
    cycle = import_cycle(read_package(PACKAGE, "mockapigw"), layer)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_checker_counts_type_checking_and_function_local_imports(tmp_path: Path) -> None:
    files = {
        "__init__.py": "",
        "apigatewayv2/__init__.py": "",
        "apigatewayv2/store.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .apis import Api\n",
        "apigatewayv2/apis.py": "def create_api():\n    from . import routes\n",
        "apigatewayv2/routes.py": "from .store import Store\nfrom ..core import clock\n",
        "apigatewayv2/table.py": "from . import apis, routes\n",
        "core/__init__.py": "",
        "core/clock.py": "",
    }
    for relative, text in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text, encoding="utf-8")
    modules = read_package(tmp_path, "mockapigw")
    assert import_cycle(modules, "mockapigw.apigatewayv2") == [
        "mockapigw.apigatewayv2.apis",
        "mockapigw.apigatewayv2.routes",
        "mockapigw.apigatewayv2.store",
        "mockapigw.apigatewayv2.apis",
    ]
    (tmp_path / "apigatewayv2/store.py").write_text("from typing import TYPE_CHECKING\n", encoding="utf-8")
    assert import_cycle(read_package(tmp_path, "mockapigw"), "mockapigw.apigatewayv2") is None
