"""Developer portals: the publish state machine, previews, included products, tags and pagination."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockapigw.apigatewayv2.portals import OPERATIONS

COLORS = dict.fromkeys(
    ("AccentColor", "BackgroundColor", "ErrorValidationColor", "HeaderColor", "NavigationColor", "TextColor"), "#000000"
)
CONTENT = {"DisplayName": "Pets portal", "Theme": {"CustomColors": COLORS}}
COGNITO = {
    "CognitoConfig": {
        "AppClientId": "client",
        "UserPoolArn": "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc",
        "UserPoolDomain": "https://pets.auth.us-east-1.amazoncognito.com",
    }
}


def create_portal(v2: Any, **extra: Any) -> dict[str, Any]:
    """A portal with no authorization and the default domain."""
    params = {"Authorization": {"None": {}}, "EndpointConfiguration": {"None": {}}, "PortalContent": CONTENT}
    return dict(v2.create_portal(**{**params, **extra}))


def test_the_module_implements_the_eight_portal_operations() -> None:
    assert set(OPERATIONS) == {
        "CreatePortal",
        "GetPortal",
        "ListPortals",
        "UpdatePortal",
        "DeletePortal",
        "PublishPortal",
        "DisablePortal",
        "PreviewPortal",
    }


def test_create_gives_ids_arns_and_the_default_endpoint(v2: Any) -> None:
    portal = create_portal(v2, Tags={"team": "pets"})
    portal_id = portal["PortalId"]
    assert re.fullmatch(r"[a-z0-9]{10}", portal_id)
    assert portal["PortalArn"] == f"arn:aws:apigateway:us-east-1:123456789012:/portals/{portal_id}"
    endpoint = portal["EndpointConfiguration"]
    assert endpoint["PortalDefaultDomainName"].startswith(portal_id)
    assert "execute-api" not in endpoint["PortalDefaultDomainName"]
    assert endpoint["PortalDomainHostedZoneId"]
    assert portal["IncludedPortalProductArns"] == []
    assert portal["Tags"] == {"team": "pets"}
    assert "PublishStatus" not in portal
    assert "Preview" not in v2.get_portal(PortalId=portal_id)


def test_acm_managed_endpoint_and_cognito(v2: Any) -> None:
    acm = {"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/c", "DomainName": "portal.example.com"}
    portal = create_portal(v2, Authorization=COGNITO, EndpointConfiguration={"AcmManaged": acm})
    assert portal["EndpointConfiguration"]["DomainName"] == "portal.example.com"
    assert portal["EndpointConfiguration"]["CertificateArn"] == acm["CertificateArn"]
    assert portal["Authorization"] == COGNITO


@pytest.mark.parametrize(
    "extra",
    [
        {"Authorization": {}},
        {"Authorization": {"None": {}, **COGNITO}},
        {"EndpointConfiguration": {}},
        {"IncludedPortalProductArns": ["arn:aws:apigateway:us-east-1:123456789012:/portalproducts/nope123456"]},
        {"IncludedPortalProductArns": ["arn:aws:apigateway:us-east-1:123456789012:/apis/abcdefghij"]},
        {"Tags": {"aws:reserved": "x"}},
    ],
    ids=["no-authorization", "two-authorizations", "no-endpoint", "missing-product", "not-a-product", "aws-tag"],
)
def test_invalid_portals_are_refused_and_nothing_is_created(v2: Any, extra: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException):
        create_portal(v2, **extra)
    assert v2.list_portals()["Items"] == []


def test_a_product_of_another_account_is_accepted_as_shared(v2: Any) -> None:
    arn = "arn:aws:apigateway:us-east-1:210987654321:/portalproducts/shared0001"
    assert create_portal(v2, IncludedPortalProductArns=[arn])["IncludedPortalProductArns"] == [arn]


def test_publish_disable_delete(v2: Any) -> None:
    portal_id = create_portal(v2)["PortalId"]
    with pytest.raises(v2.exceptions.ConflictException, match="not published"):
        v2.disable_portal(PortalId=portal_id)
    response = v2.publish_portal(PortalId=portal_id, Description="first release")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 202
    got = v2.get_portal(PortalId=portal_id)
    assert got["PublishStatus"] == "PUBLISHED"
    assert got["LastPublishedDescription"] == "first release"
    assert got["LastPublished"] >= got["LastModified"]
    with pytest.raises(v2.exceptions.BadRequestException, match="disable it first"):
        v2.delete_portal(PortalId=portal_id)
    v2.disable_portal(PortalId=portal_id)
    assert v2.get_portal(PortalId=portal_id)["PublishStatus"] == "DISABLED"
    with pytest.raises(v2.exceptions.ConflictException):
        v2.disable_portal(PortalId=portal_id)
    v2.delete_portal(PortalId=portal_id)
    with pytest.raises(v2.exceptions.NotFoundException, match=f"Portal identifier specified {portal_id}"):
        v2.get_portal(PortalId=portal_id)


def test_publishing_with_a_deleted_product_fails_and_says_why(v2: Any) -> None:
    product = v2.create_portal_product(DisplayName="pets")
    portal_id = create_portal(v2, IncludedPortalProductArns=[product["PortalProductArn"]])["PortalId"]
    v2.preview_portal(PortalId=portal_id)
    preview = v2.get_portal(PortalId=portal_id)["Preview"]
    assert preview["PreviewStatus"] == "PREVIEW_READY"
    assert preview["PreviewUrl"].startswith("https://")
    v2.delete_portal_product(PortalProductId=product["PortalProductId"])
    v2.publish_portal(PortalId=portal_id)
    got = v2.get_portal(PortalId=portal_id)
    assert got["PublishStatus"] == "PUBLISH_FAILED"
    assert product["PortalProductArn"] in got["StatusException"]["Message"]
    v2.preview_portal(PortalId=portal_id)
    assert v2.get_portal(PortalId=portal_id)["Preview"]["PreviewStatus"] == "PREVIEW_FAILED"
    v2.update_portal(PortalId=portal_id, IncludedPortalProductArns=[])
    v2.publish_portal(PortalId=portal_id)
    got = v2.get_portal(PortalId=portal_id)
    assert got["PublishStatus"] == "PUBLISHED"
    assert "StatusException" not in got


def test_update_changes_only_what_it_names(v2: Any) -> None:
    portal = create_portal(v2, RumAppMonitorName="rum")
    updated = v2.update_portal(PortalId=portal["PortalId"], LogoUri="s3://bucket/logo.png")
    assert updated["RumAppMonitorName"] == "rum"
    assert updated["PortalContent"]["DisplayName"] == "Pets portal"
    assert "LogoLastUploaded" in updated["PortalContent"]["Theme"]
    assert updated["LastModified"] >= portal["LastModified"]
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.update_portal(PortalId=portal["PortalId"], Authorization={}, RumAppMonitorName="changed")
    assert v2.get_portal(PortalId=portal["PortalId"])["RumAppMonitorName"] == "rum"


def test_portals_are_tagged_through_their_arn(v2: Any) -> None:
    arn = create_portal(v2)["PortalArn"]
    v2.tag_resource(ResourceArn=arn, Tags={"env": "test"})
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {"env": "test"}
    v2.untag_resource(ResourceArn=arn, TagKeys=["env"])
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {}


def test_list_pages(v2: Any) -> None:
    made = [create_portal(v2)["PortalId"] for _ in range(3)]
    first = v2.list_portals(MaxResults="2")
    second = v2.list_portals(MaxResults="2", NextToken=first["NextToken"])
    assert [p["PortalId"] for p in first["Items"] + second["Items"]] == made
    assert "NextToken" not in second


def test_unknown_portal(v2: Any) -> None:
    for call in (v2.get_portal, v2.publish_portal, v2.preview_portal, v2.disable_portal, v2.delete_portal):
        with pytest.raises(v2.exceptions.NotFoundException):
            call(PortalId="abcdefghij")
