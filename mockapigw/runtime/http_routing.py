"""Which HTTP API, stage and route a request reaches (aws-facts §3.3)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..apigatewayv2.apis import Api
from ..apigatewayv2.deployments import Snapshot, served_snapshot
from ..apigatewayv2.records import HTTP
from .requests_hook import Claim

if TYPE_CHECKING:
    from ..apigatewayv2.service import ApiGatewayV2Service

EXECUTE_API_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$")


@dataclass
class Target:
    """A request resolved to a deployed stage: the path the API sees, and the stage prefix AWS keeps in it."""

    api: Api
    region: str
    stage: str
    snapshot: Snapshot
    path: str
    raw_path: str
    domain_name: str
    domain_prefix: str


NOT_FOUND = 404
FORBIDDEN = 403


def claims(control_plane: ApiGatewayV2Service, account_id: str, host: str) -> Claim:
    """How *host* is the mock's: an API or custom domain it has, or another execute-api host (any region or id)."""
    host = host.lower()
    match = EXECUTE_API_HOST.match(host)
    name = host.split(":")[0]
    for backend in control_plane.backends:  # not backends(account, region): a claim must create nothing
        if backend.account_id != account_id:
            continue
        if match is None:
            if backend.domain_names.get(name) is not None:
                return Claim.SERVE
        elif backend.region == match.group(2) and backend.apis.get(match.group(1)) is not None:
            return Claim.SERVE
    return Claim.NONE if match is None else Claim.REFUSE


def resolve(control_plane: ApiGatewayV2Service, account_id: str, host: str, path: str) -> Target | int | None:
    """The target of ``host`` + ``path``; a status (404, 403) API Gateway answers with; ``None`` if not ours."""
    host = host.lower()
    match = EXECUTE_API_HOST.match(host)
    if match is not None:
        api_id, region = match.group(1), match.group(2)
        api = control_plane.backends(account_id, region).apis.get(api_id)
        if api is None or api.protocol != HTTP:
            return None
        if api.get("DisableExecuteApiEndpoint"):
            return FORBIDDEN
        return _stage_target(api, region, path, host.split(":")[0], api_id) or NOT_FOUND
    for backend in control_plane.backends:
        if backend.account_id != account_id:
            continue
        domain = backend.domain_names.get(host.split(":")[0])
        if domain is None:
            continue
        found = domain.mapping_for(path)
        if found is None:
            return NOT_FOUND
        mapping, rest = found
        api = backend.apis.get(str(mapping["ApiId"]))
        stage = str(mapping["Stage"])
        snapshot = served_snapshot(api, stage) if api is not None and api.protocol == HTTP else None
        if api is None or snapshot is None:
            return NOT_FOUND
        return Target(api, backend.region, stage, snapshot, rest, path, host, host.split(".")[0])
    return None


def _stage_target(api: Api, region: str, path: str, host: str, api_id: str) -> Target | None:
    segments = path.split("/")
    first = unquote(segments[1]) if len(segments) > 1 else ""
    if first and first != "$default" and api.stages.get(first) is not None:
        snapshot = served_snapshot(api, first)
        if snapshot is None:
            return None
        rest = "/" + "/".join(segments[2:])
        return Target(api, region, first, snapshot, rest, path, host, api_id)
    if api.stages.get("$default") is not None:
        snapshot = served_snapshot(api, "$default")
        if snapshot is not None:
            return Target(api, region, "$default", snapshot, path, path, host, api_id)
    return None


# ---------------------------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class _Pattern:
    method: str
    segments: tuple[str, ...]
    greedy: bool

    def match(self, parts: list[str]) -> dict[str, str] | None:
        fixed = self.segments[:-1] if self.greedy else self.segments
        if self.greedy:
            if len(parts) <= len(fixed):
                return None
        elif len(parts) != len(fixed):
            return None
        params: dict[str, str] = {}
        for segment, part in zip(fixed, parts, strict=False):
            if segment.startswith("{") and segment.endswith("}"):
                params[segment[1:-1]] = part
            elif segment != part:
                return None
        if self.greedy:
            params[self.segments[-1][1:-2]] = "/".join(parts[len(fixed) :])
        return params

    @property
    def rank(self) -> tuple[int, tuple[int, ...], int]:
        """Sort key: literal segments beat variables, variables beat a greedy tail; a method beats ANY."""
        scores = tuple(0 if s.startswith("{") else -1 for s in self.segments)
        return (1 if self.greedy else 0, scores, 1 if self.method == "ANY" else 0)


@lru_cache(maxsize=4096)
def _pattern(route_key: str) -> _Pattern | None:
    if " " not in route_key:
        return None
    method, path = route_key.split(" ", 1)
    segments = tuple(s for s in path.split("/") if s)
    greedy = bool(segments) and segments[-1].endswith("+}")
    return _Pattern(method, segments, greedy)


def match_route(snapshot: Snapshot, method: str, path: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The route a request takes, with URL-decoded path parameters; ``$default`` last; ``(None, {})`` if none."""
    parts = [unquote(part) for part in path.split("/") if part]
    best: tuple[tuple[int, tuple[int, ...], int], dict[str, Any], dict[str, str]] | None = None
    for route in snapshot.routes.values():
        pattern = _pattern(str(route["RouteKey"]))
        if pattern is None or pattern.method not in (method, "ANY"):
            continue
        params = pattern.match(parts)
        if params is not None and (best is None or pattern.rank < best[0]):
            best = (pattern.rank, route, params)
    if best is not None:
        return best[1], best[2]
    return snapshot.route_by_key("$default"), {}
