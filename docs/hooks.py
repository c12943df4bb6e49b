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

# The project covers the 72 operations of the HTTP and WebSocket API control plane. The model's other 31
# (developer portals, portal products and custom-domain routing rules) are outside it.
_OUT_OF_SCOPE = re.compile(r"Portal|Product|RoutingRule")

SUPPORTED = "supported"
NOT_YET = "not yet"
OUT_OF_SCOPE = "out of scope"


def _import_from_checkout() -> None:
    # `mkdocs build` from a checkout where mockapigw is not pip-installed: the package sits next to docs/.
    if importlib.util.find_spec("mockapigw") is None:
        sys.path.insert(0, str(ROOT))


def in_scope(operation: str) -> bool:
    """Whether *operation* (a model operation name) is part of what mockapigw means to cover."""
    return _OUT_OF_SCOPE.search(operation) is None


def operation_rows(service_name: str, implemented: set[str]) -> list[tuple[str, str, str, str, str]]:
    """``(operation, boto3 method, HTTP method, requestUri, status)`` for every operation, sorted by name."""
    _import_from_checkout()
    from botocore import xform_name

    from mockapigw.core.model import service_model

    model = service_model(service_name)
    rows = []
    for name in sorted(model.operation_names):
        http = model.operation_model(name).http
        if name in implemented:
            status = SUPPORTED
        elif in_scope(name):
            status = NOT_YET
        else:
            status = OUT_OF_SCOPE
        rows.append((name, xform_name(name), http.get("method", "POST"), http.get("requestUri", "/"), status))
    return rows


# Subsection headings of a service's operations, by status, in page order.
SECTIONS = {SUPPORTED: "Supported", NOT_YET: "Not yet supported", OUT_OF_SCOPE: "Out of scope"}
_SECTION_NOTES = {
    NOT_YET: "In scope, but calling one raises `mockapigw.UnsupportedOperation`; the call is never sent anywhere.",
    OUT_OF_SCOPE: "Developer portals, portal products and routing rules: calling one raises "
    "`mockapigw.UnsupportedOperation`, and the call is never sent anywhere.",
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
    scoped = [row for row in rows if row[4] != OUT_OF_SCOPE]
    supported = sum(1 for row in scoped if row[4] == SUPPORTED)
    out_of_scope = len(rows) - len(scoped)
    lines = [f"## `{service_name}`", "", f"**{supported} of {len(scoped)} operations supported.**"]
    if out_of_scope:
        lines.append(
            f"The model has {len(rows)} operations; the {out_of_scope} about portals, products and routing rules "
            "are out of scope and not counted."
        )
    lines.append("")
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
