"""Stages: defaults, validation, route settings, stage variables, access logs, tags, updates and deletes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import lookup
from mockapigw.apigatewayv2.stages import add_stage

LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:handler"
LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:api-access"
REQUEST_ID = "$context.requestId"
T0 = dt.datetime(2024, 5, 1, 12, 0, 0, tzinfo=dt.timezone.utc)


# The whole message (AWS gives no stage name in it).
STAGE_NOT_FOUND = r": Invalid stage identifier specified$"

def _route(v2: Any, api_id: str, key: str) -> dict[str, Any]:
    return dict(v2.create_route(ApiId=api_id, RouteKey=key))


def _error(info: pytest.ExceptionInfo[Any]) -> tuple[int, str]:
    response = info.value.response
    return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"]


# --- create


def test_create_http_stage_defaults(v2: Any, http_api: dict[str, Any]) -> None:
    with time_machine.travel(T0, tick=False):
        stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev")
    assert stage["ResponseMetadata"]["HTTPStatusCode"] == 201
    body = {k: v for k, v in stage.items() if k != "ResponseMetadata"}
    assert body == {
        "CreatedDate": T0,
        "DefaultRouteSettings": {"DetailedMetricsEnabled": False},
        "LastUpdatedDate": T0,
        "RouteSettings": {},
        "StageName": "dev",
        "StageVariables": {},
        "Tags": {},
    }


def test_create_websocket_stage_defaults(v2: Any, ws_api: dict[str, Any]) -> None:
    stage = v2.create_stage(ApiId=ws_api["ApiId"], StageName="production")
    assert stage["DefaultRouteSettings"] == {
        "DataTraceEnabled": False,
        "DetailedMetricsEnabled": False,
        "LoggingLevel": "OFF",
    }
    assert stage["RouteSettings"] == {} and stage["StageVariables"] == {} and stage["Tags"] == {}
    assert "DeploymentId" not in stage and "AutoDeploy" not in stage and "ApiGatewayManaged" not in stage


def test_create_stage_with_every_member(v2: Any, ws_api: dict[str, Any]) -> None:
    api_id = ws_api["ApiId"]
    _route(v2, api_id, "$connect")
    deployment = v2.create_deployment(ApiId=api_id)
    stage = v2.create_stage(
        ApiId=api_id,
        StageName="prod",
        Description="production",
        DeploymentId=deployment["DeploymentId"],
        ClientCertificateId="abc123",
        AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": "$context.requestId $context.routeKey"},
        DefaultRouteSettings={"LoggingLevel": "INFO", "ThrottlingBurstLimit": 10, "ThrottlingRateLimit": 20.5},
        RouteSettings={"$connect": {"DataTraceEnabled": True, "ThrottlingBurstLimit": 1}},
        StageVariables={"function": "my-prod-function", "url": "https://example.com/a?b=c&d=e,f#g"},
        Tags={"env": "prod"},
    )
    assert stage["Description"] == "production"
    assert stage["DeploymentId"] == deployment["DeploymentId"]
    assert stage["ClientCertificateId"] == "abc123"
    assert stage["AccessLogSettings"] == {"DestinationArn": LOG_GROUP, "Format": "$context.requestId $context.routeKey"}
    assert stage["DefaultRouteSettings"] == {
        "DataTraceEnabled": False,
        "DetailedMetricsEnabled": False,
        "LoggingLevel": "INFO",
        "ThrottlingBurstLimit": 10,
        "ThrottlingRateLimit": 20.5,
    }
    assert stage["RouteSettings"] == {"$connect": {"DataTraceEnabled": True, "ThrottlingBurstLimit": 1}}
    assert stage["StageVariables"] == {"function": "my-prod-function", "url": "https://example.com/a?b=c&d=e,f#g"}
    assert stage["Tags"] == {"env": "prod"}
    fetched = dict(v2.get_stage(ApiId=api_id, StageName="prod"))
    fetched.pop("ResponseMetadata")
    stage.pop("ResponseMetadata")
    assert fetched == stage


def test_throttling_rate_limit_is_a_double(v2: Any, http_api: dict[str, Any]) -> None:
    _route(v2, http_api["ApiId"], "GET /pets")
    stage = v2.create_stage(
        ApiId=http_api["ApiId"],
        StageName="dev",
        RouteSettings={"GET /pets": {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 2000}},
    )
    assert stage["RouteSettings"] == {"GET /pets": {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 2000.0}}
    assert isinstance(stage["RouteSettings"]["GET /pets"]["ThrottlingRateLimit"], float)


def test_create_stage_on_missing_api(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_stage(ApiId="abcdefghij", StageName="dev")
    assert _error(info) == (404, "Invalid API identifier specified 123456789012:abcdefghij")


@pytest.mark.parametrize("name", ["dev", "Prod_2", "a-b-c", "x" * 128, "$default"])
def test_valid_http_stage_names(v2: Any, http_api: dict[str, Any], name: str) -> None:
    assert v2.create_stage(ApiId=http_api["ApiId"], StageName=name)["StageName"] == name
    assert v2.get_stage(ApiId=http_api["ApiId"], StageName=name)["StageName"] == name


@pytest.mark.parametrize("name", ["has space", "dot.name", "slash/name", "$other", "default$", "é"])
def test_invalid_stage_names(v2: Any, http_api: dict[str, Any], name: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName=name)
    status, message = _error(info)
    assert status == 400
    assert message == (
        f"Invalid stage name: {name!r}. Stage names can contain only alphanumeric characters, hyphens and "
        "underscores, or be $default, and be at most 128 characters long."
    )
    assert v2.get_stages(ApiId=http_api["ApiId"])["Items"] == []


def test_stage_name_length(v2: Any, http_api: dict[str, Any]) -> None:
    # The limit is the model's documentation of StageName ("Maximum length is 128 characters"), not a shape name.
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="x" * 129)
    assert _error(info)[1].startswith("Invalid stage name: ")
    assert v2.create_stage(ApiId=http_api["ApiId"], StageName="x" * 128)["StageName"] == "x" * 128


def test_websocket_apis_accept_the_default_stage(v2: Any, ws_api: dict[str, Any]) -> None:
    # aws-behaviour.md §9.2: SST and stelvio name their WebSocket stage $default.
    stage = v2.create_stage(ApiId=ws_api["ApiId"], StageName="$default", AutoDeploy=True)
    assert stage["StageName"] == "$default"
    assert [s["StageName"] for s in v2.get_stages(ApiId=ws_api["ApiId"])["Items"]] == ["$default"]
    assert v2.get_stage(ApiId=ws_api["ApiId"], StageName="$default")["AutoDeploy"] is True


def test_duplicate_stage_name_is_a_conflict(v2: Any, http_api: dict[str, Any]) -> None:
    v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Description="first")
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Description="second")
    assert _error(info) == (409, "Stage dev already exists")
    assert v2.get_stage(ApiId=http_api["ApiId"], StageName="dev")["Description"] == "first"


def test_same_stage_name_on_two_apis(v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]) -> None:
    v2.create_stage(ApiId=http_api["ApiId"], StageName="dev")
    v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev")
    assert [s["StageName"] for s in v2.get_stages(ApiId=ws_api["ApiId"])["Items"]] == ["dev"]


def test_ten_stages_per_api(apigw: MockApiGateway, http_api: dict[str, Any]) -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))
    for index in range(10):
        client.create_stage(ApiId=http_api["ApiId"], StageName=f"s{index}")
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_stage(ApiId=http_api["ApiId"], StageName="s10")
    assert _error(info) == (429, "Maximum number of stages for this API has been reached (10).")
    assert info.value.response["LimitType"] == "stages"
    client.delete_stage(ApiId=http_api["ApiId"], StageName="s0")
    assert client.create_stage(ApiId=http_api["ApiId"], StageName="s10")["StageName"] == "s10"


def test_unknown_deployment_id(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", DeploymentId="abc123")
    assert _error(info) == (404, "Invalid Deployment identifier specified abc123")
    assert v2.get_stages(ApiId=http_api["ApiId"])["Items"] == []


def test_deployment_of_another_api_is_unknown(v2: Any, http_api: dict[str, Any]) -> None:
    other = v2.create_api(Name="other", ProtocolType="HTTP")
    deployment = v2.create_deployment(ApiId=other["ApiId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Deployment identifier"):
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", DeploymentId=deployment["DeploymentId"])


# --- route settings


def test_route_settings_need_existing_route_keys(v2: Any, http_api: dict[str, Any]) -> None:
    _route(v2, http_api["ApiId"], "ANY /{proxy+}")
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_stage(
            ApiId=http_api["ApiId"],
            StageName="dev",
            RouteSettings={"DELETE /{proxy+}": {"ThrottlingBurstLimit": 5}},
        )
    assert _error(info) == (404, "Unable to find Route by key DELETE /{proxy+} within the provided RouteSettings")
    stage = v2.create_stage(
        ApiId=http_api["ApiId"], StageName="dev", RouteSettings={"ANY /{proxy+}": {"ThrottlingBurstLimit": 5}}
    )
    assert stage["RouteSettings"] == {"ANY /{proxy+}": {"ThrottlingBurstLimit": 5}}


def test_route_settings_on_an_api_without_routes(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match=r"Unable to find Route by key \$connect within"):
        v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev", RouteSettings={"$connect": {}})


@pytest.mark.parametrize(
    "settings",
    [
        {"DefaultRouteSettings": {"LoggingLevel": "INFO"}},
        {"DefaultRouteSettings": {"LoggingLevel": "OFF"}},
        {"DefaultRouteSettings": {"DataTraceEnabled": False}},
        {"RouteSettings": {"GET /pets": {"DataTraceEnabled": True}}},
        {"RouteSettings": {"GET /pets": {"LoggingLevel": "ERROR"}}},
    ],
)
def test_execution_logs_are_not_supported_on_http(v2: Any, http_api: dict[str, Any], settings: dict[str, Any]) -> None:
    _route(v2, http_api["ApiId"], "GET /pets")
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", **settings)
    assert _error(info) == (400, "Execution logs are not supported on protocolType HTTP")
    v2.create_stage(ApiId=http_api["ApiId"], StageName="dev")
    with pytest.raises(v2.exceptions.BadRequestException, match="Execution logs are not supported"):
        v2.update_stage(ApiId=http_api["ApiId"], StageName="dev", **settings)


def test_logging_level_must_be_in_the_enum(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match=r"enum value set: \[ERROR, INFO, OFF\]"):
        v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev", DefaultRouteSettings={"LoggingLevel": "DEBUG"})


@pytest.mark.parametrize("member", ["ThrottlingBurstLimit", "ThrottlingRateLimit"])
def test_negative_throttling_is_rejected(v2: Any, http_api: dict[str, Any], member: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", DefaultRouteSettings={member: -1})
    assert _error(info) == (400, f"DefaultRouteSettings.{member} must be greater than or equal to 0, got -1.")


def test_client_certificate_on_http_stages_is_accepted_and_ignored(v2: Any, http_api: dict[str, Any]) -> None:
    # "Supported only for WebSocket APIs", but AWS is not known to refuse it (aws-behaviour.md §9.3).
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", ClientCertificateId="abc123")
    assert "ClientCertificateId" not in stage
    updated = v2.update_stage(ApiId=http_api["ApiId"], StageName="dev", ClientCertificateId="abc123")
    assert "ClientCertificateId" not in updated


def test_client_certificate_on_websocket_stages(v2: Any, ws_api: dict[str, Any]) -> None:
    stage = v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev", ClientCertificateId="abc123")
    assert stage["ClientCertificateId"] == "abc123"


# --- stage variables


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        (
            {"bad-name": "v"},
            "Invalid stage variable name: 'bad-name'. Names can contain only alphanumeric and underscore characters.",
        ),
        ({"n" * 65: "v"}, f"Stage variable name {'n' * 65!r} is longer than 64 characters."),
        (
            {"name": "has space"},
            "Invalid value for stage variable 'name': 'has space'. Values must match [A-Za-z0-9-._~:/?#&=,]+.",
        ),
        ({"name": "v" * 513}, "The value of stage variable 'name' is longer than 512 characters."),
        (
            {f"v{i}": "x" for i in range(101)},
            "A stage can have at most 100 stage variables; this request would make 101.",
        ),
    ],
)
def test_stage_variable_rules(v2: Any, http_api: dict[str, Any], variables: dict[str, str], message: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", StageVariables=variables)
    assert _error(info) == (400, message)


def test_stage_variable_limits_are_inclusive(v2: Any, http_api: dict[str, Any]) -> None:
    variables = {f"v{i}": "x" for i in range(99)} | {"n" * 64: "v" * 512}
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", StageVariables=variables)
    assert stage["StageVariables"] == variables


def test_empty_stage_variable_values_set_nothing(v2: Any, http_api: dict[str, Any]) -> None:
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", StageVariables={"a": "1", "b": ""})
    assert stage["StageVariables"] == {"a": "1"}


def test_update_merges_stage_variables_and_empty_values_remove(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", StageVariables={"a": "1", "b": "2"})
    stage = v2.update_stage(ApiId=api_id, StageName="dev", StageVariables={"b": "", "c": "3", "a": "one"})
    assert stage["StageVariables"] == {"a": "one", "c": "3"}
    stage = v2.update_stage(ApiId=api_id, StageName="dev", StageVariables={"gone": ""})
    assert stage["StageVariables"] == {"a": "one", "c": "3"}


def test_update_counts_merged_stage_variables(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", StageVariables={f"a{i}": "x" for i in range(60)})
    with pytest.raises(v2.exceptions.BadRequestException, match="at most 100 stage variables; this request would"):
        v2.update_stage(ApiId=api_id, StageName="dev", StageVariables={f"b{i}": "x" for i in range(41)})
    assert len(v2.get_stage(ApiId=api_id, StageName="dev")["StageVariables"]) == 60
    swapped = {f"a{i}": "" for i in range(41)} | {f"b{i}": "x" for i in range(41)}
    assert len(v2.update_stage(ApiId=api_id, StageName="dev", StageVariables=swapped)["StageVariables"]) == 60


# --- access logs


def test_access_log_format_must_include_request_id(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(
            ApiId=http_api["ApiId"],
            StageName="dev",
            AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": "$context.status"},
        )
    assert _error(info) == (400, "Access log format must include at least $context.requestId.")


def test_access_log_format_is_limited_to_3_kb(v2: Any, http_api: dict[str, Any]) -> None:
    # The quota is 3 KB (aws-behaviour.md §4); the 1024 in the shape's name is no constraint (§9.4).
    log_format = "$context.requestId " + "x" * (3072 - 19)
    ok = v2.create_stage(
        ApiId=http_api["ApiId"], StageName="dev", AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": log_format}
    )
    assert len(ok["AccessLogSettings"]["Format"]) == 3072
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(
            ApiId=http_api["ApiId"],
            StageName="prod",
            AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": log_format + "x"},
        )
    assert _error(info) == (400, "Access log format is larger than the 3072 bytes (3 KB) a template can have.")


@pytest.mark.parametrize(
    "log_format",
    ['{"requestId":"$context.requestId","status":"$context.status"}', "$context.requestId $context.status"],
)
def test_websocket_access_logs_refuse_context_status(v2: Any, ws_api: dict[str, Any], log_format: str) -> None:
    # AWS's answer (aws-behaviour.md §1.3, serverless/serverless #7016).
    settings = {"DestinationArn": LOG_GROUP, "Format": log_format}
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev", AccessLogSettings=settings)
    assert _error(info) == (400, "The following context variables are not supported: [$context.status]")
    v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev")
    with pytest.raises(v2.exceptions.BadRequestException, match=r"not supported: \[\$context.status\]"):
        v2.update_stage(ApiId=ws_api["ApiId"], StageName="dev", AccessLogSettings=settings)
    assert "AccessLogSettings" not in v2.get_stage(ApiId=ws_api["ApiId"], StageName="dev")


def test_http_access_logs_may_use_context_status(v2: Any, http_api: dict[str, Any]) -> None:
    settings = {"DestinationArn": LOG_GROUP, "Format": "$context.requestId $context.status"}
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", AccessLogSettings=settings)
    assert stage["AccessLogSettings"] == settings


def test_websocket_access_logs_may_use_other_status_variables(v2: Any, ws_api: dict[str, Any]) -> None:
    settings = {"DestinationArn": LOG_GROUP, "Format": "$context.requestId $context.integration.status"}
    stage = v2.create_stage(ApiId=ws_api["ApiId"], StageName="dev", AccessLogSettings=settings)
    assert stage["AccessLogSettings"] == settings


def test_access_log_destination_must_be_a_log_group(v2: Any, http_api: dict[str, Any]) -> None:
    bucket = "arn:aws:s3:::my-bucket"
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(
            ApiId=http_api["ApiId"],
            StageName="dev",
            AccessLogSettings={"DestinationArn": bucket, "Format": "$context.requestId"},
        )
    assert _error(info) == (
        400,
        f"Invalid ARN specified in the request: {bucket}. It must be a CloudWatch Logs log group ARN.",
    )


def test_delete_access_log_settings(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    with time_machine.travel(T0, tick=False):
        v2.create_stage(
            ApiId=api_id, StageName="dev", AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": REQUEST_ID}
        )
    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        response = v2.delete_access_log_settings(ApiId=api_id, StageName="dev")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert "AccessLogSettings" not in stage
    assert stage["LastUpdatedDate"] == T0 + dt.timedelta(minutes=5)
    # Deleting settings that are not there is not an error and changes nothing.
    v2.delete_access_log_settings(ApiId=api_id, StageName="dev")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["LastUpdatedDate"] == T0 + dt.timedelta(minutes=5)


def test_delete_access_log_settings_of_default_stage(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(
        ApiId=api_id, StageName="$default", AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": REQUEST_ID}
    )
    v2.delete_access_log_settings(ApiId=api_id, StageName="$default")
    assert "AccessLogSettings" not in v2.get_stage(ApiId=api_id, StageName="$default")


def test_delete_access_log_settings_of_missing_stage(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.delete_access_log_settings(ApiId=http_api["ApiId"], StageName="nope")
    assert _error(info) == (404, "Invalid stage identifier specified")


# --- tags


def test_stage_tags_through_the_stage_arn(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", Tags={"team": "shop"})
    arn = f"arn:aws:apigateway:us-east-1::/apis/{api_id}/stages/dev"
    v2.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {"team": "shop", "env": "test"}
    assert v2.get_stage(ApiId=api_id, StageName="dev")["Tags"] == {"team": "shop", "env": "test"}
    v2.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert v2.get_stages(ApiId=api_id)["Items"][0]["Tags"] == {"env": "test"}


def test_stage_tag_rules(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Tags={f"k{i}": "v" for i in range(51)})
    assert _error(info) == (400, "A resource can have at most 50 tags; this request would make 51.")
    with pytest.raises(v2.exceptions.BadRequestException, match="Tag keys starting with 'aws:' are reserved: aws:x"):
        v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Tags={"aws:x": "v"})
    stage = v2.create_stage(ApiId=http_api["ApiId"], StageName="dev", Tags={f"k{i}": "v" for i in range(50)})
    assert len(stage["Tags"]) == 50


# --- get


def test_get_missing_stage(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_stage(ApiId=http_api["ApiId"], StageName="nope")
    assert _error(info) == (404, "Invalid stage identifier specified")
    assert v2.get_stages(ApiId=http_api["ApiId"])["Items"] == []


def test_get_stages_of_missing_api(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified 123456789012:zzz"):
        v2.get_stages(ApiId="zzz")


def test_get_stages_pages(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    names = [f"stage{i}" for i in range(5)]
    for name in names:
        v2.create_stage(ApiId=api_id, StageName=name)
    everything = v2.get_stages(ApiId=api_id)
    assert [s["StageName"] for s in everything["Items"]] == names
    assert "NextToken" not in everything
    first = v2.get_stages(ApiId=api_id, MaxResults="2")
    assert [s["StageName"] for s in first["Items"]] == names[:2]
    second = v2.get_stages(ApiId=api_id, MaxResults="2", NextToken=first["NextToken"])
    assert [s["StageName"] for s in second["Items"]] == names[2:4]
    third = v2.get_stages(ApiId=api_id, MaxResults="2", NextToken=second["NextToken"])
    assert [s["StageName"] for s in third["Items"]] == names[4:]
    assert "NextToken" not in third
    pages = v2.get_paginator("get_stages").paginate(ApiId=api_id, PaginationConfig={"PageSize": 3})
    assert [[s["StageName"] for s in page["Items"]] for page in pages] == [names[:3], names[3:]]
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_stages(ApiId=api_id, NextToken="bogus")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults value"):
        v2.get_stages(ApiId=api_id, MaxResults="0")


# --- update


def test_update_stage_changes_only_what_is_sent(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    with time_machine.travel(T0, tick=False):
        v2.create_stage(ApiId=api_id, StageName="dev", Description="d1", StageVariables={"a": "1"})
    with time_machine.travel(T0 + dt.timedelta(hours=1), tick=False):
        stage = v2.update_stage(
            ApiId=api_id,
            StageName="dev",
            Description="d2",
            AccessLogSettings={"DestinationArn": LOG_GROUP, "Format": "$context.requestId"},
        )
    assert stage["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert stage["Description"] == "d2"
    assert stage["StageVariables"] == {"a": "1"}
    assert stage["AccessLogSettings"] == {"DestinationArn": LOG_GROUP, "Format": "$context.requestId"}
    assert stage["CreatedDate"] == T0
    assert stage["LastUpdatedDate"] == T0 + dt.timedelta(hours=1)
    assert v2.get_stage(ApiId=api_id, StageName="dev")["Description"] == "d2"


def test_update_route_settings_merge(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    _route(v2, api_id, "GET /pets")
    _route(v2, api_id, "POST /pets")
    v2.create_stage(
        ApiId=api_id,
        StageName="dev",
        DefaultRouteSettings={"DetailedMetricsEnabled": True},
        RouteSettings={"GET /pets": {"ThrottlingBurstLimit": 1, "ThrottlingRateLimit": 2.0}},
    )
    stage = v2.update_stage(
        ApiId=api_id,
        StageName="dev",
        DefaultRouteSettings={"ThrottlingBurstLimit": 50},
        RouteSettings={"GET /pets": {"ThrottlingBurstLimit": 100}, "POST /pets": {"DetailedMetricsEnabled": True}},
    )
    assert stage["DefaultRouteSettings"] == {"DetailedMetricsEnabled": True, "ThrottlingBurstLimit": 50}
    assert stage["RouteSettings"] == {
        "GET /pets": {"ThrottlingBurstLimit": 100, "ThrottlingRateLimit": 2.0},
        "POST /pets": {"DetailedMetricsEnabled": True},
    }
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find Route by key PUT /pets within"):
        v2.update_stage(ApiId=api_id, StageName="dev", RouteSettings={"PUT /pets": {}})


def test_update_missing_stage_or_api(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.update_stage(ApiId=http_api["ApiId"], StageName="nope", Description="x")
    assert _error(info) == (404, "Invalid stage identifier specified")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier"):
        v2.update_stage(ApiId="abcdefghij", StageName="nope", Description="x")


def test_update_deployment_id(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    first = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    second = v2.create_deployment(ApiId=api_id)["DeploymentId"]
    v2.create_stage(ApiId=api_id, StageName="dev", DeploymentId=first)
    assert v2.update_stage(ApiId=api_id, StageName="dev", DeploymentId=second)["DeploymentId"] == second
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.update_stage(ApiId=api_id, StageName="dev", DeploymentId="zzzzzz")
    assert _error(info) == (404, "Invalid Deployment identifier specified zzzzzz")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["DeploymentId"] == second


def test_validation_failure_changes_nothing(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev", Description="d1")
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.update_stage(ApiId=api_id, StageName="dev", Description="d2", StageVariables={"bad name": "v"})
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["Description"] == "d1" and stage["StageVariables"] == {}


# --- delete


def test_delete_stage(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    deployment = v2.create_deployment(ApiId=api_id)
    v2.create_stage(ApiId=api_id, StageName="dev", DeploymentId=deployment["DeploymentId"])
    response = v2.delete_stage(ApiId=api_id, StageName="dev")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException, match=STAGE_NOT_FOUND):
        v2.get_stage(ApiId=api_id, StageName="dev")
    # The deployment the stage served stays.
    assert [d["DeploymentId"] for d in v2.get_deployments(ApiId=api_id)["Items"]] == [deployment["DeploymentId"]]
    with pytest.raises(v2.exceptions.NotFoundException, match=STAGE_NOT_FOUND):
        v2.delete_stage(ApiId=api_id, StageName="dev")


def test_managed_stage_cannot_be_deleted(apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]) -> None:
    backend = apigw.apigatewayv2.backends("123456789012", "us-east-1")
    api = lookup.api(backend, http_api["ApiId"])
    add_stage(api, {"StageName": "$default", "AutoDeploy": True}, managed=True)
    stage = v2.get_stage(ApiId=http_api["ApiId"], StageName="$default")
    assert stage["ApiGatewayManaged"] is True and stage["AutoDeploy"] is True
    with pytest.raises(v2.exceptions.BadRequestException, match="Cannot delete stage"):
        v2.delete_stage(ApiId=http_api["ApiId"], StageName="$default")
    # It can still be configured.
    updated = v2.update_stage(ApiId=http_api["ApiId"], StageName="$default", StageVariables={"a": "b"})
    assert updated["StageVariables"] == {"a": "b"}


def test_quick_create_default_stage_is_managed(v2: Any) -> None:
    api = v2.create_api(Name="quick", ProtocolType="HTTP", Target=LAMBDA_ARN)
    stages = v2.get_stages(ApiId=api["ApiId"])["Items"]
    assert [s["StageName"] for s in stages] == ["$default"]
    stage = stages[0]
    assert stage["ApiGatewayManaged"] is True and stage["AutoDeploy"] is True
    assert stage["LastDeploymentStatusMessage"] == (
        f"Successfully deployed stage with deployment ID '{stage['DeploymentId']}'"
    )
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.delete_stage(ApiId=api["ApiId"], StageName="$default")


def test_deleting_the_api_deletes_its_stages(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="dev")
    v2.delete_api(ApiId=api_id)
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier"):
        v2.get_stage(ApiId=api_id, StageName="dev")


def test_delete_route_settings(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = http_api["ApiId"]
    _route(v2, api_id, "GET /pets/{id}")
    _route(v2, api_id, "POST /pets")
    with time_machine.travel(T0, tick=False):
        v2.create_stage(
            ApiId=api_id,
            StageName="dev",
            RouteSettings={"GET /pets/{id}": {"ThrottlingBurstLimit": 1}, "POST /pets": {"ThrottlingBurstLimit": 2}},
        )
    with time_machine.travel(T0 + dt.timedelta(seconds=30), tick=False):
        response = v2.delete_route_settings(ApiId=api_id, StageName="dev", RouteKey="GET /pets/{id}")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    stage = v2.get_stage(ApiId=api_id, StageName="dev")
    assert stage["RouteSettings"] == {"POST /pets": {"ThrottlingBurstLimit": 2}}
    assert stage["LastUpdatedDate"] == T0 + dt.timedelta(seconds=30)
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.delete_route_settings(ApiId=api_id, StageName="dev", RouteKey="GET /pets/{id}")
    assert _error(info) == (404, "Unable to find RouteSettings by key GET /pets/{id} in stage dev")
    with pytest.raises(v2.exceptions.NotFoundException, match=STAGE_NOT_FOUND):
        v2.delete_route_settings(ApiId=api_id, StageName="prod", RouteKey="POST /pets")


def test_delete_route_settings_of_websocket_route(v2: Any, ws_api: dict[str, Any]) -> None:
    api_id = ws_api["ApiId"]
    _route(v2, api_id, "$connect")
    v2.create_stage(ApiId=api_id, StageName="dev", RouteSettings={"$connect": {"LoggingLevel": "ERROR"}})
    v2.delete_route_settings(ApiId=api_id, StageName="dev", RouteKey="$connect")
    assert v2.get_stage(ApiId=api_id, StageName="dev")["RouteSettings"] == {}
