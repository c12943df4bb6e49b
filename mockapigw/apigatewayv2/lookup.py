"""Get-or-404: every resource by its identifier, or the ``NotFoundException`` AWS answers for it.

The one form of lookup for operations: ``lookup.api(store, api_id)`` for top-level resources,
``lookup.route(api, route_id)`` for resources that hang off another.
"""

from __future__ import annotations

from typing import TypeVar

from ..core.collection import Collection
from .exceptions import NotFoundException
from .portal_records import Portal, PortalProduct, ProductPage, ProductRestEndpointPage
from .records import STAGE_NOT_FOUND, not_found
from .resources import (
    Api,
    ApiMapping,
    Authorizer,
    Deployment,
    DomainName,
    Integration,
    IntegrationResponse,
    Model,
    Route,
    RouteResponse,
    Stage,
    VpcLink,
)
from .rule_records import RoutingRule
from .store import Store

DOMAIN_NAME_NOT_FOUND = "The domain name resource specified in the request was not found."
API_MAPPING_NOT_FOUND = "The api mapping resource specified in the request was not found."

T = TypeVar("T")


def _get(table: Collection[T], key: str, kind: str = "", *, message: str = "") -> T:
    """``table[key]``, else ``NotFoundException``: *message*, or ``Invalid {kind} identifier specified {key}``."""
    found = table.get(key)
    if found is None:
        raise NotFoundException(message) if message else not_found(kind, key)
    return found


def api(store: Store, api_id: str) -> Api:
    """The API *api_id*: ``Invalid API identifier specified {account}:{id}`` when there is none."""
    return _get(store.apis, api_id, message=f"Invalid API identifier specified {store.account_id}:{api_id}")


def domain_name(store: Store, name: str) -> DomainName:
    """The custom domain name *name*."""
    return _get(store.domain_names, name, message=DOMAIN_NAME_NOT_FOUND)


def vpc_link(store: Store, vpc_link_id: str) -> VpcLink:
    """The VPC link *vpc_link_id*."""
    return _get(store.vpc_links, vpc_link_id, "VpcLink")


def route(api: Api, route_id: str) -> Route:
    """The route *route_id* of *api*."""
    return _get(api.routes, route_id, "Route")


def route_response(route: Route, route_response_id: str) -> RouteResponse:
    """The route response *route_response_id* of *route*."""
    return _get(route.responses, route_response_id, "RouteResponse")


def integration(api: Api, integration_id: str) -> Integration:
    """The integration *integration_id* of *api*."""
    return _get(api.integrations, integration_id, "Integration")


def integration_response(integration: Integration, integration_response_id: str) -> IntegrationResponse:
    """The integration response *integration_response_id* of *integration*."""
    return _get(integration.responses, integration_response_id, "IntegrationResponse")


def stage(api: Api, stage_name: str) -> Stage:
    """The stage *stage_name* of *api*."""
    return _get(api.stages, stage_name, message=STAGE_NOT_FOUND)


def deployment(api: Api, deployment_id: str) -> Deployment:
    """The deployment *deployment_id* of *api*."""
    return _get(api.deployments, deployment_id, "Deployment")


def authorizer(api: Api, authorizer_id: str) -> Authorizer:
    """The authorizer *authorizer_id* of *api*."""
    return _get(api.authorizers, authorizer_id, "Authorizer")


def model(api: Api, model_id: str) -> Model:
    """The model *model_id* of *api*."""
    return _get(api.models, model_id, "Model")


def api_mapping(domain: DomainName, api_mapping_id: str) -> ApiMapping:
    """The API mapping *api_mapping_id* of *domain*."""
    return _get(domain.api_mappings, api_mapping_id, message=API_MAPPING_NOT_FOUND)


# --- The newer resources: developer portals and routing rules.


def portal(store: Store, portal_id: str) -> Portal:
    """The portal *portal_id*."""
    return _get(store.portals, portal_id, "Portal")


def portal_product(store: Store, product_id: str) -> PortalProduct:
    """The portal product *product_id*."""
    return _get(store.portal_products, product_id, "PortalProduct")


def product_page(product: PortalProduct, page_id: str) -> ProductPage:
    """The product page *page_id* of *product*."""
    return _get(product.pages, page_id, "ProductPage")


def product_rest_endpoint_page(product: PortalProduct, page_id: str) -> ProductRestEndpointPage:
    """The product REST endpoint page *page_id* of *product*."""
    return _get(product.endpoint_pages, page_id, "ProductRestEndpointPage")


def routing_rule(domain: DomainName, rule_id: str) -> RoutingRule:
    """The routing rule *rule_id* of *domain*."""
    return _get(domain.routing_rules, rule_id, "RoutingRule")
