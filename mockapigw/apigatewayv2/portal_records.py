"""Developer portals, portal products and their pages as stored records, and what their operations share.

No deployed snapshot holds these kinds (the mock runs no portal), so their records and collections keep no history.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ..core.collection import Collection
from ..core.model import service_model
from .records import Record

# Portal, product and page ids: the model's pattern ^[a-z0-9]+$ with 10 to 30 characters; AWS's examples use 10
# (``p000000000`` in the developer guide's RAM example).
ID_LENGTH = 10


@cache
def output_members(shape_name: str) -> frozenset[str]:
    """The member names of the model's structure *shape_name* (outputs carry only these)."""
    shape = service_model("apigatewayv2").shape_for(shape_name)
    return frozenset(shape.members)  # type: ignore[attr-defined]  # StructureShape's attribute


def shaped(shape_name: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """*fields* cut down to the members of the output shape *shape_name*."""
    members = output_members(shape_name)
    return {name: value for name, value in fields.items() if name in members}


def portal_arn(region: str, account_id: str, portal_id: str) -> str:
    """``arn:aws:apigateway:{region}:{account}:/portals/{id}``."""
    return f"arn:aws:apigateway:{region}:{account_id}:/portals/{portal_id}"


def product_arn(region: str, account_id: str, product_id: str) -> str:
    """``arn:aws:apigateway:{region}:{account}:/portalproducts/{id}`` (developer guide, sharing with RAM)."""
    return f"arn:aws:apigateway:{region}:{account_id}:/portalproducts/{product_id}"


class Portal(Record):
    """A developer portal; ``PublishStatus`` and ``Preview`` follow PublishPortal, DisablePortal and PreviewPortal."""

    versioned = False

    @property
    def portal_id(self) -> str:
        """The portal's id."""
        return str(self.fields["PortalId"])


class ProductPage(Record):
    """A documentation page of a portal product."""

    versioned = False

    @property
    def arn(self) -> str:
        """The page's ARN."""
        return str(self.fields["ProductPageArn"])


class ProductRestEndpointPage(Record):
    """The page of one REST API method and stage in a portal product."""

    versioned = False

    @property
    def arn(self) -> str:
        """The page's ARN."""
        return str(self.fields["ProductRestEndpointPageArn"])


class PortalProduct(Record):
    """A portal product: its pages, its REST endpoint pages and its sharing policy live on it."""

    versioned = False

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(fields)
        self.pages: Collection[ProductPage] = Collection(versioned=False)
        self.endpoint_pages: Collection[ProductRestEndpointPage] = Collection(versioned=False)
        self.sharing_policy: str | None = None

    @property
    def product_id(self) -> str:
        """The product's id."""
        return str(self.fields["PortalProductId"])

    @property
    def arn(self) -> str:
        """The product's ARN."""
        return str(self.fields["PortalProductArn"])
