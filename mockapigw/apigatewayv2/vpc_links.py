"""VPC links: CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink."""

from __future__ import annotations

from typing import Any

from ..core import clock
from . import lookup
from .exceptions import BadRequestException, ConflictException, TooManyRequestsException
from .records import new_id, page_of
from .resources import VpcLink
from .store import Operation, Store
from .tags import check_tags

__all__ = ["OPERATIONS", "VpcLink"]

VPC_LINKS_PER_REGION = 10  # aws-behaviour.md §4: VPC links per account and Region
SUBNETS_PER_VPC_LINK = 10  # aws-behaviour.md §4: subnets per VPC link
# The status AWS reports once a link has its network interfaces (CLI example get-vpc-link.rst).
AVAILABLE_MESSAGE = "VPC link is ready to route traffic"


def create_vpc_link(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    check_tags(params.get("Tags") or {})
    subnets = list(params["SubnetIds"])
    if not subnets:
        raise BadRequestException("SubnetIds must contain at least one subnet ID.")
    if len(subnets) > SUBNETS_PER_VPC_LINK:
        raise TooManyRequestsException(
            f"A VPC link can have at most {SUBNETS_PER_VPC_LINK} subnets; {len(subnets)} were specified.",
            LimitType="SubnetsPerVpcLink",
        )
    if len(store.vpc_links) >= VPC_LINKS_PER_REGION:
        raise TooManyRequestsException(
            f"Maximum number of VPC links for this account and Region has been reached ({VPC_LINKS_PER_REGION}).",
            LimitType="VpcLinks",
        )
    vpc_link_id = new_id(store.vpc_links, 7)
    link = VpcLink(
        {
            "CreatedDate": clock.now(),
            "Name": params["Name"],
            "SecurityGroupIds": list(params.get("SecurityGroupIds") or []),
            "SubnetIds": subnets,
            "Tags": dict(params.get("Tags") or {}),
            "VpcLinkId": vpc_link_id,
            "VpcLinkStatus": "AVAILABLE",
            "VpcLinkStatusMessage": AVAILABLE_MESSAGE,
            "VpcLinkVersion": "V2",
        }
    )
    store.vpc_links.add(vpc_link_id, link)
    return link.describe()


def get_vpc_link(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.vpc_link(store, params["VpcLinkId"]).describe()


def get_vpc_links(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return page_of(store.vpc_links, params)


def update_vpc_link(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    link = lookup.vpc_link(store, params["VpcLinkId"])
    # Only the name can change: "After you've created a VPC link, you can't change its security groups or
    # subnets" (CLI example update-vpc-link.rst), and the model has no other member.
    link.apply(params, ("Name",))
    return link.describe()


def delete_vpc_link(store: Store, params: dict[str, Any]) -> None:
    link = lookup.vpc_link(store, params["VpcLinkId"])
    for api in store.apis:
        for integration in api.integrations:
            if integration.get("ConnectionType") == "VPC_LINK" and integration.get("ConnectionId") == link.vpc_link_id:
                raise ConflictException(
                    f"Cannot delete VPC link {link.vpc_link_id}: it is used by integration "
                    f"{integration.get('IntegrationId')} of API {api.api_id}. Delete or update the "
                    "integration first."
                )
    store.vpc_links.remove(link.vpc_link_id)


OPERATIONS: dict[str, Operation] = {
    "CreateVpcLink": create_vpc_link,
    "DeleteVpcLink": delete_vpc_link,
    "GetVpcLink": get_vpc_link,
    "GetVpcLinks": get_vpc_links,
    "UpdateVpcLink": update_vpc_link,
}
