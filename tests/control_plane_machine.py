"""The control-plane state machine's state and checks, on which its rule families build.

It starts a mock per example, makes each call through boto3 and checks its outcome: every call either succeeds
or raises a ``ClientError`` of one of the model's error shapes, and a failed call changes nothing (the full state
after it equals the state before). After every step the whole state, read back through the list operations
(paginated with a random page size), must be exactly the live set the model holds, each item equal to its
``get_*``. It also records the deployments that auto-deploy stages make.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError
from control_plane_model import (
    ANY_ERROR,
    AUTO_DESCRIPTION,
    CLIENT,
    ERROR_SHAPES,
    OK,
    ApiRef,
    matches,
    tag_arn,
    without_metadata,
)
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from mockapigw import MockApiGateway, mock_apigateway


class ControlPlaneMachine(RuleBasedStateMachine):
    """The mock, the model's state, and the checks every rule family shares."""

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
        return without_metadata(output)

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
            matches(members, item, f"VPC link {link_id}")
            assert without_metadata(CLIENT.get_vpc_link(VpcLinkId=link_id)) == item
        assert set(state["domains"]) == set(self.domains)
        for name, mappings in self.domains.items():
            listed = state["domains"][name]
            assert without_metadata(CLIENT.get_domain_name(DomainName=name)) == listed["domain"]
            assert set(listed["mappings"]) == set(mappings), f"mappings of {name}"
            for mapping_id, members in mappings.items():
                item = listed["mappings"][mapping_id]
                matches(members, item, f"mapping {mapping_id}")
                assert without_metadata(CLIENT.get_api_mapping(DomainName=name, ApiMappingId=mapping_id)) == item

    def check_api(self, api_id: str, ref: ApiRef, listed: dict[str, Any]) -> None:
        got = without_metadata(CLIENT.get_api(ApiId=api_id))
        assert got == listed["api"], "get_api differs from its get_apis item"
        matches({**ref.fields, "ProtocolType": ref.protocol, "Tags": ref.tags}, got, f"api {api_id}")
        assert without_metadata(CLIENT.get_tags(ResourceArn=tag_arn(api_id)))["Tags"] == ref.tags
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
                matches(members, item, f"{kind} {item_id}")
                assert without_metadata(getattr(CLIENT, operation)(ApiId=api_id, **{key: item_id})) == item
        for name, stage in ref.stages.items():
            tags = without_metadata(CLIENT.get_tags(ResourceArn=tag_arn(api_id, name)))["Tags"]
            assert tags == stage.get("Tags", {}) == listed["stages"][name]["Tags"], f"tags of stage {name}"
        for route_id, responses in ref.route_responses.items():
            assert set(listed["route_responses"][route_id]) == set(responses)
            for response_id, members in responses.items():
                item = listed["route_responses"][route_id][response_id]
                matches(members, item, f"route response {response_id}")
                got = CLIENT.get_route_response(ApiId=api_id, RouteId=route_id, RouteResponseId=response_id)
                assert without_metadata(got) == item
        for integration_id, responses in ref.integration_responses.items():
            assert set(listed["integration_responses"][integration_id]) == set(responses)
            for response_id, members in responses.items():
                item = listed["integration_responses"][integration_id][response_id]
                matches(members, item, f"integration response {response_id}")
                got = CLIENT.get_integration_response(
                    ApiId=api_id, IntegrationId=integration_id, IntegrationResponseId=response_id
                )
                assert without_metadata(got) == item

    # --- Page size and pagination errors.

    @rule(size=st.none() | st.integers(1, 3))
    def set_page_size(self, size: int | None) -> None:
        self.page_size = size
