"""Portal products: CreatePortalProduct, GetPortalProduct, ListPortalProducts, UpdatePortalProduct,
DeletePortalProduct, and their sharing policies (PutPortalProductSharingPolicy, GetPortalProductSharingPolicy,
DeletePortalProductSharingPolicy).

Sharing happens through AWS RAM, which the mock does not simulate: the policy is stored and returned, and a
``ResourceOwnerAccountId`` or ``ResourceOwner`` naming another account finds nothing.
"""

from __future__ import annotations

import json
from typing import Any

from ..core import clock
from ..core.collection import Collection
from . import lookup
from .exceptions import BadRequestException, NotFoundException
from .portal_records import ID_LENGTH, PortalProduct, product_arn, shaped
from .records import new_id, page_of
from .store import Operation, Store
from .tags import check_tags


def product(store: Store, params: dict[str, Any]) -> PortalProduct:
    """The product a request names (``PortalProductId``, and ``ResourceOwnerAccountId`` when given)."""
    owner = params.get("ResourceOwnerAccountId")
    if owner is not None and owner != store.account_id:
        raise NotFoundException(
            f"Portal product {params['PortalProductId']} of account {owner} was not found: products shared through "
            "AWS RAM are not simulated by mockapigw."
        )
    return lookup.portal_product(store, params["PortalProductId"])


def touch(item: PortalProduct) -> None:
    """A change to a product or one of its pages modifies the product."""
    item.fields["LastModified"] = clock.now()


def _check_display_order(item: PortalProduct, order: dict[str, Any]) -> None:
    """The display order names pages of this product only."""
    pages = {page.arn for page in item.pages}
    endpoints = {page.arn for page in item.endpoint_pages}
    named = list(order.get("ProductPageArns") or [])
    if "OverviewPageArn" in order:
        named.append(order["OverviewPageArn"])
    for arn in named:
        if arn not in pages:
            raise BadRequestException(f"DisplayOrder names {arn}, which is not a product page of this product.")
    for section in order.get("Contents") or []:
        for arn in section["ProductRestEndpointPageArns"]:
            if arn not in endpoints:
                raise BadRequestException(
                    f"Section {section['SectionName']!r} names {arn}, which is not a product REST endpoint page of "
                    "this product."
                )


def delete_page(item: PortalProduct, pages: Collection[Any], page_id: str, arn: str) -> None:
    """Delete page *page_id* (*arn*) of *item* from *pages* and from the display order; the product is modified."""
    pages.remove(page_id)
    _forget_page(item, arn)
    touch(item)


def _forget_page(item: PortalProduct, arn: str) -> None:
    """Drop a deleted page from the product's display order."""
    order = item.fields.get("DisplayOrder")
    if not order:
        return
    updated = dict(order)
    if updated.get("OverviewPageArn") == arn:
        del updated["OverviewPageArn"]
    if "ProductPageArns" in updated:
        updated["ProductPageArns"] = [a for a in updated["ProductPageArns"] if a != arn]
    if "Contents" in updated:
        updated["Contents"] = [
            {**section, "ProductRestEndpointPageArns": [a for a in section["ProductRestEndpointPageArns"] if a != arn]}
            for section in updated["Contents"]
        ]
    item.fields["DisplayOrder"] = updated


def create_portal_product(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    check_tags(params.get("Tags") or {})
    product_id = new_id(store.portal_products, ID_LENGTH)
    item = PortalProduct(
        {
            "PortalProductId": product_id,
            "PortalProductArn": product_arn(store.region, store.account_id, product_id),
            "DisplayName": params["DisplayName"],
            # ListPortalProducts' summary requires a Description: an unset one is empty.
            "Description": params.get("Description", ""),
            "LastModified": clock.now(),
            "Tags": dict(params.get("Tags") or {}),
        }
    )
    store.portal_products.add(product_id, item)
    return shaped("CreatePortalProductResponse", item.describe())


def get_portal_product(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return shaped("GetPortalProductResponse", product(store, params).describe())


def list_portal_products(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("ResourceOwner") not in (None, "SELF"):
        return {"Items": []}  # products other accounts share through AWS RAM: none in the mock
    page = page_of(store.portal_products, params)
    page["Items"] = [shaped("PortalProductSummary", item) for item in page["Items"]]
    return page


def update_portal_product(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    if "DisplayOrder" in params:
        _check_display_order(item, params["DisplayOrder"])
    item.apply(params, ("Description", "DisplayName", "DisplayOrder"))
    touch(item)
    return shaped("UpdatePortalProductResponse", item.describe())


def delete_portal_product(store: Store, params: dict[str, Any]) -> None:
    # Its pages and sharing policy live on it and go with it; portals that include it fail their next publish.
    item = lookup.portal_product(store, params["PortalProductId"])
    store.portal_products.remove(item.product_id)


def put_portal_product_sharing_policy(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    document = params["PolicyDocument"]
    try:
        policy = json.loads(document)
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the JSON parser can follow
        policy = None
    if not isinstance(policy, dict):
        raise BadRequestException("Invalid policy document: it must be a JSON policy object.")
    item.sharing_policy = document
    return {}


def get_portal_product_sharing_policy(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    if item.sharing_policy is None:
        raise NotFoundException(f"Portal product {item.product_id} has no sharing policy.")
    return {"PolicyDocument": item.sharing_policy, "PortalProductId": item.product_id}


def delete_portal_product_sharing_policy(store: Store, params: dict[str, Any]) -> None:
    item = lookup.portal_product(store, params["PortalProductId"])
    if item.sharing_policy is None:
        raise NotFoundException(f"Portal product {item.product_id} has no sharing policy.")
    item.sharing_policy = None


OPERATIONS: dict[str, Operation] = {
    "CreatePortalProduct": create_portal_product,
    "GetPortalProduct": get_portal_product,
    "ListPortalProducts": list_portal_products,
    "UpdatePortalProduct": update_portal_product,
    "DeletePortalProduct": delete_portal_product,
    "PutPortalProductSharingPolicy": put_portal_product_sharing_policy,
    "GetPortalProductSharingPolicy": get_portal_product_sharing_policy,
    "DeletePortalProductSharingPolicy": delete_portal_product_sharing_policy,
}
