"""The table of operations: every apigatewayv2 operation the mock implements, by the model's operation name.

The dispatcher (:mod:`.service`), the docs' operations page and the completeness test all read it. A resource
module ends with its own ``OPERATIONS``; a new module adds one line here.
"""

from __future__ import annotations

from . import (
    api_mappings,
    apis,
    authorizers,
    deployments,
    domains,
    integration_responses,
    integrations,
    models,
    openapi,
    portal_products,
    portals,
    product_pages,
    product_rest_endpoint_pages,
    route_responses,
    routes,
    routing_rules,
    stages,
    tags,
    vpc_links,
)
from .store import Operation

OPERATIONS: dict[str, Operation] = {
    **apis.OPERATIONS,
    **routes.OPERATIONS,
    **route_responses.OPERATIONS,
    **integrations.OPERATIONS,
    **integration_responses.OPERATIONS,
    **stages.OPERATIONS,
    **deployments.OPERATIONS,
    **authorizers.OPERATIONS,
    **models.OPERATIONS,
    **domains.OPERATIONS,
    **api_mappings.OPERATIONS,
    **vpc_links.OPERATIONS,
    **tags.OPERATIONS,
    **openapi.OPERATIONS,
    # The newer operations: routing rules and developer portals.
    **routing_rules.OPERATIONS,
    **portals.OPERATIONS,
    **portal_products.OPERATIONS,
    **product_pages.OPERATIONS,
    **product_rest_endpoint_pages.OPERATIONS,
}
