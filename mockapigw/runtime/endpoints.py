"""The front door: which API, stage and deployed snapshot a request reaches, or why API Gateway refuses it.

One resolver for every entry point: ``requests`` and ``gw.invoke`` (HTTP APIs), ``gw.connect`` (WebSocket APIs)
and the @connections endpoint of the management API. Each request is resolved once, here; the runtimes then read
only the deployed :class:`Snapshot` of the resolution.

Every ``{apiId}.execute-api.{region}.amazonaws.com`` host, in any region and for any id, and every custom domain
name created in the mock is answered by the mock while it is active, so nothing for those hosts reaches the network.
A refusal carries AWS's status and body and, separately, a reason written for the user (the runtimes raise it as
a :class:`MockApiGatewayWarning` or put it in ``ConnectionRejected``'s message). See docs/troubleshooting.md.

Server mode adds its local URL forms (``/_aws/execute-api/{apiId}/{stage}/...`` and ``Host: {apiId}.execute-api.
{anything}``) by turning them into an :class:`Address` and calling the same methods.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, KeysView, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar
from urllib.parse import unquote

from ..apigatewayv2.deployments import undeployable_reason
from ..apigatewayv2.records import HTTP, WEBSOCKET, change_count
from ..apigatewayv2.snapshot import Snapshot
from .setup_hints import HOW_TO_DEPLOY, HOW_TO_ROUTE, HOW_TO_STAGE, not_active

if TYPE_CHECKING:
    from ..apigatewayv2.resources import Api, DomainName, Route
    from ..apigatewayv2.service import ApiGatewayV2Service
    from ..apigatewayv2.store import Store
    from ..core.collection import Collection

EXECUTE_API_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$")
# The default endpoint of the management API (a client made without endpoint_url): no API id in the host.
_SERVICE_HOST = re.compile(r"^execute-api\.([a-z0-9-]+)\.amazonaws\.com(?::\d+)?$")
# Server mode's local forms (DESIGN.md): Host {apiId}.execute-api.{anything}, and the path form below.
_LOCAL_HOST = re.compile(r"^([a-z0-9]+)\.execute-api\.")
LOCAL_PATH_PREFIX = "/_aws/execute-api/"

_KEPT_TARGETS = 256  # @connections endpoints whose resolution is kept (a test uses a handful)

FORBIDDEN_BODY = '{"message":"Forbidden"}'
NOT_FOUND_BODY = '{"message":"Not Found"}'


@dataclass(frozen=True)
class Address:
    """Where a request was sent: a host (lower case, no port) and the raw path.

    ``api_id`` (and ``region``) are set by server mode's local forms, which name the API without an AWS host.
    """

    host: str
    path: str
    api_id: str | None = None
    region: str | None = None
    headers: tuple[tuple[str, str], ...] = ()  # for a custom domain's routing rules

    @classmethod
    def of(cls, host: str, path: str, headers: tuple[tuple[str, str], ...] = ()) -> Address:
        """Normalise *host* (case, port) once."""
        return cls(host.lower().rsplit(":", 1)[0] if ":" in host else host.lower(), path or "/", headers=headers)

    @classmethod
    def local(cls, host: str, path: str) -> Address | None:
        """Server mode's local URL forms: ``/_aws/execute-api/{apiId}/{stage}/...`` on any host, or the Host
        ``{apiId}.execute-api.{anything}``; ``None`` for any other request."""
        address = cls.of(host, path)
        if address.path.startswith(LOCAL_PATH_PREFIX):
            api_id, _, rest = address.path[len(LOCAL_PATH_PREFIX) :].partition("/")
            return cls(address.host, "/" + rest, api_id.lower())
        aws = EXECUTE_API_HOST.match(address.host)  # AWS's own host, resolved to the server: its region counts
        if aws is not None:
            return cls(address.host, address.path, aws.group(1), aws.group(2))
        match = _LOCAL_HOST.match(address.host)
        return cls(address.host, address.path, match.group(1)) if match is not None else None


@dataclass(frozen=True)
class Resolution:
    """A request that reaches a deployed stage: everything the runtime needs, read once."""

    api_id: str
    region: str
    stage: str
    snapshot: Snapshot
    path: str  # the path the API sees: without the stage (execute-api host) or the mapping key (custom domain)
    raw_path: str
    domain_name: str
    domain_prefix: str
    stage_variables: Mapping[str, str] = field(default_factory=dict)  # read-only: connections keep it as is
    # ResetAuthorizersCache calls on the stage so far: cached authorizer results from an older generation are stale.
    authorizer_cache_generation: int = 0

    @property
    def protocol(self) -> str:
        """``HTTP`` or ``WEBSOCKET``."""
        return self.snapshot.protocol


@dataclass(frozen=True)
class Refusal:
    """API Gateway's answer to a request that reaches nothing, and why, in words for the user."""

    status: int
    body: str
    reason: str

    @classmethod
    def forbidden(cls, reason: str) -> Refusal:
        """403 ``{"message":"Forbidden"}``."""
        return cls(403, FORBIDDEN_BODY, reason)

    @classmethod
    def not_found(cls, reason: str) -> Refusal:
        """404 ``{"message":"Not Found"}``."""
        return cls(404, NOT_FOUND_BODY, reason)


