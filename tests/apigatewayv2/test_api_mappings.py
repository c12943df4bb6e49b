"""API mappings of custom domain names: rules, errors, pagination, updates, cascades, path resolution."""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import CERT
from helpers import create_domain as _domain
from helpers import no_retry_v2 as _no_retry_client
from helpers import with_stages as _staged

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2.api_mappings import mappings_to
from mockapigw.apigatewayv2.resources import ApiMapping, DomainName

# --- CreateApiMapping / GetApiMapping


BAD_KEY = re.escape("An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()") + "$"

def test_create_api_mapping(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "test")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="test", ApiMappingKey="myApi")
    assert mapping["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{10}", mapping["ApiMappingId"])
    assert (mapping["ApiId"], mapping["ApiMappingKey"], mapping["Stage"]) == (api_id, "myApi", "test")
    got = v2.get_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"])
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert {k: got[k] for k in ("ApiId", "ApiMappingId", "ApiMappingKey", "Stage")} == {
        "ApiId": api_id,
        "ApiMappingId": mapping["ApiMappingId"],
        "ApiMappingKey": "myApi",
        "Stage": "test",
    }


def test_mapping_without_a_key_maps_the_root(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    mapping = v2.create_api_mapping(
        DomainName="api.example.com", ApiId=_staged(v2, http_api, "$default"), Stage="$default"
    )
    assert mapping["ApiMappingKey"] == ""
    assert mapping["Stage"] == "$default"


def test_mapping_to_a_missing_api(v2: Any) -> None:
    _domain(v2)
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.create_api_mapping(DomainName="api.example.com", ApiId="abcdefghij", Stage="prod")
    assert info.value.response["Error"]["Message"] == "Invalid API identifier specified 123456789012:abcdefghij"


def test_mapping_to_a_missing_stage(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="dev")
    assert info.value.response["Error"]["Message"] == "Invalid stage identifier specified"
    assert v2.get_api_mappings(DomainName="api.example.com")["Items"] == []


def test_mapping_on_a_missing_domain_name(v2: Any, http_api: dict[str, Any]) -> None:
    api_id = _staged(v2, http_api, "prod")
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod")
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.get_api_mappings(DomainName="api.example.com")
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.get_api_mapping(DomainName="api.example.com", ApiMappingId="abcdefghij")


def test_get_missing_api_mapping(v2: Any) -> None:
    _domain(v2)
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_api_mapping(DomainName="api.example.com", ApiMappingId="abcdefghij")
    assert info.value.response["Error"]["Message"] == "The api mapping resource specified in the request was not found."


def test_mapping_ids_belong_to_their_domain(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    _domain(v2, name="other.example.com")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, http_api, "prod"), Stage="prod")
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_api_mapping(DomainName="other.example.com", ApiMappingId=mapping["ApiMappingId"])


@pytest.mark.parametrize("key", ["orders", "v1/orders/items", "$-_.+!*'()", "a" * 300, "Orders2"])
def test_valid_mapping_keys(v2: Any, http_api: dict[str, Any], key: str) -> None:
    _domain(v2)
    mapping = v2.create_api_mapping(
        DomainName="api.example.com", ApiId=_staged(v2, http_api, "prod"), Stage="prod", ApiMappingKey=key
    )
    assert mapping["ApiMappingKey"] == key


@pytest.mark.parametrize("key", ["/orders", "orders/", "a//b", "a b", "a?b", "a%20b", "/"])
def test_invalid_mapping_keys(v2: Any, http_api: dict[str, Any], key: str) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey=key)
    # AWS's text (aws-behaviour.md §9.6).
    assert info.value.response["Error"]["Message"] == (
        "An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()"
    )


def test_long_mapping_keys_are_accepted(v2: Any, http_api: dict[str, Any]) -> None:
    # No length limit is documented for API mapping keys (aws-behaviour.md §9.4): the mock's former 300 is gone.
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    key = "a" * 301
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey=key)
    assert mapping["ApiMappingKey"] == key


def test_duplicate_mapping_key_is_a_conflict(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    _domain(v2, name="other.example.com")
    api_id = _staged(v2, http_api, "prod", "dev")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="orders")
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="dev", ApiMappingKey="orders")
    assert info.value.response["Error"]["Message"] == (
        "ApiMapping with key 'orders' already exists for domain name api.example.com"
    )
    # The same key on another domain, and another key on the same domain, are fine.
    v2.create_api_mapping(DomainName="other.example.com", ApiId=api_id, Stage="dev", ApiMappingKey="orders")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="dev", ApiMappingKey="orders/v2")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="dev")
    with pytest.raises(v2.exceptions.ConflictException, match="key '' already exists"):
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod")
    assert len(v2.get_api_mappings(DomainName="api.example.com")["Items"]) == 3


