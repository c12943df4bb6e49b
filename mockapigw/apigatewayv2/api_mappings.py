"""API mappings of a custom domain name: CreateApiMapping, GetApiMapping(s), UpdateApiMapping, DeleteApiMapping."""

from __future__ import annotations

import re
from typing import Any

from . import lookup
from .exceptions import BadRequestException, ConflictException, TooManyRequestsException
from .records import HTTP, STAGE_NOT_FOUND, WEBSOCKET, new_id, page_of
from .resources import Api, ApiMapping, DomainName
from .store import Operation, Store

__all__ = ["OPERATIONS", "ApiMapping", "is_multi_level", "mappings_to"]

MULTI_LEVEL_MAPPINGS_PER_DOMAIN = 200  # aws-behaviour.md §4: multi-level API mappings per domain
# Letters, digits and $-_.+!*'() in each path segment; segments joined by single slashes.
_SEGMENT = r"[A-Za-z0-9$\-_.+!*'()]+"
_KEY = re.compile(rf"^{_SEGMENT}(?:/{_SEGMENT})*$")
# AWS's text (aws-behaviour.md §9.6); the mock also uses it for empty segments and leading or trailing slashes.
_BAD_KEY = "An ApiMapping key may contain only letters, numbers and one of $-_.+!*'()"


def is_multi_level(key: str) -> bool:
    """Whether an API mapping key has more than one path segment (``orders/v1``)."""
    return "/" in key


def _check_key(key: str) -> None:
    if key == "":
        return
    if not _KEY.match(key):
        raise BadRequestException(_BAD_KEY)


def _check_mapping(store: Store, domain: DomainName, api: Api, stage: str, key: str, mapping_id: str | None) -> None:
    """The rules of a mapping of *api*'s *stage* at *key* (*mapping_id* is the mapping being updated)."""
    if stage not in api.stages:
        raise BadRequestException(STAGE_NOT_FOUND)
    _check_key(key)
    others = [m for m in domain.api_mappings if m["ApiMappingId"] != mapping_id]
    if any(m.key == key for m in others):
        raise ConflictException(f"ApiMapping with key '{key}' already exists for domain name {domain.name}")
    for other in others:
        other_api = store.apis.get(other.api_id)
        if other_api is not None and (other_api.protocol == WEBSOCKET) != (api.protocol == WEBSOCKET):
            raise BadRequestException(
                f"Domain name {domain.name} already maps a {other_api.protocol} API: WebSocket APIs cannot share "
                "a custom domain name with HTTP APIs."
            )
    if api.protocol == HTTP and domain.security_policy != "TLS_1_2":
        raise BadRequestException(
            f"HTTP APIs can only be mapped to domain names with the TLS_1_2 security policy; {domain.name} "
            f"uses {domain.security_policy}."
        )
    if is_multi_level(key):
        if api.protocol == WEBSOCKET:
            raise BadRequestException(
                f"API mappings with multiple levels are not supported for WebSocket APIs: {key!r}."
            )
        multi_level = sum(1 for m in others if is_multi_level(m.key))
        if multi_level >= MULTI_LEVEL_MAPPINGS_PER_DOMAIN:
            raise TooManyRequestsException(
                f"Maximum number of API mappings with multiple levels for domain name {domain.name} has been "
                f"reached ({MULTI_LEVEL_MAPPINGS_PER_DOMAIN}).",
                LimitType="ApiMappings",
            )


def create_api_mapping(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = lookup.domain_name(store, params["DomainName"])
    api = lookup.api(store, params["ApiId"])
    key = params.get("ApiMappingKey") or ""
    _check_mapping(store, domain, api, params["Stage"], key, None)
    mapping_id = new_id(domain.api_mappings, 10)
    mapping = ApiMapping(
        {"ApiId": api.api_id, "ApiMappingId": mapping_id, "ApiMappingKey": key, "Stage": params["Stage"]}
    )
    domain.api_mappings.add(mapping_id, mapping)
    return mapping.describe()


def get_api_mapping(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = lookup.domain_name(store, params["DomainName"])
    return lookup.api_mapping(domain, params["ApiMappingId"]).describe()


def get_api_mappings(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = lookup.domain_name(store, params["DomainName"])
    return page_of(domain.api_mappings, params)


def update_api_mapping(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    domain = lookup.domain_name(store, params["DomainName"])
    mapping = lookup.api_mapping(domain, params["ApiMappingId"])
    api = lookup.api(store, params["ApiId"])
    stage = params.get("Stage", mapping["Stage"])
    key = params["ApiMappingKey"] if params.get("ApiMappingKey") is not None else mapping.key
    _check_mapping(store, domain, api, stage, key, mapping["ApiMappingId"])
    mapping.fields.update({"ApiId": api.api_id, "ApiMappingKey": key, "Stage": stage})
    return mapping.describe()


def delete_api_mapping(store: Store, params: dict[str, Any]) -> None:
    domain = lookup.domain_name(store, params["DomainName"])
    lookup.api_mapping(domain, params["ApiMappingId"])
    domain.api_mappings.remove(params["ApiMappingId"])


def mappings_to(store: Store, api_id: str, stage: str | None = None) -> list[tuple[DomainName, ApiMapping]]:
    """Every API mapping to *api_id* (to its *stage* only, when given), with its domain name."""
    return [
        (domain, mapping)
        for domain in store.domain_names
        for mapping in domain.api_mappings
        if mapping.api_id == api_id and (stage is None or mapping["Stage"] == stage)
    ]


OPERATIONS: dict[str, Operation] = {
    "CreateApiMapping": create_api_mapping,
    "DeleteApiMapping": delete_api_mapping,
    "GetApiMapping": get_api_mapping,
    "GetApiMappings": get_api_mappings,
    "UpdateApiMapping": update_api_mapping,
}
