"""Get-or-404: every resource by its identifier, or the ``NotFoundException`` AWS answers for it.

The one form of lookup for operations: ``lookup.api(store, api_id)`` for top-level resources,
``lookup.route(api, route_id)`` for resources that hang off another.
"""

from __future__ import annotations

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


def api(store: Store, api_id: str) -> Api:
    """The API *api_id*: ``Invalid API identifier specified {account}:{id}`` when there is none."""
    found = store.apis.get(api_id)
    if found is None:
        raise NotFoundException(f"Invalid API identifier specified {store.account_id}:{api_id}")
    return found


def domain_name(store: Store, name: str) -> DomainName:
    """The custom domain name *name*."""
    found = store.domain_names.get(name)
    if found is None:
        raise NotFoundException(DOMAIN_NAME_NOT_FOUND)
    return found


def vpc_link(store: Store, vpc_link_id: str) -> VpcLink:
    """The VPC link *vpc_link_id*."""
    found = store.vpc_links.get(vpc_link_id)
    if found is None:
        raise not_found("VpcLink", vpc_link_id)
    return found


def route(api: Api, route_id: str) -> Route:
    """The route *route_id* of *api*."""
    found = api.routes.get(route_id)
    if found is None:
        raise not_found("Route", route_id)
    return found


def route_response(route: Route, route_response_id: str) -> RouteResponse:
    """The route response *route_response_id* of *route*."""
    found = route.responses.get(route_response_id)
    if found is None:
        raise not_found("RouteResponse", route_response_id)
    return found


def integration(api: Api, integration_id: str) -> Integration:
    """The integration *integration_id* of *api*."""
    found = api.integrations.get(integration_id)
    if found is None:
        raise not_found("Integration", integration_id)
    return found


def integration_response(integration: Integration, integration_response_id: str) -> IntegrationResponse:
    """The integration response *integration_response_id* of *integration*."""
    found = integration.responses.get(integration_response_id)
    if found is None:
        raise not_found("IntegrationResponse", integration_response_id)
    return found


def stage(api: Api, stage_name: str) -> Stage:
    """The stage *stage_name* of *api*."""
    found = api.stages.get(stage_name)
    if found is None:
        raise NotFoundException(STAGE_NOT_FOUND)
    return found


def deployment(api: Api, deployment_id: str) -> Deployment:
    """The deployment *deployment_id* of *api*."""
    found = api.deployments.get(deployment_id)
    if found is None:
        raise not_found("Deployment", deployment_id)
    return found


def authorizer(api: Api, authorizer_id: str) -> Authorizer:
    """The authorizer *authorizer_id* of *api*."""
    found = api.authorizers.get(authorizer_id)
    if found is None:
        raise not_found("Authorizer", authorizer_id)
    return found


def model(api: Api, model_id: str) -> Model:
    """The model *model_id* of *api*."""
    found = api.models.get(model_id)
    if found is None:
        raise not_found("Model", model_id)
    return found


def api_mapping(domain: DomainName, api_mapping_id: str) -> ApiMapping:
    """The API mapping *api_mapping_id* of *domain*."""
    found = domain.api_mappings.get(api_mapping_id)
    if found is None:
        raise NotFoundException(API_MAPPING_NOT_FOUND)
    return found


# --- The newer resources: developer portals and routing rules.


def portal(store: Store, portal_id: str) -> Portal:
    """The portal *portal_id*."""
    found = store.portals.get(portal_id)
    if found is None:
        raise not_found("Portal", portal_id)
    return found


def portal_product(store: Store, product_id: str) -> PortalProduct:
    """The portal product *product_id*."""
    found = store.portal_products.get(product_id)
    if found is None:
        raise not_found("PortalProduct", product_id)
    return found


def product_page(product: PortalProduct, page_id: str) -> ProductPage:
    """The product page *page_id* of *product*."""
    found = product.pages.get(page_id)
    if found is None:
        raise not_found("ProductPage", page_id)
    return found


def product_rest_endpoint_page(product: PortalProduct, page_id: str) -> ProductRestEndpointPage:
    """The product REST endpoint page *page_id* of *product*."""
    found = product.endpoint_pages.get(page_id)
    if found is None:
        raise not_found("ProductRestEndpointPage", page_id)
    return found


def routing_rule(domain: DomainName, rule_id: str) -> RoutingRule:
    """The routing rule *rule_id* of *domain*."""
    found = domain.routing_rules.get(rule_id)
    if found is None:
        raise not_found("RoutingRule", rule_id)
    return found