Resolved = Resolution | Refusal


@dataclass(frozen=True)
class ConnectionsTarget:
    """The stage a @connections endpoint addresses (it need not be deployed: its connection ids are then gone)."""

    api_id: str
    region: str
    stage: str


P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[Endpoints, P], R]) -> Callable[Concatenate[Endpoints, P], R]:
    """Run a resolution under the locks of the account's backends: the control plane changes the dicts it reads
    (APIs, stages, deployments, domain names) in other threads, under those locks."""

    def locked(endpoints: Endpoints, /, *args: P.args, **kwargs: P.kwargs) -> R:
        # Always the same order (the backends' creation order), so two resolutions never wait on each other; the
        # control plane holds one backend's lock at a time and never calls the runtime, so it cannot wait on us.
        held = []
        try:
            for backend in endpoints._backends():
                backend.lock.acquire()
                held.append(backend.lock)
            return method(endpoints, *args, **kwargs)
        finally:
            for lock in reversed(held):
                lock.release()

    functools.update_wrapper(locked, method)
    return locked


def _not_active(call: str, instead: str) -> Refusal:
    """AWS's 403 for *call* made to a mock that is not started, and what to *do instead*."""
    return Refusal.forbidden(not_active(call, instead))


def _routing_refusal(domain: DomainName, address: Address, answer: Callable[[str], Refusal]) -> Refusal | None:
    """What the domain's ``RoutingMode`` says before its API mappings are read (aws-behaviour.md §9.12).

    Rules come first, lowest priority value first; a matching rule invokes a REST API stage, which the mock does not
    run. ``ROUTING_RULE_ONLY`` domains take no API mapping traffic. ``None``: the API mappings decide.
    """
    mode = domain.get("RoutingMode", "API_MAPPING_ONLY")
    if mode == "API_MAPPING_ONLY":
        return None
    for rule in sorted(domain.routing_rules, key=lambda rule: rule.priority):
        if rule.matches(address.headers, address.path):
            target = rule.target
            return answer(
                f"routing rule {rule.rule_id} (priority {rule.priority}) of custom domain {domain.name} matches this "
                f"request and invokes stage {target['Stage']!r} of REST API {target['ApiId']}; mockapigw does not "
                "run REST APIs."
            )
    if mode == "ROUTING_RULE_ONLY":
        return answer(
            f"custom domain {domain.name} has RoutingMode ROUTING_RULE_ONLY, so its API mappings serve no traffic "
            "and none of its routing rules matches this request. To serve the mapped APIs: "
            f"update_domain_name(DomainName='{domain.name}', RoutingMode='ROUTING_RULE_THEN_API_MAPPING')."
        )
    return None


