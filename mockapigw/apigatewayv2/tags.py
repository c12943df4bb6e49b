"""TagResource, UntagResource and GetTags on the ARNs of taggable resources."""

from __future__ import annotations

import re
from typing import Any

from .exceptions import BadRequestException, NotFoundException
from .part import BackendPart
from .records import Record

_ARN = re.compile(r"^arn:(aws[a-z-]*):apigateway:([a-z0-9-]+)::(/.+)$")


class TagOperations(BackendPart):
    """The tagging operations of the backend; resources keep their tags in their ``Tags`` member."""

    def tagged(self, path: str) -> Record | None:
        """The taggable resource at an ARN's resource path (``/apis/{id}``...), or ``None``."""
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def _resource_for_arn(self, arn: str) -> Record:
        match = _ARN.match(arn)
        if match is None:
            raise BadRequestException(f"Invalid resource ARN specified: {arn}")
        region, path = match.group(2), match.group(3)
        resource = self.tagged(path) if region == self.region else None
        if resource is None:
            raise NotFoundException(f"Unable to find resource {arn}", ResourceType=None)
        return resource

    def tag_resource(self, params: dict[str, Any]) -> None:
        resource = self._resource_for_arn(params["ResourceArn"])
        tags = params.get("Tags") or {}
        for key in tags:
            if key.startswith("aws:"):
                raise BadRequestException(f"Tag keys starting with 'aws:' are reserved: {key}")
        resource.fields.setdefault("Tags", {}).update(tags)

    def untag_resource(self, params: dict[str, Any]) -> None:
        resource = self._resource_for_arn(params["ResourceArn"])
        current = resource.fields.setdefault("Tags", {})
        for key in params.get("TagKeys") or []:
            current.pop(key, None)

    def get_tags(self, params: dict[str, Any]) -> dict[str, Any]:
        resource = self._resource_for_arn(params["ResourceArn"])
        return {"Tags": dict(resource.fields.get("Tags") or {})}
