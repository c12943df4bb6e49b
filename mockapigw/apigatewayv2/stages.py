"""Stages (route settings, access logs, stage variables) and auto-deploy; deployments live in deployments.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..core import clock
from .apis import Api
from .deployments import (
    AUTO_DEPLOY_DESCRIPTION,
    Deployment,
    DeploymentOperations,
    Snapshot,
    served_snapshot,
    undeployable_reason,
)
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .records import (
    HTTP,
    WEBSOCKET,
    Record,
    check_quota,
    not_found,
    page_of,
    pick,
    refuse_managed,
    reject_other_protocol,
)

__all__ = [
    "AUTO_DEPLOY_DESCRIPTION",
    "Deployment",
    "Snapshot",
    "Stage",
    "StageOperations",
    "served_snapshot",
]

DEFAULT_STAGE = "$default"
MAX_STAGES = 10
MAX_STAGE_VARIABLES = 100
MAX_STAGE_TAGS = 50

_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_VARIABLE_VALUE = re.compile(r"^[A-Za-z0-9\-._~:/?#&=,]+$")
_LOG_GROUP_ARN = re.compile(r"^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:\S+$")
_EXECUTION_LOG_MEMBERS = ("LoggingLevel", "DataTraceEnabled")

_WEBSOCKET_ONLY = ("ClientCertificateId",)
_COPIED = ("AccessLogSettings", "AutoDeploy", "ClientCertificateId", "DeploymentId", "Description")
_DESCRIBED = (
    "AccessLogSettings",
    "ApiGatewayManaged",
    "AutoDeploy",
    "ClientCertificateId",
    "CreatedDate",
    "DefaultRouteSettings",
    "DeploymentId",
    "Description",
    "LastDeploymentStatusMessage",
    "LastUpdatedDate",
    "RouteSettings",
    "StageName",
    "StageVariables",
    "Tags",
)
# What AWS returns as DefaultRouteSettings when none are given (aws-facts §3.5; stages-and-deployments.md).
_DEFAULT_ROUTE_SETTINGS: dict[str, dict[str, Any]] = {
    HTTP: {"DetailedMetricsEnabled": False},
    WEBSOCKET: {"DataTraceEnabled": False, "DetailedMetricsEnabled": False, "LoggingLevel": "OFF"},
}


class Stage(Record):
    """One stage of an API: a name, settings, and the deployment it serves."""

    versioned = False  # no deployment holds a stage

    @property
    def name(self) -> str:
        """The stage name."""
        return str(self.fields["StageName"])

    @property
    def auto_deploy(self) -> bool:
        """Whether changes to the API are deployed to this stage automatically."""
        return bool(self.fields.get("AutoDeploy"))

    def touch(self) -> None:
        """Record a change (``LastUpdatedDate``)."""
        self.fields["LastUpdatedDate"] = clock.now()

    def deploy(self, deployment_id: str) -> None:
        """Point the stage at a deployment; auto-deploy stages also report it in ``LastDeploymentStatusMessage``."""
        self.fields["DeploymentId"] = deployment_id
        if self.auto_deploy:
            self.fields["LastDeploymentStatusMessage"] = (
                f"Successfully deployed stage with deployment ID '{deployment_id}'"
            )
        self.touch()

    def describe(self) -> dict[str, Any]:
        """The Stage output members; the maps are always present, as AWS returns them."""
        out = pick(self.fields, _DESCRIBED)
        if not self.auto_deploy:
            # "Supported only for stages with autoDeploy enabled" (model).
            out.pop("LastDeploymentStatusMessage", None)
        out["DefaultRouteSettings"] = dict(self.fields.get("DefaultRouteSettings") or {})
        out["RouteSettings"] = {key: dict(value) for key, value in (self.fields.get("RouteSettings") or {}).items()}
        out["StageVariables"] = dict(self.fields.get("StageVariables") or {})
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out


def _check_stage_name(name: str, protocol: str) -> None:
    if name == DEFAULT_STAGE:  # for WebSocket APIs too (aws-facts §9.2)
        return
    if not _STAGE_NAME.match(name):
        raise BadRequestException(
            f"Invalid stage name: {name!r}. Stage names can contain only alphanumeric characters, hyphens and "
            "underscores, or be $default, and be at most 128 characters long."
        )


def _check_route_settings(settings: Mapping[str, Any], label: str) -> None:
    for member in ("ThrottlingBurstLimit", "ThrottlingRateLimit"):
        value = settings.get(member)
        if value is not None and value < 0:
            raise BadRequestException(f"{label}.{member} must be greater than or equal to 0, got {value}.")


def _check_all_route_settings(api: Api, params: Mapping[str, Any]) -> None:
    """Execution logs are WebSocket-only; RouteSettings keys must be route keys of the API."""
    default = params.get("DefaultRouteSettings")
    per_route: Mapping[str, Any] = params.get("RouteSettings") or {}
    every = ([default] if default is not None else []) + list(per_route.values())
    if api.protocol == HTTP and any(s.get(m) is not None for s in every for m in _EXECUTION_LOG_MEMBERS):
        raise BadRequestException("Execution logs are not supported on protocolType HTTP")
    if default is not None:
        _check_route_settings(default, "DefaultRouteSettings")
    if per_route:
        route_keys = {route.get("RouteKey") for route in api.routes.values()}
        for key, settings in per_route.items():
            if key not in route_keys:
                raise NotFoundException(f"Unable to find Route by key {key} within the provided RouteSettings")
            _check_route_settings(settings, f"RouteSettings[{key}]")


def _check_stage_variables(variables: Mapping[str, str]) -> None:
    for name, value in variables.items():
        if not _VARIABLE_NAME.match(name):
            raise BadRequestException(
                f"Invalid stage variable name: {name!r}. Names can contain only alphanumeric and underscore characters."
            )
        if len(name) > 64:
            raise BadRequestException(f"Stage variable name {name!r} is longer than 64 characters.")
        if value == "":
            continue  # "" removes a variable on update (and sets nothing on create)
        if not _VARIABLE_VALUE.match(value):
            raise BadRequestException(
                f"Invalid value for stage variable {name!r}: {value!r}. Values must match [A-Za-z0-9-._~:/?#&=,]+."
            )
        if len(value) > 512:
            raise BadRequestException(f"The value of stage variable {name!r} is longer than 512 characters.")


def _merged_variables(current: Mapping[str, str], changes: Mapping[str, str]) -> dict[str, str]:
    merged = dict(current)
    for name, value in changes.items():
        if value == "":
            merged.pop(name, None)
        else:
            merged[name] = value
    if len(merged) > MAX_STAGE_VARIABLES:
        raise BadRequestException(
            f"A stage can have at most {MAX_STAGE_VARIABLES} stage variables; this request would make {len(merged)}."
        )
    return merged


def _check_access_log_settings(settings: Mapping[str, Any] | None) -> None:
    if settings is None:
        return
    log_format = settings.get("Format")
    if log_format is not None and "$context.requestId" not in log_format:
        raise BadRequestException("Access log format must include at least $context.requestId.")
    arn = settings.get("DestinationArn")
    if arn is not None and not _LOG_GROUP_ARN.match(arn):
        raise BadRequestException(
            f"Invalid ARN specified in the request: {arn}. It must be a CloudWatch Logs log group ARN."
        )


def _check_tags(tags: Mapping[str, str]) -> None:
    if len(tags) > MAX_STAGE_TAGS:
        raise BadRequestException(f"A stage can have at most {MAX_STAGE_TAGS} tags, got {len(tags)}.")
    for key in tags:
        if key.startswith("aws:"):
            raise BadRequestException(f"Tag keys starting with 'aws:' are reserved: {key}")


class StageOperations(DeploymentOperations):
    """The Stage operations of the backend (and, through the mixin, the Deployment ones)."""

    def stage(self, api: Api, stage_name: str) -> Stage:
        """The stage *stage_name* of *api*, or ``NotFoundException``."""
        stage = api.stages.get(stage_name)
        if stage is None:
            raise not_found("Stage", stage_name)
        return stage

    def _check_common(self, api: Api, params: Mapping[str, Any]) -> None:
        reject_other_protocol(api.protocol, params, websocket_only=_WEBSOCKET_ONLY)
        _check_all_route_settings(api, params)
        _check_stage_variables(params.get("StageVariables") or {})
        _check_access_log_settings(params.get("AccessLogSettings"))
        if params.get("DeploymentId") is not None:
            self.deployment(api, params["DeploymentId"])

    def add_stage(self, api: Api, params: Mapping[str, Any], *, managed: bool = False) -> Stage:
        """Validate and create a stage from CreateStage *params* (quick create passes ``managed=True``)."""
        name = params["StageName"]
        _check_stage_name(name, api.protocol)
        if name in api.stages:
            raise ConflictException(f"Stage {name} already exists")
        check_quota(api.stages, MAX_STAGES, "stages")
        self._check_common(api, params)
        _check_tags(params.get("Tags") or {})
        now = clock.now()
        stage = Stage(
            {
                **pick(params, _COPIED),
                "ApiGatewayManaged": True if managed else None,
                "StageName": name,
                "CreatedDate": now,
                "LastUpdatedDate": now,
                "DefaultRouteSettings": {
                    **_DEFAULT_ROUTE_SETTINGS[api.protocol],
                    **(params.get("DefaultRouteSettings") or {}),
                },
                "RouteSettings": {key: dict(value) for key, value in (params.get("RouteSettings") or {}).items()},
                "StageVariables": _merged_variables({}, params.get("StageVariables") or {}),
                "Tags": dict(params.get("Tags") or {}),
            }
        )
        api.stages.add(name, stage)
        # No deployment yet, even with AutoDeploy: AWS's get-stages example shows an AutoDeploy stage without a
        # DeploymentId. The next change to the API deploys it (quick create deploys its stage explicitly).
        return stage

    def create_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.add_stage(self.api(params["ApiId"]), params).describe()

    def get_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.stage(self.api(params["ApiId"]), params["StageName"]).describe()

    def get_stages(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        return page_of(api.stages, params)

    def update_stage(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        stage = self.stage(api, params["StageName"])
        self._check_common(api, params)
        auto_after = params["AutoDeploy"] if params.get("AutoDeploy") is not None else stage.auto_deploy
        if params.get("DeploymentId") is not None and auto_after:
            raise BadRequestException("Deployment ID can't be updated if autoDeploy is enabled.")
        variables = _merged_variables(stage.get("StageVariables") or {}, params.get("StageVariables") or {})
        stage.apply(params, _COPIED)
        stage.fields["StageVariables"] = variables
        # PATCH semantics: members and route keys not sent keep their settings.
        if params.get("DefaultRouteSettings") is not None:
            stage.fields["DefaultRouteSettings"] = {**stage["DefaultRouteSettings"], **params["DefaultRouteSettings"]}
        for key, settings in (params.get("RouteSettings") or {}).items():
            current = stage.fields["RouteSettings"].get(key, {})
            stage.fields["RouteSettings"][key] = {**current, **settings}
        if not stage.auto_deploy:
            stage.fields.pop("LastDeploymentStatusMessage", None)
        stage.touch()
        return stage.describe()

    def delete_stage(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        stage = self.stage(api, params["StageName"])
        refuse_managed(stage, "stage")
        api.stages.remove(stage.name)

    def delete_route_settings(self, params: dict[str, Any]) -> None:
        stage = self.stage(self.api(params["ApiId"]), params["StageName"])
        route_settings = stage.fields["RouteSettings"]
        if params["RouteKey"] not in route_settings:
            raise NotFoundException(f"Unable to find RouteSettings by key {params['RouteKey']} in stage {stage.name}")
        del route_settings[params["RouteKey"]]
        stage.touch()

    def delete_access_log_settings(self, params: dict[str, Any]) -> None:
        stage = self.stage(self.api(params["ApiId"]), params["StageName"])
        if stage.fields.pop("AccessLogSettings", None) is not None:
            stage.touch()

    def _auto_deploy_stage(self, api: Api, stage: Stage) -> None:
        # A WebSocket API without routes cannot be deployed; the stage keeps what it had until one exists.
        if undeployable_reason(api) is None:
            stage.deploy(self.new_deployment(api, auto=True).deployment_id)

    def auto_deploy(self, api: Api) -> None:
        """Deploy *api* to each of its stages with AutoDeploy after a configuration change."""
        for stage in api.stages.values():
            if stage.auto_deploy:
                self._auto_deploy_stage(api, stage)
