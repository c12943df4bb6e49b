"""Random sequences of control-plane calls, checked against a small reference model of what must hold.

A hypothesis state machine drives ``apigatewayv2`` through boto3 under ``mock_apigateway()``: APIs of both
protocols (quick-created ones too), routes (with authorizers and request models), route responses,
integrations (private ones through VPC links too), integration responses, stages (auto-deploy ones, route
settings, tags), deployments, authorizers, models, VPC links, custom domain names with API mappings, and
tags. Most calls are valid; some
name unknown ids, ids of another API, or values the service model forbids. After every step the whole state,
read back through the list operations (paginated with a random page size), must be exactly the live set the
model holds, each item equal to its ``get_*``. The model asserts only what the docs and aws-facts.md say AWS (or
the mock, by a documented choice) does; where they are silent it checks existence and consistency only.

Every call either succeeds or raises a ``ClientError`` of one of the model's error shapes, and a failed call
changes nothing (the full state after it equals the state before). Outputs are checked against their shapes by
``tests/conftest.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    invariant,
    multiple,
    rule,
)

from mockapigw import MockApiGateway, mock_apigateway

# One client for every example: the mock reaches clients made before it started.
CLIENT: Any = boto3.client("apigatewayv2", region_name="us-east-1")
ERROR_SHAPES = {shape.name for shape in CLIENT.meta.service_model.error_shapes}
REGION = "us-east-1"

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
LAMBDA_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{LAMBDA}/invocations"
CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/abc"
AUTO_DESCRIPTION = "Automatic deployment triggered by changes to the Api configuration"

# What a call is expected to do: succeed, fail with one error code, or fail in any modeled way.
OK = "ok"
ANY_ERROR = "any error"
NOT_FOUND = "NotFoundException"
BAD_REQUEST = "BadRequestException"
CONFLICT = "ConflictException"

HTTP_ROUTE_KEYS = ("GET /a", "POST /a", "GET /b/{id}", "ANY /{proxy+}", "$default")
WS_ROUTE_KEYS = ("$connect", "$disconnect", "$default", "send", "join")
STAGE_NAMES = ("dev", "prod", "$default", "v1")
DOMAINS = ("a.example.com", "b.example.com")
MAPPING_KEYS = ("", "v1", "orders")

# Ids that no call created: random lower-case alphanumerics of the lengths the mock uses.
FAKE_IDS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=6, max_size=10)
# The mock's ids are random, so rules choose among the model's resources by creation order, never by sorted id:
# hypothesis must make the same draws when it replays a case.
# Mostly the id of the resource itself, sometimes another API's or one never created.
SWAP = st.sampled_from([False, False, False, True])
SOMETIMES_FAKE = st.one_of(st.none(), st.none(), st.none(), FAKE_IDS)
NAMES = st.text("abcdefgh", min_size=1, max_size=5)
DESCRIPTIONS = st.none() | st.sampled_from(["", "one", "two"])


@dataclass
class ApiRef:
    """What the model knows of one live API: members set by create/update, and its children."""

    protocol: str
    fields: dict[str, Any]
    tags: dict[str, str] = field(default_factory=dict)
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    route_responses: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # by route id
    integrations: dict[str, dict[str, Any]] = field(default_factory=dict)
    integration_responses: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)  # by integration
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    deployments: dict[str, dict[str, Any]] = field(default_factory=dict)
    authorizers: dict[str, dict[str, Any]] = field(default_factory=dict)
    models: dict[str, dict[str, Any]] = field(default_factory=dict)
    managed: set[str] = field(default_factory=set)  # ids (and stage names) of quick-create resources

    def deployable(self) -> bool:
        """A WebSocket API without routes cannot be deployed (stages-and-deployments.md)."""
        return self.protocol == "HTTP" or bool(self.routes)

    def auto_stages(self) -> list[str]:
        return [name for name, stage in self.stages.items() if stage["AutoDeploy"] is True]


ABSENT = object()  # an expected member that must not be in the output
FALSE_OR_ABSENT = object()  # a boolean left at its default: False, or not returned (CLI examples omit AutoDeploy)


def _matches(expected: dict[str, Any], actual: dict[str, Any], what: str) -> None:
    for name, value in expected.items():
        if value is ABSENT:
            assert name not in actual, f"{what}: {name} should be absent, got {actual.get(name)!r}"
        elif value is FALSE_OR_ABSENT:
            assert actual.get(name, False) is False, f"{what}: {name} is {actual.get(name)!r}, expected False"
        else:
            assert actual.get(name) == value, f"{what}: {name} is {actual.get(name)!r}, expected {value!r}"


def _outcome(violations: set[str]) -> str:
    """The expected outcome of a call that breaks the given rules: the one error, or any when several apply."""
    if not violations:
        return OK
    return violations.pop() if len(violations) == 1 else ANY_ERROR


def _names(models: Any) -> set[str]:
    """The model names in a RequestModels/ResponseModels member of the model (maybe unset or ABSENT)."""
    return set(models.values()) if isinstance(models, dict) else set()


def _strip(output: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in output.items() if k != "ResponseMetadata"}


class ControlPlane(RuleBasedStateMachine):
    """The apigatewayv2 control plane against a reference model."""

    apis = Bundle("apis")
    routes = Bundle("routes")  # (api_id, route_id)
    integrations = Bundle("integrations")  # (api_id, integration_id)
    stages = Bundle("stages")  # (api_id, stage_name)
    deployments = Bundle("deployments")  # (api_id, deployment_id)
    authorizers = Bundle("authorizers")  # (api_id, authorizer_id)
    models = Bundle("models")  # (api_id, model_id)
    route_responses = Bundle("route_responses")  # (api_id, route_id, route_response_id)
    integration_responses = Bundle("integration_responses")  # (api_id, integration_id, response_id)
    mappings = Bundle("mappings")  # (domain, mapping_id)

    def __init__(self) -> None:
        super().__init__()
        self.gw: MockApiGateway = mock_apigateway()
        self.gw.start()
        self.live: dict[str, ApiRef] = {}
        self.domains: dict[str, dict[str, dict[str, Any]]] = {}  # domain -> mapping id -> members
        self.dead_apis: list[str] = []
        self.vpc_links: dict[str, dict[str, Any]] = {}
        self.made_integrations: list[tuple[str, str]] = []
        self.made_authorizers: list[tuple[str, str]] = []
        self.page_size: int | None = None
        self.state: dict[str, Any] | None = None  # the last full read of the mock's state

    def teardown(self) -> None:
        self.gw.stop()

    # --- Calling the mock and reading its state.

    def call(self, operation: str, expect: str, **params: Any) -> dict[str, Any] | None:
        """Make one call; check its outcome against *expect*; a failed call must change nothing."""
        before = self.read_state() if expect != OK else None
        try:
            output = getattr(CLIENT, operation)(**params)
        except ClientError as error:
            failure: dict[str, Any] | None = dict(error.response["Error"])
        else:
            failure = None
        if failure is not None:
            code = failure["Code"]
            assert code in ERROR_SHAPES, f"{operation}: {code} is not an error shape of the model"
            assert expect != OK, f"{operation}({params}) failed: {code}: {failure['Message']}"
            if expect != ANY_ERROR:
                assert code == expect, f"{operation}({params}): expected {expect}, got {code}: {failure['Message']}"
            self.state = None
            assert self.read_state() == before, f"the failed {operation}({params}) changed the state"
            return None
        assert expect == OK, f"{operation}({params}) succeeded, expected {expect}"
        self.state = None
        return _strip(output)

    def list_all(self, operation: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a collection, following NextToken with the current page size."""
        if self.page_size is None:
            output = getattr(CLIENT, operation)(**params)
            assert "NextToken" not in output, f"{operation} without MaxResults gave a NextToken"
            return list(output["Items"])
        items: list[dict[str, Any]] = []
        token = None
        while True:
            extra: dict[str, str] = {"NextToken": token} if token else {}
            output = getattr(CLIENT, operation)(MaxResults=str(self.page_size), **params, **extra)
            assert len(output["Items"]) <= self.page_size
            items += output["Items"]
            token = output.get("NextToken")
            if token is None:
                return items
            assert output["Items"], f"{operation}: an empty page with a NextToken"

    def read_state(self) -> dict[str, Any]:
        """The whole state of the account's region, through the list operations."""
        if self.state is not None:
            return self.state
        state: dict[str, Any] = {"apis": {}, "domains": {}}
        for api in self.list_all("get_apis"):
            api_id = api["ApiId"]
            children = {
                kind: {item[key]: item for item in self.list_all(f"get_{kind}", ApiId=api_id)}
                for kind, key in (
                    ("routes", "RouteId"),
                    ("integrations", "IntegrationId"),
                    ("stages", "StageName"),
                    ("deployments", "DeploymentId"),
                    ("authorizers", "AuthorizerId"),
                    ("models", "ModelId"),
                )
            }
            children["route_responses"] = {
                route_id: {
                    item["RouteResponseId"]: item
                    for item in self.list_all("get_route_responses", ApiId=api_id, RouteId=route_id)
                }
                for route_id in children["routes"]
            }
            children["integration_responses"] = {
                integration_id: {
                    item["IntegrationResponseId"]: item
                    for item in self.list_all("get_integration_responses", ApiId=api_id, IntegrationId=integration_id)
                }
                for integration_id in children["integrations"]
            }
            assert api_id not in state["apis"], f"get_apis listed {api_id} twice"
            state["apis"][api_id] = {"api": api, **children}
        state["vpc_links"] = {link["VpcLinkId"]: link for link in self.list_all("get_vpc_links")}
        for domain in self.list_all("get_domain_names"):
            name = domain["DomainName"]
            mappings = self.list_all("get_api_mappings", DomainName=name)
            state["domains"][name] = {"domain": domain, "mappings": {m["ApiMappingId"]: m for m in mappings}}
        self.state = state
        return state

    # --- Auto-deploy: which deployments a change made.

    def take_auto_deployments(self, api_id: str, expected: int | None) -> None:
        """Record the automatic deployments the last call made on *api_id*; *expected* of them (None: unknown).

        Each is ``AutoDeployed`` with AWS's description, and each auto-deploy stage serves its own new one.
        """
        ref = self.live[api_id]
        listed = {d["DeploymentId"]: d for d in self.list_all("get_deployments", ApiId=api_id)}
        new = {i: d for i, d in listed.items() if i not in ref.deployments}
        assert set(ref.deployments) <= set(listed), "a deployment disappeared"
        if expected is not None:
            assert len(new) == expected, f"expected {expected} automatic deployments, got {len(new)}"
        for deployment_id, deployment in new.items():
            assert deployment["AutoDeployed"] is True and deployment["Description"] == AUTO_DESCRIPTION
            ref.deployments[deployment_id] = {"AutoDeployed": True, "Description": AUTO_DESCRIPTION}
        served = set()
        for name in ref.auto_stages():
            stage = CLIENT.get_stage(ApiId=api_id, StageName=name)
            if stage.get("DeploymentId") in new:
                served.add(stage["DeploymentId"])
                ref.stages[name]["DeploymentId"] = stage["DeploymentId"]
        assert served == set(new), f"automatic deployments {set(new) - served} serve no auto-deploy stage"

    def changed(self, api_id: str) -> None:
        """After a change to *api_id*'s configuration, each auto-deploy stage is deployed (if the API can be)."""
        ref = self.live[api_id]
        self.take_auto_deployments(api_id, len(ref.auto_stages()) if ref.deployable() else 0)

    # --- Invariants.

    @invariant()
    def state_is_the_model(self) -> None:
        self.state = None
        state = self.read_state()
        assert set(state["apis"]) == set(self.live), "get_apis does not list exactly the live APIs"
        for api_id, ref in self.live.items():
            self.check_api(api_id, ref, state["apis"][api_id])
        assert set(state["vpc_links"]) == set(self.vpc_links), "get_vpc_links does not list exactly the live links"
        for link_id, members in self.vpc_links.items():
            item = state["vpc_links"][link_id]
            _matches(members, item, f"VPC link {link_id}")
            assert _strip(CLIENT.get_vpc_link(VpcLinkId=link_id)) == item
        assert set(state["domains"]) == set(self.domains)
        for name, mappings in self.domains.items():
            listed = state["domains"][name]
            assert _strip(CLIENT.get_domain_name(DomainName=name)) == listed["domain"]
            assert set(listed["mappings"]) == set(mappings), f"mappings of {name}"
            for mapping_id, members in mappings.items():
                item = listed["mappings"][mapping_id]
                _matches(members, item, f"mapping {mapping_id}")
                assert _strip(CLIENT.get_api_mapping(DomainName=name, ApiMappingId=mapping_id)) == item

    def check_api(self, api_id: str, ref: ApiRef, listed: dict[str, Any]) -> None:
        got = _strip(CLIENT.get_api(ApiId=api_id))
        assert got == listed["api"], "get_api differs from its get_apis item"
        _matches({**ref.fields, "ProtocolType": ref.protocol, "Tags": ref.tags}, got, f"api {api_id}")
        assert _strip(CLIENT.get_tags(ResourceArn=_arn(api_id)))["Tags"] == ref.tags
        for kind, operation, key in (
            ("routes", "get_route", "RouteId"),
            ("integrations", "get_integration", "IntegrationId"),
            ("stages", "get_stage", "StageName"),
            ("deployments", "get_deployment", "DeploymentId"),
            ("authorizers", "get_authorizer", "AuthorizerId"),
            ("models", "get_model", "ModelId"),
        ):
            expected: dict[str, dict[str, Any]] = getattr(ref, kind)
            assert set(listed[kind]) == set(expected), f"{kind} of {api_id}: {set(listed[kind])} != {set(expected)}"
            for item_id, members in expected.items():
                item = listed[kind][item_id]
                _matches(members, item, f"{kind} {item_id}")
                assert _strip(getattr(CLIENT, operation)(ApiId=api_id, **{key: item_id})) == item
        for name, stage in ref.stages.items():
            tags = _strip(CLIENT.get_tags(ResourceArn=_arn(api_id, name)))["Tags"]
            assert tags == stage.get("Tags", {}) == listed["stages"][name]["Tags"], f"tags of stage {name}"
        for route_id, responses in ref.route_responses.items():
            assert set(listed["route_responses"][route_id]) == set(responses)
            for response_id, members in responses.items():
                item = listed["route_responses"][route_id][response_id]
                _matches(members, item, f"route response {response_id}")
                got = CLIENT.get_route_response(ApiId=api_id, RouteId=route_id, RouteResponseId=response_id)
                assert _strip(got) == item
        for integration_id, responses in ref.integration_responses.items():
            assert set(listed["integration_responses"][integration_id]) == set(responses)
            for response_id, members in responses.items():
                item = listed["integration_responses"][integration_id][response_id]
                _matches(members, item, f"integration response {response_id}")
                got = CLIENT.get_integration_response(
                    ApiId=api_id, IntegrationId=integration_id, IntegrationResponseId=response_id
                )
                assert _strip(got) == item

    # --- Page size and pagination errors.

    @rule(size=st.none() | st.integers(1, 3))
    def set_page_size(self, size: int | None) -> None:
        self.page_size = size

    # --- Values the service refuses, and ids that are not there.

    @rule(api=apis, case=st.integers(0, 9))
    def forbidden_values(self, api: str, case: int) -> None:
        """A call with a value the service refuses: ``BadRequestException`` on a live API, and no change."""
        ref = self.live.get(api)
        expect = BAD_REQUEST if ref is not None else ANY_ERROR
        if case == 8:  # a MaxResults that is not a positive number (apis.md)
            self.call("get_routes", expect, ApiId=api, MaxResults="0")
        elif case == 9:  # a token the mock did not issue (apis.md)
            self.call("get_apis", BAD_REQUEST, NextToken="not-a-token")
        elif case == 0:  # not an enum value of ProtocolType (botocore does not check enums; apis.md "Validation")
            self.call("create_api", BAD_REQUEST, Name="x", ProtocolType="REST")
        elif case == 1:  # "This property is required for WebSocket APIs" (model; aws-facts §3.1)
            self.call("create_api", BAD_REQUEST, Name="x", ProtocolType="WEBSOCKET")
        elif case == 2:  # not an enum value of IntegrationType
            self.call("create_integration", expect, ApiId=api, IntegrationType="SOAP")
        elif case == 3:  # above the model's maximum TimeoutInMillis (30000), which botocore does not check
            params = {"IntegrationType": "HTTP_PROXY", "IntegrationUri": "https://example.com"}
            self.call("create_integration", expect, ApiId=api, IntegrationMethod="GET", TimeoutInMillis=30001, **params)
        elif case == 4:  # stage names: alphanumerics, hyphens and underscores (aws-facts §2)
            self.call("create_stage", expect, ApiId=api, StageName="bad name!")
        elif case == 5:  # not an enum value of AuthorizerType
            authorizer: dict[str, Any] = {
                "Name": "x",
                "AuthorizerType": "BASIC",
                "IdentitySource": ["$request.header.A"],
            }
            self.call("create_authorizer", expect, ApiId=api, **authorizer)
        elif case == 6:  # tag keys starting with aws: are reserved (aws-facts §9.10)
            self.call("tag_resource", expect if ref else NOT_FOUND, ResourceArn=_arn(api), Tags={"aws:x": "y"})
        elif ref is not None and ref.protocol == "WEBSOCKET":
            # A custom WebSocket route key must not start with $ (aws-facts §1.3).
            self.call("create_route", BAD_REQUEST, ApiId=api, RouteKey="$custom")
        else:
            # HTTP APIs take only proxy integrations (aws-facts §1.3).
            self.call("create_integration", expect, ApiId=api, IntegrationType="AWS", IntegrationUri=LAMBDA)

    @rule(
        data=st.data(),
        fake=FAKE_IDS,
        operation=st.sampled_from(
            ["get_api", "update_api", "delete_api", "get_routes", "get_stages", "create_route", "get_tags", "get_stage"]
        ),
    )
    def unknown_api(self, data: st.DataObject, fake: str, operation: str) -> None:
        """Every operation on a deleted or never-created API raises ``NotFoundException`` and creates nothing."""
        deleted = bool(self.dead_apis) and data.draw(st.booleans())
        api: str = data.draw(st.sampled_from(self.dead_apis)) if deleted else fake
        if api in self.live:
            return
        params: dict[str, Any] = {"ApiId": api}
        if operation == "create_route":
            params["RouteKey"] = "$default"
        elif operation == "get_tags":
            params = {"ResourceArn": _arn(api)}
        elif operation == "get_stage":
            params["StageName"] = "dev"
        self.call(operation, NOT_FOUND, **params)

    # --- APIs.

    @rule(
        target=apis,
        protocol=st.sampled_from(["HTTP", "WEBSOCKET"]),
        name=NAMES,
        description=DESCRIPTIONS,
        quick=st.sampled_from([None, None, None, LAMBDA, "https://example.com"]),
    )
    def create_api(self, protocol: str, name: str, description: str | None, quick: str | None) -> Any:
        params: dict[str, Any] = {"Name": name, "ProtocolType": protocol}
        if protocol == "WEBSOCKET":
            params["RouteSelectionExpression"] = "$request.body.action"
        elif quick is not None:
            params["Target"] = quick
        if description is not None:
            params["Description"] = description
        output = self.call("create_api", OK, **params)
        assert output is not None
        api_id = output["ApiId"]
        fields: dict[str, Any] = {"Name": name, "Description": description if description else ABSENT}
        self.live[api_id] = ApiRef(protocol, fields)
        if "Target" in params:
            self.take_quick_create(api_id, quick)  # type: ignore[arg-type]
        return api_id

    def take_quick_create(self, api_id: str, target: str) -> None:
        """Record what quick create made: a managed integration, ``$default`` route and auto-deploy stage (apis.md)."""
        ref = self.live[api_id]
        (integration,) = CLIENT.get_integrations(ApiId=api_id)["Items"]
        (route,) = CLIENT.get_routes(ApiId=api_id)["Items"]
        (stage,) = CLIENT.get_stages(ApiId=api_id)["Items"]
        integration_id = integration["IntegrationId"]
        kind = "AWS_PROXY" if target.startswith("arn:") else "HTTP_PROXY"
        ref.integrations[integration_id] = {
            "IntegrationType": kind,
            "IntegrationUri": target,
            "ApiGatewayManaged": True,
            "Description": ABSENT,
        }
        ref.integration_responses[integration_id] = {}
        self.made_integrations.append((api_id, integration_id))
        ref.routes[route["RouteId"]] = {
            "RouteKey": "$default",
            "Target": f"integrations/{integration_id}",
            "AuthorizationType": "NONE",
            "ApiGatewayManaged": True,
        }
        ref.route_responses[route["RouteId"]] = {}
        ref.stages["$default"] = {
            "StageName": "$default",
            "AutoDeploy": True,
            "ApiGatewayManaged": True,
            "Tags": {},
            "RouteSettings": {},
        }
        assert stage["StageName"] == "$default"
        ref.managed |= {integration_id, route["RouteId"], "$default"}
        self.take_auto_deployments(api_id, 1)

    @rule(api=apis)
    def get_api(self, api: str) -> None:
        self.call("get_api", OK if api in self.live else NOT_FOUND, ApiId=api)

    @rule(api=apis, name=st.none() | NAMES, description=DESCRIPTIONS)
    def update_api(self, api: str, name: str | None, description: str | None) -> None:
        params = {k: v for k, v in (("Name", name), ("Description", description)) if v is not None}
        if self.call("update_api", OK if api in self.live else NOT_FOUND, ApiId=api, **params) is None:
            return
        fields = self.live[api].fields
        if name is not None:
            fields["Name"] = name
        if description is not None:
            fields["Description"] = description or ABSENT  # "" removes the description (apis.md)
        self.changed(api)

    @rule(target=apis, api=consumes(apis))
    def delete_api(self, api: str) -> Any:
        """Delete an API; a refused one goes back to the bundle, a deleted one is kept in ``dead_apis``."""
        expect = OK if api in self.live else NOT_FOUND
        if expect == OK and any(m["ApiId"] == api for mappings in self.domains.values() for m in mappings.values()):
            # AWS refuses until the API's mappings are deleted (domains-and-vpc-links.md; cloud-nuke #370).
            expect = BAD_REQUEST
        if self.call("delete_api", expect, ApiId=api) is None:
            return api
        del self.live[api]
        self.dead_apis.append(api)
        return multiple()

    # --- Tags.

    @rule(api=apis, key=st.sampled_from(["team", "env"]), value=st.sampled_from(["a", "b", ""]))
    def tag_api(self, api: str, key: str, value: str) -> None:
        expect = OK if api in self.live else NOT_FOUND
        if self.call("tag_resource", expect, ResourceArn=_arn(api), Tags={key: value}) is not None:
            self.live[api].tags[key] = value
            self.take_auto_deployments(api, None)

    @rule(api=apis, key=st.sampled_from(["team", "env", "absent"]))
    def untag_api(self, api: str, key: str) -> None:
        expect = OK if api in self.live else NOT_FOUND
        if self.call("untag_resource", expect, ResourceArn=_arn(api), TagKeys=[key]) is not None:
            self.live[api].tags.pop(key, None)
            self.take_auto_deployments(api, None)

    # --- Routes.

    @rule(target=routes, api=apis, index=st.integers(0, 4), data=st.data())
    def create_route(self, api: str, index: int, data: st.DataObject) -> Any:
        ref = self.live.get(api)
        integration = self.some_integration(api, data)
        params: dict[str, Any] = {"ApiId": api}
        expect = OK
        key = ""
        if ref is None:
            expect = NOT_FOUND
        else:
            key = (HTTP_ROUTE_KEYS if ref.protocol == "HTTP" else WS_ROUTE_KEYS)[index]
            if any(r["RouteKey"] == key for r in ref.routes.values()):
                expect = CONFLICT  # routes.md; aws-facts §1.3
        params["RouteKey"] = key or "$default"
        if integration is not None:
            params["Target"] = f"integrations/{integration[1]}"
            if expect == OK and (integration[0] != api or integration[1] not in ref.integrations):  # type: ignore[union-attr]
                expect = NOT_FOUND  # an integration the API does not have (routes.md)
            elif expect == CONFLICT and integration[1] not in ref.integrations:  # type: ignore[union-attr]
                expect = ANY_ERROR
        output = self.call("create_route", expect, **params)
        if output is None:
            return multiple()
        assert ref is not None
        members = {"RouteKey": key, "Target": params.get("Target", ABSENT), "AuthorizationType": "NONE"}
        ref.routes[output["RouteId"]] = members
        ref.route_responses[output["RouteId"]] = {}
        self.changed(api)
        return (api, output["RouteId"])

    def some_integration(self, api: str, data: st.DataObject) -> tuple[str, str] | None:
        """No integration, one of *api*'s, or (less often) any integration ever made, of any API."""
        choice = data.draw(st.sampled_from(["none", "own", "own", "any"]))
        ref = self.live.get(api)
        if choice == "own" and ref is not None and ref.integrations:
            return (api, data.draw(st.sampled_from(list(ref.integrations))))
        if choice == "any" and self.made_integrations:
            return data.draw(st.sampled_from(self.made_integrations))
        return None

    def _route_expect(self, api: str, route_id: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and route_id in ref.routes else NOT_FOUND

    @rule(route=routes, other=apis, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_route(self, route: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else route[0]
        route_id = fake or route[1]
        self.call("get_route", self._route_expect(api, route_id), ApiId=api, RouteId=route_id)

    @rule(route=routes, index=st.one_of(st.none(), st.none(), st.integers(0, 4)), data=st.data())
    def update_route(self, route: tuple[str, str], index: int | None, data: st.DataObject) -> None:
        api, route_id = route
        integration = self.some_integration(api, data)
        expect = self._route_expect(api, route_id)
        params: dict[str, Any] = {"ApiId": api, "RouteId": route_id}
        ref = self.live.get(api)
        if ref is not None and index is not None:
            params["RouteKey"] = (HTTP_ROUTE_KEYS if ref.protocol == "HTTP" else WS_ROUTE_KEYS)[index]
        if integration is not None:
            params["Target"] = f"integrations/{integration[1]}"
        if expect == OK:
            assert ref is not None
            violations = set()
            if any(r["RouteKey"] == params.get("RouteKey") for i, r in ref.routes.items() if i != route_id):
                violations.add(CONFLICT)
            if integration is not None and (integration[0] != api or integration[1] not in ref.integrations):
                violations.add(NOT_FOUND)
            new_key = params.get("RouteKey", ref.routes[route_id]["RouteKey"])
            if route_id in ref.managed and new_key != ref.routes[route_id]["RouteKey"]:
                violations.add(BAD_REQUEST)  # a managed route's key cannot change (apis.md)
            authorized = ref.routes[route_id]["AuthorizationType"] != "NONE"
            if ref.protocol == "WEBSOCKET" and authorized and new_key != "$connect":
                violations.add(BAD_REQUEST)  # WebSocket authorization is on $connect only (routes.md)
            expect = _outcome(violations)
        if self.call("update_route", expect, **params) is None:
            return
        assert ref is not None
        if "RouteKey" in params:
            ref.routes[route_id]["RouteKey"] = params["RouteKey"]
        if "Target" in params:
            ref.routes[route_id]["Target"] = params["Target"]
        self.changed(api)

    @rule(route=routes, data=st.data())
    def authorize_route(self, route: tuple[str, str], data: st.DataObject) -> None:
        """Set a route's AuthorizationType with (or without) an authorizer of its API or another's."""
        api, route_id = route
        kind = data.draw(st.sampled_from(["NONE", "AWS_IAM", "CUSTOM", "JWT"]))
        ref = self.live.get(api)
        wanted = {"CUSTOM": "REQUEST", "JWT": "JWT"}.get(kind)
        fitting = [i for i, a in ref.authorizers.items() if a["AuthorizerType"] == wanted] if ref else []
        if data.draw(SWAP):  # now and then anything: none, another type's, another API's, never created
            authorizer = data.draw(
                st.none() | st.sampled_from([a[1] for a in self.made_authorizers] or ["x"]) | FAKE_IDS
            )
        else:
            authorizer = data.draw(st.sampled_from(fitting)) if fitting else None
        params: dict[str, Any] = {"ApiId": api, "RouteId": route_id, "AuthorizationType": kind}
        if authorizer is not None:
            params["AuthorizerId"] = authorizer
        expect = self._route_expect(api, route_id)
        if expect == OK:
            assert ref is not None
            violations = set()
            if ref.protocol == "WEBSOCKET" and kind == "JWT":
                violations.add(BAD_REQUEST)
            if ref.protocol == "WEBSOCKET" and kind != "NONE" and ref.routes[route_id]["RouteKey"] != "$connect":
                violations.add(BAD_REQUEST)
            if (wanted is None) != (authorizer is None):
                violations.add(BAD_REQUEST)  # CUSTOM and JWT need an authorizer, the others take none
            elif wanted is not None and authorizer not in ref.authorizers:
                violations.add(NOT_FOUND)
            elif wanted is not None and ref.authorizers[authorizer]["AuthorizerType"] != wanted:  # type: ignore[index]
                violations.add(BAD_REQUEST)
            expect = _outcome(violations)
        if self.call("update_route", expect, **params) is None:
            return
        assert ref is not None
        ref.routes[route_id]["AuthorizationType"] = kind
        ref.routes[route_id]["AuthorizerId"] = authorizer if authorizer is not None else ABSENT
        self.changed(api)

    @rule(route=routes)
    def delete_route(self, route: tuple[str, str]) -> None:
        api, route_id = route
        expect = self._route_expect(api, route_id)
        if expect == OK and route_id in self.live[api].managed:
            expect = BAD_REQUEST  # managed routes cannot be deleted (apis.md)
        if self.call("delete_route", expect, ApiId=api, RouteId=route_id) is None:
            return
        ref = self.live[api]
        del ref.routes[route_id]
        del ref.route_responses[route_id]  # the route's responses go with it (routes.md)
        self.changed(api)

    @rule(route=routes, name=st.sampled_from(["M1", "M2", "M3"]), clear=st.booleans())
    def route_request_models(self, route: tuple[str, str], name: str, clear: bool) -> None:
        """Name a model in a route's RequestModels (WebSocket only: ignored on HTTP APIs, routes.md)."""
        api, route_id = route
        expect = self._route_expect(api, route_id)
        ref = self.live.get(api)
        models = {} if clear else {"application/json": name}
        if expect == OK:
            assert ref is not None
            known = {m["Name"] for m in ref.models.values()}
            if ref.protocol == "WEBSOCKET" and models and name not in known:
                expect = NOT_FOUND  # "Unable to find Model by name ..." (routes.md)
        params = {"ApiId": api, "RouteId": route_id, "RequestModels": models}
        if self.call("update_route", expect, **params) is None:
            return
        assert ref is not None
        if ref.protocol == "WEBSOCKET":
            ref.routes[route_id]["RequestModels"] = models
        else:
            ref.routes[route_id]["RequestModels"] = ABSENT
        self.changed(api)

    # --- Route responses.

    @rule(target=route_responses, route=routes, key=st.sampled_from(["$default", "$default", "other"]))
    def create_route_response(self, route: tuple[str, str], key: str) -> Any:
        api, route_id = route
        expect = self._route_expect(api, route_id)
        if expect == OK:
            if key != "$default":
                expect = BAD_REQUEST  # only $default (aws-facts §3.3)
            elif self.live[api].route_responses[route_id]:
                expect = CONFLICT  # one route response per route (routes.md)
        output = self.call("create_route_response", expect, ApiId=api, RouteId=route_id, RouteResponseKey=key)
        if output is None:
            return multiple()
        self.live[api].route_responses[route_id][output["RouteResponseId"]] = {"RouteResponseKey": key}
        self.changed(api)
        return (api, route_id, output["RouteResponseId"])

    def _route_response_expect(self, response: tuple[str, str, str]) -> str:
        api, route_id, response_id = response
        ref = self.live.get(api)
        found = ref is not None and response_id in ref.route_responses.get(route_id, {})
        return OK if found else NOT_FOUND

    @rule(response=route_responses)
    def get_route_response(self, response: tuple[str, str, str]) -> None:
        api, route_id, response_id = response
        expect = self._route_response_expect(response)
        self.call("get_route_response", expect, ApiId=api, RouteId=route_id, RouteResponseId=response_id)

    @rule(response=route_responses, name=st.sampled_from(["M1", "M2", "M3"]), clear=st.booleans())
    def route_response_models(self, response: tuple[str, str, str], name: str, clear: bool) -> None:
        """Name a model in a route response's ResponseModels (kept on both protocols, routes.md)."""
        api, route_id, response_id = response
        expect = self._route_response_expect(response)
        models = {} if clear else {"application/json": name}
        if expect == OK and models and name not in {m["Name"] for m in self.live[api].models.values()}:
            expect = NOT_FOUND  # "Unable to find Model by name ..." (routes.md)
        params = {"ApiId": api, "RouteId": route_id, "RouteResponseId": response_id, "ResponseModels": models}
        if self.call("update_route_response", expect, **params) is None:
            return
        self.live[api].route_responses[route_id][response_id]["ResponseModels"] = models
        self.changed(api)

    @rule(response=route_responses)
    def delete_route_response(self, response: tuple[str, str, str]) -> None:
        api, route_id, response_id = response
        expect = self._route_response_expect(response)
        self.call("delete_route_response", expect, ApiId=api, RouteId=route_id, RouteResponseId=response_id)
        if expect == OK:
            del self.live[api].route_responses[route_id][response_id]
            self.changed(api)

    # --- Integrations.

    @rule(target=integrations, api=apis, kind=st.sampled_from(["lambda", "http", "mock"]))
    def create_integration(self, api: str, kind: str) -> Any:
        ref = self.live.get(api)
        params: dict[str, Any] = {"ApiId": api}
        if kind == "lambda":
            params.update(IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA)
            if ref is not None and ref.protocol == "HTTP":
                params["PayloadFormatVersion"] = "2.0"
        elif kind == "http":
            params.update(IntegrationType="HTTP_PROXY", IntegrationUri="https://example.com", IntegrationMethod="GET")
        else:
            params.update(IntegrationType="MOCK")
        expect = OK
        if ref is None:
            expect = NOT_FOUND
        elif ref.protocol == "HTTP" and kind == "mock":
            expect = BAD_REQUEST  # HTTP APIs take only proxy integrations (aws-facts §1.3)
        output = self.call("create_integration", expect, **params)
        if output is None:
            return multiple()
        assert ref is not None
        ref.integrations[output["IntegrationId"]] = {
            "IntegrationType": params["IntegrationType"],
            "IntegrationUri": params.get("IntegrationUri", ABSENT),
            "Description": ABSENT,
        }
        ref.integration_responses[output["IntegrationId"]] = {}
        self.made_integrations.append((api, output["IntegrationId"]))
        self.changed(api)
        return (api, output["IntegrationId"])

    def _integration_expect(self, api: str, integration_id: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and integration_id in ref.integrations else NOT_FOUND

    @rule(integration=integrations, other=apis, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_integration(self, integration: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else integration[0]
        integration_id = fake or integration[1]
        expect = self._integration_expect(api, integration_id)
        self.call("get_integration", expect, ApiId=api, IntegrationId=integration_id)

    @rule(integration=integrations, description=st.sampled_from(["d1", "d2"]))
    def update_integration(self, integration: tuple[str, str], description: str) -> None:
        api, integration_id = integration
        expect = self._integration_expect(api, integration_id)
        params = {"ApiId": api, "IntegrationId": integration_id, "Description": description}
        if self.call("update_integration", expect, **params) is None:
            return
        self.live[api].integrations[integration_id]["Description"] = description
        self.changed(api)

    @rule(integration=integrations)
    def delete_integration(self, integration: tuple[str, str]) -> None:
        api, integration_id = integration
        expect = self._integration_expect(api, integration_id)
        ref = self.live.get(api)
        if expect == OK:
            assert ref is not None
            violations = set()
            if any(r.get("Target") == f"integrations/{integration_id}" for r in ref.routes.values()):
                violations.add(CONFLICT)  # a route targets it (integrations.md)
            if integration_id in ref.managed:
                violations.add(BAD_REQUEST)  # managed integrations cannot be deleted (apis.md)
            expect = _outcome(violations)
        if self.call("delete_integration", expect, ApiId=api, IntegrationId=integration_id) is None:
            return
        assert ref is not None
        del ref.integrations[integration_id]
        del ref.integration_responses[integration_id]  # its responses go with it (integrations.md)
        self.changed(api)

    # --- Integration responses.

    @rule(target=integration_responses, integration=integrations, key=st.sampled_from(["$default", "/2\\d\\d/", "x"]))
    def create_integration_response(self, integration: tuple[str, str], key: str) -> Any:
        api, integration_id = integration
        expect = self._integration_expect(api, integration_id)
        if expect == OK:
            if key == "x":
                expect = BAD_REQUEST  # $default or /regex/ (aws-facts §3.4)
            elif any(
                r["IntegrationResponseKey"] == key
                for r in self.live[api].integration_responses[integration_id].values()
            ):
                expect = CONFLICT  # integrations.md
        output = self.call(
            "create_integration_response", expect, ApiId=api, IntegrationId=integration_id, IntegrationResponseKey=key
        )
        if output is None:
            return multiple()
        response_id = output["IntegrationResponseId"]
        self.live[api].integration_responses[integration_id][response_id] = {"IntegrationResponseKey": key}
        self.changed(api)
        return (api, integration_id, response_id)

    def _integration_response_expect(self, response: tuple[str, str, str]) -> str:
        api, integration_id, response_id = response
        ref = self.live.get(api)
        found = ref is not None and response_id in ref.integration_responses.get(integration_id, {})
        return OK if found else NOT_FOUND

    @rule(response=integration_responses)
    def delete_integration_response(self, response: tuple[str, str, str]) -> None:
        api, integration_id, response_id = response
        expect = self._integration_response_expect(response)
        params = {"ApiId": api, "IntegrationId": integration_id, "IntegrationResponseId": response_id}
        self.call("delete_integration_response", expect, **params)
        if expect == OK:
            del self.live[api].integration_responses[integration_id][response_id]
            self.changed(api)

    # --- Stages and deployments.

    @rule(
        target=stages,
        api=apis,
        name=st.sampled_from(STAGE_NAMES),
        auto=st.none() | st.booleans(),
        description=st.none() | st.sampled_from(["s1", "s2"]),
    )
    def create_stage(self, api: str, name: str, auto: bool | None, description: str | None) -> Any:
        ref = self.live.get(api)
        params: dict[str, Any] = {"ApiId": api, "StageName": name}
        if auto is not None:
            params["AutoDeploy"] = auto
        if description is not None:
            params["Description"] = description
        expect = OK
        if ref is None:
            expect = NOT_FOUND
        elif name in ref.stages:
            expect = CONFLICT  # stages-and-deployments.md
        if self.call("create_stage", expect, **params) is None:
            return multiple()
        assert ref is not None
        ref.stages[name] = {
            "StageName": name,
            "AutoDeploy": FALSE_OR_ABSENT if auto is None else auto,
            "Description": description or ABSENT,
            "DeploymentId": ABSENT,
            "Tags": {},
            "RouteSettings": {},
        }
        # An AutoDeploy stage is deployed at once if the API can be (aws-facts §9.1).
        self.take_auto_deployments(api, 1 if auto and ref.deployable() else 0)
        return (api, name)

    def _stage_expect(self, api: str, name: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and name in ref.stages else NOT_FOUND

    @rule(stage=stages, other=apis, swap=SWAP)
    def get_stage(self, stage: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else stage[0]
        self.call("get_stage", self._stage_expect(api, stage[1]), ApiId=api, StageName=stage[1])

    @rule(
        stage=stages,
        auto=st.none() | st.booleans(),
        data=st.data(),
        description=st.none() | st.sampled_from(["s3", "s4"]),
    )
    def update_stage(
        self, stage: tuple[str, str], auto: bool | None, data: st.DataObject, description: str | None
    ) -> None:
        """Update a stage: its description, AutoDeploy, and the deployment it serves (its API's, or not)."""
        api, name = stage
        expect = self._stage_expect(api, name)
        ref = self.live.get(api)
        choice = data.draw(st.sampled_from(["none", "none", "own", "other"]))
        deployment: tuple[str, str] | None = None
        if choice == "own" and ref is not None and ref.deployments:
            deployment = (api, data.draw(st.sampled_from(list(ref.deployments))))
        elif choice == "other":
            deployment = (api, data.draw(FAKE_IDS))
        params: dict[str, Any] = {"ApiId": api, "StageName": name}
        if auto is not None:
            params["AutoDeploy"] = auto
        if deployment is not None:
            params["DeploymentId"] = deployment[1]
        if description is not None:
            params["Description"] = description
        auto_before = auto_after = False
        if expect == OK:
            assert ref is not None
            auto_before = ref.stages[name]["AutoDeploy"] is True
            auto_after = auto if auto is not None else auto_before
            if deployment is not None and deployment[1] not in ref.deployments:
                expect = ANY_ERROR if auto_after else NOT_FOUND
            elif deployment is not None and auto_after:
                expect = BAD_REQUEST  # "Can't be updated if autoDeploy is enabled" (model; stages-and-deployments.md)
        if self.call("update_stage", expect, **params) is None:
            return
        assert ref is not None
        members = ref.stages[name]
        if auto is not None:
            members["AutoDeploy"] = auto
        if description is not None:
            members["Description"] = description
        if deployment is not None:
            members["DeploymentId"] = deployment[1]
        # Switching AutoDeploy on deploys (aws-facts §9.1).
        self.take_auto_deployments(api, 1 if auto_after and not auto_before and ref.deployable() else 0)

    @rule(stage=stages, key=st.sampled_from(["team", "env"]), value=st.sampled_from(["a", "b"]), untag=st.booleans())
    def tag_stage(self, stage: tuple[str, str], key: str, value: str, untag: bool) -> None:
        api, name = stage
        expect = self._stage_expect(api, name)
        if untag:
            done = self.call("untag_resource", expect, ResourceArn=_arn(api, name), TagKeys=[key])
        else:
            done = self.call("tag_resource", expect, ResourceArn=_arn(api, name), Tags={key: value})
        if done is None:
            return
        tags = self.live[api].stages[name].setdefault("Tags", {})
        if untag:
            tags.pop(key, None)
        else:
            tags[key] = value
        self.take_auto_deployments(api, None)

    @rule(stage=stages, data=st.data(), limit=st.integers(0, 100), delete=st.booleans())
    def stage_route_settings(self, stage: tuple[str, str], data: st.DataObject, limit: int, delete: bool) -> None:
        """Set, or delete, the route settings of a route key (mostly one of the API's) on a stage."""
        api, name = stage
        expect = self._stage_expect(api, name)
        ref = self.live.get(api)
        keys = [r["RouteKey"] for r in ref.routes.values()] if ref is not None else []
        if not keys or data.draw(SWAP):
            keys = list(WS_ROUTE_KEYS if ref is not None and ref.protocol == "WEBSOCKET" else HTTP_ROUTE_KEYS)
        key = data.draw(st.sampled_from(keys))
        if expect == OK:
            assert ref is not None
            settings = ref.stages[name].setdefault("RouteSettings", {})
            if delete and key not in settings:
                expect = NOT_FOUND  # no settings for that key (stages-and-deployments.md)
            if not delete and key not in {r["RouteKey"] for r in ref.routes.values()}:
                expect = NOT_FOUND  # "Unable to find Route by key ... within the provided RouteSettings" (aws-facts)
        if delete:
            done = self.call("delete_route_settings", expect, ApiId=api, StageName=name, RouteKey=key)
        else:
            route_settings = {key: {"ThrottlingBurstLimit": limit}}
            done = self.call("update_stage", expect, ApiId=api, StageName=name, RouteSettings=route_settings)
        if done is None:
            return
        assert ref is not None
        settings = ref.stages[name]["RouteSettings"]
        if delete:
            del settings[key]
        else:
            settings[key] = {**settings.get(key, {}), "ThrottlingBurstLimit": limit}  # merged per key
        self.take_auto_deployments(api, 0)  # stage settings deploy nothing (stages-and-deployments.md)

    @rule(stage=stages)
    def delete_stage(self, stage: tuple[str, str]) -> None:
        api, name = stage
        expect = self._stage_expect(api, name)
        if expect == OK and name in self.live[api].managed:
            expect = BAD_REQUEST  # the managed $default stage cannot be deleted (stages-and-deployments.md)
        if self.call("delete_stage", expect, ApiId=api, StageName=name) is None:
            return
        del self.live[api].stages[name]
        # What becomes of API mappings to the deleted stage is not documented: take what the mock shows.
        for domain, mappings in self.domains.items():
            listed = {m["ApiMappingId"] for m in self.list_all("get_api_mappings", DomainName=domain)}
            for mapping_id in [i for i, m in mappings.items() if m["ApiId"] == api and m["Stage"] == name]:
                if mapping_id not in listed:
                    del mappings[mapping_id]

    @rule(
        target=deployments,
        api=apis,
        data=st.data(),
        description=st.none() | st.sampled_from(["d1", "d2"]),
    )
    def create_deployment(self, api: str, data: st.DataObject, description: str | None) -> Any:
        ref = self.live.get(api)
        stage = data.draw(st.none() | st.sampled_from(list(ref.stages) if ref and ref.stages else STAGE_NAMES))
        if stage is not None and data.draw(SWAP):
            stage = data.draw(st.sampled_from(STAGE_NAMES))
        params: dict[str, Any] = {"ApiId": api}
        if stage is not None:
            params["StageName"] = stage
        if description is not None:
            params["Description"] = description
        expect = OK
        if ref is None or (stage is not None and stage not in ref.stages):
            expect = NOT_FOUND  # an unknown stage: nothing is created (stages-and-deployments.md)
        elif not ref.deployable():
            expect = BAD_REQUEST  # a WebSocket API without routes
        output = self.call("create_deployment", expect, **params)
        if output is None:
            return multiple()
        assert ref is not None
        deployment_id = output["DeploymentId"]
        ref.deployments[deployment_id] = {"AutoDeployed": False, "Description": description or ABSENT}
        if stage is not None:
            ref.stages[stage]["DeploymentId"] = deployment_id
        return (api, deployment_id)

    def _deployment_expect(self, api: str, deployment_id: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and deployment_id in ref.deployments else NOT_FOUND

    @rule(deployment=deployments, other=apis, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_deployment(self, deployment: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else deployment[0]
        deployment_id = fake or deployment[1]
        expect = self._deployment_expect(api, deployment_id)
        self.call("get_deployment", expect, ApiId=api, DeploymentId=deployment_id)

    @rule(deployment=deployments, description=st.sampled_from(["d3", "d4"]))
    def update_deployment(self, deployment: tuple[str, str], description: str) -> None:
        api, deployment_id = deployment
        expect = self._deployment_expect(api, deployment_id)
        params = {"ApiId": api, "DeploymentId": deployment_id, "Description": description}
        if self.call("update_deployment", expect, **params) is not None:
            self.live[api].deployments[deployment_id]["Description"] = description

    @rule(deployment=deployments)
    def delete_deployment(self, deployment: tuple[str, str]) -> None:
        api, deployment_id = deployment
        expect = self._deployment_expect(api, deployment_id)
        ref = self.live.get(api)
        if expect == OK:
            assert ref is not None
            if any(s["DeploymentId"] == deployment_id for s in ref.stages.values()):
                expect = BAD_REQUEST  # a stage serves it (stages-and-deployments.md)
        if self.call("delete_deployment", expect, ApiId=api, DeploymentId=deployment_id) is None:
            return
        assert ref is not None
        del ref.deployments[deployment_id]

    # --- Authorizers.

    @rule(target=authorizers, api=apis, name=st.sampled_from(["a1", "a2", "a3"]), jwt=st.booleans())
    def create_authorizer(self, api: str, name: str, jwt: bool) -> Any:
        ref = self.live.get(api)
        params: dict[str, Any] = {"ApiId": api, "Name": name}
        expect = OK
        if ref is None:
            expect = NOT_FOUND
            params.update(AuthorizerType="REQUEST", IdentitySource=["$request.header.Auth"], AuthorizerUri=LAMBDA_URI)
        elif ref.protocol == "WEBSOCKET":
            params.update(
                AuthorizerType="REQUEST", IdentitySource=["route.request.header.Auth"], AuthorizerUri=LAMBDA_URI
            )
        elif jwt:
            params.update(
                AuthorizerType="JWT",
                IdentitySource=["$request.header.Authorization"],
                JwtConfiguration={"Issuer": "https://issuer.example.com", "Audience": ["aud"]},
            )
        else:
            params.update(
                AuthorizerType="REQUEST",
                IdentitySource=["$request.header.Auth"],
                AuthorizerUri=LAMBDA_URI,
                AuthorizerPayloadFormatVersion="2.0",
            )
        if ref is not None and any(a["Name"] == name for a in ref.authorizers.values()):
            expect = CONFLICT  # unique names (authorizers-and-models.md)
        output = self.call("create_authorizer", expect, **params)
        if output is None:
            return multiple()
        assert ref is not None
        ref.authorizers[output["AuthorizerId"]] = {
            "Name": name,
            "AuthorizerType": params["AuthorizerType"],
            "IdentitySource": params["IdentitySource"],
        }
        self.made_authorizers.append((api, output["AuthorizerId"]))
        self.changed(api)
        return (api, output["AuthorizerId"])

    def _authorizer_expect(self, api: str, authorizer_id: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and authorizer_id in ref.authorizers else NOT_FOUND

    @rule(authorizer=authorizers, other=apis, swap=SWAP)
    def get_authorizer(self, authorizer: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else authorizer[0]
        expect = self._authorizer_expect(api, authorizer[1])
        self.call("get_authorizer", expect, ApiId=api, AuthorizerId=authorizer[1])

    @rule(authorizer=authorizers, name=st.sampled_from(["a1", "a2", "a3"]))
    def update_authorizer(self, authorizer: tuple[str, str], name: str) -> None:
        api, authorizer_id = authorizer
        expect = self._authorizer_expect(api, authorizer_id)
        ref = self.live.get(api)
        if expect == OK:
            assert ref is not None
            if any(a["Name"] == name for i, a in ref.authorizers.items() if i != authorizer_id):
                expect = CONFLICT
        if self.call("update_authorizer", expect, ApiId=api, AuthorizerId=authorizer_id, Name=name) is None:
            return
        assert ref is not None
        ref.authorizers[authorizer_id]["Name"] = name
        self.changed(api)

    @rule(authorizer=authorizers)
    def delete_authorizer(self, authorizer: tuple[str, str]) -> None:
        api, authorizer_id = authorizer
        expect = self._authorizer_expect(api, authorizer_id)
        if expect == OK and any(r.get("AuthorizerId") == authorizer_id for r in self.live[api].routes.values()):
            expect = CONFLICT  # routes use it (authorizers-and-models.md)
        if self.call("delete_authorizer", expect, ApiId=api, AuthorizerId=authorizer_id) is None:
            return
        del self.live[api].authorizers[authorizer_id]
        self.changed(api)

    # --- Models.

    @rule(target=models, api=apis, name=st.sampled_from(["M1", "M2", "bad-name"]))
    def create_model(self, api: str, name: str) -> Any:
        ref = self.live.get(api)
        expect = OK
        if ref is None:
            expect = NOT_FOUND
        elif not name.isalnum():
            expect = BAD_REQUEST  # "Must be alphanumeric" (model)
        elif any(m["Name"] == name for m in ref.models.values()):
            expect = CONFLICT  # authorizers-and-models.md
        schema = json.dumps({"type": "object"})
        output = self.call("create_model", expect, ApiId=api, Name=name, Schema=schema)
        if output is None:
            return multiple()
        assert ref is not None
        ref.models[output["ModelId"]] = {"Name": name, "Schema": schema}
        self.changed(api)
        return (api, output["ModelId"])

    def _model_expect(self, api: str, model_id: str) -> str:
        ref = self.live.get(api)
        return OK if ref is not None and model_id in ref.models else NOT_FOUND

    @rule(model=models, other=apis, swap=SWAP)
    def get_model(self, model: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else model[0]
        self.call("get_model", self._model_expect(api, model[1]), ApiId=api, ModelId=model[1])

    def model_users(self, api: str, name: str) -> list[str]:
        """The routes and route responses of *api* that name the model *name* (authorizers-and-models.md)."""
        ref = self.live[api]
        users = [i for i, r in ref.routes.items() if name in _names(r.get("RequestModels"))]
        for responses in ref.route_responses.values():
            users += [i for i, r in responses.items() if name in _names(r.get("ResponseModels"))]
        return users

    @rule(model=models, name=st.sampled_from(["M1", "M2", "M3", "bad-name"]))
    def rename_model(self, model: tuple[str, str], name: str) -> None:
        api, model_id = model
        expect = self._model_expect(api, model_id)
        if expect == OK:
            ref = self.live[api]
            violations = set()
            if name != ref.models[model_id]["Name"]:
                if not name.isalnum():
                    violations.add(BAD_REQUEST)
                if any(m["Name"] == name for m in ref.models.values()):
                    violations.add(CONFLICT)
                if self.model_users(api, ref.models[model_id]["Name"]):
                    violations.add(CONFLICT)  # a model in use cannot be renamed
            expect = _outcome(violations)
        if self.call("update_model", expect, ApiId=api, ModelId=model_id, Name=name) is None:
            return
        self.live[api].models[model_id]["Name"] = name
        self.changed(api)

    @rule(model=models)
    def delete_model(self, model: tuple[str, str]) -> None:
        api, model_id = model
        expect = self._model_expect(api, model_id)
        if expect == OK and self.model_users(api, self.live[api].models[model_id]["Name"]):
            expect = CONFLICT  # a model in use cannot be deleted (authorizers-and-models.md)
        if self.call("delete_model", expect, ApiId=api, ModelId=model_id) is None:
            return
        del self.live[api].models[model_id]
        self.changed(api)

    # --- Custom domain names and API mappings.

    @rule(name=st.sampled_from(DOMAINS), delete=st.booleans())
    def create_or_delete_domain_name(self, name: str, delete: bool) -> None:
        if delete:
            expect = OK if name in self.domains else NOT_FOUND
            self.call("delete_domain_name", expect, DomainName=name)
            if expect == OK:
                del self.domains[name]
            return
        expect = CONFLICT if name in self.domains else OK  # domains-and-vpc-links.md
        configuration = [{"CertificateArn": CERTIFICATE, "EndpointType": "REGIONAL"}]
        if self.call("create_domain_name", expect, DomainName=name, DomainNameConfigurations=configuration):
            self.domains[name] = {}

    @rule(target=mappings, domain=st.sampled_from(DOMAINS), stage=stages, key=st.sampled_from(MAPPING_KEYS))
    def create_api_mapping(self, domain: str, stage: tuple[str, str], key: str) -> Any:
        api, name = stage
        ref = self.live.get(api)
        if domain not in self.domains or ref is None:
            expect = NOT_FOUND
        elif name not in ref.stages:
            expect = BAD_REQUEST  # "Invalid stage identifier specified" (aws-facts §1.3)
        elif any(m["ApiMappingKey"] == key for m in self.domains[domain].values()):
            expect = ANY_ERROR  # the key is taken (the mock's ConflictException; other rules may refuse first)
        else:
            # A domain serves one protocol (domains-and-vpc-links.md).
            protocols = {self.live[m["ApiId"]].protocol for m in self.domains[domain].values()}
            expect = OK if protocols <= {ref.protocol} else BAD_REQUEST
        params = {"DomainName": domain, "ApiId": api, "Stage": name, "ApiMappingKey": key}
        output = self.call("create_api_mapping", expect, **params)
        if output is None:
            return multiple()
        self.domains[domain][output["ApiMappingId"]] = {"ApiId": api, "Stage": name, "ApiMappingKey": key}
        return (domain, output["ApiMappingId"])

    @rule(mapping=mappings, stage=stages, key=st.none() | st.sampled_from(MAPPING_KEYS))
    def update_api_mapping(self, mapping: tuple[str, str], stage: tuple[str, str], key: str | None) -> None:
        """Point a mapping at another stage (of its API or another), maybe under another key."""
        domain, mapping_id = mapping
        api, name = stage
        current = self.domains.get(domain, {}).get(mapping_id)
        ref = self.live.get(api)
        params = {"DomainName": domain, "ApiMappingId": mapping_id, "ApiId": api, "Stage": name}
        if key is not None:
            params["ApiMappingKey"] = key
        if current is None or ref is None:
            expect = NOT_FOUND
        else:
            others = [m for i, m in self.domains[domain].items() if i != mapping_id]
            violations = set()
            if name not in ref.stages:
                violations.add(BAD_REQUEST)
            if any(m["ApiMappingKey"] == (current["ApiMappingKey"] if key is None else key) for m in others):
                violations.add(CONFLICT)
            if {self.live[m["ApiId"]].protocol for m in others} - {ref.protocol}:
                violations.add(BAD_REQUEST)
            expect = _outcome(violations)
        if self.call("update_api_mapping", expect, **params) is None:
            return
        assert current is not None
        current.update(ApiId=api, Stage=name)
        if key is not None:
            current["ApiMappingKey"] = key

    @rule(name=NAMES, delete=st.sampled_from([False, False, True]), data=st.data())
    def vpc_link(self, name: str, delete: bool, data: st.DataObject) -> None:
        """Create a VPC link, or delete one (in use by an integration: ConflictException, domains-and-vpc-links.md)."""
        if delete and self.vpc_links:
            link_id = data.draw(st.sampled_from(list(self.vpc_links)))
            used = any(
                i.get("ConnectionId") == link_id for ref in self.live.values() for i in ref.integrations.values()
            )
            if self.call("delete_vpc_link", CONFLICT if used else OK, VpcLinkId=link_id) is not None:
                del self.vpc_links[link_id]
            return
        expect = OK if len(self.vpc_links) < 10 else "TooManyRequestsException"  # 10 per Region (aws-facts §4)
        output = self.call("create_vpc_link", expect, Name=name, SubnetIds=["subnet-1"])
        if output is not None:
            self.vpc_links[output["VpcLinkId"]] = {"Name": name, "SubnetIds": ["subnet-1"]}

    @rule(target=integrations, api=apis, data=st.data())
    def create_private_integration(self, api: str, data: st.DataObject) -> Any:
        """An HTTP API integration through a VPC link (an unknown link: NotFoundException, integrations.md)."""
        ref = self.live.get(api)
        if ref is None or ref.protocol != "HTTP":
            return multiple()
        known = list(self.vpc_links)
        link_id = data.draw(st.sampled_from(known)) if known and not data.draw(SWAP) else data.draw(FAKE_IDS)
        params = {
            "ApiId": api,
            "IntegrationType": "HTTP_PROXY",
            "IntegrationMethod": "GET",
            "IntegrationUri": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/a/b/c",
            "ConnectionType": "VPC_LINK",
            "ConnectionId": link_id,
        }
        output = self.call("create_integration", OK if link_id in self.vpc_links else NOT_FOUND, **params)
        if output is None:
            return multiple()
        integration_id = output["IntegrationId"]
        ref.integrations[integration_id] = {
            "IntegrationType": "HTTP_PROXY",
            "ConnectionType": "VPC_LINK",
            "ConnectionId": link_id,
            "Description": ABSENT,
        }
        ref.integration_responses[integration_id] = {}
        self.made_integrations.append((api, integration_id))
        self.changed(api)
        return (api, integration_id)

    @rule(mapping=mappings)
    def delete_api_mapping(self, mapping: tuple[str, str]) -> None:
        domain, mapping_id = mapping
        expect = OK if mapping_id in self.domains.get(domain, {}) else NOT_FOUND
        self.call("delete_api_mapping", expect, DomainName=domain, ApiMappingId=mapping_id)
        if expect == OK:
            del self.domains[domain][mapping_id]


def _arn(api_id: str, stage: str | None = None) -> str:
    """The ARN that tags an API, or one of its stages."""
    arn = f"arn:aws:apigateway:{REGION}::/apis/{api_id}"
    return f"{arn}/stages/{stage}" if stage is not None else arn


# Small enough for the suite; to hunt for bugs, run the machine with run_state_machine_as_test and, say,
# settings(max_examples=1000, stateful_step_count=50).
ControlPlane.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestControlPlane = ControlPlane.TestCase
