"""Routing rules of custom domain names, and the domain's RoutingMode (aws-behaviour.md §9.12)."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
import requests
from helpers import create_domain
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway, MockApiGatewayWarning

DOMAIN = "api.example.com"
REST = {"InvokeApi": {"ApiId": "abcd1234", "Stage": "prod"}}
BASE_PATH = {"MatchBasePaths": {"AnyOf": ["PetStoreShopper"]}}
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


def _header(name: str = "Hello", glob: str = "World") -> dict[str, Any]:
    return {"MatchHeaders": {"AnyOf": [{"Header": name, "ValueGlob": glob}]}}


def _rule(v2: Any, priority: int, conditions: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    return dict(
        v2.create_routing_rule(
            DomainName=DOMAIN, Priority=priority, Conditions=conditions or [], Actions=[REST], **extra
        )
    )


@pytest.fixture
def domain(v2: Any) -> dict[str, Any]:
    return create_domain(v2, DOMAIN)


def test_create_returns_the_cli_examples_shape(v2: Any, domain: dict[str, Any]) -> None:
    rule = _rule(v2, 50, [BASE_PATH])
    assert re.fullmatch(r"[a-z0-9]{6}", rule["RoutingRuleId"])
    assert rule["RoutingRuleArn"] == (
        f"arn:aws:apigateway:us-east-1:123456789012:/domainnames/{DOMAIN}/routingrules/{rule['RoutingRuleId']}"
    )
    assert rule["Actions"] == [{"InvokeApi": {"ApiId": "abcd1234", "Stage": "prod", "StripBasePath": False}}]
    assert rule["Conditions"] == [BASE_PATH]
    assert rule["Priority"] == 50
    got = v2.get_routing_rule(DomainName=DOMAIN, RoutingRuleId=rule["RoutingRuleId"])
    rule.pop("ResponseMetadata")
    assert {k: v for k, v in got.items() if k != "ResponseMetadata"} == rule


def test_a_rule_without_conditions_is_a_catch_all(v2: Any, domain: dict[str, Any]) -> None:
    assert _rule(v2, 1000)["Conditions"] == []


def test_priorities_are_unique_per_domain(v2: Any, domain: dict[str, Any]) -> None:
    first = _rule(v2, 10)
    with pytest.raises(v2.exceptions.ConflictException, match="already has priority 10"):
        _rule(v2, 10, [BASE_PATH])
    create_domain(v2, "other.example.com")
    v2.create_routing_rule(DomainName="other.example.com", Priority=10, Conditions=[], Actions=[REST])
    second = _rule(v2, 20)
    with pytest.raises(v2.exceptions.ConflictException):
        v2.put_routing_rule(
            DomainName=DOMAIN, RoutingRuleId=second["RoutingRuleId"], Priority=10, Conditions=[], Actions=[REST]
        )
    # A rule keeps its own priority when it is replaced.
    put = v2.put_routing_rule(
        DomainName=DOMAIN, RoutingRuleId=first["RoutingRuleId"], Priority=10, Conditions=[BASE_PATH], Actions=[REST]
    )
    assert (put["RoutingRuleId"], put["Conditions"]) == (first["RoutingRuleId"], [BASE_PATH])


@pytest.mark.parametrize(
    "conditions",
    [
        [_header("a"), _header("b"), _header("c")],
        [BASE_PATH, {"MatchBasePaths": {"AnyOf": ["other"]}}],
        [{}],
        [{"MatchHeaders": {"AnyOf": []}}],
        [{"MatchBasePaths": {"AnyOf": []}}],
    ],
    ids=["three-header-conditions", "two-base-path-conditions", "empty", "no-headers", "no-base-paths"],
)
def test_condition_limits(v2: Any, domain: dict[str, Any], conditions: list[dict[str, Any]]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException):
        _rule(v2, 5, conditions)
    assert v2.list_routing_rules(DomainName=DOMAIN)["RoutingRules"] == []


def test_two_header_conditions_and_one_base_path_are_allowed(v2: Any, domain: dict[str, Any]) -> None:
    rule = _rule(v2, 5, [_header("Hello", "World"), _header("x-version", "beta*"), BASE_PATH])
    assert len(rule["Conditions"]) == 3


@pytest.mark.parametrize(
    ("name", "glob"),
    [("Hello", "a*b"), ("Hello", "**x"), ("Bad Header", "v"), ("h" * 40, "v"), ("Hello", "v" * 128)],
)
def test_header_names_and_globs_follow_the_documented_rules(
    v2: Any, domain: dict[str, Any], name: str, glob: str
) -> None:
    with pytest.raises(v2.exceptions.BadRequestException):
        _rule(v2, 5, [_header(name, glob)])


@pytest.mark.parametrize("glob", ["World", "Dog-*", "*-beta", "*mid*", "*"])
def test_prefix_suffix_and_infix_globs_are_accepted(v2: Any, domain: dict[str, Any], glob: str) -> None:
    assert _rule(v2, 5, [_header("Pet", glob)])["Conditions"][0]["MatchHeaders"]["AnyOf"][0]["ValueGlob"] == glob


def test_exactly_one_action(v2: Any, domain: dict[str, Any]) -> None:
    for actions in ([], [REST, REST]):
        with pytest.raises(v2.exceptions.BadRequestException, match="exactly one action"):
            v2.create_routing_rule(DomainName=DOMAIN, Priority=1, Conditions=[], Actions=actions)


def test_an_action_naming_one_of_the_mocks_apis_is_refused(v2: Any, domain: dict[str, Any]) -> None:
    api_id = v2.create_api(Name="h", ProtocolType="HTTP")["ApiId"]
    action = {"InvokeApi": {"ApiId": api_id, "Stage": "$default"}}
    with pytest.raises(v2.exceptions.BadRequestException, match="REST API stages only"):
        v2.create_routing_rule(DomainName=DOMAIN, Priority=1, Conditions=[], Actions=[action])


def test_strip_base_path_is_kept(v2: Any, domain: dict[str, Any]) -> None:
    action = {"InvokeApi": {**REST["InvokeApi"], "StripBasePath": True}}
    rule = v2.create_routing_rule(DomainName=DOMAIN, Priority=1, Conditions=[BASE_PATH], Actions=[action])
    assert rule["Actions"][0]["InvokeApi"]["StripBasePath"] is True


def test_unknown_domain_and_rule(v2: Any, domain: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.create_routing_rule(DomainName="nope.example.com", Priority=1, Conditions=[], Actions=[REST])
    for call in (v2.get_routing_rule, v2.delete_routing_rule):
        with pytest.raises(v2.exceptions.NotFoundException, match="RoutingRule"):
            call(DomainName=DOMAIN, RoutingRuleId="zzz999")


def test_delete_and_the_domains_rules_go_with_it(v2: Any, domain: dict[str, Any]) -> None:
    rule = _rule(v2, 1)
    _rule(v2, 2)
    v2.delete_routing_rule(DomainName=DOMAIN, RoutingRuleId=rule["RoutingRuleId"])
    assert [r["Priority"] for r in v2.list_routing_rules(DomainName=DOMAIN)["RoutingRules"]] == [2]
    v2.delete_domain_name(DomainName=DOMAIN)
    create_domain(v2, DOMAIN)
    assert v2.list_routing_rules(DomainName=DOMAIN)["RoutingRules"] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(priorities=st.lists(st.integers(1, 1_000_000), min_size=1, max_size=8, unique=True), size=st.integers(1, 4))
def test_list_is_ordered_by_priority_across_pages(
    apigw: MockApiGateway, v2: Any, priorities: list[int], size: int
) -> None:
    name = f"d{len(priorities)}-{size}-{priorities[0]}.example.com"
    create_domain(v2, name)
    for priority in priorities:
        v2.create_routing_rule(DomainName=name, Priority=priority, Conditions=[], Actions=[REST])
    seen: list[int] = []
    kwargs: dict[str, Any] = {"DomainName": name, "MaxResults": size}
    while True:
        page = v2.list_routing_rules(**kwargs)
        assert len(page["RoutingRules"]) <= size
        seen += [rule["Priority"] for rule in page["RoutingRules"]]
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert seen == sorted(priorities)
    v2.delete_domain_name(DomainName=name)


# --- RoutingMode on the domain, and what it does to the APIs the mock runs


def test_routing_mode_defaults_to_api_mapping_only_and_updates(v2: Any) -> None:
    assert create_domain(v2, DOMAIN)["RoutingMode"] == "API_MAPPING_ONLY"
    updated = v2.update_domain_name(DomainName=DOMAIN, RoutingMode="ROUTING_RULE_ONLY")
    assert updated["RoutingMode"] == "ROUTING_RULE_ONLY"
    assert v2.get_domain_name(DomainName=DOMAIN)["RoutingMode"] == "ROUTING_RULE_ONLY"
    created = v2.create_domain_name(
        DomainName="b.example.com",
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/x"}],
        RoutingMode="ROUTING_RULE_THEN_API_MAPPING",
    )
    assert created["RoutingMode"] == "ROUTING_RULE_THEN_API_MAPPING"


def _mapped_http_api(apigw: MockApiGateway, v2: Any) -> str:
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200, "body": "ok"})
    api_id = str(v2.create_api(Name="h", ProtocolType="HTTP", Target=LAMBDA)["ApiId"])
    create_domain(v2, DOMAIN)
    # Allowed in every mode (AWS keeps mappings across mode changes); the mode decides whether they serve.
    v2.create_api_mapping(DomainName=DOMAIN, ApiId=api_id, Stage="$default", ApiMappingKey="v1")
    return api_id


def test_api_mapping_only_serves_the_mapping(apigw: MockApiGateway, v2: Any) -> None:
    _mapped_http_api(apigw, v2)
    _rule(v2, 1)  # stored, but not evaluated in this mode
    assert requests.get(f"https://{DOMAIN}/v1/pets").text == "ok"


def test_routing_rule_only_takes_no_api_mapping_traffic(apigw: MockApiGateway, v2: Any) -> None:
    _mapped_http_api(apigw, v2)
    v2.update_domain_name(DomainName=DOMAIN, RoutingMode="ROUTING_RULE_ONLY")
    with pytest.warns(MockApiGatewayWarning, match="RoutingMode ROUTING_RULE_ONLY"):
        response = requests.get(f"https://{DOMAIN}/v1/pets")
    assert (response.status_code, response.text) == (404, '{"message":"Not Found"}')
    v2.create_api_mapping(DomainName=DOMAIN, ApiId=_other_api(v2), Stage="$default", ApiMappingKey="v2")


def _other_api(v2: Any) -> str:
    return str(v2.create_api(Name="o", ProtocolType="HTTP", Target=LAMBDA)["ApiId"])


def test_rules_come_before_mappings(apigw: MockApiGateway, v2: Any) -> None:
    _mapped_http_api(apigw, v2)
    v2.update_domain_name(DomainName=DOMAIN, RoutingMode="ROUTING_RULE_THEN_API_MAPPING")
    _rule(v2, 10, [_header("x-version", "beta*")])
    assert requests.get(f"https://{DOMAIN}/v1/pets", headers={"x-version": "stable"}).text == "ok"
    with pytest.warns(MockApiGatewayWarning, match="matches this request and invokes stage 'prod' of REST API"):
        response = requests.get(f"https://{DOMAIN}/v1/pets", headers={"X-Version": "beta-2"})
    assert response.status_code == 404
    _rule(v2, 20, [{"MatchBasePaths": {"AnyOf": ["v1"]}}])
    with pytest.warns(MockApiGatewayWarning, match="priority 20"):
        requests.get(f"https://{DOMAIN}/v1/pets")


def test_a_connections_endpoint_on_a_routing_rule_only_domain_is_forbidden(ws: Any) -> None:
    create_domain(v2 := ws.v2, "ws.example.com")
    v2.create_api_mapping(DomainName="ws.example.com", ApiId=ws.api_id, Stage="prod", ApiMappingKey="chat")
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url="https://ws.example.com/chat")
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"mapped")
    v2.update_domain_name(DomainName="ws.example.com", RoutingMode="ROUTING_RULE_ONLY")
    with (
        pytest.warns(MockApiGatewayWarning, match="RoutingMode ROUTING_RULE_ONLY"),
        pytest.raises(mgmt.exceptions.ForbiddenException),
    ):
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"refused")
    assert client.received == [b"mapped"]


@pytest.mark.parametrize(
    ("path", "headers", "priority"),
    [
        ("/", {"Hello": "World"}, 10),
        ("/PetStoreShopper", {"Hello": "World", "Pet": "Dog-Bella", "Accept": "image/webp"}, 10),
        ("/PetStoreShopper", {"Pet": "Dog-Bella", "Accept": "image/webp"}, 50),
        ("/PetStoreShopper", {"Pet": "Dog-Bella"}, 100),
        ("/", {"hello": "World"}, 10),  # header names are case-insensitive
        ("/", {"Hello": "world"}, 100),  # header values are case-sensitive
    ],
)
def test_the_developer_guides_example_one(
    apigw: MockApiGateway, v2: Any, path: str, headers: dict[str, str], priority: int
) -> None:
    """Example 1 of rest-api-routing-rules-examples: which rule a request reaches, named in the hint."""
    create_domain(v2, DOMAIN)
    v2.update_domain_name(DomainName=DOMAIN, RoutingMode="ROUTING_RULE_ONLY")
    _rule(v2, 10, [_header("Hello", "World")])
    _rule(v2, 50, [_header("Accept", "image/webp"), _header("Pet", "Dog-*"), BASE_PATH])
    _rule(v2, 100)
    with pytest.warns(MockApiGatewayWarning, match=rf"\(priority {priority}\)"):
        requests.get(f"https://{DOMAIN}{path}", headers=headers)


_VALUE = st.text(alphabet="abcXYZ019-._", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(value=_VALUE, cut=st.integers(0, 12), other=_VALUE)
def test_value_globs_match_as_prefix_suffix_infix_or_literal(value: str, cut: int, other: str) -> None:
    from mockapigw.apigatewayv2.rule_records import RoutingRule

    def matches(glob: str, sent: str) -> bool:
        rule = RoutingRule({"Conditions": [_header("X-Test", glob)], "Actions": [REST], "Priority": 1})
        return rule.matches([("x-test", sent)], "/")

    head, tail = value[:cut], value[cut:]
    assert matches(value, value)
    assert matches(head + "*", value)
    assert matches("*" + tail, value)
    assert matches("*" + value[1:-1] + "*", value)
    assert matches(value, other) == (value == other)
    assert matches(value + "*", other) == other.startswith(value)
    assert matches("*" + value, other) == other.endswith(value)
    assert matches("*" + value + "*", other) == (value in other)


def test_a_domain_name_id_names_a_private_domain_the_mock_does_not_have(v2: Any, domain: dict[str, Any]) -> None:
    rule = _rule(v2, 1)
    with pytest.raises(v2.exceptions.NotFoundException, match="private custom domain"):
        v2.delete_routing_rule(DomainName=DOMAIN, DomainNameId="abcd1234", RoutingRuleId=rule["RoutingRuleId"])
    assert v2.get_routing_rule(DomainName=DOMAIN, RoutingRuleId=rule["RoutingRuleId"])["Priority"] == 1
