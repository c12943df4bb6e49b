"""Custom domain names: CreateDomainName, GetDomainName, GetDomainNames, UpdateDomainName, DeleteDomainName.

API mappings (the other half of a domain's life) are in ``api_mappings.py``; ``DomainOperations`` includes them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from ..core import ids
from . import lookup
from .api_mappings import is_multi_level
from .exceptions import BadRequestException, ConflictException, TooManyRequestsException
from .records import HTTP, page_of
from .resources import ApiMapping, DomainName
from .store import Operation, Store
from .tags import check_tags

__all__ = ["OPERATIONS", "ApiMapping", "DomainName", "hosted_zone_id"]

DOMAIN_NAMES_PER_REGION = 120  # aws-behaviour.md §4: custom domains per account and Region
_MAX_DOMAIN_LENGTH = 253  # the longest DNS name

# Route 53 hosted zone ids of the regional execute-api endpoints (AWS general reference, "API Gateway
# endpoints"; us-east-1's is also in the CLI example apigateway/get-domain-names.rst). Alias records point there.
_HOSTED_ZONE_IDS = {
    "us-east-1": "Z1UJRXOUMOOFQ8",
    "us-east-2": "ZOJJZC49E0EPZ",
    "us-west-1": "Z2MOQ3L4ICF1L",
    "us-west-2": "Z2OJLYMUO9EFXC",
    "ca-central-1": "Z19DQILCV0OWEC",
    "sa-east-1": "ZCMLWB8V5SYIT",
    "eu-west-1": "ZLY8HYME6SFDD",
    "eu-west-2": "ZJ5UAJN8Y3Z2Q",
    "eu-west-3": "Z3KY65QIEKYHQQ",
    "eu-central-1": "Z1U9ULNL0V5AJ3",
    "eu-north-1": "Z3UWIKFBOOGXPP",
    "eu-south-1": "Z3BT4WSQ9TDYZV",
    "ap-northeast-1": "Z1YSHQZHG15GKL",
    "ap-northeast-2": "Z20JF4UZKIW1U8",
    "ap-northeast-3": "Z2YQB5RD63NC85",
    "ap-southeast-1": "ZL327KTPIQFUL",
    "ap-southeast-2": "Z2RPCDW04V8134",
    "ap-south-1": "Z3VO1THU9YC4UR",
    "ap-east-1": "Z3FD1VL90ND7K5",
    "af-south-1": "Z2DHW2332DAMTN",
    "me-south-1": "Z20ZBPC0SS8806",
    "us-gov-west-1": "Z1K6XKP9SAGWDV",
    "us-gov-east-1": "Z3SE9ATJYCRCZJ",
}

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
# A lower-case DNS name with at least one dot; a leading "*." makes a wildcard custom domain name.
_DOMAIN = re.compile(rf"^(?:\*\.)?(?:{_LABEL}\.)+{_LABEL}$")
_CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:([a-z0-9-]+):\d{12}:certificate/[A-Za-z0-9-]+$")
_TRUSTSTORE_URI = re.compile(r"^s3://[^/]+/.+$")

# Members of a DomainNameConfiguration the caller chooses; the others are the service's (read-only).
_CONFIGURABLE = (
    "CertificateArn",
    "CertificateName",
    "IpAddressType",
    "OwnershipVerificationCertificateArn",
    "SecurityPolicy",
)
# AWS's text for a missing DomainNameConfigurations (aws-behaviour.md §9.6); the mock uses it for more than one too.
_ONE_CONFIGURATION = "Invalid input. Expected one domain name configuration"


def hosted_zone_id(region: str) -> str:
    """The hosted zone id of *region*'s regional endpoints; a stable made-up ``Z...`` id for unlisted regions."""
    known = _HOSTED_ZONE_IDS.get(region)
    if known is not None:
        return known
    digest = base64.b32encode(hashlib.sha256(region.encode()).digest()).decode()
    return "Z" + digest[:13]


def _check_domain_name(name: str) -> None:
    if len(name) > _MAX_DOMAIN_LENGTH or not _DOMAIN.match(name):
        raise BadRequestException(
            f"Invalid domain name specified: {name}. A domain name must be a lower-case DNS name of at most "
            f"{_MAX_DOMAIN_LENGTH} characters with at least one dot, like api.example.com or *.example.com."
        )


def _check_certificate(arn: str, region: str) -> None:
    match = _CERTIFICATE_ARN.match(arn)
    if match is None:
        raise BadRequestException(f"Invalid certificate ARN: {arn}. It must be the ARN of an ACM certificate.")
    if match.group(1) != region:
        # A regional endpoint serves the certificate of its own Region.
        raise BadRequestException(f"Invalid certificate ARN: {arn}. Certificate must be in '{region}'.")


