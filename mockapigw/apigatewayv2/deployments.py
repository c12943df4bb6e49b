"""Deployments (CreateDeployment ... DeleteDeployment) and the snapshots of an API that stages serve."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..core import clock
from .apis import Api
from .exceptions import BadRequestException, NotFoundException
from .part import BackendPart
from .records import STAGE_NOT_FOUND, WEBSOCKET, Record, new_id, not_found, page_of
from .snapshot import Snapshot

__all__ = ["Deployment", "DeploymentOperations", "Snapshot", "served_snapshot", "undeployable_reason"]

AUTO_DEPLOY_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration"
NO_ROUTES = "At least one route is required before deploying the Api."
STAGES_POINTING = "Active stages pointing to this deployment must be moved or deleted"

_DESCRIBED = (
    "AutoDeployed",
    "CreatedDate",
    "DeploymentId",
    "DeploymentStatus",
    "DeploymentStatusMessage",
    "Description",
)


class Deployment(Record):
    """One deployment of an API: its output members plus the snapshot that stages pointing at it serve."""

    versioned = False  # no snapshot holds a deployment

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
            Snapshot.of(api, self.lock),
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
