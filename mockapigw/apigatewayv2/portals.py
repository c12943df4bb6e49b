"""Developer portals: CreatePortal, GetPortal, ListPortals, UpdatePortal, DeletePortal, and the state changes
PublishPortal, DisablePortal and PreviewPortal.

The state machine (``PublishStatus``), finishing at once where AWS takes minutes (the mock has no background work):

- created: no ``PublishStatus`` (the model's enum has no "never published" value);
- PublishPortal: ``PUBLISHED`` with ``LastPublished``/``LastPublishedDescription``, or ``PUBLISH_FAILED`` with a
  ``StatusException`` when an included product of this account no longer exists;
- DisablePortal: ``DISABLED``; a ``ConflictException`` when the portal is not published (never, or disabled);
- DeletePortal: a ``BadRequestException`` while the portal is ``PUBLISHED`` ("To delete your portal, you must
  disable it first", developer guide);
- PreviewPortal: ``Preview.PreviewStatus`` ``PREVIEW_READY`` with a ``PreviewUrl``, or ``PREVIEW_FAILED``.
"""

from __future__ import annotations

import re
from typing import Any

from ..core import clock
from . import lookup
from .domains import hosted_zone_id
from .exceptions import BadRequestException, ConflictException
from .portal_records import ID_LENGTH, Portal, portal_arn, shaped
from .records import new_id, page_of
from .store import Operation, Store
from .tags import check_tags

_PRODUCT_ARN = re.compile(r"^arn:aws[a-z-]*:apigateway:([a-z0-9-]+):(\d{12}):/portalproducts/([a-z0-9]+)$")
_CONFIGURABLE = ("Authorization", "EndpointConfiguration", "IncludedPortalProductArns", "LogoUri", "PortalContent")


def _one_of(value: dict[str, Any], member: str, choices: tuple[str, str]) -> None:
    """Union-like structures (``Authorization``, ``EndpointConfiguration``) take exactly one of their members."""
    chosen = [name for name in choices if name in value]
    if len(chosen) != 1:
        raise BadRequestException(f"{member} must specify exactly one of {choices[0]} or {choices[1]}.")


def _endpoint(store: Store, portal_id: str, given: dict[str, Any]) -> dict[str, Any]:
    """The EndpointConfigurationResponse of a request's EndpointConfiguration."""
    _one_of(given, "EndpointConfiguration", ("AcmManaged", "None"))
    # A made-up host under a name of its own, so that it never collides with the execute-api hosts the mock serves.
    endpoint: dict[str, Any] = {
        "PortalDefaultDomainName": f"{portal_id}.portal.{store.region}.amazonaws.com",
        "PortalDomainHostedZoneId": hosted_zone_id(store.region),
    }
    if "AcmManaged" in given:
        endpoint["CertificateArn"] = given["AcmManaged"]["CertificateArn"]
        endpoint["DomainName"] = given["AcmManaged"]["DomainName"]
    return endpoint


def _local_product_id(store: Store, arn: str) -> str | None:
    """The id of the product *arn* names when it is this account's in this Region; ``None`` for another's."""
    match = _PRODUCT_ARN.match(arn)
    if match is None:
        raise BadRequestException(f"Invalid portal product ARN: {arn}")
    region, account, product_id = match.groups()
    # Products of other accounts come through AWS RAM shares, which the mock does not simulate: accepted as given.
    return product_id if (region, account) == (store.region, store.account_id) else None


def _check_products(store: Store, arns: list[str]) -> None:
    """Included products must be portal product ARNs; this account's (in this Region) must exist."""
    for arn in arns:
        product_id = _local_product_id(store, arn)
        if product_id is not None and product_id not in store.portal_products:
            raise BadRequestException(f"Portal product {arn} does not exist.")


def _missing_products(store: Store, portal: Portal) -> list[str]:
    """Included products of this account that were deleted after the portal named them."""
    return [
        arn
        for arn in portal.fields["IncludedPortalProductArns"]
        if (product_id := _local_product_id(store, arn)) is not None and product_id not in store.portal_products
    ]


