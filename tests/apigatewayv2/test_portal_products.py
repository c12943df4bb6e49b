"""Portal products, their sharing policies, product pages and product REST endpoint pages."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

PARTS = {"RestApiId": "kf5387miad", "Stage": "Prod", "Method": "GET", "Path": "/dogs"}
POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": "222222222222"}, "Action": "apigateway:*"}],
    }
)


@pytest.fixture
def product(v2: Any) -> dict[str, Any]:
    return dict(v2.create_portal_product(DisplayName="Pet adoption", Tags={"team": "pets"}))


def _page(v2: Any, product: dict[str, Any], title: str = "Getting started") -> dict[str, Any]:
    return dict(
        v2.create_product_page(
            PortalProductId=product["PortalProductId"], DisplayContent={"Title": title, "Body": "# Hello"}
        )
    )


def _endpoint_page(v2: Any, product: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return dict(
        v2.create_product_rest_endpoint_page(
            PortalProductId=product["PortalProductId"], RestEndpointIdentifier={"IdentifierParts": PARTS}, **extra
        )
    )


def test_create_and_get(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    assert re.fullmatch(r"[a-z0-9]{10}", product_id)
    assert product["PortalProductArn"] == f"arn:aws:apigateway:us-east-1:123456789012:/portalproducts/{product_id}"
    assert product["Description"] == ""
    got = v2.get_portal_product(PortalProductId=product_id)
    assert (got["DisplayName"], got["Tags"]) == ("Pet adoption", {"team": "pets"})
    summary = v2.list_portal_products()["Items"][0]
    assert summary["PortalProductId"] == product_id


def test_resource_owner_of_another_account_finds_nothing(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    assert v2.get_portal_product(PortalProductId=product_id, ResourceOwnerAccountId="123456789012")
    with pytest.raises(v2.exceptions.NotFoundException, match="not simulated"):
        v2.get_portal_product(PortalProductId=product_id, ResourceOwnerAccountId="222222222222")
    assert v2.list_portal_products(ResourceOwner="OTHER_ACCOUNTS")["Items"] == []


def test_update_and_delete(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    updated = v2.update_portal_product(PortalProductId=product_id, Description="Adopt a pet")
    assert (updated["DisplayName"], updated["Description"]) == ("Pet adoption", "Adopt a pet")
    assert updated["LastModified"] >= product["LastModified"]
    v2.delete_portal_product(PortalProductId=product_id)
    with pytest.raises(v2.exceptions.NotFoundException, match="PortalProduct identifier"):
        v2.get_portal_product(PortalProductId=product_id)


def test_products_are_tagged_through_their_arn(v2: Any, product: dict[str, Any]) -> None:
    v2.tag_resource(ResourceArn=product["PortalProductArn"], Tags={"env": "test"})
    assert v2.get_tags(ResourceArn=product["PortalProductArn"])["Tags"] == {"team": "pets", "env": "test"}


def test_sharing_policy_lifecycle(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    with pytest.raises(v2.exceptions.NotFoundException, match="no sharing policy"):
        v2.get_portal_product_sharing_policy(PortalProductId=product_id)
    v2.put_portal_product_sharing_policy(PortalProductId=product_id, PolicyDocument=POLICY)
    got = v2.get_portal_product_sharing_policy(PortalProductId=product_id)
    assert (got["PolicyDocument"], got["PortalProductId"]) == (POLICY, product_id)
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.put_portal_product_sharing_policy(PortalProductId=product_id, PolicyDocument="not json")
    assert v2.get_portal_product_sharing_policy(PortalProductId=product_id)["PolicyDocument"] == POLICY
    v2.delete_portal_product_sharing_policy(PortalProductId=product_id)
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.delete_portal_product_sharing_policy(PortalProductId=product_id)


def test_product_pages(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    page = _page(v2, product)
    assert page["ProductPageArn"] == f"{product['PortalProductArn']}/productpages/{page['ProductPageId']}"
    summary = v2.list_product_pages(PortalProductId=product_id)["Items"][0]
    assert (summary["PageTitle"], summary["ProductPageId"]) == ("Getting started", page["ProductPageId"])
    assert "DisplayContent" not in summary
    updated = v2.update_product_page(
        PortalProductId=product_id, ProductPageId=page["ProductPageId"], DisplayContent={"Title": "T", "Body": "B"}
    )
    assert updated["DisplayContent"] == {"Title": "T", "Body": "B"}
    got = v2.get_product_page(PortalProductId=product_id, ProductPageId=page["ProductPageId"])
    assert got["DisplayContent"]["Title"] == "T"
    v2.delete_product_page(PortalProductId=product_id, ProductPageId=page["ProductPageId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="ProductPage identifier"):
        v2.get_product_page(PortalProductId=product_id, ProductPageId=page["ProductPageId"])


def test_rest_endpoint_page_defaults_and_overrides(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    page = _endpoint_page(v2, product)
    assert page["Status"] == "AVAILABLE"
    assert page["TryItState"] == "DISABLED"
    assert page["DisplayContent"] == {"Endpoint": "https://kf5387miad.execute-api.us-east-1.amazonaws.com/Prod"}
    assert page["RestEndpointIdentifier"] == {"IdentifierParts": PARTS}
    page_id = page["ProductRestEndpointPageId"]
    overrides = {"OperationName": "View dogs", "Endpoint": "https://api.example.com"}
    updated = v2.update_product_rest_endpoint_page(
        PortalProductId=product_id,
        ProductRestEndpointPageId=page_id,
        DisplayContent={"Overrides": overrides},
        TryItState="ENABLED",
    )
    assert updated["DisplayContent"] == overrides
    assert updated["TryItState"] == "ENABLED"
    summary = v2.list_product_rest_endpoint_pages(PortalProductId=product_id)["Items"][0]
    assert (summary["OperationName"], summary["Endpoint"]) == ("View dogs", "https://api.example.com")
    plain = v2.get_product_rest_endpoint_page(PortalProductId=product_id, ProductRestEndpointPageId=page_id)
    assert "RawDisplayContent" not in plain
    raw = v2.get_product_rest_endpoint_page(
        PortalProductId=product_id, ProductRestEndpointPageId=page_id, IncludeRawDisplayContent="true"
    )
    assert json.loads(raw["RawDisplayContent"]) == {"Overrides": overrides}
    v2.delete_product_rest_endpoint_page(PortalProductId=product_id, ProductRestEndpointPageId=page_id)
    assert v2.list_product_rest_endpoint_pages(PortalProductId=product_id)["Items"] == []


def test_rest_endpoint_pages_document_rest_apis_only(
    v2: Any, product: dict[str, Any], http_api: dict[str, Any]
) -> None:
    parts = {**PARTS, "RestApiId": http_api["ApiId"]}
    with pytest.raises(v2.exceptions.BadRequestException, match="REST APIs only"):
        v2.create_product_rest_endpoint_page(
            PortalProductId=product["PortalProductId"], RestEndpointIdentifier={"IdentifierParts": parts}
        )
    with pytest.raises(v2.exceptions.BadRequestException, match="exactly one of None or Overrides"):
        _endpoint_page(v2, product, DisplayContent={"None": {}, "Overrides": {"OperationName": "x"}})


def test_display_order_names_this_products_pages_and_forgets_deleted_ones(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    page = _page(v2, product)
    endpoint = _endpoint_page(v2, product)
    order = {
        "OverviewPageArn": page["ProductPageArn"],
        "ProductPageArns": [page["ProductPageArn"]],
        "Contents": [
            {"SectionName": "AdoptAnimals", "ProductRestEndpointPageArns": [endpoint["ProductRestEndpointPageArn"]]}
        ],
    }
    assert v2.update_portal_product(PortalProductId=product_id, DisplayOrder=order)["DisplayOrder"] == order
    other = v2.create_portal_product(DisplayName="other")
    foreign = _page(v2, other)
    with pytest.raises(v2.exceptions.BadRequestException, match="not a product page of this product"):
        v2.update_portal_product(
            PortalProductId=product_id, DisplayOrder={"ProductPageArns": [foreign["ProductPageArn"]]}
        )
    v2.delete_product_page(PortalProductId=product_id, ProductPageId=page["ProductPageId"])
    v2.delete_product_rest_endpoint_page(
        PortalProductId=product_id, ProductRestEndpointPageId=endpoint["ProductRestEndpointPageId"]
    )
    left = v2.get_portal_product(PortalProductId=product_id)["DisplayOrder"]
    assert left == {
        "ProductPageArns": [],
        "Contents": [{"SectionName": "AdoptAnimals", "ProductRestEndpointPageArns": []}],
    }


def test_pages_of_an_unknown_product(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.create_product_page(PortalProductId="abcdefghij", DisplayContent={"Title": "t", "Body": "b"})
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.list_product_rest_endpoint_pages(PortalProductId="abcdefghij")


def test_a_sharing_policy_nested_too_deeply_is_a_bad_request(v2: Any, product: dict[str, Any]) -> None:
    product_id = product["PortalProductId"]
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid policy document"):
        v2.put_portal_product_sharing_policy(PortalProductId=product_id, PolicyDocument="[" * 50000)
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_portal_product_sharing_policy(PortalProductId=product_id)
