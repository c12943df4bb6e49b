"""The apigatewayv2 control plane of one account in one region."""

from __future__ import annotations

import threading

from ..core.collection import Collection
from .apis import Api, ApiOperations
from .authorizers import AuthorizerOperations
from .domains import DomainName, DomainOperations
from .integrations import IntegrationOperations
from .models import ModelOperations
from .openapi import OpenApiOperations
from .records import Record
from .routes import RouteOperations
from .stages import StageOperations
from .tags import TagOperations
from .vpc_links import VpcLink, VpcLinkOperations


class ApiGatewayV2Backend(
    ApiOperations,
    RouteOperations,
    IntegrationOperations,
    StageOperations,
    AuthorizerOperations,
    ModelOperations,
    DomainOperations,
    VpcLinkOperations,
    TagOperations,
    OpenApiOperations,
):
    """All apigatewayv2 resources of one ``(account_id, region)``; methods are the model's operations."""

    def __init__(self, account_id: str, region: str) -> None:
        self.account_id = account_id
        self.region = region
        self.lock = threading.RLock()
        self.apis: Collection[Api] = Collection()
        self.domain_names: Collection[DomainName] = Collection()
        self.vpc_links: Collection[VpcLink] = Collection()

    def api_changed(self, api: Api) -> None:
        """Called after every change to an API's configuration (not while a reimport is being applied)."""
        if not api.importing:
            self.auto_deploy(api)

    def api_deleted(self, api: Api) -> None:
        """Called after an API is deleted."""
        self.remove_mappings_to(api)

    def tagged(self, path: str) -> Record | None:
        """The taggable resource at an ARN's resource path, or ``None``."""
        parts = path.strip("/").split("/")
        if parts[0] == "apis" and len(parts) in (2, 4):
            api = self.apis.get(parts[1])
            if api is None or len(parts) == 2:
                return api
            return api.stages.get(parts[3]) if parts[2] == "stages" else None
        if len(parts) == 2 and parts[0] == "domainnames":
            return self.domain_names.get(parts[1])
        if len(parts) == 2 and parts[0] == "vpclinks":
            return self.vpc_links.get(parts[1])
        return None
