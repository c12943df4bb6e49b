"""Apis: defaults, validation, errors, pagination, update and delete, as AWS answers them."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import time_machine
from freezegun import freeze_time


def test_create_http_api_defaults(v2: Any) -> None:
    api = v2.create_api(Name="orders", ProtocolType="HTTP")
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{10}", api["ApiId"])
    assert api["ApiEndpoint"] == f"https://{api['ApiId']}.execute-api.us-east-1.amazonaws.com"
    assert api["RouteSelectionExpression"] == "$request.method $request.path"
    assert api["ApiKeySelectionExpression"] == "$request.header.x-api-key"
    assert api["DisableExecuteApiEndpoint"] is False
    assert api["IpAddressType"] == "ipv4"
    assert api["Tags"] == {}
    assert api["ProtocolType"] == "HTTP"
    assert isinstance(api["CreatedDate"], dt.datetime)
    assert "Description" not in api and "CorsConfiguration" not in api


def test_create_websocket_api(v2: Any) -> None:
    api = v2.create_api(
        Name="chat",
        ProtocolType="WEBSOCKET",
        RouteSelectionExpression="$request.body.action",
        Description="d",
        Version="1",
        DisableSchemaValidation=True,
        Tags={"k": "v"},
    )
    assert api["ApiEndpoint"] == f"wss://{api['ApiId']}.execute-api.us-east-1.amazonaws.com"
    assert api["RouteSelectionExpression"] == "$request.body.action"
    assert (api["Description"], api["Version"], api["DisableSchemaValidation"]) == ("d", "1", True)
    assert api["Tags"] == {"k": "v"}


def test_websocket_api_requires_route_selection_expression(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="RouteSelectionExpression is required"):
        v2.create_api(Name="chat", ProtocolType="WEBSOCKET")


def test_bad_protocol_type_is_a_bad_request(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_api(Name="x", ProtocolType="GRPC")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "Member must satisfy enum value set: [WEBSOCKET, HTTP]" in info.value.response["Error"]["Message"]
    assert v2.get_apis()["Items"] == []


def test_http_route_selection_expression_forms(v2: Any) -> None:
    braces = v2.create_api(Name="x", ProtocolType="HTTP", RouteSelectionExpression="${request.method} ${request.path}")
    assert braces["RouteSelectionExpression"] == "$request.method $request.path"
    with pytest.raises(v2.exceptions.BadRequestException, match="HTTP APIs only support"):
        v2.create_api(Name="x", ProtocolType="HTTP", RouteSelectionExpression="$request.body.action")


def test_api_key_selection_expression_values(v2: Any) -> None:
    api = v2.create_api(
        Name="x",
        ProtocolType="WEBSOCKET",
        RouteSelectionExpression="$request.body.a",
        ApiKeySelectionExpression="$context.authorizer.usageIdentifierKey",
    )
    assert api["ApiKeySelectionExpression"] == "$context.authorizer.usageIdentifierKey"
    with pytest.raises(v2.exceptions.BadRequestException, match="Unsupported ApiKeySelectionExpression"):
        v2.create_api(
            Name="x", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a",
            ApiKeySelectionExpression="$request.header.other",
        )


def test_http_apis_accept_and_return_an_api_key_selection_expression(v2: Any, http_api: dict[str, Any]) -> None:
    # terraform sends it on every CreateApi; real get-apis output returns it for HTTP APIs (aws-behaviour.md §9.3).
    expression = "$context.authorizer.usageIdentifierKey"
    api = v2.create_api(Name="x", ProtocolType="HTTP", ApiKeySelectionExpression=expression)
    assert api["ApiKeySelectionExpression"] == expression
    assert v2.get_api(ApiId=api["ApiId"])["ApiKeySelectionExpression"] == expression
    updated = v2.update_api(ApiId=http_api["ApiId"], ApiKeySelectionExpression="$request.header.x-api-key")
    assert updated["ApiKeySelectionExpression"] == "$request.header.x-api-key"


@pytest.mark.parametrize(
    ("protocol", "member", "value"),
    [
        ("HTTP", "DisableSchemaValidation", True),
        ("WEBSOCKET", "CorsConfiguration", {"AllowOrigins": ["*"]}),
        ("WEBSOCKET", "Target", "arn:aws:lambda:us-east-1:123456789012:function:f"),
        ("WEBSOCKET", "RouteKey", "$default"),
        ("WEBSOCKET", "CredentialsArn", "arn:aws:iam::123456789012:role/r"),
    ],
)
def test_members_of_the_other_protocol_are_accepted_and_ignored(
    v2: Any, protocol: str, member: str, value: Any
) -> None:
    # No rejection by AWS is known (aws-behaviour.md §9.3): accepted, not stored, nothing made from them.
    extra = {"RouteSelectionExpression": "$request.body.a"} if protocol == "WEBSOCKET" else {}
    api = v2.create_api(Name="x", ProtocolType=protocol, **extra, **{member: value})
    assert member not in api
    assert v2.get_routes(ApiId=api["ApiId"])["Items"] == [] and v2.get_stages(ApiId=api["ApiId"])["Items"] == []
    assert member not in v2.update_api(ApiId=api["ApiId"], **{member: value})


def test_cors_configuration_round_trips(v2: Any) -> None:
    cors = {"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"], "MaxAge": 10, "AllowCredentials": True}
    api = v2.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration=cors)
    assert api["CorsConfiguration"] == cors
    assert v2.get_api(ApiId=api["ApiId"])["CorsConfiguration"] == cors


def test_cors_max_age_out_of_range_is_rejected_by_the_service(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="less than or equal to 86400"):
        v2.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration={"MaxAge": 86401})


_STAR_WITH_CREDENTIALS = "allow-credentials is not supported if 'allow-origin' is *"


def _cors_document(cors: dict[str, Any]) -> str:
    return json.dumps(
        {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}, "x-amazon-apigateway-cors": cors}
    )


def test_credentials_for_every_origin_are_refused_by_create_import_and_reimport(v2: Any) -> None:
    # AWS's answer, quoted in aws/aws-cdk#9076 (400, BadRequestException); a failed call makes nothing.
    for call in (
        lambda: v2.create_api(
            Name="x", ProtocolType="HTTP", CorsConfiguration={"AllowOrigins": ["*"], "AllowCredentials": True}
        ),
        lambda: v2.import_api(Body=_cors_document({"allowOrigins": ["*"], "allowCredentials": True})),
    ):
        with pytest.raises(v2.exceptions.BadRequestException) as info:
            call()
        assert info.value.response["Error"]["Message"] == _STAR_WITH_CREDENTIALS
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert v2.get_apis()["Items"] == []
    api = v2.import_api(Body=_cors_document({"allowOrigins": ["https://a.example"], "allowCredentials": True}))
    with pytest.raises(v2.exceptions.BadRequestException, match=re.escape(_STAR_WITH_CREDENTIALS)):
        v2.reimport_api(ApiId=api["ApiId"], Body=_cors_document({"allowOrigins": ["*"], "allowCredentials": True}))
    assert v2.get_api(ApiId=api["ApiId"])["CorsConfiguration"]["AllowOrigins"] == ["https://a.example"]


def test_update_api_merges_cors_members_and_refuses_star_with_the_live_credentials(v2: Any) -> None:
    cors = {"AllowOrigins": ["https://a.example"], "AllowMethods": ["GET"], "AllowCredentials": True}
    api = v2.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration=cors)
    with pytest.raises(v2.exceptions.BadRequestException, match=re.escape(_STAR_WITH_CREDENTIALS)):
        v2.update_api(ApiId=api["ApiId"], Name="renamed", CorsConfiguration={"AllowOrigins": ["*"]})
    assert v2.get_api(ApiId=api["ApiId"])["Name"] == "x"  # the refused update changed nothing
    assert v2.get_api(ApiId=api["ApiId"])["CorsConfiguration"] == cors
    updated = v2.update_api(ApiId=api["ApiId"], CorsConfiguration={"AllowOrigins": ["*"], "AllowCredentials": False})
    assert updated["CorsConfiguration"] == {"AllowOrigins": ["*"], "AllowMethods": ["GET"], "AllowCredentials": False}


@pytest.mark.parametrize("origins", [["https://a.example"], ["https://a.example", "*"], []])
def test_credentials_with_named_origins_are_accepted(v2: Any, origins: list[str]) -> None:
    # Only an all-"*" list is known to be refused; AWS's answer for "*" among named origins is not known.
    cors = {"AllowOrigins": origins, "AllowCredentials": True}
    assert v2.create_api(Name="x", ProtocolType="HTTP", CorsConfiguration=cors)["CorsConfiguration"] == cors


def test_get_missing_api(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_api(ApiId="abcdefghij")
    error = info.value.response
    assert error["Error"]["Message"] == "Invalid API identifier specified 123456789012:abcdefghij"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 404
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == "NotFoundException"


def test_get_apis_pages_with_max_results_and_tokens(v2: Any) -> None:
    created = [v2.create_api(Name=f"api{i}", ProtocolType="HTTP")["ApiId"] for i in range(5)]
    first = v2.get_apis(MaxResults="2")
    assert [a["ApiId"] for a in first["Items"]] == created[:2]
    second = v2.get_apis(MaxResults="2", NextToken=first["NextToken"])
    assert [a["ApiId"] for a in second["Items"]] == created[2:4]
    last = v2.get_apis(MaxResults="2", NextToken=second["NextToken"])
    assert [a["ApiId"] for a in last["Items"]] == created[4:]
    assert "NextToken" not in last
    assert [a["ApiId"] for a in v2.get_apis()["Items"]] == created


def test_get_apis_paginator(v2: Any) -> None:
    created = [v2.create_api(Name=f"api{i}", ProtocolType="HTTP")["ApiId"] for i in range(7)]
    pages = list(v2.get_paginator("get_apis").paginate(PaginationConfig={"PageSize": 3}))
    assert [len(p["Items"]) for p in pages] == [3, 3, 1]
    assert [a["ApiId"] for p in pages for a in p["Items"]] == created


@pytest.mark.parametrize("token", ["garbage!", "bm90LW91cnM6MQ", "bW9ja2FwaWd3Oi0x"])
def test_bad_next_token_is_a_bad_request(v2: Any, token: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_apis(NextToken=token)


@pytest.mark.parametrize("value", ["abc", "0", "-1"])
def test_bad_max_results_is_a_bad_request(v2: Any, value: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults"):
        v2.get_apis(MaxResults=value)


def test_update_api(v2: Any, http_api: dict[str, Any]) -> None:
    updated = v2.update_api(ApiId=http_api["ApiId"], Name="renamed", Description="now described", Version="2")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (updated["Name"], updated["Description"], updated["Version"]) == ("renamed", "now described", "2")
    assert updated["CreatedDate"] == http_api["CreatedDate"]
    again = v2.get_api(ApiId=http_api["ApiId"])
    assert again["Name"] == "renamed"


def test_update_api_validates_like_create(v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="HTTP APIs only support"):
        v2.update_api(ApiId=http_api["ApiId"], RouteSelectionExpression="$request.body.x")
    with pytest.raises(v2.exceptions.BadRequestException, match="Unsupported ApiKeySelectionExpression"):
        v2.update_api(ApiId=ws_api["ApiId"], ApiKeySelectionExpression="nope")
    changed = v2.update_api(ApiId=ws_api["ApiId"], RouteSelectionExpression="$request.body.type")
    assert changed["RouteSelectionExpression"] == "$request.body.type"
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.update_api(ApiId="missing", Name="x")


def test_delete_api(v2: Any, http_api: dict[str, Any]) -> None:
    response = v2.delete_api(ApiId=http_api["ApiId"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_api(ApiId=http_api["ApiId"])
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.delete_api(ApiId=http_api["ApiId"])


def test_created_date_follows_freezegun(v2: Any) -> None:
    with freeze_time("2024-02-29 12:34:56"):
        api = v2.create_api(Name="x", ProtocolType="HTTP")
    assert api["CreatedDate"] == dt.datetime(2024, 2, 29, 12, 34, 56, tzinfo=dt.timezone.utc)


def test_created_date_follows_time_machine(v2: Any) -> None:
    with time_machine.travel(dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), tick=False):
        api = v2.create_api(Name="x", ProtocolType="HTTP")
    assert api["CreatedDate"] == dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)


def test_server_side_validation_reports_every_problem(v2: Any) -> None:
    import boto3
    from botocore.config import Config

    unchecked = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(parameter_validation=False))
    with pytest.raises(unchecked.exceptions.BadRequestException) as info:
        unchecked.create_api(Name=5, ProtocolType="HTTP", Description=["x"])
    message = info.value.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected")
    assert "'name'" in message and "'description'" in message
    with pytest.raises(unchecked.exceptions.BadRequestException, match="Member must not be null"):
        unchecked.create_api(ProtocolType="HTTP")


def test_lengths_stated_only_in_shape_names_are_not_constraints(v2: Any) -> None:
    # The model's Name shape is StringWithLengthBetween1And128 with no min/max trait (aws-behaviour.md §9.4).
    assert v2.create_api(Name="n" * 129, ProtocolType="HTTP")["Name"] == "n" * 129
    assert v2.create_api(Name="n" * 128, ProtocolType="HTTP", Version="v" * 65)["Version"] == "v" * 65


def test_empty_version_clears_the_version(v2: Any) -> None:
    # terraform's real-AWS tests send Version="" to remove it (aws-behaviour.md §9.4).
    api = v2.create_api(Name="x", ProtocolType="HTTP", Version="1.0", Description="d")
    updated = v2.update_api(ApiId=api["ApiId"], Version="")
    assert "Version" not in updated and updated["Description"] == "d"
    assert "Version" not in v2.get_api(ApiId=api["ApiId"])
    cleared = v2.update_api(ApiId=api["ApiId"], Description="")
    assert "Description" not in cleared
    assert "Version" not in v2.create_api(Name="y", ProtocolType="HTTP", Version="")
