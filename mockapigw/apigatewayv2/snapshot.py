"""What a deployment serves: a read-only view of an API at the time it was deployed.

Taking a snapshot copies nothing (:mod:`mockapigw.core.versions`): it records a time, and the API's records and
collections keep their earlier states when they change afterwards. The view is materialised lazily, the first
time the runtime reads it, so a deployment costs the same at 10 routes as at 300. The runtime reads an API's
configuration only through these lookups.

The runtime reads in its own threads while the control plane may be changing the API in others: a view is built
under the owning backend's lock, the one every control-plane call holds, so it never iterates a changing dict and
never sees a change made after the snapshot's time.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..core import versions
from ..core.collection import Collection


class Versioned(Protocol):
    """A record whose members can be read as of a snapshot time (``records.Record``)."""

    _fields: dict[str, Any]

    @property
    def fields(self) -> dict[str, Any]: ...

    def fields_at(self, time: int) -> dict[str, Any]: ...

    def describe(self) -> dict[str, Any]: ...


class Deployable(Versioned, Protocol):
    """What a snapshot reads of an API: ``resources.Api`` (which holds the deployments, hence no import of it)."""

    @property
    def routes(self) -> Collection[Any]: ...

    @property
    def integrations(self) -> Collection[Any]: ...

    @property
    def authorizers(self) -> Collection[Any]: ...

    @property
    def models(self) -> Collection[Any]: ...


# The API-level members the runtime needs; everything else about an API (name, tags...) does not change serving.
_API_MEMBERS = (
    "ApiId",
    "ProtocolType",
    "RouteSelectionExpression",
    "ApiKeySelectionExpression",
    "CorsConfiguration",
    "DisableExecuteApiEndpoint",
)

Described = dict[str, Any]
# The owning backend's lock: reentrant, since a view may be read while the control plane holds it.
_Lock = AbstractContextManager[Any]


def _described_at(record: Versioned, time: int) -> Described:
    """*record*'s ``describe()`` output as of *time*: describe a shallow clone that holds the fields of then."""
    fields = record.fields_at(time)
    if fields is record.fields:
        return copy.deepcopy(record.describe())
    clone = copy.copy(record)
    clone._fields = fields  # a read-only clone for describe()
    return copy.deepcopy(clone.describe())


def _copies(collection: Collection[Any], time: int, id_member: str) -> dict[str, Described]:
    out: dict[str, Described] = {}
    for position, record in enumerate(collection.items_at(time).values()):
        described = _described_at(record, time)
        out[str(described.get(id_member, position))] = described
    return out


