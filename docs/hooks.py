"""mkdocs hooks: build the operations tables from botocore's models and the backends, include the changelog."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

OPERATIONS_MARKER = "<!-- operations-table -->"
CHANGELOG_MARKER = "<!-- changelog -->"

ROOT = Path(__file__).resolve().parent.parent

SUPPORTED = "supported"
NOT_YET = "not yet"  # an operation a newer botocore has and the table of operations lacks


def _import_from_checkout() -> None:
    # `mkdocs build` from a checkout where mockapigw is not pip-installed: the package sits next to docs/.
    if importlib.util.find_spec("mockapigw") is None:
        sys.path.insert(0, str(ROOT))


def operation_rows(service_name: str, implemented: set[str]) -> list[tuple[str, str, str, str, str]]:
    """``(operation, boto3 method, HTTP method, requestUri, status)`` for every operation, sorted by name."""
    _import_from_checkout()
    from botocore import xform_name

    from mockapigw.core.model import service_model

    model = service_model(service_name)
    rows = []
    for name in sorted(model.operation_names):
        http = model.operation_model(name).http
        status = SUPPORTED if name in implemented else NOT_YET
        rows.append((name, xform_name(name), http.get("method", "POST"), http.get("requestUri", "/"), status))
    return rows


# Subsection headings of a service's operations, by status, in page order.
SECTIONS = {SUPPORTED: "Supported", NOT_YET: "Not yet supported"}
_SECTION_NOTES = {
    NOT_YET: "Newer than this mockapigw: calling one raises `mockapigw.UnsupportedOperation`, which names it; the "
    "call is never sent anywhere.",
}


def _request(verb: str, uri: str) -> str:
    """``<code>VERB /uri</code>``, breakable only after a slash when the column is narrow."""
    return f"<code>{verb} {uri.replace('/', '/<wbr>')}</code>"


def _section(status: str, rows: list[tuple[str, str, str, str, str]]) -> list[str]:
    lines = [f"### {SECTIONS[status]} ({len(rows)})", ""]
    if status in _SECTION_NOTES:
        lines += [_SECTION_NOTES[status], ""]
    # The div keeps operation names and boto3 methods on one line (docs/stylesheets/extra.css).
    lines += ['<div class="operations" markdown>', ""]
    lines += ["| Operation | boto3 method | HTTP request |", "| --- | --- | --- |"]
    lines += [f"| {name} | `{method}` | {_request(verb, uri)} |" for name, method, verb, uri, _ in rows]
    return [*lines, "", "</div>", ""]


def _table(service_name: str, implemented: set[str]) -> str:
    rows = operation_rows(service_name, implemented)
    supported = sum(1 for row in rows if row[4] == SUPPORTED)
    lines = [f"## `{service_name}`", "", f"**{supported} of {len(rows)} operations supported.**", ""]
    for status in SECTIONS:
        section = [row for row in rows if row[4] == status]
        if section:
            lines += _section(status, section)
    return "\n".join(lines)


def operations_markdown() -> str:
    """The markdown of the operations tables, one per service."""
    _import_from_checkout()
    from mockapigw.apigatewayv2.service import implemented_operations as apigatewayv2_operations
    from mockapigw.management.service import implemented_operations as management_operations

    return "\n".join(
        [
            _table("apigatewayv2", apigatewayv2_operations()),
            _table("apigatewaymanagementapi", management_operations()),
        ]
    )


def changelog_markdown() -> str:
    """The repository's CHANGELOG.md without its top-level title (the page has its own)."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    return re.sub(r"\A# [^\n]*\n", "", text)


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    """Replace the generated-content markers of a page."""
    if OPERATIONS_MARKER in markdown:
        markdown = markdown.replace(OPERATIONS_MARKER, operations_markdown())
    if CHANGELOG_MARKER in markdown:
        markdown = markdown.replace(CHANGELOG_MARKER, changelog_markdown())
    return markdown
