"""VPC links: CreateVpcLink, GetVpcLink, GetVpcLinks, UpdateVpcLink, DeleteVpcLink."""

from __future__ import annotations

from typing import Any

from ..core import clock
from .exceptions import BadRequestException, ConflictException, TooManyRequestsException
from .part import BackendPart
from .records import Record, new_id, not_found, page_of
from .tags import check_tags

VPC_LINKS_PER_REGION = 10  # aws-facts §4: VPC links per account and Region
SUBNETS_PER_VPC_LINK = 10  # aws-facts §4: subnets per VPC link
# The status AWS reports once a link has its network interfaces (CLI example get-vpc-link.rst).
AVAILABLE_MESSAGE = "VPC link is ready to route traffic"


class VpcLink(Record):
    """A VPC link for private integrations of HTTP APIs."""

    @property
    def vpc_link_id(self) -> str:
        """The link's id."""
        return str(self.fields["VpcLinkId"])

    def describe(self) -> dict[str, Any]:
        """The VpcLink output members (copies, so callers cannot change the record)."""
        out = dict(self.fields)
        out["SecurityGroupIds"] = list(self.fields["SecurityGroupIds"])
        out["SubnetIds"] = list(self.fields["SubnetIds"])
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out


class VpcLinkOperations(BackendPart):
    """The VpcLink operations of the backend."""

    def vpc_link(self, vpc_link_id: str) -> VpcLink:
        """The VPC link *vpc_link_id*, or ``NotFoundException: Invalid VpcLink identifier specified {id}``."""
        link = self.vpc_links.get(vpc_link_id)
        if link is None:
            raise not_found("VpcLink", vpc_link_id)
        return link

    def create_vpc_link(self, params: dict[str, Any]) -> dict[str, Any]:
        check_tags(params.get("Tags") or {})
        subnets = list(params["SubnetIds"])
        if not subnets:
            raise BadRequestException("SubnetIds must contain at least one subnet ID.")
        if len(subnets) > SUBNETS_PER_VPC_LINK:
            raise TooManyRequestsException(
                f"A VPC link can have at most {SUBNETS_PER_VPC_LINK} subnets; {len(subnets)} were specified.",
                LimitType="SubnetsPerVpcLink",
            )
        if len(self.vpc_links) >= VPC_LINKS_PER_REGION:
            raise TooManyRequestsException(
                f"Maximum number of VPC links for this account and Region has been reached ({VPC_LINKS_PER_REGION}).",
                LimitType="VpcLinks",
            )
        vpc_link_id = new_id(self.vpc_links, 7)
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
        self.vpc_links.add(vpc_link_id, link)
        return link.describe()

    def get_vpc_link(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.vpc_link(params["VpcLinkId"]).describe()

    def get_vpc_links(self, params: dict[str, Any]) -> dict[str, Any]:
        return page_of(self.vpc_links, params)

    def update_vpc_link(self, params: dict[str, Any]) -> dict[str, Any]:
        link = self.vpc_link(params["VpcLinkId"])
        # Only the name can change: "After you've created a VPC link, you can't change its security groups or
        # subnets" (CLI example update-vpc-link.rst), and the model has no other member.
        link.apply(params, ("Name",))
        return link.describe()

    def delete_vpc_link(self, params: dict[str, Any]) -> None:
        link = self.vpc_link(params["VpcLinkId"])
        for api in self.apis:
            for integration in api.integrations:
                if (
                    integration.get("ConnectionType") == "VPC_LINK"
                    and integration.get("ConnectionId") == link.vpc_link_id
                ):
                    raise ConflictException(
                        f"Cannot delete VPC link {link.vpc_link_id}: it is used by integration "
                        f"{integration.get('IntegrationId')} of API {api.api_id}. Delete or update the "
                        "integration first."
                    )
        self.vpc_links.remove(link.vpc_link_id)
