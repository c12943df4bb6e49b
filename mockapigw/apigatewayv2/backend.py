"""The apigatewayv2 control plane of one account in one region."""

from __future__ import annotations

import threading

from ..core.collection import Collection
from .apis import Api, ApiOperations
from .records import Record
from .tags import TagOperations


class ApiGatewayV2Backend(ApiOperations, TagOperations):
    """All apigatewayv2 resources of one ``(account_id, region)``; methods are the model's operations."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()
        self.apis: Collection[Api] = Collection()

    def tagged(self, path: str) -> Record | None:
        """The taggable resource at an ARN's resource path, or ``None``."""
        parts = path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "apis":
            return self.apis.get(parts[1])
        return None
