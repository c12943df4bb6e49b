"""VPC links."""

from __future__ import annotations

from ..core.collection import Collection
from .records import Record


class VpcLink(Record):
    """A VPC link for private integrations of HTTP APIs."""


class VpcLinkOperations:
    """The VpcLink operations of the backend."""

    account_id: str
    region: str
    vpc_links: Collection[VpcLink]
