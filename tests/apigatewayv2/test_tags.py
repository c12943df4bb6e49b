"""TagResource, UntagResource and GetTags on API ARNs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


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


# --- AWS's tag restrictions (developer guide, "Tag restrictions"; aws-behaviour.md §9.10), one rule for every operation

TOO_MANY = "A resource can have at most 50 tags; this request would make 51."
BAD_TAGS = [
    ({f"k{i}": "v" for i in range(51)}, TOO_MANY),
    ({"k" * 129: "v"}, f"Tag key {'k' * 129!r} is longer than 128 characters."),
    ({"k": "v" * 257}, "The value of tag 'k' is longer than 256 characters."),
    ({"aws:team": "a"}, "Tag keys starting with 'aws:' are reserved: aws:team"),
]


def _creators(v2: Any, api_id: str) -> dict[str, Any]:
    """Every Create operation that takes Tags, as a function of the tags."""
    return {
        "create_api": lambda tags: v2.create_api(Name="x", ProtocolType="HTTP", Tags=tags),
        "create_stage": lambda tags: v2.create_stage(ApiId=api_id, StageName="dev", Tags=tags),
        "create_domain_name": lambda tags: v2.create_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}],
            Tags=tags,
        ),
        "create_vpc_link": lambda tags: v2.create_vpc_link(Name="l", SubnetIds=["subnet-1"], Tags=tags),
    }


@pytest.mark.parametrize(("tags", "message"), BAD_TAGS)
@pytest.mark.parametrize(
    "operation", ["tag_resource", "create_api", "create_stage", "create_domain_name", "create_vpc_link"]
)
def test_tag_restrictions_apply_to_every_operation_that_takes_tags(
    v2: Any, http_api: dict[str, Any], operation: str, tags: dict[str, str], message: str
) -> None:
    def call(tags: dict[str, str]) -> Any:
        if operation == "tag_resource":
            return v2.tag_resource(ResourceArn=_arn(http_api), Tags=tags)
        return _creators(v2, http_api["ApiId"])[operation](tags)

    with pytest.raises(v2.exceptions.BadRequestException) as info:
        call(tags)
    assert info.value.response["Error"]["Message"] == message
    # Nothing was made or changed.
    assert [a["ApiId"] for a in v2.get_apis()["Items"]] == [http_api["ApiId"]]
    assert v2.get_tags(ResourceArn=_arn(http_api))["Tags"] == {}
    assert v2.get_stages(ApiId=http_api["ApiId"])["Items"] == []
    assert v2.get_domain_names()["Items"] == [] and v2.get_vpc_links()["Items"] == []
    # The limits themselves are allowed.
    call({**{f"k{i}": "v" for i in range(49)}, "k" * 128: "v" * 256})


def test_tag_count_counts_the_tags_a_resource_already_has(v2: Any) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP", Tags={f"a{i}": "v" for i in range(30)})
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.tag_resource(ResourceArn=_arn(api), Tags={f"b{i}": "v" for i in range(21)})
    assert info.value.response["Error"]["Message"] == TOO_MANY
    # Overwriting existing keys adds nothing to the count.
    v2.tag_resource(
        ResourceArn=_arn(api), Tags={**{f"a{i}": "w" for i in range(30)}, **{f"b{i}": "v" for i in range(20)}}
    )
    assert len(v2.get_tags(ResourceArn=_arn(api))["Tags"]) == 50


_KEYS = st.text(alphabet="abcdefghij:-_", min_size=1, max_size=140)
_VALUES = st.text(alphabet="xyz ", max_size=270)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tags=st.dictionaries(_KEYS, _VALUES, max_size=55))
def test_tag_resource_keeps_exactly_the_tags_the_restrictions_allow(v2: Any, tags: dict[str, str]) -> None:
    api = v2.create_api(Name="x", ProtocolType="HTTP")
    allowed = (
        len(tags) <= 50
        and all(len(key) <= 128 and not key.startswith("aws:") for key in tags)
        and all(len(value) <= 256 for value in tags.values())
    )
    if allowed:
        v2.tag_resource(ResourceArn=_arn(api), Tags=tags)
        assert v2.get_tags(ResourceArn=_arn(api))["Tags"] == tags
    else:
        with pytest.raises(v2.exceptions.BadRequestException):
            v2.tag_resource(ResourceArn=_arn(api), Tags=tags)
        assert v2.get_tags(ResourceArn=_arn(api))["Tags"] == {}