def test_websocket_and_http_apis_cannot_share_a_domain(
    v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]
) -> None:
    _domain(v2)
    _domain(v2, name="ws.example.com")
    http_id, ws_id = _staged(v2, http_api, "prod"), _staged(v2, ws_api, "prod")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=http_id, Stage="prod", ApiMappingKey="http")
    with pytest.raises(v2.exceptions.BadRequestException, match="WebSocket APIs cannot share a custom domain name"):
        v2.create_api_mapping(DomainName="api.example.com", ApiId=ws_id, Stage="prod", ApiMappingKey="ws")
    v2.create_api_mapping(DomainName="ws.example.com", ApiId=ws_id, Stage="prod", ApiMappingKey="ws")
    with pytest.raises(v2.exceptions.BadRequestException, match="already maps a WEBSOCKET API"):
        v2.create_api_mapping(DomainName="ws.example.com", ApiId=http_id, Stage="prod", ApiMappingKey="http")


def test_several_websocket_apis_can_share_a_domain(v2: Any, ws_api: dict[str, Any]) -> None:
    _domain(v2)
    other = v2.create_api(Name="ws2", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    v2.create_api_mapping(
        DomainName="api.example.com", ApiId=_staged(v2, ws_api, "prod"), Stage="prod", ApiMappingKey="a"
    )
    v2.create_api_mapping(
        DomainName="api.example.com", ApiId=_staged(v2, other, "prod"), Stage="prod", ApiMappingKey="b"
    )
    assert len(v2.get_api_mappings(DomainName="api.example.com")["Items"]) == 2


def test_websocket_mappings_have_a_single_level(v2: Any, ws_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, ws_api, "prod")
    with pytest.raises(v2.exceptions.BadRequestException, match="multiple levels are not supported for WebSocket"):
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="chat/v1")


def test_http_apis_need_a_tls_1_2_domain(v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]) -> None:
    _domain(v2, SecurityPolicy="TLS_1_0")
    with pytest.raises(v2.exceptions.BadRequestException, match="only be mapped to domain names with the TLS_1_2"):
        v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, http_api, "prod"), Stage="prod")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, ws_api, "prod"), Stage="prod")
    assert mapping["ApiId"] == ws_api["ApiId"]


def test_multi_level_mapping_quota(apigw: MockApiGateway) -> None:
    client = _no_retry_client()
    api = client.create_api(Name="http", ProtocolType="HTTP")
    client.create_stage(ApiId=api["ApiId"], StageName="prod")
    client.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])
    for i in range(200):
        client.create_api_mapping(
            DomainName="api.example.com", ApiId=api["ApiId"], Stage="prod", ApiMappingKey=f"v/{i}"
        )
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.create_api_mapping(DomainName="api.example.com", ApiId=api["ApiId"], Stage="prod", ApiMappingKey="v/x")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert "(200)" in info.value.response["Error"]["Message"]
    # Single-level mappings do not count against it.
    single = client.create_api_mapping(
        DomainName="api.example.com", ApiId=api["ApiId"], Stage="prod", ApiMappingKey="x"
    )
    assert single["ApiMappingKey"] == "x"
    # Turning a single-level mapping into a multi-level one is refused too.
    with pytest.raises(client.exceptions.TooManyRequestsException):
        client.update_api_mapping(
            DomainName="api.example.com", ApiMappingId=single["ApiMappingId"], ApiId=api["ApiId"], ApiMappingKey="x/y"
        )


# --- GetApiMappings


def test_get_api_mappings_pages(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    ids = [
        v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey=f"k{i}")[
            "ApiMappingId"
        ]
        for i in range(5)
    ]
    first = v2.get_api_mappings(DomainName="api.example.com", MaxResults="2")
    assert [m["ApiMappingId"] for m in first["Items"]] == ids[:2]
    second = v2.get_api_mappings(DomainName="api.example.com", MaxResults="2", NextToken=first["NextToken"])
    assert [m["ApiMappingId"] for m in second["Items"]] == ids[2:4]
    last = v2.get_api_mappings(DomainName="api.example.com", MaxResults="2", NextToken=second["NextToken"])
    assert [m["ApiMappingId"] for m in last["Items"]] == ids[4:]
    assert "NextToken" not in last
    everything = v2.get_api_mappings(DomainName="api.example.com")["Items"]
    assert [m["ApiMappingKey"] for m in everything] == [f"k{i}" for i in range(5)]


def test_get_api_mappings_bad_paging_input(v2: Any) -> None:
    _domain(v2)
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_api_mappings(DomainName="api.example.com", NextToken="garbage!")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults"):
        v2.get_api_mappings(DomainName="api.example.com", MaxResults="0")


