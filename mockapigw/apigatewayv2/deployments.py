"""Deployments (CreateDeployment ... DeleteDeployment) and the snapshots of an API that stages serve."""

from __future__ import annotations

from typing import Any

from ..core import clock
from . import lookup
from .exceptions import BadRequestException
from .records import WEBSOCKET, new_id, page_of
from .resources import Api, Deployment, Stage
from .snapshot import Snapshot
from .store import Operation, Store

__all__ = ["OPERATIONS", "Deployment", "Snapshot", "after_change", "served_snapshot", "undeployable_reason"]

AUTO_DEPLOY_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration"
NO_ROUTES = "At least one route is required before deploying the Api."
STAGES_POINTING = "Active stages pointing to this deployment must be moved or deleted"


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


def new_deployment(api: Api, *, auto: bool, description: str | None = None) -> Deployment:
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
        Snapshot.of(api, api.lock),
    )
    return api.deployments.add(deployment_id, deployment)


def auto_deploy_stage(api: Api, stage: Stage) -> None:
    """Deploy *api* to *stage* now, if it can be deployed (creating or turning on an AutoDeploy stage)."""
    # A WebSocket API without routes cannot be deployed; the stage keeps what it had until one exists.
    if undeployable_reason(api) is None:
        stage.deploy(new_deployment(api, auto=True).deployment_id)


def after_change(store: Store, api: Api) -> None:
    """Call after every change to *api*'s configuration: deploys it to its AutoDeploy stages.

    Not while ReimportApi applies a document (``api.importing``): it deploys once, after it has all succeeded.
    """
    if api.importing:
        return
    for stage in api.stages.values():
        if stage.auto_deploy:
            auto_deploy_stage(api, stage)


def create_deployment(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    stage = None
    if params.get("StageName") is not None:
        stage = lookup.stage(api, params["StageName"])
    reason = undeployable_reason(api)
    if reason is not None:
        raise BadRequestException(reason)
    deployment = new_deployment(api, auto=False, description=params.get("Description"))
    if stage is not None:
        stage.deploy(deployment.deployment_id)
    return deployment.describe()


def get_deployment(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.deployment(lookup.api(store, params["ApiId"]), params["DeploymentId"]).describe()


def get_deployments(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.deployments, params)


def update_deployment(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    deployment = lookup.deployment(lookup.api(store, params["ApiId"]), params["DeploymentId"])
    deployment.apply(params, ("Description",))
    return deployment.describe()


def delete_deployment(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    deployment = lookup.deployment(api, params["DeploymentId"])
    if any(stage.get("DeploymentId") == deployment.deployment_id for stage in api.stages.values()):
        raise BadRequestException(STAGES_POINTING)
    api.deployments.remove(deployment.deployment_id)


OPERATIONS: dict[str, Operation] = {
    "CreateDeployment": create_deployment,
    "DeleteDeployment": delete_deployment,
    "GetDeployment": get_deployment,
    "GetDeployments": get_deployments,
    "UpdateDeployment": update_deployment,
}
