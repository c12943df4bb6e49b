"""Deployments (CreateDeployment ... DeleteDeployment) and the snapshots of an API that stages serve."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from typing import Any

from ..core import clock
from .apis import Api
from .exceptions import BadRequestException, NotFoundException
from .part import BackendPart
from .records import STAGE_NOT_FOUND, WEBSOCKET, Record, new_id, not_found, page_of

AUTO_DEPLOY_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration"
NO_ROUTES = "At least one route is required before deploying the Api."
STAGES_POINTING = "Active stages pointing to this deployment must be moved or deleted"

# The API-level members the runtime needs; everything else about an API (name, tags...) does not change serving.
_API_MEMBERS = (
    "ApiId",
    "ProtocolType",
    "RouteSelectionExpression",
    "ApiKeySelectionExpression",
    "CorsConfiguration",
    "DisableExecuteApiEndpoint",
)
_DESCRIBED = (
    "AutoDeployed",
    "CreatedDate",
    "DeploymentId",
    "DeploymentStatus",
    "DeploymentStatusMessage",
    "Description",
)

Described = dict[str, Any]


def _copies(records: Iterable[Record], id_member: str) -> dict[str, Described]:
    """Deep copies of the records' output dicts, by their id member (by position if they have none)."""
    out: dict[str, Described] = {}
    for position, record in enumerate(records):
        described = copy.deepcopy(record.describe())
        out[str(described.get(id_member, position))] = described
    return out


def _children(record: Record, id_member: str) -> dict[str, Described]:
    """Copies of a record's ``responses`` collection (route or integration responses), if it has one."""
    responses = getattr(record, "responses", None)
    if responses is None:
        return {}
    items = responses.values() if hasattr(responses, "values") else responses
    return _copies(items, id_member)


class Snapshot:
    """What a deployment serves: copies of the API's configuration taken when it was deployed.

    Everything is a deep copy of the records' ``describe()`` output (model member names), keyed by id.
    Treat it as read-only: later changes to the API never reach an existing snapshot.
    """

    __slots__ = (
        "_routes_by_key",
        "api",
        "authorizers",
        "integration_responses",
        "integrations",
        "models",
        "route_responses",
        "routes",
    )

    def __init__(
        self,
        api: Described,
        routes: dict[str, Described],
        integrations: dict[str, Described],
        authorizers: dict[str, Described],
        models: dict[str, Described],
        route_responses: dict[str, dict[str, Described]],
        integration_responses: dict[str, dict[str, Described]],
    ) -> None:
        self.api = api
        self.routes = routes
        self.integrations = integrations
        self.authorizers = authorizers
        self.models = models
        self.route_responses = route_responses
        self.integration_responses = integration_responses
        self._routes_by_key = {route.get("RouteKey"): route for route in routes.values()}

    @classmethod
    def of(cls, api: Api) -> Snapshot:
        """Copy what *api* serves right now."""
        described = api.describe()
        routes = api.routes.values()
        integrations = api.integrations.values()
        return cls(
            api=copy.deepcopy({name: described[name] for name in _API_MEMBERS if name in described}),
            routes=_copies(routes, "RouteId"),
            integrations=_copies(integrations, "IntegrationId"),
            authorizers=_copies(api.authorizers.values(), "AuthorizerId"),
            models=_copies(api.models.values(), "ModelId"),
            route_responses={str(route.get("RouteId")): _children(route, "RouteResponseId") for route in routes},
            integration_responses={
                str(integration.get("IntegrationId")): _children(integration, "IntegrationResponseId")
                for integration in integrations
            },
        )

    @property
    def protocol(self) -> str:
        """``HTTP`` or ``WEBSOCKET``."""
        return str(self.api.get("ProtocolType"))

    def route_by_key(self, key: str) -> Described | None:
        """The route with RouteKey *key*, or ``None``."""
        return self._routes_by_key.get(key)

    def responses_of_route(self, route: Mapping[str, Any]) -> dict[str, Described]:
        """The route responses of *route*, by RouteResponseId."""
        return self.route_responses.get(str(route.get("RouteId")), {})

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


class Deployment(Record):
    """One deployment of an API: its output members plus the snapshot that stages pointing at it serve."""

    def __init__(self, fields: Mapping[str, Any], snapshot: Snapshot) -> None:
        super().__init__(fields)
        self.snapshot = snapshot

    @property
    def deployment_id(self) -> str:
        """The deployment's id."""
        return str(self.fields["DeploymentId"])

    def describe(self) -> dict[str, Any]:
        """The Deployment output members."""
        return {name: self.fields[name] for name in _DESCRIBED if name in self.fields}


def served_snapshot(api: Api, stage_name: str) -> Snapshot | None:
    """What the stage *stage_name* of *api* serves: its deployment's snapshot, or ``None`` (no stage/deployment)."""
    stage = api.stages.get(stage_name)
    deployment_id = stage.get("DeploymentId") if stage is not None else None
    deployment = api.deployments.get(deployment_id) if deployment_id else None
    return deployment.snapshot if deployment is not None else None


def undeployable_reason(api: Api) -> str | None:
    """Why *api* cannot be deployed now, or ``None`` when it can."""
    if api.protocol == WEBSOCKET and not len(api.routes):
        return NO_ROUTES
    return None


class DeploymentOperations(BackendPart):
    """The Deployment operations of the backend."""

    def deployment(self, api: Api, deployment_id: str) -> Deployment:
        """The deployment *deployment_id* of *api*, or ``NotFoundException``."""
        deployment = api.deployments.get(deployment_id)
        if deployment is None:
            raise not_found("Deployment", deployment_id)
        return deployment

    def new_deployment(self, api: Api, *, auto: bool, description: str | None = None) -> Deployment:
        """Snapshot *api* into a new deployment (callers check :func:`undeployable_reason` first)."""
        deployment_id = new_id(api.deployments, 6)
        deployment = Deployment(
            {
                "AutoDeployed": auto,
                "CreatedDate": clock.now(),
                "DeploymentId": deployment_id,
                "DeploymentStatus": "DEPLOYED",
                "Description": AUTO_DEPLOY_DESCRIPTION if auto else description,
            },
            Snapshot.of(api),
        )
        return api.deployments.add(deployment_id, deployment)

    def create_deployment(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        stage = None
        if params.get("StageName") is not None:
            stage = api.stages.get(params["StageName"])
            if stage is None:
                raise NotFoundException(STAGE_NOT_FOUND)
        reason = undeployable_reason(api)
        if reason is not None:
            raise BadRequestException(reason)
        deployment = self.new_deployment(api, auto=False, description=params.get("Description"))
        if stage is not None:
            stage.deploy(deployment.deployment_id)
        return deployment.describe()

    def get_deployment(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.deployment(self.api(params["ApiId"]), params["DeploymentId"]).describe()

    def get_deployments(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return page_of(api.deployments, params)

    def update_deployment(self, params: dict[str, Any]) -> dict[str, Any]:
        deployment = self.deployment(self.api(params["ApiId"]), params["DeploymentId"])
        deployment.apply(params, ("Description",))
        return deployment.describe()

    def delete_deployment(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        deployment = self.deployment(api, params["DeploymentId"])
        if any(stage.get("DeploymentId") == deployment.deployment_id for stage in api.stages.values()):
            raise BadRequestException(STAGES_POINTING)
        api.deployments.remove(deployment.deployment_id)
