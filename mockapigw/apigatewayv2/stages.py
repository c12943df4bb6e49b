"""Stages (route settings, access logs, stage variables); deployments and auto-deploy live in deployments.py."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..core import clock
from . import lookup
from .api_mappings import mappings_to
from .deployments import AUTO_DEPLOY_DESCRIPTION, auto_deploy_stage, served_snapshot
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .records import HTTP, WEBSOCKET, check_quota, drop_other_protocol, page_of, pick, refuse_managed
from .resources import Api, Deployment, Stage
from .snapshot import Snapshot
from .store import Operation, Store
from .tags import check_tags

__all__ = [
    "AUTO_DEPLOY_DESCRIPTION",
    "OPERATIONS",
    "Deployment",
    "Snapshot",
    "Stage",
    "served_snapshot",
]

DEFAULT_STAGE = "$default"
MAX_STAGES = 10
MAX_STAGE_VARIABLES = 100
# Access log template size, HTTP and WebSocket quotas alike (aws-behaviour.md §4).
MAX_ACCESS_LOG_FORMAT_BYTES = 3 * 1024
# Context variables WebSocket access logs cannot use (aws-behaviour.md §1.3; AWS lists the offending ones).
_WEBSOCKET_UNSUPPORTED_LOG_VARIABLES = ("$context.status",)

_STAGE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
_VARIABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")
_VARIABLE_VALUE = re.compile(r"^[A-Za-z0-9\-._~:/?#&=,]+$")
_LOG_GROUP_ARN = re.compile(r"^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:\S+$")
_EXECUTION_LOG_MEMBERS = ("LoggingLevel", "DataTraceEnabled")

# "Supported only for WebSocket APIs": accepted and ignored on HTTP APIs (no rejection by AWS is known, §9.3).
_WEBSOCKET_ONLY = ("ClientCertificateId",)
_COPIED = ("AccessLogSettings", "AutoDeploy", "ClientCertificateId", "DeploymentId", "Description")
# What AWS returns as DefaultRouteSettings when none are given (aws-behaviour.md §3.5; stages-and-deployments.md).
_DEFAULT_ROUTE_SETTINGS: dict[str, dict[str, Any]] = {
    HTTP: {"DetailedMetricsEnabled": False},
    WEBSOCKET: {"DataTraceEnabled": False, "DetailedMetricsEnabled": False, "LoggingLevel": "OFF"},
}


def _check_stage_name(name: str) -> None:
    # $default is a stage name of WebSocket APIs too (aws-behaviour.md §9.2: SST and stelvio use it).
    if name != DEFAULT_STAGE and not _STAGE_NAME.match(name):
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


def _check_access_log_settings(protocol: str, settings: Mapping[str, Any] | None) -> None:
    if settings is None:
        return
    log_format = settings.get("Format")
    if log_format is not None and "$context.requestId" not in log_format:
        raise BadRequestException("Access log format must include at least $context.requestId.")
    if log_format is not None and len(log_format.encode()) > MAX_ACCESS_LOG_FORMAT_BYTES:
        raise BadRequestException(
            f"Access log format is larger than the {MAX_ACCESS_LOG_FORMAT_BYTES} bytes (3 KB) a template can have."
        )
    if log_format is not None and protocol == WEBSOCKET:
        unsupported = [name for name in _WEBSOCKET_UNSUPPORTED_LOG_VARIABLES if _uses_variable(log_format, name)]
        if unsupported:
            raise BadRequestException(f"The following context variables are not supported: [{', '.join(unsupported)}]")
    arn = settings.get("DestinationArn")
    if arn is not None and not _LOG_GROUP_ARN.match(arn):
        raise BadRequestException(
            f"Invalid ARN specified in the request: {arn}. It must be a CloudWatch Logs log group ARN."
        )


def _uses_variable(log_format: str, name: str) -> bool:
    """Whether *log_format* uses the variable *name* itself (``$context.status``, not ``$context.statusCode``)."""
    return re.search(re.escape(name) + r"(?![A-Za-z0-9_])", log_format) is not None


def _check_common(api: Api, params: Mapping[str, Any]) -> None:
    _check_all_route_settings(api, params)
    _check_stage_variables(params.get("StageVariables") or {})
    _check_access_log_settings(api.protocol, params.get("AccessLogSettings"))
    if params.get("DeploymentId") is not None:
        lookup.deployment(api, params["DeploymentId"])


def add_stage(api: Api, params: dict[str, Any], *, managed: bool = False) -> Stage:
    """Validate and create a stage from CreateStage *params* (quick create passes ``managed=True``)."""
    params = drop_other_protocol(api.protocol, params, websocket_only=_WEBSOCKET_ONLY)
    name = params["StageName"]
    _check_stage_name(name)
    if name in api.stages:
        raise ConflictException(f"Stage {name} already exists")
    check_quota(api.stages, MAX_STAGES, "stages")
    _check_common(api, params)
    check_tags(params.get("Tags") or {})
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
    if stage.auto_deploy and "DeploymentId" not in stage.fields:
        # An AutoDeploy stage is deployed at once, with no further change to the API (aws-behaviour.md §9.1).
        auto_deploy_stage(api, stage)
    return stage


def create_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return add_stage(lookup.api(store, params["ApiId"]), params).describe()


def get_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.stage(lookup.api(store, params["ApiId"]), params["StageName"]).describe()


def get_stages(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    return page_of(api.stages, params)


def update_stage(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    api = lookup.api(store, params["ApiId"])
    stage = lookup.stage(api, params["StageName"])
    params = drop_other_protocol(api.protocol, params, websocket_only=_WEBSOCKET_ONLY)
    _check_common(api, params)
    auto_before = stage.auto_deploy
    auto_after = params["AutoDeploy"] if params.get("AutoDeploy") is not None else auto_before
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
    if auto_after and not auto_before:
        # Turning AutoDeploy on deploys, as creating an AutoDeploy stage does (aws-behaviour.md §9.1).
        auto_deploy_stage(api, stage)
    return stage.describe()


def delete_stage(store: Store, params: dict[str, Any]) -> None:
    api = lookup.api(store, params["ApiId"])
    stage = lookup.stage(api, params["StageName"])
    refuse_managed(stage, "stage")
    domains = list(dict.fromkeys(domain.name for domain, _ in mappings_to(store, api.api_id, stage.name)))
    if domains:
        # AWS's text, seen for one domain (an HTTP API's $default stage, Terraform's DeleteStage error); several
        # are listed with ", ", the mock's choice.
        raise BadRequestException(
            f"Deleting stage {stage.name} failed. Please remove all base path mappings related to the stage in your "
            f"domains: {', '.join(domains)}"
        )
    api.stages.remove(stage.name)


def delete_route_settings(store: Store, params: dict[str, Any]) -> None:
    stage = lookup.stage(lookup.api(store, params["ApiId"]), params["StageName"])
    route_settings = stage.fields["RouteSettings"]
    if params["RouteKey"] not in route_settings:
        raise NotFoundException(f"Unable to find RouteSettings by key {params['RouteKey']} in stage {stage.name}")
    del route_settings[params["RouteKey"]]
    stage.touch()


def delete_access_log_settings(store: Store, params: dict[str, Any]) -> None:
    stage = lookup.stage(lookup.api(store, params["ApiId"]), params["StageName"])
    if stage.fields.pop("AccessLogSettings", None) is not None:
        stage.touch()


OPERATIONS: dict[str, Operation] = {
    "CreateStage": create_stage,
    "DeleteAccessLogSettings": delete_access_log_settings,
    "DeleteRouteSettings": delete_route_settings,
    "DeleteStage": delete_stage,
    "GetStage": get_stage,
    "GetStages": get_stages,
    "UpdateStage": update_stage,
}
