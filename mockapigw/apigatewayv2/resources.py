"""The kinds of apigatewayv2 resource: records holding model members, and the collections hanging off them.

Records are state: they describe themselves and answer questions about their members, and know no operation.
Operations (one module per resource) create, change and remove them through a :class:`~.store.Store`.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from ..core import clock
from ..core.collection import Collection
from .records import Record, pick
from .rule_records import RoutingRule
from .snapshot import Snapshot

# The members each kind's describe() returns; the Update* members of kinds whose operations need them too.
_APIS_DESCRIBED = (
    "ApiEndpoint",
    "ApiGatewayManaged",
    "ApiId",
    "ApiKeySelectionExpression",
    "CorsConfiguration",
    "CreatedDate",
    "Description",
    "DisableSchemaValidation",
    "DisableExecuteApiEndpoint",
    "ImportInfo",
    "IpAddressType",
    "Name",
    "ProtocolType",
    "RouteSelectionExpression",
    "Tags",
    "Version",
    "Warnings",
)

INTEGRATION_UPDATABLE = (
    "ConnectionId",
    "ConnectionType",
    "ContentHandlingStrategy",
    "CredentialsArn",
    "Description",
    "IntegrationMethod",
    "IntegrationSubtype",
    "IntegrationType",
    "IntegrationUri",
    "PassthroughBehavior",
    "PayloadFormatVersion",
    "RequestParameters",
    "RequestTemplates",
    "ResponseParameters",
    "TemplateSelectionExpression",
    "TimeoutInMillis",
    "TlsConfig",
)

_INTEGRATIONS_DESCRIBED = (
    "ApiGatewayManaged",
    "IntegrationId",
    "IntegrationResponseSelectionExpression",
    *INTEGRATION_UPDATABLE,
)

INTEGRATION_RESPONSE_UPDATABLE = (
    "ContentHandlingStrategy",
    "IntegrationResponseKey",
    "ResponseParameters",
    "ResponseTemplates",
    "TemplateSelectionExpression",
)

_INTEGRATION_RESPONSES_DESCRIBED = ("IntegrationResponseId", *INTEGRATION_RESPONSE_UPDATABLE)

_STAGES_DESCRIBED = (
    "AccessLogSettings",
    "ApiGatewayManaged",
    "AutoDeploy",
    "ClientCertificateId",
    "CreatedDate",
    "DefaultRouteSettings",
    "DeploymentId",
    "Description",
    "LastDeploymentStatusMessage",
    "LastUpdatedDate",
    "RouteSettings",
    "StageName",
    "StageVariables",
    "Tags",
)

_DEPLOYMENTS_DESCRIBED = (
    "AutoDeployed",
    "CreatedDate",
    "DeploymentId",
    "DeploymentStatus",
    "DeploymentStatusMessage",
    "Description",
)


class Api(Record):
    """An HTTP or WebSocket API; its sub-resources hang off it."""

    def __init__(self, fields: dict[str, Any], lock: AbstractContextManager[Any] | None = None) -> None:
        super().__init__(fields)
        # The lock of the store that holds the API: deployments build their views under it (the runtime reads
        # them from its own threads while the control plane may be changing the API).
        self.lock: AbstractContextManager[Any] = lock if lock is not None else threading.RLock()
        self.routes: Collection[Route] = Collection()
        self.integrations: Collection[Integration] = Collection()
        self.stages: Collection[Stage] = Collection(versioned=False)  # not part of any deployment
        self.deployments: Collection[Deployment] = Collection(versioned=False)
        self.authorizers: Collection[Authorizer] = Collection()
        self.models: Collection[Model] = Collection()
        # Set while ReimportApi applies a document, so stages auto-deploy once, after it has all succeeded.
        self.importing = False
        # ResetAuthorizersCache per stage name: state the runtime's authorizer cache reads (not configuration, so
        # not in deployments); it goes with the Api when the API is deleted.
        self.authorizer_cache_resets: dict[str, CacheReset] = {}

    @property
    def api_id(self) -> str:
        """The API's id."""
        return str(self.fields["ApiId"])

    @property
    def protocol(self) -> str:
        """``HTTP`` or ``WEBSOCKET``."""
        return str(self.fields["ProtocolType"])

    def describe(self) -> dict[str, Any]:
        """The Api output members (Tags always present, as AWS returns ``{}``)."""
        out = pick(self.fields, _APIS_DESCRIBED)
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out


