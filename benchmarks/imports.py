"""The OpenAPI import case (mockapigw only): ``ImportApi`` of a large document, as JSON and as YAML, and the
refusal of a YAML alias bomb; one figure per import, in nanoseconds."""

from __future__ import annotations

from collections.abc import Callable

from . import documents
from .scaling import Figures, _timed
from .subjects import Mockapigw, Subject


def openapi_import(subject: Subject, size: int, passes: int) -> tuple[Figures, dict[str, int]]:
    """Nanoseconds of each ``ImportApi`` of a *size*-byte JSON document, the same document as YAML, and the
    refusal of a YAML alias bomb; the documents' sizes in bytes and the routes imported."""
    if not isinstance(subject, Mockapigw):
        raise NotImplementedError(f"{subject.name} is not measured importing OpenAPI")
    client = subject.client("apigatewayv2")
    bodies = {"json": documents.large_json(size), "yaml": documents.large_yaml(size)}
    bomb = documents.alias_bomb()
    routes = 0

    def import_and_check(body: str) -> Callable[[], object]:
        def one_pass() -> None:
            nonlocal routes
            api_id = client.import_api(Body=body)["ApiId"]
            pages = client.get_paginator("get_routes").paginate(ApiId=api_id)
            routes = sum(len(page["Items"]) for page in pages)
            client.delete_api(ApiId=api_id)

        return one_pass

    def refuse_bomb() -> None:
        try:
            client.import_api(Body=bomb)
        except client.exceptions.BadRequestException:
            return
        raise RuntimeError("the alias bomb was imported")

    import_and_check(bodies["json"])()  # warm-up: the OpenAPI schema is compiled on the first import
    figures: Figures = {}
    for name, body in bodies.items():
        routes = 0
        # Timed with the check and the delete: both are small next to reading megabytes.
        figures[name] = _timed(passes, import_and_check(body))
        if routes != documents.ROUTES:
            raise RuntimeError(f"importing the {name} document gave {routes} routes, not {documents.ROUTES}")
    refuse_bomb()
    figures["alias_bomb"] = _timed(max(passes, 10), refuse_bomb)
    info = {f"{name}_bytes": len(body.encode()) for name, body in bodies.items()}
    info.update(alias_bomb_bytes=len(bomb.encode()), routes=routes)
    return figures, info
