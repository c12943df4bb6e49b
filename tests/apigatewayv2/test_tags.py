"""TagResource, UntagResource and GetTags on API ARNs."""

from __future__ import annotations

from typing import Any

import pytest


def _arn(api: dict[str, Any], region: str = "us-east-1") -> str:
    return f"arn:aws:apigateway:{region}::/apis/{api['ApiId']}"


def test_tag_untag_and_get(v2: Any, http_api: dict[str, Any]) -> None:
    tagged = v2.tag_resource(ResourceArn=_arn(http_api), Tags={"team": "a", "env": "dev"})
    assert tagged["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert v2.get_tags(ResourceArn=_arn(http_api))["Tags"] == {"team": "a", "env": "dev"}
    assert v2.get_api(ApiId=http_api["ApiId"])["Tags"] == {"team": "a", "env": "dev"}
    untagged = v2.untag_resource(ResourceArn=_arn(http_api), TagKeys=["team", "absent"])
    assert untagged["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert v2.get_tags(ResourceArn=_arn(http_api))["Tags"] == {"env": "dev"}


def test_tags_of_a_new_api_are_empty(v2: Any, ws_api: dict[str, Any]) -> None:
    assert v2.get_tags(ResourceArn=_arn(ws_api))["Tags"] == {}


def test_tagging_overwrites_existing_keys(v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP", Tags={"a": "1"})
    v2.tag_resource(ResourceArn=_arn(api), Tags={"a": "2", "b": "3"})
    assert v2.get_tags(ResourceArn=_arn(api))["Tags"] == {"a": "2", "b": "3"}


@pytest.mark.parametrize("operation", ["get_tags", "tag_resource", "untag_resource"])
def test_unknown_resource_is_not_found(v2: Any, operation: str) -> None:
    kwargs: dict[str, Any] = {"ResourceArn": "arn:aws:apigateway:us-east-1::/apis/abcdefghij"}
    if operation == "tag_resource":
        kwargs["Tags"] = {"a": "b"}
    if operation == "untag_resource":
        kwargs["TagKeys"] = ["a"]
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find resource"):
        getattr(v2, operation)(**kwargs)


def test_arn_of_another_region_is_not_found(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_tags(ResourceArn=_arn(http_api, "eu-west-1"))


def test_malformed_arn_is_a_bad_request(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid resource ARN"):
        v2.get_tags(ResourceArn="not-an-arn")


def test_reserved_prefix_is_rejected(v2: Any, http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="reserved"):
        v2.tag_resource(ResourceArn=_arn(http_api), Tags={"aws:owner": "x"})
    assert v2.get_tags(ResourceArn=_arn(http_api))["Tags"] == {}