class Route(Record):
    """One route of an API, with its route responses (WebSocket only)."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.responses: Collection[RouteResponse] = Collection()

    @property
    def route_id(self) -> str:
        """The route's id."""
        return str(self.fields["RouteId"])

    @property
    def route_key(self) -> str:
        """``$connect``, ``sendMessage``, ``GET /pets/{id}``, ``$default``..."""
        return str(self.fields["RouteKey"])


class RouteResponse(Record):
    """The route response of a WebSocket route: it makes the route two-way."""

    @property
    def route_response_id(self) -> str:
        """The route response's id."""
        return str(self.fields["RouteResponseId"])


class Integration(Record):
    """One integration of an API, with its integration responses (WebSocket APIs only)."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        super().__init__(fields)
        self.responses: Collection[IntegrationResponse] = Collection()

    @property
    def integration_id(self) -> str:
        """The integration's id."""
        return str(self.fields["IntegrationId"])

    def describe(self) -> dict[str, Any]:
        """The Integration output members."""
        return pick(self.fields, _INTEGRATIONS_DESCRIBED)


class IntegrationResponse(Record):
    """One integration response of a WebSocket integration."""

    @property
    def key(self) -> str:
        """The IntegrationResponseKey (``$default`` or ``/regex/``)."""
        return str(self.fields["IntegrationResponseKey"])

    def describe(self) -> dict[str, Any]:
        """The IntegrationResponse output members."""
        return pick(self.fields, _INTEGRATION_RESPONSES_DESCRIBED)


class Stage(Record):
    """One stage of an API: a name, settings, and the deployment it serves."""

    versioned = False  # no deployment holds a stage

    @property
    def name(self) -> str:
        """The stage name."""
        return str(self.fields["StageName"])

    @property
    def auto_deploy(self) -> bool:
        """Whether changes to the API are deployed to this stage automatically."""
        return bool(self.fields.get("AutoDeploy"))

    def touch(self) -> None:
        """Record a change (``LastUpdatedDate``)."""
        self.fields["LastUpdatedDate"] = clock.now()

    def deploy(self, deployment_id: str) -> None:
        """Point the stage at a deployment; auto-deploy stages also report it in ``LastDeploymentStatusMessage``."""
        self.fields["DeploymentId"] = deployment_id
        if self.auto_deploy:
            self.fields["LastDeploymentStatusMessage"] = (
                f"Successfully deployed stage with deployment ID '{deployment_id}'"
            )
        self.touch()

    def describe(self) -> dict[str, Any]:
        """The Stage output members; the maps are always present, as AWS returns them."""
        out = pick(self.fields, _STAGES_DESCRIBED)
        if not self.auto_deploy:
            # "Supported only for stages with autoDeploy enabled" (model).
            out.pop("LastDeploymentStatusMessage", None)
        out["DefaultRouteSettings"] = dict(self.fields.get("DefaultRouteSettings") or {})
        out["RouteSettings"] = {key: dict(value) for key, value in (self.fields.get("RouteSettings") or {}).items()}
        out["StageVariables"] = dict(self.fields.get("StageVariables") or {})
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out


