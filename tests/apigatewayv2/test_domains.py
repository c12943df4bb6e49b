"""Custom domain names: defaults, rules, errors, pagination, updates, cascades, tags."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from helpers import CERT
from helpers import create_domain as _domain
from helpers import no_retry_v2 as _no_retry_client
from helpers import with_stages as _staged

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2.domains import hosted_zone_id

OTHER_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/87654321-4321-4321-4321-210987654321"


# --- CreateDomainName / GetDomainName


def test_create_domain_name_defaults(v2: Any) -> None:
    domain = v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    assert domain["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert domain["DomainName"] == "api.example.com"
    assert domain["ApiMappingSelectionExpression"] == "$request.basepath"
    assert domain["DomainNameArn"] == "arn:aws:apigateway:us-east-1::/domainnames/api.example.com"
    assert domain["RoutingMode"] == "API_MAPPING_ONLY"
    assert domain["Tags"] == {}
    assert "MutualTlsAuthentication" not in domain
    [config] = domain["DomainNameConfigurations"]
    assert re.fullmatch(r"d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com", config.pop("ApiGatewayDomainName"))
    assert config == {
        "CertificateArn": CERT,
        "DomainNameStatus": "AVAILABLE",
        "EndpointType": "REGIONAL",
        "HostedZoneId": "Z1UJRXOUMOOFQ8",
        "IpAddressType": "ipv4",
        "SecurityPolicy": "TLS_1_2",
    }


def test_get_domain_name_returns_what_create_returned(v2: Any) -> None:
    created = _domain(v2)
    got = v2.get_domain_name(DomainName="api.example.com")
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    for member in ("DomainName", "DomainNameArn", "DomainNameConfigurations", "ApiMappingSelectionExpression", "Tags"):
        assert got[member] == created[member]


def test_configuration_options_are_echoed(v2: Any) -> None:
    ownership = "arn:aws:acm:us-east-1:123456789012:certificate/ownership"
    domain = v2.create_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[
            {
                "CertificateArn": CERT,
                "CertificateName": "my-cert",
                "EndpointType": "REGIONAL",
                "SecurityPolicy": "TLS_1_0",
                "IpAddressType": "dualstack",
                "OwnershipVerificationCertificateArn": ownership,
            }
        ],
        RoutingMode="ROUTING_RULE_THEN_API_MAPPING",
        Tags={"team": "a"},
    )
    [config] = domain["DomainNameConfigurations"]
    assert config["CertificateName"] == "my-cert"
    assert config["SecurityPolicy"] == "TLS_1_0"
    assert config["IpAddressType"] == "dualstack"
    assert config["OwnershipVerificationCertificateArn"] == ownership
    assert domain["RoutingMode"] == "ROUTING_RULE_THEN_API_MAPPING"
    assert domain["Tags"] == {"team": "a"}


def test_members_the_service_sets_are_not_taken_from_the_request(v2: Any) -> None:
    domain = _domain(v2, ApiGatewayDomainName="mine.example.com", HostedZoneId="ZMINE", DomainNameStatus="UPDATING")
    [config] = domain["DomainNameConfigurations"]
    assert config["ApiGatewayDomainName"].startswith("d-")
    assert config["HostedZoneId"] == "Z1UJRXOUMOOFQ8"
    assert config["DomainNameStatus"] == "AVAILABLE"


@pytest.mark.parametrize(
    ("region", "zone"),
    [("eu-west-1", "ZLY8HYME6SFDD"), ("us-west-2", "Z2OJLYMUO9EFXC"), ("ap-southeast-2", "Z2RPCDW04V8134")],
)
def test_hosted_zone_id_is_the_regions(apigw: MockApiGateway, region: str, zone: str) -> None:
    client = boto3.client("apigatewayv2", region_name=region)
    cert = f"arn:aws:acm:{region}:123456789012:certificate/abc"
    domain = client.create_domain_name(
        DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": cert}]
    )
    [config] = domain["DomainNameConfigurations"]
    assert config["HostedZoneId"] == zone
    assert config["ApiGatewayDomainName"].endswith(f".execute-api.{region}.amazonaws.com")
    assert domain["DomainNameArn"] == f"arn:aws:apigateway:{region}::/domainnames/api.example.com"


def test_hosted_zone_id_of_an_unlisted_region_is_stable() -> None:
    zone = hosted_zone_id("xx-test-9")
    assert re.fullmatch(r"Z[A-Z2-7]{13}", zone)
    assert hosted_zone_id("xx-test-9") == zone
    assert hosted_zone_id("xx-test-8") != zone


def test_get_missing_domain_name(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_domain_name(DomainName="nothing.example.com")
    assert info.value.response["Error"]["Message"] == "The domain name resource specified in the request was not found."
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_duplicate_domain_name_is_a_conflict(v2: Any) -> None:
    _domain(v2)
    with pytest.raises(v2.exceptions.ConflictException, match="The domain name resource already exists") as info:
        _domain(v2, CertificateName="second")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "CertificateName" not in v2.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"][0]


@pytest.mark.parametrize(
    "name",
    [
        "Api.Example.com",
        "localhost",
        "a..example.com",
        "-a.example.com",
        "a-.example.com",
        "api.example.com.",
        "a_b.example.com",
        "api.*.example.com",
        "x" * 64 + ".example.com",  # a label longer than 63 characters
        ("a" * 50 + ".") * 5 + "com",  # 258 characters
    ],
)
def test_invalid_domain_names_are_rejected(v2: Any, name: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid domain name specified"):
        _domain(v2, name=name)
    assert v2.get_domain_names()["Items"] == []


@pytest.mark.parametrize("name", ["*.example.com", "my-api.example.co.uk", "a.b", "1.example.com"])
def test_valid_domain_names(v2: Any, name: str) -> None:
    assert _domain(v2, name=name)["DomainName"] == name


def test_domain_name_of_253_characters_is_accepted(v2: Any) -> None:
    name = ("a" * 62 + ".") * 3 + "b" * 64  # 253 characters, but its last label is too long
    with pytest.raises(v2.exceptions.BadRequestException):
        _domain(v2, name=name)
    name = ("a" * 62 + ".") * 4 + "c"
    assert len(name) == 253
    assert _domain(v2, name=name)["DomainName"] == name


ONE_CONFIGURATION = "Invalid input. Expected one domain name configuration"  # AWS's text (aws-behaviour.md §9.6)


@pytest.mark.parametrize("configurations", [None, [], [{"CertificateArn": CERT}, {"CertificateArn": OTHER_CERT}]])
def test_domain_name_needs_exactly_one_configuration(v2: Any, configurations: Any) -> None:
    extra = {} if configurations is None else {"DomainNameConfigurations": configurations}
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_domain_name(DomainName="api.example.com", **extra)
    assert info.value.response["Error"]["Message"] == ONE_CONFIGURATION
    assert v2.get_domain_names()["Items"] == []


def test_edge_endpoints_are_not_supported(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Unsupported endpoint type EDGE"):
        _domain(v2, EndpointType="EDGE")


def test_certificate_is_required(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="A CertificateArn is required"):
        v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"SecurityPolicy": "TLS_1_2"}])


@pytest.mark.parametrize(
    "arn",
    ["not-an-arn", "arn:aws:iam::123456789012:server-certificate/x", "arn:aws:acm:us-east-1:123:certificate/x"],
)
def test_certificate_must_be_an_acm_arn(v2: Any, arn: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match=f"Invalid certificate ARN: {re.escape(arn)}"):
        v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": arn}])


def test_certificate_must_be_in_the_region(v2: Any) -> None:
    arn = "arn:aws:acm:eu-west-1:123456789012:certificate/abc"
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": arn}])
    assert (
        info.value.response["Error"]["Message"]
        == f"Invalid certificate ARN: {arn}. Certificate must be in 'us-east-1'."
    )


def test_mutual_tls_is_echoed(v2: Any) -> None:
    domain = v2.create_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[{"CertificateArn": CERT}],
        MutualTlsAuthentication={"TruststoreUri": "s3://bucket/truststore.pem", "TruststoreVersion": "v1"},
    )
    assert domain["MutualTlsAuthentication"] == {
        "TruststoreUri": "s3://bucket/truststore.pem",
        "TruststoreVersion": "v1",
    }
    got = v2.get_domain_name(DomainName="api.example.com")
    assert got["MutualTlsAuthentication"] == domain["MutualTlsAuthentication"]


@pytest.mark.parametrize("uri", ["https://bucket/key", "s3://bucket", "s3://bucket/"])
def test_truststore_must_be_an_s3_object(v2: Any, uri: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid truststore URI specified"):
        v2.create_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": CERT}],
            MutualTlsAuthentication={"TruststoreUri": uri},
        )


def test_mutual_tls_needs_a_truststore_and_tls_1_2(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="requires a TruststoreUri"):
        v2.create_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": CERT}],
            MutualTlsAuthentication={"TruststoreVersion": "v1"},
        )
    with pytest.raises(v2.exceptions.BadRequestException, match="requires the TLS_1_2 security policy"):
        v2.create_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": CERT, "SecurityPolicy": "TLS_1_0"}],
            MutualTlsAuthentication={"TruststoreUri": "s3://bucket/key"},
        )


def test_empty_mutual_tls_means_none(v2: Any) -> None:
    domain = v2.create_domain_name(
        DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}], MutualTlsAuthentication={}
    )
    assert "MutualTlsAuthentication" not in domain


def test_domain_name_quota(apigw: MockApiGateway) -> None:
    client = _no_retry_client()
    for i in range(120):
        client.create_domain_name(DomainName=f"d{i}.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_domain_name(DomainName="last.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "(120)" in info.value.response["Error"]["Message"]
    assert info.value.response["LimitType"] == "DomainNames"
    client.delete_domain_name(DomainName="d0.example.com")
    assert (
        client.create_domain_name(DomainName="last.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])[
            "DomainName"
        ]
        == "last.example.com"
    )


# --- GetDomainNames


def test_get_domain_names_pages(v2: Any) -> None:
    names = [f"d{i}.example.com" for i in range(5)]
    for name in names:
        _domain(v2, name=name)
    first = v2.get_domain_names(MaxResults="2")
    assert [d["DomainName"] for d in first["Items"]] == names[:2]
    second = v2.get_domain_names(MaxResults="2", NextToken=first["NextToken"])
    assert [d["DomainName"] for d in second["Items"]] == names[2:4]
    last = v2.get_domain_names(MaxResults="2", NextToken=second["NextToken"])
    assert [d["DomainName"] for d in last["Items"]] == names[4:]
    assert "NextToken" not in last
    everything = v2.get_domain_names()
    assert [d["DomainName"] for d in everything["Items"]] == names
    assert everything["Items"][0]["DomainNameConfigurations"][0]["CertificateArn"] == CERT


def test_get_domain_names_paginator(v2: Any) -> None:
    for i in range(5):
        _domain(v2, name=f"d{i}.example.com")
    pages = list(v2.get_paginator("get_domain_names").paginate(PaginationConfig={"PageSize": 2}))
    assert [len(p["Items"]) for p in pages] == [2, 2, 1]


def test_get_domain_names_bad_token(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_domain_names(NextToken="garbage!")


# --- UpdateDomainName


def test_update_certificate_keeps_the_endpoint_and_other_settings(v2: Any) -> None:
    created = _domain(v2, SecurityPolicy="TLS_1_0", CertificateName="old")
    updated = v2.update_domain_name(
        DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": OTHER_CERT}]
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    [before], [after] = created["DomainNameConfigurations"], updated["DomainNameConfigurations"]
    assert after["CertificateArn"] == OTHER_CERT
    assert after["ApiGatewayDomainName"] == before["ApiGatewayDomainName"]
    assert after["SecurityPolicy"] == "TLS_1_0"
    assert after["CertificateName"] == "old"
    assert v2.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"] == [after]


def test_update_security_policy_and_routing_mode(v2: Any) -> None:
    _domain(v2)
    updated = v2.update_domain_name(
        DomainName="api.example.com",
        DomainNameConfigurations=[{"SecurityPolicy": "TLS_1_0"}],
        RoutingMode="ROUTING_RULE_ONLY",
    )
    assert updated["DomainNameConfigurations"][0]["SecurityPolicy"] == "TLS_1_0"
    assert updated["DomainNameConfigurations"][0]["CertificateArn"] == CERT
    assert updated["RoutingMode"] == "ROUTING_RULE_ONLY"


def test_update_without_changes_keeps_everything(v2: Any) -> None:
    created = _domain(v2)
    updated = v2.update_domain_name(DomainName="api.example.com")
    assert updated["DomainNameConfigurations"] == created["DomainNameConfigurations"]
    assert updated["RoutingMode"] == "API_MAPPING_ONLY"


def test_update_validates_like_create(v2: Any) -> None:
    _domain(v2)
    with pytest.raises(v2.exceptions.BadRequestException, match="Certificate must be in 'us-east-1'"):
        v2.update_domain_name(
            DomainName="api.example.com",
            DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:eu-west-1:123456789012:certificate/x"}],
        )
    with pytest.raises(v2.exceptions.BadRequestException, match="Unsupported endpoint type EDGE"):
        v2.update_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"EndpointType": "EDGE"}])
    assert v2.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"][0]["CertificateArn"] == CERT


def test_update_mutual_tls(v2: Any) -> None:
    _domain(v2)
    added = v2.update_domain_name(DomainName="api.example.com", MutualTlsAuthentication={"TruststoreUri": "s3://b/k"})
    assert added["MutualTlsAuthentication"] == {"TruststoreUri": "s3://b/k"}
    kept = v2.update_domain_name(DomainName="api.example.com", RoutingMode="API_MAPPING_ONLY")
    assert kept["MutualTlsAuthentication"] == {"TruststoreUri": "s3://b/k"}
    with pytest.raises(v2.exceptions.BadRequestException, match="requires the TLS_1_2 security policy"):
        v2.update_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"SecurityPolicy": "TLS_1_0"}])
    removed = v2.update_domain_name(DomainName="api.example.com", MutualTlsAuthentication={})
    assert "MutualTlsAuthentication" not in removed
    assert "MutualTlsAuthentication" not in v2.get_domain_name(DomainName="api.example.com")


def test_update_missing_domain_name(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.update_domain_name(DomainName="nothing.example.com", RoutingMode="API_MAPPING_ONLY")


def test_tls_1_0_is_refused_while_an_http_api_is_mapped(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, http_api, "prod"), Stage="prod")
    with pytest.raises(v2.exceptions.BadRequestException, match="cannot be TLS_1_0"):
        v2.update_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"SecurityPolicy": "TLS_1_0"}])
    assert (
        v2.get_domain_name(DomainName="api.example.com")["DomainNameConfigurations"][0]["SecurityPolicy"] == "TLS_1_2"
    )


def test_tls_1_0_is_fine_with_single_level_websocket_mappings(v2: Any, ws_api: dict[str, Any]) -> None:
    _domain(v2)
    v2.create_api_mapping(
        DomainName="api.example.com", ApiId=_staged(v2, ws_api, "prod"), Stage="prod", ApiMappingKey="ws"
    )
    updated = v2.update_domain_name(
        DomainName="api.example.com", DomainNameConfigurations=[{"SecurityPolicy": "TLS_1_0"}]
    )
    assert updated["DomainNameConfigurations"][0]["SecurityPolicy"] == "TLS_1_0"


# --- DeleteDomainName


def test_delete_domain_name(v2: Any) -> None:
    _domain(v2)
    deleted = v2.delete_domain_name(DomainName="api.example.com")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_domain_name(DomainName="api.example.com")
    assert v2.get_domain_names()["Items"] == []
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.delete_domain_name(DomainName="api.example.com")


def test_delete_domain_name_deletes_its_mappings(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod")
    v2.delete_domain_name(DomainName="api.example.com")
    _domain(v2)
    assert v2.get_api_mappings(DomainName="api.example.com")["Items"] == []
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"])


# --- tags on domain name ARNs


def test_tags_on_a_domain_name(v2: Any) -> None:
    arn = _domain(v2)["DomainNameArn"]
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {}
    v2.tag_resource(ResourceArn=arn, Tags={"team": "a", "env": "dev"})
    assert v2.get_tags(ResourceArn=arn)["Tags"] == {"team": "a", "env": "dev"}
    assert v2.get_domain_name(DomainName="api.example.com")["Tags"] == {"team": "a", "env": "dev"}
    v2.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert v2.get_domain_name(DomainName="api.example.com")["Tags"] == {"env": "dev"}


def test_tags_given_at_creation_are_on_the_arn(v2: Any) -> None:
    v2.create_domain_name(
        DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}], Tags={"k": "v"}
    )
    assert v2.get_tags(ResourceArn="arn:aws:apigateway:us-east-1::/domainnames/api.example.com")["Tags"] == {"k": "v"}


def test_tags_of_a_missing_or_deleted_domain_name(v2: Any) -> None:
    arn = _domain(v2)["DomainNameArn"]
    v2.delete_domain_name(DomainName="api.example.com")
    with pytest.raises(v2.exceptions.NotFoundException, match="Unable to find resource"):
        v2.get_tags(ResourceArn=arn)
