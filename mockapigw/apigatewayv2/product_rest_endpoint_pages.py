"""Product REST endpoint pages of a portal product: CreateProductRestEndpointPage, GetProductRestEndpointPage,
ListProductRestEndpointPages, UpdateProductRestEndpointPage, DeleteProductRestEndpointPage.

A page documents one method of a REST API stage. REST APIs are not this mock's: any ``RestApiId`` is accepted except
the id of one of the mock's HTTP or WebSocket APIs ("You can only create portals to share REST APIs", developer
guide). Pages are ``AVAILABLE`` at once (AWS generates them in the background).
"""

from __future__ import annotations

import json
from typing import Any

from ..core import clock
from . import lookup
from .exceptions import BadRequestException
from .portal_products import forget_page, product, touch
from .portal_records import ID_LENGTH, ProductRestEndpointPage, shaped
from .records import new_id
from .store import Operation, Store


def _display(store: Store, parts: dict[str, Any], given: dict[str, Any] | None) -> dict[str, Any]:
    """The EndpointDisplayContentResponse: the overrides, over the stage's default execute-api URL."""
    given = given or {"None": {}}
    if ("None" in given) == ("Overrides" in given):
        raise BadRequestException("DisplayContent must specify exactly one of None or Overrides.")
    shown = {"Endpoint": f"https://{parts['RestApiId']}.execute-api.{store.region}.amazonaws.com/{parts['Stage']}"}
    shown.update(given.get("Overrides") or {})
    return shown


def _summary(page: ProductRestEndpointPage) -> dict[str, Any]:
    fields = page.fields
    summary = {
        "Endpoint": fields["DisplayContent"]["Endpoint"],
        "LastModified": fields["LastModified"],
        "ProductRestEndpointPageArn": fields["ProductRestEndpointPageArn"],
        "ProductRestEndpointPageId": fields["ProductRestEndpointPageId"],
        "RestEndpointIdentifier": fields["RestEndpointIdentifier"],
        "Status": fields["Status"],
        "TryItState": fields["TryItState"],
    }
    if "OperationName" in fields["DisplayContent"]:
        summary["OperationName"] = fields["DisplayContent"]["OperationName"]
    return summary


def create_product_rest_endpoint_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    identifier = params["RestEndpointIdentifier"]
    parts = identifier.get("IdentifierParts")
    if parts is None:
        raise BadRequestException("RestEndpointIdentifier must specify IdentifierParts.")
    api = store.apis.get(parts["RestApiId"])
    if api is not None:
        raise BadRequestException(
            f"{parts['RestApiId']} is an {api.protocol} API; portals document REST APIs only (mockapigw runs HTTP "
            "and WebSocket APIs, whose ids are never REST API ids)."
        )
    raw = params.get("DisplayContent")
    page_id = new_id(item.endpoint_pages, ID_LENGTH)
    page = ProductRestEndpointPage(
        {
            "ProductRestEndpointPageId": page_id,
            "ProductRestEndpointPageArn": f"{item.arn}/productrestendpointpages/{page_id}",
            "RestEndpointIdentifier": {"IdentifierParts": dict(parts)},
            "DisplayContent": _display(store, parts, raw),
            "RawDisplayContent": json.dumps(raw or {"None": {}}),
            "Status": "AVAILABLE",
            "TryItState": params.get("TryItState", "DISABLED"),
            "LastModified": clock.now(),
        }
    )
    item.endpoint_pages.add(page_id, page)
    touch(item)
    return shaped("CreateProductRestEndpointPageResponse", page.describe())


def get_product_rest_endpoint_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    page = lookup.product_rest_endpoint_page(product(store, params), params["ProductRestEndpointPageId"])
    out = page.describe()
    if str(params.get("IncludeRawDisplayContent", "")).lower() != "true":
        del out["RawDisplayContent"]
    return shaped("GetProductRestEndpointPageResponse", out)


def list_product_rest_endpoint_pages(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = product(store, params)
    pages, token = item.endpoint_pages.page(params.get("MaxResults"), params.get("NextToken"))
    return {"Items": [_summary(page) for page in pages], "NextToken": token}


def update_product_rest_endpoint_page(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    item = lookup.portal_product(store, params["PortalProductId"])
    page = lookup.product_rest_endpoint_page(item, params["ProductRestEndpointPageId"])
    if "DisplayContent" in params:
        parts = page["RestEndpointIdentifier"]["IdentifierParts"]
        page.fields["DisplayContent"] = _display(store, parts, params["DisplayContent"])
        page.fields["RawDisplayContent"] = json.dumps(params["DisplayContent"])
    page.apply(params, ("TryItState",))
    page.fields["LastModified"] = clock.now()
    touch(item)
    return shaped("UpdateProductRestEndpointPageResponse", page.describe())


def delete_product_rest_endpoint_page(store: Store, params: dict[str, Any]) -> None:
    item = lookup.portal_product(store, params["PortalProductId"])
    page = lookup.product_rest_endpoint_page(item, params["ProductRestEndpointPageId"])
    item.endpoint_pages.remove(page["ProductRestEndpointPageId"])
    forget_page(item, page.arn)
    touch(item)


OPERATIONS: dict[str, Operation] = {
    "CreateProductRestEndpointPage": create_product_rest_endpoint_page,
    "GetProductRestEndpointPage": get_product_rest_endpoint_page,
    "ListProductRestEndpointPages": list_product_rest_endpoint_pages,
    "UpdateProductRestEndpointPage": update_product_rest_endpoint_page,
    "DeleteProductRestEndpointPage": delete_product_rest_endpoint_page,
}