class Deployment(Record):
    """One deployment of an API: its output members plus the snapshot that stages pointing at it serve."""

    versioned = False  # no snapshot holds a deployment

    def __init__(self, fields: Mapping[str, Any], snapshot: Snapshot) -> None:
        super().__init__(fields)
        self.snapshot = snapshot

    @property
    def deployment_id(self) -> str:
        """The deployment's id."""
        return str(self.fields["DeploymentId"])

    def describe(self) -> dict[str, Any]:
        """The Deployment output members."""
        return {name: self.fields[name] for name in _DEPLOYMENTS_DESCRIBED if name in self.fields}


class Authorizer(Record):
    """One Authorizer of an API."""

    @property
    def authorizer_id(self) -> str:
        """The authorizer's id."""
        return str(self.fields["AuthorizerId"])


@dataclass
class CacheReset:
    """The latest ResetAuthorizersCache of one stage: cached results older than it are stale."""

    at: dt.datetime
    generation: int


class Model(Record):
    """One Model of an API."""

    @property
    def model_id(self) -> str:
        """The model's id."""
        return str(self.fields["ModelId"])

    @property
    def name(self) -> str:
        """The model's name (routes refer to models by name)."""
        return str(self.fields["Name"])

    def schema(self) -> Any:
        """The parsed JSON schema (``{}`` for a record stored without a valid one)."""
        try:
            return json.loads(self.fields.get("Schema") or "{}")
        except (ValueError, RecursionError):
            return {}


class DomainName(Record):
    """A custom domain name; its API mappings hang off it."""

    def __init__(self, fields: dict[str, Any]) -> None:
        super().__init__(fields)
        self.api_mappings: Collection[ApiMapping] = Collection()
        self.routing_rules: Collection[RoutingRule] = Collection(versioned=False)  # routing_rules.py

    @property
    def name(self) -> str:
        """The domain name itself."""
        return str(self.fields["DomainName"])

    @property
    def configuration(self) -> dict[str, Any]:
        """The (single) endpoint configuration."""
        config: dict[str, Any] = self.fields["DomainNameConfigurations"][0]
        return config

    @property
    def security_policy(self) -> str:
        """``TLS_1_2`` or ``TLS_1_0``."""
        return str(self.configuration["SecurityPolicy"])

    def describe(self) -> dict[str, Any]:
        """The DomainName output members (copies, so callers cannot change the record)."""
        out = dict(self.fields)
        out["DomainNameConfigurations"] = [dict(c) for c in self.fields["DomainNameConfigurations"]]
        if "MutualTlsAuthentication" in out:
            out["MutualTlsAuthentication"] = dict(out["MutualTlsAuthentication"])
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out

    def mapping_for(self, path: str) -> tuple[ApiMapping, str] | None:
        """The mapping that serves *path* on this domain, and the path left for the API (longest key wins)."""
        segments = [s for s in path.split("/") if s]
        best: tuple[ApiMapping, str] | None = None
        best_length = -1
        for mapping in self.api_mappings:
            key = mapping.key.split("/") if mapping.key else []
            if len(key) > best_length and segments[: len(key)] == key:
                best, best_length = (mapping, "/" + "/".join(segments[len(key) :])), len(key)
        return best


class ApiMapping(Record):
    """A mapping of a path of a custom domain name to a stage of an API."""

    @property
    def api_id(self) -> str:
        """The mapped API's id."""
        return str(self.fields["ApiId"])

    @property
    def key(self) -> str:
        """The mapping key; the empty string maps the root of the domain."""
        return str(self.fields.get("ApiMappingKey", ""))


class VpcLink(Record):
    """A VPC link for private integrations of HTTP APIs."""

    @property
    def vpc_link_id(self) -> str:
        """The link's id."""
        return str(self.fields["VpcLinkId"])

    def describe(self) -> dict[str, Any]:
        """The VpcLink output members (copies, so callers cannot change the record)."""
        out = dict(self.fields)
        out["SecurityGroupIds"] = list(self.fields["SecurityGroupIds"])
        out["SubnetIds"] = list(self.fields["SubnetIds"])
        out["Tags"] = dict(self.fields.get("Tags") or {})
        return out
