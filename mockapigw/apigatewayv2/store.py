"""The apigatewayv2 resources of one account in one region, and the signature every operation has.

The store is plain state: typed collections of records and lookups over them, no operation logic. Operations are
functions ``operation(store, params) -> output members`` in one module per resource; ``table.py`` maps the model's
operation names to them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..core.collection import Collection
from .portal_records import Portal, PortalProduct
from .records import Record
from .resources import Api, DomainName, VpcLink


class Store:
    """All apigatewayv2 resources of one ``(account_id, region)``; calls hold ``lock`` while they run."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()
        self.apis: Collection[Api] = Collection()
        self.domain_names: Collection[DomainName] = Collection()
        self.vpc_links: Collection[VpcLink] = Collection()
        # Developer portals (portals.py, portal_products.py, product_pages.py, product_rest_endpoint_pages.py).
        self.portals: Collection[Portal] = Collection(versioned=False)
        self.portal_products: Collection[PortalProduct] = Collection(versioned=False)

    def tagged(self, path: str) -> Record | None:
        """The taggable resource at an ARN's resource path (``/apis/{id}``...), or ``None``."""
        parts = path.strip("/").split("/")
        if parts[0] == "apis" and len(parts) in (2, 4):
            api = self.apis.get(parts[1])
            if api is None or len(parts) == 2:
                return api
            return api.stages.get(parts[3]) if parts[2] == "stages" else None
        if len(parts) == 2 and parts[0] == "domainnames":
            return self.domain_names.get(parts[1])
        if len(parts) == 2 and parts[0] == "vpclinks":
            return self.vpc_links.get(parts[1])
        if len(parts) == 2 and parts[0] == "portals":
            return self.portals.get(parts[1])
        if len(parts) == 2 and parts[0] == "portalproducts":
            return self.portal_products.get(parts[1])
        return None


# One operation: the caller's store and the request's members in, the response's members (or None) out.
Operation = Callable[[Store, dict[str, Any]], Mapping[str, Any] | None]