# --- UpdateApiMapping


def test_update_api_mapping(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "test", "dev")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="test", ApiMappingKey="myApi")
    updated = v2.update_api_mapping(
        DomainName="api.example.com",
        ApiMappingId=mapping["ApiMappingId"],
        ApiId=api_id,
        Stage="dev",
        ApiMappingKey="dev",
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert (updated["ApiMappingId"], updated["ApiMappingKey"], updated["Stage"]) == (
        mapping["ApiMappingId"],
        "dev",
        "dev",
    )
    got = v2.get_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"])
    assert (got["ApiMappingKey"], got["Stage"]) == ("dev", "dev")


def test_update_keeps_unset_members(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="orders")
    same = v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"], ApiId=api_id)
    assert (same["ApiMappingKey"], same["Stage"]) == ("orders", "prod")
    root = v2.update_api_mapping(
        DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"], ApiId=api_id, ApiMappingKey=""
    )
    assert root["ApiMappingKey"] == ""


def test_update_moves_a_mapping_to_another_api(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    other = v2.create_api(Name="other", ProtocolType="HTTP")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, http_api, "prod"), Stage="prod")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid stage identifier specified"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"], ApiId=other["ApiId"])
    _staged(v2, other, "prod")
    moved = v2.update_api_mapping(
        DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"], ApiId=other["ApiId"]
    )
    assert moved["ApiId"] == other["ApiId"]


def test_update_api_mapping_errors(v2: Any, http_api: dict[str, Any], ws_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    ws_id = _staged(v2, ws_api, "prod")
    a = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="a")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="b")
    mapping_id = a["ApiMappingId"]
    with pytest.raises(v2.exceptions.ConflictException, match="key 'b' already exists"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id, ApiId=api_id, ApiMappingKey="b")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid stage identifier specified"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id, ApiId=api_id, Stage="nope")
    with pytest.raises(v2.exceptions.BadRequestException, match=BAD_KEY):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id, ApiId=api_id, ApiMappingKey="a//b")
    with pytest.raises(v2.exceptions.BadRequestException, match="WebSocket APIs cannot share"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id, ApiId=ws_id)
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id, ApiId="abcdefghij")
    with pytest.raises(v2.exceptions.NotFoundException, match="api mapping resource specified"):
        v2.update_api_mapping(DomainName="api.example.com", ApiMappingId="abcdefghij", ApiId=api_id)
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.update_api_mapping(DomainName="nothing.example.com", ApiMappingId=mapping_id, ApiId=api_id)
    got = v2.get_api_mapping(DomainName="api.example.com", ApiMappingId=mapping_id)
    assert (got["ApiId"], got["ApiMappingKey"], got["Stage"]) == (api_id, "a", "prod")


def test_a_websocket_mapping_can_be_moved_to_another_websocket_api(v2: Any, ws_api: dict[str, Any]) -> None:
    _domain(v2)
    other = v2.create_api(Name="ws2", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=_staged(v2, ws_api, "prod"), Stage="prod")
    moved = v2.update_api_mapping(
        DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"], ApiId=_staged(v2, other, "prod")
    )
    assert moved["ApiId"] == other["ApiId"]


# --- DeleteApiMapping and cascades


def test_delete_api_mapping(v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    mapping = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="k")
    deleted = v2.delete_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"])
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert v2.get_api_mappings(DomainName="api.example.com")["Items"] == []
    with pytest.raises(v2.exceptions.NotFoundException, match="api mapping resource specified"):
        v2.delete_api_mapping(DomainName="api.example.com", ApiMappingId=mapping["ApiMappingId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="domain name resource specified"):
        v2.delete_api_mapping(DomainName="nothing.example.com", ApiMappingId=mapping["ApiMappingId"])
    # The key is free again.
    again = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="k")
    assert again["ApiMappingKey"] == "k"


def test_deleting_a_mapped_api_is_refused_until_its_mappings_are_gone(v2: Any, http_api: dict[str, Any]) -> None:
    # AWS answers "Deleting API {id} failed. Please remove all API mappings for the API from your custom domain
    # names." (gruntwork-io/cloud-nuke #370 and #871); the mock used to delete the mappings with the API.
    _domain(v2)
    _domain(v2, name="other.example.com")
    other = v2.create_api(Name="other", ProtocolType="HTTP")
    api_id, other_id = _staged(v2, http_api, "prod"), _staged(v2, other, "prod")
    first = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="a")
    kept = v2.create_api_mapping(DomainName="api.example.com", ApiId=other_id, Stage="prod", ApiMappingKey="b")
    second = v2.create_api_mapping(DomainName="other.example.com", ApiId=api_id, Stage="prod")
    for mapping, domain in ((first, "api.example.com"), (second, "other.example.com")):
        with pytest.raises(v2.exceptions.BadRequestException) as caught:
            v2.delete_api(ApiId=api_id)
        assert caught.value.response["Error"]["Message"] == (
            f"Deleting API {api_id} failed. Please remove all API mappings for the API from your custom domain names."
        )
        assert v2.get_api(ApiId=api_id)["ApiId"] == api_id  # nothing changed
        v2.delete_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"])
    v2.delete_api(ApiId=api_id)
    items = v2.get_api_mappings(DomainName="api.example.com")["Items"]
    assert [m["ApiMappingId"] for m in items] == [kept["ApiMappingId"]]


