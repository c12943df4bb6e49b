"""Routing rules of custom domain names: CreateRoutingRule, GetRoutingRule, ListRoutingRules, PutRoutingRule,
DeleteRoutingRule (aws-behaviour.md §9.12; developer guide, rest-api-routing-rules).

A rule has up to two header conditions and one base path condition (a rule without conditions is a catch-all), one
action, and a priority from 1 to 1,000,000 that no other rule of the domain has. Its action invokes a stage of a
REST API, which the mock does not run: rules are stored and checked, and an action that names one of the mock's
HTTP or WebSocket APIs is refused (AWS supports only REST APIs as targets). The front door honours the domain's
``RoutingMode`` (runtime/endpoints.py).
"""

from __future__ import annotations

import re
from typing import Any

from ..core.collection import decode_token, encode_token, parse_max_results
from . import lookup
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .records import new_id
from .resources import DomainName
from .rule_records import RoutingRule
from .store import Operation, Store

RULE_ID_LENGTH = 6  # the CLI example's RoutingRuleId is "aaa111"
MAX_HEADER_CONDITIONS = 2
MAX_BASE_PATH_CONDITIONS = 1
# Header names: a-z, A-Z, 0-9 and *?-!#$%&'.^_`|~, shorter than 40 characters; value globs shorter than 128 (the
# model docs of RoutingRuleMatchHeaderValue). The docs give globs the same character set, but the developer guide's
# own example matches "Accept: image/webp", so the mock does not hold globs to it.
_TOKEN = re.compile(r"^[A-Za-z0-9*?\-!#$%&'.^_`|~]+$")
_MAX_HEADER_LENGTH = 39
_MAX_GLOB_LENGTH = 127


def _domain(store: Store, params: dict[str, Any]) -> DomainName:
    """The domain a request names. A ``DomainNameId`` names a private custom domain name, which the mock has none of."""
    if "DomainNameId" in params:
        raise NotFoundException(
            f"{lookup.DOMAIN_NAME_NOT_FOUND} (DomainNameId {params['DomainNameId']!r} names a private custom domain "
            "name; mockapigw has none: leave DomainNameId out for a public one.)"
        )
    return lookup.domain_name(store, params["DomainName"])


def _check_header(item: dict[str, Any]) -> None:
    header, glob = item["Header"], item["ValueGlob"]
    if len(header) > _MAX_HEADER_LENGTH or not _TOKEN.match(header):
        raise BadRequestException(
            f"Invalid header name {header!r}: it must be shorter than 40 characters of a-z, A-Z, 0-9 and "
            "*?-!#$%&'.^_`|~."
        )
    if len(glob) > _MAX_GLOB_LENGTH:
        raise BadRequestException(f"Invalid header value glob {glob!r}: it must be shorter than 128 characters.")
    inner = glob[1:] if glob.startswith("*") else glob
    if "*" in (inner[:-1] if inner.endswith("*") else inner):
        raise BadRequestException(
            f"Invalid header value glob {glob!r}: a wildcard is supported only as a prefix-match (abc*), "
            "suffix-match (*abc) or infix-match (*abc*)."
        )


def _check_conditions(conditions: list[dict[str, Any]]) -> None:
    headers = paths = 0
    for condition in conditions:
        if "MatchHeaders" not in condition and "MatchBasePaths" not in condition:
            raise BadRequestException("A routing rule condition must specify MatchHeaders or MatchBasePaths.")
        if "MatchHeaders" in condition:
            headers += 1
            if not condition["MatchHeaders"]["AnyOf"]:
                raise BadRequestException("MatchHeaders.AnyOf must name at least one header.")
            for item in condition["MatchHeaders"]["AnyOf"]:
                _check_header(item)
        if "MatchBasePaths" in condition:
            paths += 1
            if not condition["MatchBasePaths"]["AnyOf"]:
                raise BadRequestException("MatchBasePaths.AnyOf must name at least one base path.")
    if headers > MAX_HEADER_CONDITIONS or paths > MAX_BASE_PATH_CONDITIONS:
        raise BadRequestException(
            f"A routing rule can have at most {MAX_HEADER_CONDITIONS} MatchHeaders conditions and "
            f"{MAX_BASE_PATH_CONDITIONS} MatchBasePaths condition; this one has {headers} and {paths}."
        )


