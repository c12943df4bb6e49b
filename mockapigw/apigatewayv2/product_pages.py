"""Product pages of a portal product: CreateProductPage, GetProductPage, ListProductPages, UpdateProductPage,
DeleteProductPage."""

from __future__ import annotations

from typing import Any

from ..core import clock
from . import lookup
from .portal_products import forget_page, product, touch
from .portal_records import ID_LENGTH, ProductPage, shaped
from .records import new_id
from .store import Operation, Store


def _summary(page: ProductPage) -> dict[str, Any]:
    return {
        "LastModified": page["LastModified"],
        "PageTitle": page["DisplayContent"]["Title"],
        "ProductPageArn": page["ProductPageArn"],
        "ProductPageId": page["ProductPageId"],
    }


def create_product_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    page_id = new_id(item.pages, ID_LENGTH)
    page = ProductPage(
        {
            "ProductPageId": page_id,
            "ProductPageArn": f"{item.arn}/productpages/{page_id}",
            "DisplayContent": dict(params["DisplayContent"]),
            "LastModified": clock.now(),
        }
    )
    item.pages.add(page_id, page)
    touch(item)
    return shaped("CreateProductPageResponse", page.describe())


def get_product_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    page = lookup.product_page(product(store, params), params["ProductPageId"])
    return shaped("GetProductPageResponse", page.describe())


def list_product_pages(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = product(store, params)
    pages, token = item.pages.page(params.get("MaxResults"), params.get("NextToken"))
    return {"Items": [_summary(page) for page in pages], "NextToken": token}


def update_product_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    page = lookup.product_page(item, params["ProductPageId"])
    if "DisplayContent" in params:
        page.fields["DisplayContent"] = dict(params["DisplayContent"])
    page.fields["LastModified"] = clock.now()
    touch(item)
    return shaped("UpdateProductPageResponse", page.describe())


def delete_product_page(store: Store, params: dict[str, Any]) -> None:
    item = lookup.portal_product(store, params["PortalProductId"])
    page = lookup.product_page(item, params["ProductPageId"])
    item.pages.remove(page["ProductPageId"])
    forget_page(item, page.arn)
    touch(item)


OPERATIONS: dict[str, Operation] = {
    "CreateProductPage": create_product_page,
    "GetProductPage": get_product_page,
    "ListProductPages": list_product_pages,
    "UpdateProductPage": update_product_page,
    "DeleteProductPage": delete_product_page,
}
