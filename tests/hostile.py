"""Hostile input, built from the service models: a populated mock, a full read of its state, every member of
every operation, values put anywhere in an input, and the check that a call ended as AWS would end it.

Used by the sweep (fixed hostile values in every member) and by the property tests (hypothesis strategies
generated from the shapes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import Shape, StructureShape
from hypothesis import strategies as st

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2.service import implemented_operations as v2_operations
from mockapigw.core.model import service_model
from mockapigw.management.service import implemented_operations as management_operations

REGION = "us-east-1"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"
FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:f"
AUTHORIZER_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION}/invocations"
FRONT_END = "MissingAuthenticationTokenException"  # API Gateway's answer to a path no operation has

OPERATIONS = [("apigatewayv2", name) for name in sorted(v2_operations())] + [
    ("apigatewaymanagementapi", name) for name in sorted(management_operations())
]

# Lone surrogates: in a Python string a high-low *pair* becomes one valid character once botocore's JSON
# (``ensure_ascii``) reaches the service, so only unpaired ones cannot be encoded.
LONE_SURROGATES = ["\ud800", "a\udfffb", "\udc00\ud800", "x" * 40 + "\udbff"]

# A path to a value inside an input: member names, "item" (a list element), "key" / "value" (a map entry).
Path = tuple[str, ...]


def clients(parameter_validation: bool, endpoint: str) -> tuple[Any, Any]:
    """An apigatewayv2 client and a management client for *endpoint*, one attempt per call."""
    config = Config(parameter_validation=parameter_validation, retries={"total_max_attempts": 1})
    v2 = boto3.client("apigatewayv2", region_name=REGION, config=config)
    management = boto3.client("apigatewaymanagementapi", region_name=REGION, endpoint_url=endpoint, config=config)
    return v2, management


def populate(gw: MockApiGateway, v2: Any) -> dict[str, str]:
    """Create one of everything; return the ids, by the wire name of the path labels that reach them."""
    gw.register_lambda(FUNCTION, lambda event, context: {"statusCode": 200})
    ws = v2.create_api(
        Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action", Tags={"team": "a"}
    )["ApiId"]
    integration = v2.create_integration(ApiId=ws, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
    integration_id = integration["IntegrationId"]
    route = v2.create_route(
        ApiId=ws,
        RouteKey="$default",
        Target=f"integrations/{integration_id}",
        RouteResponseSelectionExpression="$default",
        RequestParameters={"route.request.header.x": {"Required": False}},
    )["RouteId"]
    route_response = v2.create_route_response(ApiId=ws, RouteId=route, RouteResponseKey="$default")
    integration_response = v2.create_integration_response(
        ApiId=ws, IntegrationId=integration_id, IntegrationResponseKey="$default"
    )
    model = v2.create_model(ApiId=ws, Name="M", Schema='{"type": "object"}', ContentType="application/json")
    authorizer = v2.create_authorizer(
        ApiId=ws,
        Name="auth",
        AuthorizerType="REQUEST",
        AuthorizerUri=AUTHORIZER_URI,
        IdentitySource=["route.request.header.Auth"],
    )
    v2.create_stage(ApiId=ws, StageName="prod", RouteSettings={"$default": {"LoggingLevel": "INFO"}})
    deployment = v2.create_deployment(ApiId=ws, StageName="prod")
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=FUNCTION)["ApiId"]
    v2.create_authorizer(
        ApiId=http,
        Name="jwt",
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Audience": ["a"], "Issuer": "https://issuer.example.com"},
    )
    domain = v2.create_domain_name(DomainName="api.example.com", DomainNameConfigurations=[{"CertificateArn": CERT}])[
        "DomainName"
    ]
    mapping = v2.create_api_mapping(DomainName=domain, ApiId=ws, Stage="prod", ApiMappingKey="v1")
    vpc_link = v2.create_vpc_link(Name="link", SubnetIds=["subnet-1"])
    connection = gw.connect(ws, "prod").connection_id
    newer = _populate_newer(v2, domain)
    return {
        **newer,
        "apiId": ws,
        "httpApiId": http,
        "routeId": route,
        "integrationId": integration_id,
        "routeResponseId": route_response["RouteResponseId"],
        "integrationResponseId": integration_response["IntegrationResponseId"],
        "modelId": model["ModelId"],
        "authorizerId": authorizer["AuthorizerId"],
        "deploymentId": deployment["DeploymentId"],
        "stageName": "prod",
        "routeKey": "$default",
        "requestParameterKey": "route.request.header.x",
        "specification": "OAS30",
        "domainName": domain,
        "apiMappingId": mapping["ApiMappingId"],
        "vpcLinkId": vpc_link["VpcLinkId"],
        "resource-arn": f"arn:aws:apigateway:{REGION}::/apis/{ws}",
        "connectionId": connection,
        "endpoint": f"https://{ws}.execute-api.{REGION}.amazonaws.com/prod",
    }


def _populate_newer(v2: Any, domain: str) -> dict[str, str]:
    """A routing rule on *domain*, and a portal product with both kinds of pages, a sharing policy and a portal."""
    rule = v2.create_routing_rule(
        DomainName=domain, Priority=100, Conditions=[], Actions=[{"InvokeApi": {"ApiId": "abcd1234", "Stage": "p"}}]
    )
    product = v2.create_portal_product(DisplayName="product", Tags={"team": "a"})
    product_id = product["PortalProductId"]
    v2.put_portal_product_sharing_policy(PortalProductId=product_id, PolicyDocument='{"Statement": []}')
    page = v2.create_product_page(PortalProductId=product_id, DisplayContent={"Title": "t", "Body": "b"})
    parts = {"RestApiId": "kf5387miad", "Stage": "prod", "Method": "GET", "Path": "/dogs"}
    endpoint_page = v2.create_product_rest_endpoint_page(
        PortalProductId=product_id, RestEndpointIdentifier={"IdentifierParts": parts}
    )
    colors = dict.fromkeys(
        ("AccentColor", "BackgroundColor", "ErrorValidationColor", "HeaderColor", "NavigationColor", "TextColor"), "#0"
    )
    portal = v2.create_portal(
        Authorization={"None": {}},
        EndpointConfiguration={"None": {}},
        PortalContent={"DisplayName": "portal", "Theme": {"CustomColors": colors}},
        IncludedPortalProductArns=[product["PortalProductArn"]],
    )
    return {
        "routingRuleId": rule["RoutingRuleId"],
        "portalProductId": product_id,
        "productPageId": page["ProductPageId"],
        "productRestEndpointPageId": endpoint_page["ProductRestEndpointPageId"],
        "portalId": portal["PortalId"],
    }


def read_state(v2: Any) -> dict[str, Any]:
    """Everything the control plane holds, read back through every list operation (all pages)."""
    state: dict[str, Any] = {}

    def pages(operation: str, **params: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = getattr(v2, operation)(**params)
            items.extend(page.get("Items", []))
            if not page.get("NextToken"):
                return items
            params["NextToken"] = page["NextToken"]

    state["apis"] = apis = pages("get_apis")
    for api in apis:
        api_id = api["ApiId"]
        for kind in ("routes", "integrations", "stages", "deployments", "authorizers", "models"):
            state[f"{api_id}/{kind}"] = pages(f"get_{kind}", ApiId=api_id)
        state[f"{api_id}/tags"] = v2.get_tags(ResourceArn=f"arn:aws:apigateway:{REGION}::/apis/{api_id}")["Tags"]
        if api["ProtocolType"] != "WEBSOCKET":
            continue  # route and integration responses are WebSocket things
        for route in state[f"{api_id}/routes"]:
            state[f"{api_id}/route-responses/{route['RouteId']}"] = pages(
                "get_route_responses", ApiId=api_id, RouteId=route["RouteId"]
            )
        for integration in state[f"{api_id}/integrations"]:
            state[f"{api_id}/integration-responses/{integration['IntegrationId']}"] = pages(
                "get_integration_responses", ApiId=api_id, IntegrationId=integration["IntegrationId"]
            )
    state["domains"] = domains = pages("get_domain_names")
    for domain in domains:
        state[f"{domain['DomainName']}/mappings"] = pages("get_api_mappings", DomainName=domain["DomainName"])
    state["vpc-links"] = pages("get_vpc_links")
    for domain in domains:
        state[f"{domain['DomainName']}/routing-rules"] = v2.list_routing_rules(DomainName=domain["DomainName"])[
            "RoutingRules"
        ]
    state["portals"] = pages("list_portals")
    state["portal-products"] = products = pages("list_portal_products")
    for product in products:
        product_id = product["PortalProductId"]
        state[f"{product_id}/product-pages"] = pages("list_product_pages", PortalProductId=product_id)
        state[f"{product_id}/endpoint-pages"] = pages("list_product_rest_endpoint_pages", PortalProductId=product_id)
    return state


_ID_KEYS = {
    "apis": "ApiId",
    "routes": "RouteId",
    "integrations": "IntegrationId",
    "stages": "StageName",
    "deployments": "DeploymentId",
    "authorizers": "AuthorizerId",
    "models": "ModelId",
    "route-responses": "RouteResponseId",
    "integration-responses": "IntegrationResponseId",
    "domains": "DomainName",
    "mappings": "ApiMappingId",
    "vpc-links": "VpcLinkId",
    "routing-rules": "RoutingRuleId",
    "portals": "PortalId",
    "portal-products": "PortalProductId",
    "product-pages": "ProductPageId",
    "endpoint-pages": "ProductRestEndpointPageId",
}


def ids(state: dict[str, Any]) -> set[str]:
    """The identity of every resource (and tag) in a :func:`read_state` result."""
    found: set[str] = set()
    for collection, items in state.items():
        kind = collection.split("/")[1] if "/" in collection else collection
        if kind == "tags":
            found.update(f"{collection}:{key}" for key in items)
        else:
            found.update(f"{collection}:{item[_ID_KEYS[kind]]}" for item in items)
    return found


def strings(value: Any) -> Iterator[str]:
    """Every string inside *value* (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings(item)


def encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---------------------------------------------------------------------------------------------- inputs


def input_shape(service: str, operation: str) -> StructureShape:
    shape = service_model(service).operation_model(operation).input_shape
    assert shape is not None
    return shape


def label_names(shape: StructureShape) -> dict[str, str]:
    """Member name -> path label (wire) name of an input's ``uri`` members."""
    return {
        name: member.serialization.get("name", name)
        for name, member in shape.members.items()
        if member.serialization.get("location") == "uri"
    }


def plain(shape: Shape, depth: int = 0) -> Any:
    """A simple well-typed value of *shape*: its required members only, the first enum value."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if depth > 4:
            return {}
        return {name: plain(shape.members[name], depth + 1) for name in shape.required_members}
    if kind == "list":
        return [plain(shape.member, depth + 1)]  # type: ignore[attr-defined]
    if kind == "map":
        return {}
    if kind == "string":
        enum = shape.enum  # type: ignore[attr-defined]
        return enum[0] if enum else "x"
    if kind in ("integer", "long"):
        return 1
    if kind in ("double", "float"):
        return 1.0
    if kind == "boolean":
        return True
    if kind == "timestamp":
        return dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    if kind == "blob":
        return b"x"
    raise AssertionError(f"unexpected shape type {kind}")


def base_params(service: str, operation: str, known: dict[str, str]) -> dict[str, Any]:
    """Required members with plain values, and path labels naming resources that exist."""
    shape = input_shape(service, operation)
    params: dict[str, Any] = plain(shape)
    for name, wire in label_names(shape).items():
        params[name] = known[wire]
    return params


def member_paths(shape: Shape, depth: int = 0) -> Iterator[Path]:
    """Every member of *shape* down to its leaves: structure members, list items, map keys and values."""
    kind = shape.type_name
    yield ()
    if depth > 4:
        return
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        for name, member in shape.members.items():
            for rest in member_paths(member, depth + 1):
                yield (name, *rest)
    elif kind == "list":
        for rest in member_paths(shape.member, depth + 1):  # type: ignore[attr-defined]
            yield ("item", *rest)
    elif kind == "map":
        yield ("key",)
        for rest in member_paths(shape.value, depth + 1):  # type: ignore[attr-defined]
            yield ("value", *rest)


def shape_at(shape: Shape, path: Path) -> Shape:
    for step in path:
        if step == "item":
            shape = shape.member  # type: ignore[attr-defined]
        elif step == "key":
            shape = shape.key  # type: ignore[attr-defined]
        elif step == "value":
            shape = shape.value  # type: ignore[attr-defined]
        else:
            shape = shape.members[step]  # type: ignore[attr-defined]
    return shape


def with_value(current: Any, shape: Shape, path: Path, value: Any) -> Any:
    """A copy of *current* (a value of *shape*, or ``None``) with *value* at *path*; containers made as needed."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    kind = shape.type_name
    if kind == "structure":
        copy = dict(current) if isinstance(current, dict) else plain(shape)
        copy[step] = with_value(copy.get(step), shape.members[step], rest, value)  # type: ignore[attr-defined]
        return copy
    if kind == "list":
        return [with_value(None, shape.member, rest, value)]  # type: ignore[attr-defined]
    if step == "key":
        return {value: plain(shape.value)}  # type: ignore[attr-defined]
    return {"k": with_value(None, shape.value, rest, value)}  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------- strategies


def any_text(max_size: int = 12) -> st.SearchStrategy[str]:
    """Any string: every code point category, surrogates included, and often one that is certainly lone."""
    return st.one_of(
        st.text(st.characters(exclude_categories=()), max_size=max_size),
        st.sampled_from(LONE_SURROGATES),
        st.sampled_from(["", "\x00", "a\x00b", "\r\n", "$default", "\U0010ffff", "\ud83d\ude00"]),
    )


def strategy(
    shape: Shape, text: st.SearchStrategy[str], labels: dict[str, st.SearchStrategy[str]] | None = None, depth: int = 0
) -> st.SearchStrategy[Any]:
    """Well-typed values of *shape* with any text in every string; *labels* draws path labels by member name."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if depth > 4:
            return st.just({})
        members: dict[str, st.SearchStrategy[Any]] = {}
        for name, member in shape.members.items():
            if labels is not None and name in labels:
                members[name] = labels[name]
            else:
                members[name] = strategy(member, text, None, depth + 1)
        required = {name: members.pop(name) for name in shape.required_members}
        return st.fixed_dictionaries(required, optional=members)
    if kind == "list":
        return st.lists(strategy(shape.member, text, None, depth + 1), max_size=3)  # type: ignore[attr-defined]
    if kind == "map":
        return st.dictionaries(text, strategy(shape.value, text, None, depth + 1), max_size=3)  # type: ignore[attr-defined]
    if kind == "string":
        enum = shape.enum  # type: ignore[attr-defined]
        return st.one_of(st.sampled_from(enum), text) if enum else text
    if kind in ("integer", "long"):
        return st.one_of(st.integers(-(2**63), 2**63), st.sampled_from([0, 1, -1, 2**70]))
    if kind in ("double", "float"):
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(dt.timezone.utc))
    if kind == "blob":
        return st.binary(max_size=16)
    raise AssertionError(f"unexpected shape type {kind}")


# ---------------------------------------------------------------------------------------------- outcomes


def _modeled(service: str) -> dict[str, int]:
    return {
        shape.name: shape.metadata.get("error", {}).get("httpStatusCode", 400)
        for shape in service_model(service).error_shapes
    }


MODELED = {service: _modeled(service) for service in ("apigatewayv2", "apigatewaymanagementapi")}
# Not in the @connections model, but what AWS answers a malformed request with (see management/backend.py).
MODELED["apigatewaymanagementapi"]["BadRequestException"] = 400


class Watcher:
    """Counts the requests that reach the mock, and records any exception its own code lets out."""

    def __init__(self, gw: MockApiGateway) -> None:
        self.gw = gw
        self.asked = 0
        self.escaped: list[BaseException] = []
        respond = gw.respond

        def watched(*args: Any) -> Any:
            self.asked += 1
            try:
                return respond(*args)
            except BaseException as exc:
                self.escaped.append(exc)
                raise

        gw.respond = watched  # type: ignore[method-assign]  # the interceptor asks the instance

    def close(self) -> None:
        del self.gw.respond

    def call(self, client: Any, service: str, operation: str, params: dict[str, Any]) -> str:
        """Make the call; return how it ended, failing on anything AWS would not have answered.

        Success, an error the model declares (with its status) or API Gateway's answer to an unknown path, when
        the request reached the mock; any exception when it did not (botocore refused it before sending, as it
        does outside the mock).
        """
        asked, method = self.asked, getattr(client, xform_name(operation))
        failure: BaseException | None = None
        try:
            method(**params)
        except Exception as exc:  # noqa: BLE001  # judged below: who raised it decides whether it is allowed
            failure = exc
        reached = self.asked > asked
        assert not self.escaped, f"{operation} {_short(params)}: the mock raised {self.escaped[-1]!r}"
        if failure is None:
            return "ok"
        if not isinstance(failure, ClientError):
            assert not reached, f"{operation} {_short(params)}: {failure!r} after the mock answered"
            return f"client-side {type(failure).__name__}"
        assert reached, f"{operation}: ClientError without asking the mock: {failure}"
        code = failure.response["Error"]["Code"]
        status = failure.response["ResponseMetadata"]["HTTPStatusCode"]
        expected = 403 if code == FRONT_END else MODELED[service].get(code)
        assert expected == status, f"{operation} {_short(params)}: unmodeled answer {code} {status}: {failure}"
        return str(code)


def _short(params: dict[str, Any]) -> str:
    text = repr(params)
    return text if len(text) < 300 else text[:300] + "..."


def snapshot(read: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Read the state and check nothing in it is text that could not be encoded."""
    state = read()
    bad = [text for text in strings(state) if not encodable(text)]
    assert not bad, f"the state holds text that cannot be encoded: {bad[:3]!r}"
    return state
