"""TagResource, UntagResource and GetTags on the ARNs of taggable resources; tags live in their ``Tags`` member."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .exceptions import BadRequestException, NotFoundException
from .records import Record
from .store import Operation, Store

_ARN = re.compile(r"^arn:(aws[a-z-]*):apigateway:([a-z0-9-]+):(?:\d{12})?:(/.+)$")  # portals' ARNs carry the account

# API Gateway's tag restrictions (developer guide, "Tag restrictions"; aws-behaviour.md §9.10).
MAX_TAGS = 50
MAX_KEY_LENGTH = 128
MAX_VALUE_LENGTH = 256
RESERVED_PREFIX = "aws:"


def check_tags(tags: Mapping[str, str], current: Mapping[str, str] | None = None) -> None:
    """Raise ``BadRequestException`` unless *tags*, added to a resource's *current* tags, keep AWS's limits.

    The one rule for TagResource and the ``Tags`` of every Create operation.
    """
    for key, value in tags.items():
        if key.startswith(RESERVED_PREFIX):
            raise BadRequestException(f"Tag keys starting with '{RESERVED_PREFIX}' are reserved: {key}")
        if len(key) > MAX_KEY_LENGTH:
            raise BadRequestException(f"Tag key {key!r} is longer than {MAX_KEY_LENGTH} characters.")
        if len(value) > MAX_VALUE_LENGTH:
            raise BadRequestException(f"The value of tag {key!r} is longer than {MAX_VALUE_LENGTH} characters.")
    count = len({**(current or {}), **tags})
    if count > MAX_TAGS:
        raise BadRequestException(f"A resource can have at most {MAX_TAGS} tags; this request would make {count}.")


def _resource_for_arn(store: Store, arn: str) -> Record:
    match = _ARN.match(arn)
    if match is None:
        raise BadRequestException(f"Invalid resource ARN specified: {arn}")
    region, path = match.group(2), match.group(3)
    resource = store.tagged(path) if region == store.region else None
    if resource is None:
        raise NotFoundException(f"Unable to find resource {arn}", ResourceType=None)
    return resource


def tag_resource(store: Store, params: dict[str, Any]) -> None:
    resource = _resource_for_arn(store, params["ResourceArn"])
    tags = params.get("Tags") or {}
    check_tags(tags, resource.fields.get("Tags"))
    resource.fields.setdefault("Tags", {}).update(tags)


def untag_resource(store: Store, params: dict[str, Any]) -> None:
    resource = _resource_for_arn(store, params["ResourceArn"])
    current = resource.fields.setdefault("Tags", {})
    for key in params.get("TagKeys") or []:
        current.pop(key, None)


def get_tags(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    resource = _resource_for_arn(store, params["ResourceArn"])
    return {"Tags": dict(resource.fields.get("Tags") or {})}


OPERATIONS: dict[str, Operation] = {
    "GetTags": get_tags,
    "TagResource": tag_resource,
    "UntagResource": untag_resource,
}