def _actions(store: Store, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The one action, with ``StripBasePath`` defaulted to false (CLI example create-routing-rule)."""
    if len(actions) != 1:
        raise BadRequestException(f"A routing rule must have exactly one action; {len(actions)} were specified.")
    invoke = dict(actions[0]["InvokeApi"])
    api = store.apis.get(invoke["ApiId"])
    if api is not None:
        raise BadRequestException(
            f"API {invoke['ApiId']} is a {api.protocol} API: routing rules invoke REST API stages only. "
            "(mockapigw does not run REST APIs; route its HTTP and WebSocket APIs with API mappings.)"
        )
    invoke.setdefault("StripBasePath", False)
    return [{"InvokeApi": invoke}]


def _check_priority(domain: DomainName, priority: int, rule_id: str | None) -> None:
    for rule in domain.routing_rules:
        if rule.priority == priority and rule.rule_id != rule_id:
            raise ConflictException(
                f"Routing rule {rule.rule_id} of domain name {domain.name} already has priority {priority}; "
                "rules can't have the same priority."
            )


def _rule_fields(store: Store, domain: DomainName, params: dict[str, Any], rule_id: str | None) -> dict[str, Any]:
    """The checked Priority, Conditions and Actions of a request (nothing changes until all are valid)."""
    _check_conditions(params["Conditions"])
    actions = _actions(store, params["Actions"])
    _check_priority(domain, params["Priority"], rule_id)
    return {"Priority": params["Priority"], "Conditions": list(params["Conditions"]), "Actions": actions}


def create_routing_rule(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = _domain(store, params)
    fields = _rule_fields(store, domain, params, None)
    rule_id = new_id(domain.routing_rules, RULE_ID_LENGTH)
    rule = RoutingRule(
        {
            "RoutingRuleId": rule_id,
            "RoutingRuleArn": (
                f"arn:aws:apigateway:{store.region}:{store.account_id}:/domainnames/{domain.name}/routingrules/"
                f"{rule_id}"
            ),
            **fields,
        }
    )
    domain.routing_rules.add(rule_id, rule)
    return rule.describe()


def get_routing_rule(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = _domain(store, params)
    return lookup.routing_rule(domain, params["RoutingRuleId"]).describe()


def by_priority(domain: DomainName) -> list[RoutingRule]:
    """The domain's rules in the order API Gateway evaluates them: lowest priority value first."""
    return sorted(domain.routing_rules, key=lambda rule: rule.priority)


def list_routing_rules(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = _domain(store, params)
    rules = by_priority(domain)
    start = decode_token(params["NextToken"]) if params.get("NextToken") else 0
    end = start + parse_max_results(params["MaxResults"]) if "MaxResults" in params else len(rules)
    return {
        "RoutingRules": [rule.describe() for rule in rules[start:end]],
        "NextToken": encode_token(end) if end < len(rules) else None,
    }


def put_routing_rule(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = _domain(store, params)
    rule = lookup.routing_rule(domain, params["RoutingRuleId"])
    rule.fields.update(_rule_fields(store, domain, params, rule.rule_id))
    return rule.describe()


def delete_routing_rule(store: Store, params: dict[str, Any]) -> None:
    domain = _domain(store, params)
    rule = lookup.routing_rule(domain, params["RoutingRuleId"])
    domain.routing_rules.remove(rule.rule_id)


OPERATIONS: dict[str, Operation] = {
    "CreateRoutingRule": create_routing_rule,
    "GetRoutingRule": get_routing_rule,
    "ListRoutingRules": list_routing_rules,
    "PutRoutingRule": put_routing_rule,
    "DeleteRoutingRule": delete_routing_rule,
}