class Endpoints:
    """Resolves requests against one mock's control plane (account *account_id*)."""

    def __init__(self, control_plane: ApiGatewayV2Service, account_id: str, active: Callable[[], bool]) -> None:
        self._control_plane = control_plane
        self._account_id = account_id
        self._active = active
        # connections_target's answers for execute-api endpoints, each with what it was read from (see there).
        self._targets: dict[tuple[str, str, str], tuple[Store, Api, tuple[int, int, int], tuple[str, str]]] = {}
        # (api id, region) -> the API's routes, their stamp and their keys, for undeployed_route's hints.
        self._live_route_keys: dict[tuple[str, str], tuple[Collection[Route], tuple[int, int], KeysView[str]]] = {}

    # --- which hosts are the mock's

    @_locked
    def claims(self, host: str) -> bool:
        """Whether *host* is one the mock answers: any execute-api host, or a custom domain name it knows."""
        address = Address.of(host, "/")
        return EXECUTE_API_HOST.match(address.host) is not None or self._domain(address.host) is not None

    @_locked
    def knows(self, host: str) -> bool:
        """Whether *host* names an API or custom domain this mock has (nested mocks: the one that has it answers)."""
        address = Address.of(host, "/")
        match = EXECUTE_API_HOST.match(address.host)
        if match is not None:
            return self._region_of(match.group(1)) is not None
        return self._domain(address.host) is not None

    # --- HTTP APIs (requests, gw.invoke)

    @_locked
    def http(self, address: Address) -> Resolved | None:
        """The HTTP API stage *address* reaches, a refusal, or ``None`` when the host is not the mock's."""
        resolved = self._http(address)
        if resolved is not None and not self._active():  # as for gw.connect: a stopped mock serves nothing
            return _not_active("gw.invoke", "call it")
        return resolved

    def current_route_keys(self, api_id: str, region: str) -> KeysView[str]:
        """The route keys API *api_id* has now, deployed or not, in order: for hints about changes not deployed yet.

        Every WebSocket message that goes to ``$default`` asks (through :meth:`undeployed_route`), often about a
        new key each time: the keys are kept with a stamp of the API's routes (any record change, and the
        collection's generation), and given again while the stamp is unchanged.
        """
        known = self._live_route_keys.get((api_id, region))
        if known is not None and known[1] == (change_count(), known[0].generation):
            return known[2]
        return self._read_route_keys(api_id, region)

    @_locked
    def _read_route_keys(self, api_id: str, region: str) -> KeysView[str]:
        for backend in self._backends():
            api = backend.apis.get(api_id) if backend.region == region else None
            if api is not None:
                keys = dict.fromkeys(route.route_key for route in api.routes).keys()
                if len(self._live_route_keys) >= _KEPT_TARGETS:
                    self._live_route_keys.clear()
                self._live_route_keys[(api_id, region)] = (api.routes, (change_count(), api.routes.generation), keys)
                return keys
        return {}.keys()

    def _http(self, address: Address) -> Resolved | None:
        if address.api_id is not None:  # a local form: the API is named, its region is wherever it is
            region = address.region or self._region_of(address.api_id) or "us-east-1"
            # Events keep AWS's domainName, so handler code written for AWS runs unchanged.
            aws = Address(f"{address.api_id}.execute-api.{region}.amazonaws.com", address.path)
            return self._http_execute_api(address.api_id, region, aws)
        match = EXECUTE_API_HOST.match(address.host)
        if match is not None:
            return self._http_execute_api(match.group(1), match.group(2), address)
        found = self._domain(address.host)
        if found is None:
            return None
        return self._http_custom_domain(found[0], found[1], address)

    def _http_execute_api(self, api_id: str, region: str, address: Address) -> Resolved:
        api = self._api_or_refusal(api_id, region, HTTP)
        if isinstance(api, Refusal):
            return api
        if api.get("DisableExecuteApiEndpoint"):
            return Refusal.forbidden(
                f"API {api_id} has DisableExecuteApiEndpoint=true, so its execute-api endpoint answers 403; "
                "call it through a custom domain name mapped to it, or update the API to enable the endpoint."
            )
        segments = address.path.split("/")
        first = unquote(segments[1]) if len(segments) > 1 else ""
        stage_names = [stage.name for stage in api.stages]
        if first and first != "$default" and first in stage_names:
            rest = "/" + "/".join(segments[2:])
            return self._deployed(api, region, first, rest, address, api_id) or Refusal.not_found(
                f"stage {first!r} of HTTP API {api_id} has no deployment, so API Gateway answers 404. "
                + HOW_TO_DEPLOY.format(api=api_id, stage=first)
            )
        if "$default" in stage_names:
            return self._deployed(api, region, "$default", address.path, address, api_id) or Refusal.not_found(
                f"the $default stage of HTTP API {api_id} has no deployment, so API Gateway answers 404. "
                + HOW_TO_DEPLOY.format(api=api_id, stage="$default")
            )
        if not stage_names:
            return Refusal.not_found(
                f"HTTP API {api_id} has no stage, so API Gateway answers 404. "
                + HOW_TO_STAGE.format(api=api_id, stage="$default")
            )
        return Refusal.not_found(
            f"HTTP API {api_id} has no stage {first!r} and no $default stage, so API Gateway answers 404. "
            f"Its stages: {', '.join(repr(name) for name in stage_names)}; the URL's first path segment names the "
            "stage: https://{api_id}.execute-api.{region}.amazonaws.com/{{stage}}/...".format(
                api_id=api_id, region=region
            )
        )

    def _http_custom_domain(self, backend: Store, domain: DomainName, address: Address) -> Resolved:
        refused = _routing_refusal(domain, address, Refusal.not_found)
        if refused is not None:
            return refused
        found = domain.mapping_for(address.path)
        if found is None:
            keys = [mapping.key or "(root)" for mapping in domain.api_mappings]
            return Refusal.not_found(
                f"no API mapping of custom domain {domain.name} matches the path {address.path!r}, so API Gateway "
                f"answers 404. Its mapping keys: {', '.join(keys) if keys else 'none (create_api_mapping)'}."
            )
        mapping, rest = found
        api = backend.apis.get(mapping.api_id)
        stage = str(mapping["Stage"])
        if api is None or api.protocol != HTTP:
            return Refusal.not_found(f"custom domain {domain.name} maps {mapping.api_id}, which is not an HTTP API.")
        return self._deployed(api, backend.region, stage, rest, address, address.host.split(".")[0]) or (
            Refusal.not_found(
                f"stage {stage!r} of HTTP API {api.api_id} (mapped by {domain.name}) has no deployment. "
                + HOW_TO_DEPLOY.format(api=api.api_id, stage=stage)
            )
        )

    def execute_api_host(self, address: Address) -> str:
        """AWS's execute-api host of the API a local *address* names (its own host for any other address)."""
        if address.api_id is None:
            return address.host
        region = address.region or self._region_of(address.api_id) or "us-east-1"
        return f"{address.api_id}.execute-api.{region}.amazonaws.com"

    def websocket_target(self, address: Address) -> ConnectionsTarget | None:
        """The API and stage a WebSocket upgrade to a local address or custom domain names; ``None`` if neither.

        On an execute-api host the first path segment is the stage (``wss://{host}/{stage}``); a custom domain's
        mapping names it. Whether that stage serves anything is :meth:`websocket`'s answer.
        """
        if address.api_id is not None:
            region = address.region or self._region_of(address.api_id) or "us-east-1"
            return ConnectionsTarget(address.api_id, region, unquote(address.path.strip("/").partition("/")[0]))
        found = self._domain(address.host)
        if found is None:
            return None
        backend, domain = found
        mapped = domain.mapping_for(address.path)
        if mapped is None:
            return ConnectionsTarget("", backend.region, "")  # no API: the handshake is refused
        return ConnectionsTarget(mapped[0].api_id, backend.region, str(mapped[0]["Stage"]))

    # --- WebSocket APIs (gw.connect)

    @_locked
    def websocket(self, api_id: str, stage: str, region: str | None, *, connecting: bool = True) -> Resolved:
        """The WebSocket API stage ``gw.connect(api_id, stage, region=region)`` reaches, or AWS's 403.

        Events of open connections (*connecting* false) are not refused for a stopped mock here: a stopping
        server's connections run ``$disconnect`` as it stops, and a stopped mock's clients run nothing
        (``WebSocketClient`` and ``WebSocketRuntime.close_all``).
        """
        if connecting and not self._active():
            return _not_active("gw.connect", "connect")
        if region is None:
            region = self._region_of(api_id) or "us-east-1"
        api = self._api_or_refusal(api_id, region, WEBSOCKET)
        if isinstance(api, Refusal):
            return api
        if api.get("DisableExecuteApiEndpoint"):
            return Refusal.forbidden(f"WebSocket API {api_id} has DisableExecuteApiEndpoint=true.")
        host = f"{api_id}.execute-api.{region}.amazonaws.com"
        stage_names = [s.name for s in api.stages]
        if stage not in stage_names:
            return Refusal.forbidden(
                f"WebSocket API {api_id} has no stage {stage!r}"
                + (
                    f"; its stages: {', '.join(repr(name) for name in stage_names)}."
                    if stage_names
                    else ". " + HOW_TO_STAGE.format(api=api_id, stage=stage)
                )
            )
        resolution = self._deployed(api, region, stage, "/", Address(host, f"/{stage}"), api_id)
        if resolution is None:
            if undeployable_reason(api) is not None:  # following HOW_TO_DEPLOY would fail: a route comes first
                record = api.stages.get(stage)
                auto = record is not None and record.auto_deploy
                then = (
                    "; the stage's AutoDeploy then deploys the API"
                    if auto
                    else f", then create_deployment(ApiId='{api_id}', StageName='{stage}')"
                )
                how = HOW_TO_ROUTE.format(api=api_id, then=then)
            else:
                how = HOW_TO_DEPLOY.format(api=api_id, stage=stage)
            return Refusal.forbidden(f"stage {stage!r} of WebSocket API {api_id} has no deployment. {how}")
        return resolution

    @property
    def active(self) -> bool:
        """Whether the mock is started (its clients' frames reach API Gateway only then)."""
        return self._active()

    def undeployed_route(self, api_id: str, region: str, stage: str, route_key: str) -> str | None:
        """Why *route_key* reaches nothing on *stage* although the API has it now (it is not deployed there), in words
        for a hint; ``None`` when the API has no such route. The runtime reads deployed snapshots only: this reads
        the live API (:meth:`current_route_keys`), for hints only.
        """
        if route_key not in self.current_route_keys(api_id, region):
            return None
        return (
            f"Route {route_key!r} exists in API {api_id} but is not in the deployment stage {stage!r} serves (it was "
            f"created or changed after the last deployment). {HOW_TO_DEPLOY.format(api=api_id, stage=stage)}"
        )

    # --- the @connections endpoint (apigatewaymanagementapi)

    @_locked
    def management(self, address: Address, client_region: str) -> ConnectionsTarget | Refusal:
        """The WebSocket API stage a management client's endpoint names, or AWS's 403."""
        path = address.path.strip("/")
        if _SERVICE_HOST.match(address.host) is not None:
            return Refusal.forbidden(
                "the apigatewaymanagementapi client has no endpoint_url, so it does not name an API and stage. Make "
                "it with endpoint_url='https://{apiId}.execute-api.{region}.amazonaws.com/{stage}'."
            )
        match = EXECUTE_API_HOST.match(address.host)
        if match is not None:
            api_id, region = match.group(1), match.group(2)
            api = self._api_or_refusal(api_id, region, WEBSOCKET)
            if isinstance(api, Refusal):
                return api
            if not path or "/" in path:
                stage_names = [s.name for s in api.stages]
                return Refusal.forbidden(
                    f"the management endpoint https://{address.host}{address.path.rstrip('/')} does not name a stage "
                    "(or has extra path segments): use endpoint_url="
                    f"'https://{address.host}/{{stage}}'; stages of {api_id}: "
                    f"{', '.join(repr(name) for name in stage_names) or 'none'}."
                )
            if api.get("DisableExecuteApiEndpoint"):
                return Refusal.forbidden(
                    f"WebSocket API {api_id} has DisableExecuteApiEndpoint=true; use its custom domain name."
                )
            return self._management_stage(api, region, unquote(path))
        found = self._domain(address.host)
        if found is None:
            return Refusal.forbidden(
                f"{address.host} is neither an execute-api host nor a custom domain name of this mock."
            )
        backend, domain = found
        refused = _routing_refusal(domain, address, Refusal.forbidden)
        if refused is not None:
            return refused
        mapped = domain.mapping_for(address.path)
        if mapped is None or mapped[1] != "/":
            keys = [mapping.key or "(root)" for mapping in domain.api_mappings]
            return Refusal.forbidden(
                f"no API mapping of custom domain {domain.name} is exactly {path!r}; its mapping keys: "
                f"{', '.join(keys) or 'none'}."
            )
        mapping = mapped[0]
        mapped_api = backend.apis.get(mapping.api_id)
        if mapped_api is None or mapped_api.protocol != WEBSOCKET:
            return Refusal.forbidden(
                f"custom domain {domain.name} maps {mapping.api_id}, which is not a WebSocket API."
            )
        stage = str(mapping["Stage"])
        return self._management_stage(mapped_api, backend.region, stage)

    def connections_target(self, host: str, base_path: str, client_region: str) -> tuple[str, str] | str:
        """For the @connections adapter: ``(api_id, stage)`` the endpoint addresses, or the reason it is refused.

        Every @connections call asks this, mostly about the same few endpoints. An execute-api endpoint's answer
        depends only on its API's members, on which APIs its region has and on which stages the API has; so it
        is kept with a stamp of those (any record change, and the two collections' generations, which only
        grow) and given again while the stamp is unchanged. Reading the stamp needs no lock: a change that is
        under way in another thread is simply ordered after this call.
        """
        key = (host, base_path, client_region)
        known = self._targets.get(key)
        if known is not None:
            store, api, stamp, target = known
            if stamp == (change_count(), store.apis.generation, api.stages.generation):
                return target
        return self._resolve_connections_target(key)

    @_locked
    def _resolve_connections_target(self, key: tuple[str, str, str]) -> tuple[str, str] | str:
        host, base_path, client_region = key
        address = Address.of(host, base_path)
        stamp = change_count()  # before reading anything: a change from now on makes the kept answer stale
        resolved = self.management(address, client_region)
        if isinstance(resolved, Refusal):
            return resolved.reason
        target = (resolved.api_id, resolved.stage)
        if EXECUTE_API_HOST.match(address.host) is not None:  # a custom domain's answer depends on more: not kept
            store = self._control_plane.stores(self._account_id, resolved.region)
            api = store.apis.get(resolved.api_id)
            if api is not None:
                if len(self._targets) >= _KEPT_TARGETS:
                    self._targets.clear()
                self._targets[key] = (store, api, (stamp, store.apis.generation, api.stages.generation), target)
        return target

    def _management_stage(self, api: Api, region: str, stage: str) -> ConnectionsTarget | Refusal:
        if api.stages.get(stage) is None:
            stage_names = [s.name for s in api.stages]
            return Refusal.forbidden(
                f"WebSocket API {api.api_id} has no stage {stage!r}; its stages: "
                f"{', '.join(repr(name) for name in stage_names) or 'none'}."
            )
        return ConnectionsTarget(api.api_id, region, stage)

    # --- lookups shared by every entry point

    def _backends(self) -> list[Store]:
        return [backend for backend in self._control_plane.stores if backend.account_id == self._account_id]

    def _domain(self, host: str) -> tuple[Store, DomainName] | None:
        for backend in self._backends():
            domain = backend.domain_names.get(host)
            if domain is not None:
                return backend, domain
        return None

    def _region_of(self, api_id: str) -> str | None:
        for backend in self._backends():
            if backend.apis.get(api_id) is not None:
                return backend.region
        return None

    def _api_or_refusal(self, api_id: str, region: str, protocol: str) -> Api | Refusal:
        """The API *api_id* in *region* if it has *protocol*; otherwise AWS's 403 and what is wrong."""
        api = None
        for backend in self._backends():
            if backend.region == region:
                api = backend.apis.get(api_id)
        if api is None:
            elsewhere = self._region_of(api_id)
            if elsewhere is not None:
                return Refusal.forbidden(
                    f"API {api_id} is in region {elsewhere}, not {region}: use "
                    f"{api_id}.execute-api.{elsewhere}.amazonaws.com (or region={elsewhere!r})."
                )
            return Refusal.forbidden(f"there is no API {api_id} in this mock. {self._inventory()}")
        if api.protocol != protocol:
            if api.protocol == WEBSOCKET:
                how = "connect to it with gw.connect(api_id, stage) and call @connections with boto3"
            else:
                how = "call its invoke URL with requests or gw.invoke(method, url)"
            return Refusal.forbidden(f"API {api_id} is {_article(api.protocol)} API: {how}.")
        return api

    def _inventory(self) -> str:
        described = [
            f"{api.api_id} ({'WebSocket' if api.protocol == WEBSOCKET else 'HTTP'}, {backend.region})"
            for backend in self._backends()
            for api in backend.apis
        ]
        if not described:
            return "The mock has no APIs yet (create_api must run while the mock is active, in the same account)."
        return f"APIs in this mock: {', '.join(described)}."

    def _deployed(
        self, api: Api, region: str, stage_name: str, path: str, address: Address, prefix: str
    ) -> Resolution | None:
        stage = api.stages.get(stage_name)
        deployment_id = stage.get("DeploymentId") if stage is not None else None
        deployment = api.deployments.get(deployment_id) if deployment_id else None
        if stage is None or deployment is None:
            return None
        reset = api.authorizer_cache_resets.get(stage_name)
        return Resolution(
            api_id=api.api_id,
            region=region,
            stage=stage_name,
            snapshot=deployment.snapshot,
            path=path,
            raw_path=address.path,
            domain_name=address.host,
            domain_prefix=prefix,
            stage_variables=MappingProxyType(dict(stage.get("StageVariables") or {})),
            authorizer_cache_generation=reset.generation if reset is not None else 0,
        )


def _article(protocol: str) -> str:
    return "a WebSocket" if protocol == WEBSOCKET else "an HTTP"
