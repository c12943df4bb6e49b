"""The documentation runs: every ```python block of README.md and docs/, and the generated operations page."""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

import mockapigw

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


_STATUS_OF_SECTION = {"Supported": "supported", "Not yet supported": "not yet"}


def _rows(markdown: str, service: str) -> dict[str, tuple[str, str]]:
    """``{operation: (boto3 method, status)}`` from *service*'s tables, the status named by each table's section."""
    section = markdown.split(f"## `{service}`", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, tuple[str, str]] = {}
    status = ""
    for line in section.splitlines():
        heading = re.match(r"### (.+) \((\d+)\)$", line)
        if heading:
            status = _STATUS_OF_SECTION[heading.group(1)]
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            assert status, f"a table row before any section heading: {line}"
            rows[cells[0]] = (cells[1].strip("`"), status)
    return rows


def test_operations_page_lists_supported_operations_before_the_others() -> None:
    markdown = _hooks().operations_markdown()
    section = markdown.split("## `apigatewayv2`", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+) \((\d+)\)$", section, flags=re.MULTILINE)
    names = [name for name, _ in headings]
    assert names == ["Supported"]  # "Not yet supported" follows only for operations of a newer botocore
    assert sum(int(count) for _, count in headings) == 103
    # Names stay on one line: every table sits in the div the stylesheet keeps from wrapping.
    assert section.count('<div class="operations" markdown>') == len(headings)
    css = (DOCS / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert re.search(r"\.operations[^{]*td[^{]*\{[^}]*white-space:\s*nowrap", css)


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
    assert "| CreateApi | `create_api` | <code>POST /<wbr>v2/<wbr>apis</code> |" in page
    changelog = hooks.on_page_markdown("# Changelog\n\n<!-- changelog -->\n", page=None)
    assert "<!-- changelog -->" not in changelog
    assert "## [Unreleased]" in changelog


def test_readme_and_docs_agree_with_the_package_on_python_versions() -> None:
    # tomllib is 3.11+, and this suite runs on the oldest supported Python too.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'^requires-python = ">=(3\.\d+)"$', pyproject, flags=re.MULTILINE)
    assert floor is not None, "pyproject.toml's requires-python is not of the form >=3.N"
    claim = f"Python {floor.group(1)} or later"
    for path in (ROOT / "README.md", DOCS / "index.md", DOCS / "getting-started.md"):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert claim in text, f"{path.name} does not say {claim!r}"
        assert not re.search(r"Python 3\.\d+ or later", text.replace(claim, "")), f"{path.name} names another floor"


def test_home_page_shows_the_install_command() -> None:
    home = (DOCS / "index.md").read_text(encoding="utf-8")
    assert re.search(r"```sh\n(?:[^`]*\n)?python -m pip install -e \.\n", home)


def test_citations_of_the_aws_behaviour_page_name_existing_sections() -> None:
    page = (DOCS / "reference" / "aws-behaviour.md").read_text(encoding="utf-8")
    sections = set(re.findall(r"^#+ §([\d.]+) .*\{ #s\1 \}$", page, flags=re.MULTILINE))
    assert {"1", "3.3", "5.1", "9.4"} <= sections
    cited = {
        (path.name, number)
        for folder in (Path(mockapigw.__file__).parent, ROOT / "tests", ROOT / "docs", ROOT / "examples")
        for path in folder.rglob("*.py")
        for number in re.findall(r"aws-behaviour\.md §([\d.]*\d)", path.read_text(encoding="utf-8"))
    }
    cited |= {
        (path.name, number)
        for path in MARKDOWN_FILES
        for number in re.findall(r"aws-behaviour\.md#s([\d.]*\d)", path.read_text(encoding="utf-8"))
    }
    assert cited, "nothing cites the page: the check would pass vacuously"
    assert {(name, number) for name, number in cited if number not in sections} == set()