class Snapshot:
    """What a deployment serves: the API's configuration when it was deployed, read-only, keyed by id.

    Every member is the records' ``describe()`` output (model member names). Later changes to the API never reach
    an existing snapshot.
    """

    __slots__ = ("_api", "_collections", "_lock", "_routes_by_key", "_time", "_views")

    def __init__(self, api: Deployable, lock: _Lock) -> None:
        self._time = versions.snapshot_time()
        self._api = api
        self._lock = lock
        # The collection objects themselves are captured: an import may put new ones on the Api later.
        self._collections = (api.routes, api.integrations, api.authorizers, api.models)
        self._views: dict[str, Any] = {}
        self._routes_by_key: dict[Any, Described] | None = None

    @classmethod
    def of(cls, api: Deployable, lock: _Lock) -> Snapshot:
        """Snapshot what *api* serves right now (O(1): nothing is copied until the runtime reads it).

        *lock* is the lock of the backend that owns *api*: views are built under it.
        """
        return cls(api, lock)

    def _view(self, name: str) -> Any:
        view = self._views.get(name)
        if view is None:
            with self._lock:  # the control plane changes the API under this lock, in other threads
                view = self._views.get(name)
                if view is None:
                    view = self._views[name] = self._materialise(name)
        return view

    def _materialise(self, name: str) -> Any:
        routes, integrations, authorizers, models = self._collections
        time = self._time
        if name == "api":
            described = _described_at(self._api, time)
            return {member: described[member] for member in _API_MEMBERS if member in described}
        if name == "routes":
            return _copies(routes, time, "RouteId")
        if name == "integrations":
            return _copies(integrations, time, "IntegrationId")
        if name == "authorizers":
            return _copies(authorizers, time, "AuthorizerId")
        if name == "models":
            return _copies(models, time, "ModelId")
        if name == "route_responses":
            return self._children(routes, "RouteId", "RouteResponseId")
        return self._children(integrations, "IntegrationId", "IntegrationResponseId")

    def _children(self, parents: Collection[Any], parent_id: str, child_id: str) -> dict[str, dict[str, Described]]:
        time = self._time
        out: dict[str, dict[str, Described]] = {}
        for record in parents.items_at(time).values():
            responses = getattr(record, "responses", None)  # route and integration responses, when the kind has them
            key = str(record.fields_at(time).get(parent_id))
            out[key] = _copies(responses, time, child_id) if responses is not None else {}
        return out

    # --- the snapshot's contents (read-only)

    @property
    def api(self) -> Described:
        """The API-level members the runtime needs."""
        result: Described = self._view("api")
        return result

    @property
    def routes(self) -> dict[str, Described]:
        """Routes by RouteId."""
        result: dict[str, Described] = self._view("routes")
        return result

    @property
    def integrations(self) -> dict[str, Described]:
        """Integrations by IntegrationId."""
        result: dict[str, Described] = self._view("integrations")
        return result

    @property
    def authorizers(self) -> dict[str, Described]:
        """Authorizers by AuthorizerId."""
        result: dict[str, Described] = self._view("authorizers")
        return result

    @property
    def models(self) -> dict[str, Described]:
        """Models by ModelId."""
        result: dict[str, Described] = self._view("models")
        return result

    @property
    def route_responses(self) -> dict[str, dict[str, Described]]:
        """Route responses by RouteId, then RouteResponseId."""
        result: dict[str, dict[str, Described]] = self._view("route_responses")
        return result

    @property
    def integration_responses(self) -> dict[str, dict[str, Described]]:
        """Integration responses by IntegrationId, then IntegrationResponseId."""
        result: dict[str, dict[str, Described]] = self._view("integration_responses")
        return result

    # --- lookups

    @property
    def protocol(self) -> str:
        """``HTTP`` or ``WEBSOCKET``."""
        return str(self.api.get("ProtocolType"))

    @property
    def route_keys(self) -> list[str]:
        """Every route key, in creation order."""
        return [str(route.get("RouteKey")) for route in self.routes.values()]

    def route_by_key(self, key: str) -> Described | None:
        """The route with RouteKey *key*, or ``None``."""
        if self._routes_by_key is None:
            self._routes_by_key = {route.get("RouteKey"): route for route in self.routes.values()}
        return self._routes_by_key.get(key)

    def responses_of_route(self, route: Mapping[str, Any]) -> dict[str, Described]:
        """The route responses of *route*, by RouteResponseId."""
        return self.route_responses.get(str(route.get("RouteId")), {})

    def is_two_way(self, route: Mapping[str, Any]) -> bool:
        """Whether a WebSocket route sends the integration's answer back: a selection expression and a $default
        route response."""
        if not route.get("RouteResponseSelectionExpression"):
            return False
        return any(r.get("RouteResponseKey") == "$default" for r in self.responses_of_route(route).values())

    def integration_for(self, route: Mapping[str, Any]) -> Described | None:
        """The integration a route's ``Target`` (``integrations/{id}``) names, or ``None``."""
        target = route.get("Target")
        if not isinstance(target, str) or not target.startswith("integrations/"):
            return None
        return self.integrations.get(target.partition("/")[2])

    def responses_of_integration(self, integration: Mapping[str, Any]) -> dict[str, Described]:
        """The integration responses of *integration*, by IntegrationResponseId."""
        return self.integration_responses.get(str(integration.get("IntegrationId")), {})

    def authorizer_for(self, route: Mapping[str, Any]) -> Described | None:
        """The authorizer a route's ``AuthorizerId`` names, or ``None``."""
        authorizer_id = route.get("AuthorizerId")
        return self.authorizers.get(authorizer_id) if isinstance(authorizer_id, str) else None

    def model_named(self, name: str) -> Described | None:
        """The model called *name* (routes refer to models by name), or ``None``."""
        return next((model for model in self.models.values() if model.get("Name") == name), None)
