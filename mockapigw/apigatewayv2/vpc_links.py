"""VPC links: CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink."""

from __future__ import annotations

from typing import Any

from ..core import clock
from . import lookup
from .exceptions import BadRequestException, TooManyRequestsException
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
    references = _route_references(store, link.vpc_link_id)
    if references:
        # AWS's text, seen for one route (terraform-provider-aws #12195, an aws_apigatewayv2_vpc_link); several
        # are listed as Java prints a list ("[a, b]"), as in the REST API version of the text.
        raise BadRequestException(
            f"Cannot delete vpc link. Vpc link '{link.vpc_link_id}', is referenced in [{', '.join(references)}] "
            "in format of [Method:Resource]."
        )
    store.vpc_links.remove(link.vpc_link_id)


def _route_references(store: Store, vpc_link_id: str) -> list[str]:
    """``{method}:{route id}`` of every route whose integration goes through the VPC link *vpc_link_id*.

    The method is the route key's (``ANY`` for ``$default``, which takes every method).
    """
    references = []
    for api in store.apis:
        through_link = {
            f"integrations/{integration.integration_id}"
            for integration in api.integrations
            if integration.get("ConnectionType") == "VPC_LINK" and integration.get("ConnectionId") == vpc_link_id
        }
        for route in api.routes:
            if route.get("Target") in through_link:
                method, _, path = str(route.get("RouteKey")).partition(" ")
                references.append(f"{method if path else 'ANY'}:{route.get('RouteId')}")
    return references


OPERATIONS: dict[str, Operation] = {
    "CreateVpcLink": create_vpc_link,
    "DeleteVpcLink": delete_vpc_link,
    "GetVpcLink": get_vpc_link,
    "GetVpcLinks": get_vpc_links,
    "UpdateVpcLink": update_vpc_link,
}