def _configure(store: Store, portal: Portal, params: dict[str, Any]) -> dict[str, Any]:
    """The members *params* sets, checked, in their stored form (nothing is stored until all are valid)."""
    changes: dict[str, Any] = {}
    if "Authorization" in params:
        _one_of(params["Authorization"], "Authorization", ("CognitoConfig", "None"))
        changes["Authorization"] = params["Authorization"]
    if "EndpointConfiguration" in params:
        changes["EndpointConfiguration"] = _endpoint(store, portal.portal_id, params["EndpointConfiguration"])
    if "IncludedPortalProductArns" in params:
        _check_products(store, params["IncludedPortalProductArns"])
        changes["IncludedPortalProductArns"] = list(params["IncludedPortalProductArns"])
    for name in ("PortalContent", "RumAppMonitorName"):
        if name in params:
            changes[name] = params[name]
    if "LogoUri" in params:
        changes["LogoUri"] = params["LogoUri"]
        # The theme records when its logo was last uploaded; setting LogoUri is that upload.
        content = dict(changes.get("PortalContent") or portal.fields.get("PortalContent") or {})
        content["Theme"] = {**content.get("Theme", {}), "LogoLastUploaded": clock.now()}
        changes["PortalContent"] = content
    return changes


def create_portal(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    check_tags(params.get("Tags") or {})
    portal_id = new_id(store.portals, ID_LENGTH)
    portal = Portal(
        {
            "PortalId": portal_id,
            "PortalArn": portal_arn(store.region, store.account_id, portal_id),
            "IncludedPortalProductArns": [],
            "Tags": dict(params.get("Tags") or {}),
        }
    )
    portal.fields.update(_configure(store, portal, params))
    portal.fields["LastModified"] = clock.now()
    store.portals.add(portal_id, portal)
    return shaped("CreatePortalResponse", portal.describe())


def get_portal(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return shaped("GetPortalResponse", lookup.portal(store, params["PortalId"]).describe())


def list_portals(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    page = page_of(store.portals, params)
    page["Items"] = [shaped("PortalSummary", item) for item in page["Items"]]
    return page


def update_portal(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    portal = lookup.portal(store, params["PortalId"])
    # Changes reach the published portal on the next PublishPortal, as in AWS; the status stays as it is.
    portal.fields.update(_configure(store, portal, params))
    portal.fields["LastModified"] = clock.now()
    return shaped("UpdatePortalResponse", portal.describe())


def delete_portal(store: Store, params: dict[str, Any]) -> None:
    portal = lookup.portal(store, params["PortalId"])
    if portal.get("PublishStatus") == "PUBLISHED":
        raise BadRequestException(
            f"Portal {portal.portal_id} is published: disable it first (disable_portal), then delete it."
        )
    store.portals.remove(portal.portal_id)


def publish_portal(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    portal = lookup.portal(store, params["PortalId"])
    missing = _missing_products(store, portal)
    portal.fields.pop("StatusException", None)
    if missing:
        portal.fields["PublishStatus"] = "PUBLISH_FAILED"
        portal.fields["StatusException"] = {
            "Exception": "NotFoundException",
            "Message": f"The portal includes portal products that do not exist: {', '.join(missing)}",
        }
        return {}
    portal.fields["PublishStatus"] = "PUBLISHED"
    portal.fields["LastPublished"] = clock.now()
    portal.fields.pop("LastPublishedDescription", None)
    if "Description" in params:
        portal.fields["LastPublishedDescription"] = params["Description"]
    return {}


def disable_portal(store: Store, params: dict[str, Any]) -> None:
    portal = lookup.portal(store, params["PortalId"])
    status = portal.get("PublishStatus")
    if status in (None, "DISABLED"):
        raise ConflictException(f"Portal {portal.portal_id} is not published, so there is nothing to disable.")
    portal.fields["PublishStatus"] = "DISABLED"
    portal.fields.pop("StatusException", None)


def preview_portal(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    portal = lookup.portal(store, params["PortalId"])
    missing = _missing_products(store, portal)
    if missing:
        portal.fields["Preview"] = {
            "PreviewStatus": "PREVIEW_FAILED",
            "StatusException": {
                "Exception": "NotFoundException",
                "Message": f"The portal includes portal products that do not exist: {', '.join(missing)}",
            },
        }
    else:
        portal.fields["Preview"] = {
            "PreviewStatus": "PREVIEW_READY",
            "PreviewUrl": f"https://{portal.portal_id}.preview.portal.{store.region}.amazonaws.com",
        }
    return {}


OPERATIONS: dict[str, Operation] = {
    "CreatePortal": create_portal,
    "GetPortal": get_portal,
    "ListPortals": list_portals,
    "UpdatePortal": update_portal,
    "DeletePortal": delete_portal,
    "PublishPortal": publish_portal,
    "DisablePortal": disable_portal,
    "PreviewPortal": preview_portal,
}