def _configurations(
    given: list[dict[str, Any]] | None, previous: dict[str, Any] | None, region: str
) -> list[dict[str, Any]]:
    """The one endpoint configuration, with the service's members; on update, unset members keep their values."""
    if not given:
        if previous is not None:
            return [previous]
        raise BadRequestException(_ONE_CONFIGURATION)
    if len(given) > 1:
        raise BadRequestException(_ONE_CONFIGURATION)
    config = given[0]
    endpoint = config.get("EndpointType", "REGIONAL")
    if endpoint != "REGIONAL":
        raise BadRequestException(
            f"Unsupported endpoint type {endpoint}: HTTP and WebSocket APIs support only REGIONAL custom domain names."
        )
    merged = {name: value for name, value in (previous or {}).items() if name in _CONFIGURABLE}
    merged.update({name: config[name] for name in _CONFIGURABLE if name in config})
    if not merged.get("CertificateArn"):
        raise BadRequestException("A CertificateArn is required for a REGIONAL domain name.")
    _check_certificate(merged["CertificateArn"], region)
    gateway_name = (previous or {}).get("ApiGatewayDomainName") or (
        f"d-{ids.lower_alnum(10)}.execute-api.{region}.amazonaws.com"
    )
    return [
        {
            "ApiGatewayDomainName": gateway_name,
            "DomainNameStatus": "AVAILABLE",
            "EndpointType": "REGIONAL",
            "HostedZoneId": hosted_zone_id(region),
            "IpAddressType": "ipv4",
            "SecurityPolicy": "TLS_1_2",
            **merged,
        }
    ]


def _mutual_tls(value: dict[str, Any], security_policy: str) -> dict[str, Any] | None:
    """The stored MutualTlsAuthentication; an empty structure turns mutual TLS off."""
    if not value:
        return None
    uri = value.get("TruststoreUri")
    if not uri:
        raise BadRequestException("MutualTlsAuthentication requires a TruststoreUri.")
    if not _TRUSTSTORE_URI.match(uri):
        raise BadRequestException(
            f"Invalid truststore URI specified: {uri}. It must be an Amazon S3 URL like s3://bucket-name/key-name."
        )
    if security_policy != "TLS_1_2":
        raise BadRequestException("Mutual TLS authentication requires the TLS_1_2 security policy.")
    return {name: value[name] for name in ("TruststoreUri", "TruststoreVersion") if name in value}


def create_domain_name(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    name = params["DomainName"]
    _check_domain_name(name)
    check_tags(params.get("Tags") or {})
    if name in store.domain_names:
        raise ConflictException("The domain name resource already exists.")
    if len(store.domain_names) >= DOMAIN_NAMES_PER_REGION:
        raise TooManyRequestsException(
            f"Maximum number of custom domain names for this account and Region has been reached "
            f"({DOMAIN_NAMES_PER_REGION}).",
            LimitType="DomainNames",
        )
    configurations = _configurations(params.get("DomainNameConfigurations"), None, store.region)
    domain = DomainName(
        {
            "ApiMappingSelectionExpression": "$request.basepath",
            "DomainName": name,
            "DomainNameArn": f"arn:aws:apigateway:{store.region}::/domainnames/{name}",
            "DomainNameConfigurations": configurations,
            "MutualTlsAuthentication": _mutual_tls(
                params.get("MutualTlsAuthentication") or {}, configurations[0]["SecurityPolicy"]
            ),
            "RoutingMode": params.get("RoutingMode", "API_MAPPING_ONLY"),
            "Tags": dict(params.get("Tags") or {}),
        }
    )
    store.domain_names.add(name, domain)
    return domain.describe()


def get_domain_name(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return lookup.domain_name(store, params["DomainName"]).describe()


def get_domain_names(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    return page_of(store.domain_names, params)


def update_domain_name(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = lookup.domain_name(store, params["DomainName"])
    configurations = _configurations(params.get("DomainNameConfigurations"), domain.configuration, store.region)
    policy = configurations[0]["SecurityPolicy"]
    if policy != "TLS_1_2":
        _check_tls_1_0_allowed(store, domain)
    if "MutualTlsAuthentication" in params:
        mutual_tls = _mutual_tls(params["MutualTlsAuthentication"], policy)
    else:
        mutual_tls = domain.get("MutualTlsAuthentication")
        if mutual_tls and policy != "TLS_1_2":
            raise BadRequestException("Mutual TLS authentication requires the TLS_1_2 security policy.")
    domain.fields["DomainNameConfigurations"] = configurations
    domain.fields.pop("MutualTlsAuthentication", None)
    if mutual_tls:
        domain.fields["MutualTlsAuthentication"] = mutual_tls
    domain.apply(params, ("RoutingMode",))
    return domain.describe()


def _check_tls_1_0_allowed(store: Store, domain: DomainName) -> None:
    """HTTP APIs and multi-level mappings need TLS 1.2, so a domain that has them cannot drop to TLS 1.0."""
    for mapping in domain.api_mappings:
        api = store.apis.get(mapping.api_id)
        if (api is not None and api.protocol == HTTP) or is_multi_level(mapping.key):
            raise BadRequestException(
                f"The security policy of domain name {domain.name} cannot be TLS_1_0: API mapping "
                f"{mapping['ApiMappingId']} needs TLS_1_2 (it maps an HTTP API or has multiple levels)."
            )


def delete_domain_name(store: Store, params: dict[str, Any]) -> None:
    lookup.domain_name(store, params["DomainName"])
    # The API mappings live on the domain name record, so they go with it.
    store.domain_names.remove(params["DomainName"])


OPERATIONS: dict[str, Operation] = {
    "CreateDomainName": create_domain_name,
    "DeleteDomainName": delete_domain_name,
    "GetDomainName": get_domain_name,
    "GetDomainNames": get_domain_names,
    "UpdateDomainName": update_domain_name,
}
