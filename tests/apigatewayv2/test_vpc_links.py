"""VPC links: defaults, quotas, errors, pagination, deletion while in use, tags."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import boto3
import pytest
from botocore.exceptions import ParamValidationError
from freezegun import freeze_time
from helpers import no_retry_v2 as _no_retry_client

from mockapigw import MockApiGateway

SUBNETS = ["subnet-aaaa", "subnet-bbbb"]


def _link(v2: Any, name: str = "MyVpcLink", **kwargs: Any) -> dict[str, Any]:
    return dict(v2.create_vpc_link(Name=name, SubnetIds=SUBNETS, **kwargs))


def _private_integration(v2: Any, api: dict[str, Any], vpc_link_id: str) -> dict[str, Any]:
    return dict(
        v2.create_integration(
            ApiId=api["ApiId"],
            IntegrationType="HTTP_PROXY",
            IntegrationMethod="ANY",
            IntegrationUri="arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/abc/def",
            ConnectionType="VPC_LINK",
            ConnectionId=vpc_link_id,
            PayloadFormatVersion="1.0",
        )
    )


# --- CreateVpcLink / GetVpcLink


def test_create_vpc_link_defaults(v2: Any) -> None:
    with freeze_time("2020-04-07 00:11:46.5"):
        link = v2.create_vpc_link(Name="MyVpcLink", SubnetIds=SUBNETS)
    assert link["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{7}", link["VpcLinkId"])
    assert link["Name"] == "MyVpcLink"
    assert link["SubnetIds"] == SUBNETS
    assert link["SecurityGroupIds"] == []
    assert link["Tags"] == {}
    assert link["VpcLinkStatus"] == "AVAILABLE"
    assert link["VpcLinkStatusMessage"] == "VPC link is ready to route traffic"
    assert link["VpcLinkVersion"] == "V2"
    assert link["CreatedDate"] == dt.datetime(2020, 4, 7, 0, 11, 46, tzinfo=dt.timezone.utc)


def test_create_vpc_link_with_everything(v2: Any) -> None:
    link = _link(v2, SecurityGroupIds=["sg1234", "sg5678"], Tags={"team": "net"})
    assert link["SecurityGroupIds"] == ["sg1234", "sg5678"]
    assert link["Tags"] == {"team": "net"}


def test_get_vpc_link(v2: Any) -> None:
    link = _link(v2, SecurityGroupIds=["sg1234"])
    got = v2.get_vpc_link(VpcLinkId=link["VpcLinkId"])
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    for member in ("VpcLinkId", "Name", "SubnetIds", "SecurityGroupIds", "Tags", "VpcLinkStatus", "CreatedDate"):
        assert got[member] == link[member]


def test_get_missing_vpc_link(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_vpc_link(VpcLinkId="abc1234")
    assert info.value.response["Error"]["Message"] == "Invalid VpcLink identifier specified abc1234"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_name_and_subnets_are_required(v2: Any) -> None:
    # botocore checks required members before anything is sent.
    with pytest.raises(ParamValidationError):
        v2.create_vpc_link(Name="x")
    with pytest.raises(ParamValidationError):
        v2.create_vpc_link(SubnetIds=SUBNETS)


def test_subnets_cannot_be_empty(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="at least one subnet"):
        v2.create_vpc_link(Name="x", SubnetIds=[])
    assert v2.get_vpc_links()["Items"] == []


def test_subnets_per_vpc_link_quota(apigw: MockApiGateway) -> None:
    client = _no_retry_client()
    ten = [f"subnet-{i:04d}" for i in range(10)]
    assert client.create_vpc_link(Name="ten", SubnetIds=ten)["SubnetIds"] == ten
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_vpc_link(Name="eleven", SubnetIds=[*ten, "subnet-0010"])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "at most 10 subnets" in info.value.response["Error"]["Message"]
    assert len(client.get_vpc_links()["Items"]) == 1


def test_vpc_links_per_region_quota(apigw: MockApiGateway) -> None:
    client = _no_retry_client()
    ids = [client.create_vpc_link(Name=f"l{i}", SubnetIds=SUBNETS)["VpcLinkId"] for i in range(10)]
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_vpc_link(Name="l10", SubnetIds=SUBNETS)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert info.value.response["LimitType"] == "VpcLinks"
    assert "(10)" in info.value.response["Error"]["Message"]
    # Another Region has its own quota; deleting a link frees a place.
    other = boto3.client("apigatewayv2", region_name="eu-west-1")
    assert other.create_vpc_link(Name="elsewhere", SubnetIds=SUBNETS)["Name"] == "elsewhere"
    client.delete_vpc_link(VpcLinkId=ids[0])
    assert client.create_vpc_link(Name="l10", SubnetIds=SUBNETS)["Name"] == "l10"


# --- GetVpcLinks


def test_get_vpc_links_pages(v2: Any) -> None:
    ids = [_link(v2, name=f"link{i}")["VpcLinkId"] for i in range(5)]
    first = v2.get_vpc_links(MaxResults="2")
    assert [link["VpcLinkId"] for link in first["Items"]] == ids[:2]
    second = v2.get_vpc_links(MaxResults="2", NextToken=first["NextToken"])
    assert [link["VpcLinkId"] for link in second["Items"]] == ids[2:4]
    last = v2.get_vpc_links(MaxResults="2", NextToken=second["NextToken"])
    assert [link["VpcLinkId"] for link in last["Items"]] == ids[4:]
    assert "NextToken" not in last
    everything = v2.get_vpc_links()["Items"]
    assert [link["Name"] for link in everything] == [f"link{i}" for i in range(5)]
    assert all(link["SecurityGroupIds"] == [] for link in everything)


def test_get_vpc_links_bad_paging_input(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_vpc_links(NextToken="garbage!")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults"):
        v2.get_vpc_links(MaxResults="-1")


def test_vpc_links_are_per_region(v2: Any, apigw: MockApiGateway) -> None:
    link = _link(v2)
    other = boto3.client("apigatewayv2", region_name="eu-west-1")
    assert other.get_vpc_links()["Items"] == []
    with pytest.raises(other.exceptions.NotFoundException):
        other.get_vpc_link(VpcLinkId=link["VpcLinkId"])


# --- UpdateVpcLink


def test_update_vpc_link_name(v2: Any) -> None:
    link = _link(v2, SecurityGroupIds=["sg1234"])
    updated = v2.update_vpc_link(VpcLinkId=link["VpcLinkId"], Name="MyUpdatedVpcLink")
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert updated["Name"] == "MyUpdatedVpcLink"
    assert (updated["SubnetIds"], updated["SecurityGroupIds"]) == (SUBNETS, ["sg1234"])
    assert updated["CreatedDate"] == link["CreatedDate"]
    assert v2.get_vpc_link(VpcLinkId=link["VpcLinkId"])["Name"] == "MyUpdatedVpcLink"


def test_update_without_a_name_changes_nothing(v2: Any) -> None:
    link = _link(v2)
    assert v2.update_vpc_link(VpcLinkId=link["VpcLinkId"])["Name"] == "MyVpcLink"


def test_update_missing_vpc_link(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid VpcLink identifier specified abc1234"):
        v2.update_vpc_link(VpcLinkId="abc1234", Name="x")


# --- DeleteVpcLink


def test_delete_vpc_link(v2: Any) -> None:
    link = _link(v2)
    deleted = v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 202
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_vpc_link(VpcLinkId=link["VpcLinkId"])
    assert v2.get_vpc_links()["Items"] == []
    with pytest.raises(
        v2.exceptions.NotFoundException, match=f"Invalid VpcLink identifier specified {link['VpcLinkId']}"
    ):
        v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])


def test_a_vpc_link_that_routes_go_through_cannot_be_deleted(v2: Any, http_api: dict[str, Any]) -> None:
    link, unused = _link(v2), _link(v2, name="unused")
    integration = _private_integration(v2, http_api, link["VpcLinkId"])
    target = f"integrations/{integration['IntegrationId']}"
    proxy = v2.create_route(ApiId=http_api["ApiId"], RouteKey="ANY /{proxy+}", Target=target)
    post = v2.create_route(ApiId=http_api["ApiId"], RouteKey="POST /orders", Target=target)
    default = v2.create_route(ApiId=http_api["ApiId"], RouteKey="$default", Target=target)
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    # AWS's text (terraform-provider-aws #12195); $default, which takes every method, is listed as ANY.
    assert info.value.response["Error"]["Message"] == (
        f"Cannot delete vpc link. Vpc link '{link['VpcLinkId']}', is referenced in [ANY:{proxy['RouteId']}, "
        f"POST:{post['RouteId']}, ANY:{default['RouteId']}] in format of [Method:Resource]."
    )
    assert v2.get_vpc_link(VpcLinkId=link["VpcLinkId"])["VpcLinkStatus"] == "AVAILABLE"
    # A link no integration uses can go.
    v2.delete_vpc_link(VpcLinkId=unused["VpcLinkId"])
    # Once no route goes through it (AWS's order: routes, then the integration, then the link), so can the link.
    for route in (proxy, post, default):
        v2.delete_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"])
    v2.delete_integration(ApiId=http_api["ApiId"], IntegrationId=integration["IntegrationId"])
    v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])
    assert v2.get_vpc_links()["Items"] == []


def test_a_vpc_link_whose_integration_no_route_targets_can_be_deleted(v2: Any, http_api: dict[str, Any]) -> None:
    # AWS's refusal names routes; with none to name, the mock refuses nothing (AWS is not known to).
    link = _link(v2)
    integration = _private_integration(v2, http_api, link["VpcLinkId"])
    route = v2.create_route(
        ApiId=http_api["ApiId"], RouteKey="GET /a", Target=f"integrations/{integration['IntegrationId']}"
    )
    v2.update_route(ApiId=http_api["ApiId"], RouteId=route["RouteId"], Target="")
    assert v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])["ResponseMetadata"]["HTTPStatusCode"] == 202
    # The integration keeps the id of the link, as it was given, and can still be updated; only setting the link
    # again needs it to exist.
    fetched = v2.get_integration(ApiId=http_api["ApiId"], IntegrationId=integration["IntegrationId"])
    assert fetched["ConnectionId"] == link["VpcLinkId"]
    updated = v2.update_integration(
        ApiId=http_api["ApiId"], IntegrationId=integration["IntegrationId"], Description="kept", TimeoutInMillis=5000
    )
    assert (updated["Description"], updated["ConnectionId"]) == ("kept", link["VpcLinkId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid VpcLink identifier specified"):
        v2.update_integration(
            ApiId=http_api["ApiId"], IntegrationId=integration["IntegrationId"], ConnectionId=link["VpcLinkId"]
        )


def test_deleting_the_api_releases_the_vpc_link(v2: Any, http_api: dict[str, Any]) -> None:
    link = _link(v2)
    _private_integration(v2, http_api, link["VpcLinkId"])
    v2.delete_api(ApiId=http_api["ApiId"])
    assert v2.delete_vpc_link(VpcLinkId=link["VpcLinkId"])["ResponseMetadata"]["HTTPStatusCode"] == 202


# --- tags on VPC link ARNs


def test_tags_on_a_vpc_link(v2: Any) -> None:
    link = _link(v2, Tags={"a": "1"})
    arn = f"arn:aws:apigateway:us-east-1::/vpclinks/{link['VpcLinkId']}"
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {"a": "1"}
    v2.tag_resource(ResourceArn=arn, Tags={"b": "2"})
    assert v2.get_vpc_link(VpcLinkId=link["VpcLinkId"])["Tags"] == {"a": "1", "b": "2"}
    v2.untag_resource(ResourceArn=arn, TagKeys=["a"])
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {"b": "2"}
    assert v2.get_vpc_links()["Items"][0]["Tags"] == {"b": "2"}


def test_tags_of_a_missing_vpc_link(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find resource"):
        v2.get_tags(ResourceArn="arn:aws:apigateway:us-east-1::/vpclinks/abc1234")