def test_deleting_a_mapped_stage_is_refused_until_its_mappings_are_gone(v2: Any, http_api: dict[str, Any]) -> None:
    # AWS's text for an HTTP API's mapped stage (a Terraform DeleteStage error; a CDK stack of a WebSocket API
    # met the same refusal); the mock used to delete the stage and leave the mappings pointing at nothing. The
    # domain names are listed in the order they were made (not sorted).
    _domain(v2, name="other.example.com")
    _domain(v2)
    api_id = _staged(v2, http_api, "prod")
    v2.create_stage(ApiId=api_id, StageName="dev")
    on_api = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="a")
    also_api = v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="b")
    on_other = v2.create_api_mapping(DomainName="other.example.com", ApiId=api_id, Stage="prod")
    v2.create_api_mapping(DomainName="other.example.com", ApiId=api_id, Stage="dev", ApiMappingKey="dev")
    expected = [("other.example.com, api.example.com", on_api), ("other.example.com, api.example.com", also_api)]
    for domains, mapping in [*expected, ("other.example.com", on_other)]:
        with pytest.raises(v2.exceptions.BadRequestException) as caught:
            v2.delete_stage(ApiId=api_id, StageName="prod")
        assert caught.value.response["Error"]["Message"] == (
            "Deleting stage prod failed. Please remove all base path mappings related to the stage in your "
            f"domains: {domains}"
        )
        assert v2.get_stage(ApiId=api_id, StageName="prod")["StageName"] == "prod"  # nothing changed
        domain = "other.example.com" if mapping is on_other else "api.example.com"
        v2.delete_api_mapping(DomainName=domain, ApiMappingId=mapping["ApiMappingId"])
    v2.delete_stage(ApiId=api_id, StageName="prod")
    # The other stage's mapping was never in the way.
    assert [m["Stage"] for m in v2.get_api_mappings(DomainName="other.example.com")["Items"]] == ["dev"]


def test_a_websocket_apis_mapped_stage_cannot_be_deleted(v2: Any, ws_api: dict[str, Any]) -> None:
    _domain(v2)
    v2.create_stage(ApiId=ws_api["ApiId"], StageName="live")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=ws_api["ApiId"], Stage="live")
    with pytest.raises(v2.exceptions.BadRequestException, match=r"in your domains: api\.example\.com$"):
        v2.delete_stage(ApiId=ws_api["ApiId"], StageName="live")


def test_mappings_to_lists_the_mappings_of_an_api(apigw: MockApiGateway, v2: Any, http_api: dict[str, Any]) -> None:
    _domain(v2)
    api_id = _staged(v2, http_api, "prod", "dev")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="prod", ApiMappingKey="p")
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="dev", ApiMappingKey="d")
    backend = apigw.apigatewayv2.backends(apigw.account_id, "us-east-1")
    assert sorted(m.key for _, m in mappings_to(backend, api_id)) == ["d", "p"]
    assert [(d.name, m.key) for d, m in mappings_to(backend, api_id, "dev")] == [("api.example.com", "d")]
    assert mappings_to(backend, "abcdefghij") == []


# --- path resolution used by the data plane


def test_mapping_for_picks_the_longest_matching_key() -> None:
    domain = DomainName({"DomainName": "api.example.com"})
    for mapping_id, key in (("root", ""), ("orders", "orders"), ("v1", "orders/v1")):
        domain.api_mappings.add(mapping_id, ApiMapping({"ApiMappingId": mapping_id, "ApiMappingKey": key}))

    def resolve(path: str) -> tuple[str, str] | None:
        found = domain.mapping_for(path)
        return None if found is None else (found[0]["ApiMappingId"], found[1])

    assert resolve("/orders/v1/items") == ("v1", "/items")
    assert resolve("/orders/v2/items") == ("orders", "/v2/items")
    assert resolve("/orders") == ("orders", "/")
    assert resolve("/ordersx") == ("root", "/ordersx")
    assert resolve("/") == ("root", "/")
    domain.api_mappings.remove("root")
    assert resolve("/other") is None
