"""The documentation runs: every ```python block of README.md and docs/, and the generated operations page."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MARKDOWN_FILES = [ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]

# Snippets run as they are written; this only keeps botocore from probing EC2 metadata for a region.
MODULE_HEADER = 'import os\n\nos.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")\n\n'

# The boto3 methods of the apigatewayv2 client the project covers (portals, products, routing rules excluded).
IN_SCOPE_METHODS = [
    "create_api",
    "create_api_mapping",
    "create_authorizer",
    "create_deployment",
    "create_domain_name",
    "create_integration",
    "create_integration_response",
    "create_model",
    "create_route",
    "create_route_response",
    "create_stage",
    "create_vpc_link",
    "delete_access_log_settings",
    "delete_api",
    "delete_api_mapping",
    "delete_authorizer",
    "delete_cors_configuration",
    "delete_deployment",
    "delete_domain_name",
    "delete_integration",
    "delete_integration_response",
    "delete_model",
    "delete_route",
    "delete_route_request_parameter",
    "delete_route_response",
    "delete_route_settings",
    "delete_stage",
    "delete_vpc_link",
    "export_api",
    "get_api",
    "get_api_mapping",
    "get_api_mappings",
    "get_apis",
    "get_authorizer",
    "get_authorizers",
    "get_deployment",
    "get_deployments",
    "get_domain_name",
    "get_domain_names",
    "get_integration",
    "get_integration_response",
    "get_integration_responses",
    "get_integrations",
    "get_model",
    "get_model_template",
    "get_models",
    "get_route",
    "get_route_response",
    "get_route_responses",
    "get_routes",
    "get_stage",
    "get_stages",
    "get_tags",
    "get_vpc_link",
    "get_vpc_links",
    "import_api",
    "reimport_api",
    "reset_authorizers_cache",
    "tag_resource",
    "untag_resource",
    "update_api",
    "update_api_mapping",
    "update_authorizer",
    "update_deployment",
    "update_domain_name",
    "update_integration",
    "update_integration_response",
    "update_model",
    "update_route",
    "update_route_response",
    "update_stage",
    "update_vpc_link",
]


_OPEN_FENCE = re.compile(r"^(?P<indent>[ \t]*)```python\s*$")


def python_blocks(markdown: str) -> list[str]:
    """The ```python blocks of *markdown*, in order, without the indentation of their fence."""
    blocks: list[str] = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = _OPEN_FENCE.match(lines[index])
        index += 1
        if opening is None:
            continue
        indent = opening.group("indent")
        body: list[str] = []
        while index < len(lines) and lines[index].strip() != "```":
            body.append(lines[index])
            index += 1
        index += 1
        blocks.append("\n".join(line.removeprefix(indent) for line in body) + "\n")
    return blocks


def _is_test_class(node: ast.ClassDef) -> bool:
    bases = {base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "") for base in node.bases}
    return node.name.startswith("Test") or any(name.endswith("TestCase") for name in bases)


def expected_tests(source: str) -> int:
    """How many tests pytest should run from *source*; fail if a snippet shadows an earlier test's name."""
    tree = ast.parse(source)
    names = [
        node.name
        for node in tree.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and (node.name.startswith("test") or (isinstance(node, ast.ClassDef) and _is_test_class(node)))
    ]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"snippets define these tests more than once, so only the last one runs: {duplicates}"
    count = 0
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            count += 1
        elif isinstance(node, ast.ClassDef) and _is_test_class(node):
            count += sum(
                1
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test")
            )
    return count


def plugin_args() -> list[str]:
    """Load ``mockapigw.plugin`` exactly once, whether or not its ``pytest11`` entry point is installed."""
    args: list[str] = []
    for entry_point in importlib.metadata.entry_points(group="pytest11"):
        if entry_point.value == "mockapigw.plugin":
            args += ["-p", f"no:{entry_point.name}"]
    return [*args, "-p", "mockapigw.plugin"]


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=[str(p.relative_to(ROOT)) for p in MARKDOWN_FILES])
def test_python_snippets_run(path: Path, pytester: pytest.Pytester) -> None:
    blocks = python_blocks(path.read_text(encoding="utf-8"))
    if not blocks:
        pytest.skip("no python blocks")
    source = MODULE_HEADER + "\n\n".join(blocks)
    expected = expected_tests(source)
    module = "test_snippets_" + re.sub(r"\W", "_", str(path.relative_to(ROOT)).removesuffix(".md"))
    pytester.makepyfile(**{module: source})

    result = pytester.runpytest_inprocess(
        *plugin_args(), "-W", "error::RuntimeWarning", "-W", "error::pytest.PytestUnraisableExceptionWarning"
    )

    output = result.stdout.str()
    if expected == 0:
        assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED, output
        return
    assert result.ret == pytest.ExitCode.OK, output
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed") == expected, output
    assert set(outcomes) <= {"passed", "warnings", "warning"}, output


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mockapigw_docs_hooks", DOCS / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(markdown: str, service: str) -> dict[str, tuple[str, str]]:
    """``{operation: (boto3 method, status)}`` from *service*'s table in the operations markdown."""
    section = markdown.split(f"## `{service}`", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1].startswith("`"):
            rows[cells[0]] = (cells[1].strip("`"), cells[3])
    return rows


def test_operations_page_lists_every_operation_supported() -> None:
    markdown = _hooks().operations_markdown()
    rows = _rows(markdown, "apigatewayv2")

    assert len(rows) == 103
    methods = dict(rows.values())
    assert set(IN_SCOPE_METHODS) <= set(methods)
    assert methods == dict.fromkeys(methods, "supported")
    assert "**103 of 103 operations supported.**" in markdown


def test_operations_page_lists_the_connections_api() -> None:
    markdown = _hooks().operations_markdown()
    rows = _rows(markdown, "apigatewaymanagementapi")
    assert {name: method for name, (method, _) in rows.items()} == {
        "DeleteConnection": "delete_connection",
        "GetConnection": "get_connection",
        "PostToConnection": "post_to_connection",
    }
    assert {status for _, status in rows.values()} == {"supported"}
    assert "**3 of 3 operations supported.**" in markdown


def test_hook_fills_in_the_markers() -> None:
    hooks = _hooks()
    page = hooks.on_page_markdown("# Operations\n\n<!-- operations-table -->\n", page=None)
    assert "<!-- operations-table -->" not in page
    assert "| CreateApi | `create_api` | `POST /v2/apis` |" in page
    changelog = hooks.on_page_markdown("# Changelog\n\n<!-- changelog -->\n", page=None)
    assert "<!-- changelog -->" not in changelog
    assert "## [Unreleased]" in changelog
