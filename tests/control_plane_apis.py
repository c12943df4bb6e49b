"""The control-plane machine's rules for APIs, their tags, routes and route responses.

APIs of both protocols, quick-created ones too (a managed integration, ``$default`` route and auto-deploy stage);
routes with authorizers and request models. Here too: calls with values the service refuses, and calls naming ids
that are not there (unknown ids, ids of another API).
"""

from __future__ import annotations

from typing import Any

from control_plane_machine import ControlPlaneMachine
from control_plane_model import (
    ABSENT,
    ANY_ERROR,
    APIS,
    BAD_REQUEST,
    CLIENT,
    CONFLICT,
    DESCRIPTIONS,
    FAKE_IDS,
    HTTP_ROUTE_KEYS,
    LAMBDA,
    NAMES,
    NOT_FOUND,
    OK,
    ROUTE_RESPONSES,
    ROUTES,
    SOMETIMES_FAKE,
    SWAP,
    WS_ROUTE_KEYS,
    ApiRef,
    outcome,
    tag_arn,
)
from hypothesis import strategies as st
from hypothesis.stateful import consumes, multiple, rule


class ApiRules(ControlPlaneMachine):
    """Rules for APIs, API tags, routes, route responses, refused values and unknown ids."""

    # --- Values the service refuses, and ids that are not there.

    @rule(api=APIS, case=st.integers(0, 9))
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
            self.call("tag_resource", expect if ref else NOT_FOUND, ResourceArn=tag_arn(api), Tags={"aws:x": "y"})
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
            params = {"ResourceArn": tag_arn(api)}
        elif operation == "get_stage":
            params["StageName"] = "dev"
        self.call(operation, NOT_FOUND, **params)

    # --- APIs.

    @rule(
        target=APIS,
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

    @rule(api=APIS)
    def get_api(self, api: str) -> None:
        self.call("get_api", OK if api in self.live else NOT_FOUND, ApiId=api)

    @rule(api=APIS, name=st.none() | NAMES, description=DESCRIPTIONS)
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

    @rule(target=APIS, api=consumes(APIS))
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

    @rule(api=APIS, key=st.sampled_from(["team", "env"]), value=st.sampled_from(["a", "b", ""]))
    def tag_api(self, api: str, key: str, value: str) -> None:
        expect = OK if api in self.live else NOT_FOUND
        if self.call("tag_resource", expect, ResourceArn=tag_arn(api), Tags={key: value}) is not None:
            self.live[api].tags[key] = value
            self.take_auto_deployments(api, None)

    @rule(api=APIS, key=st.sampled_from(["team", "env", "absent"]))
    def untag_api(self, api: str, key: str) -> None:
        expect = OK if api in self.live else NOT_FOUND
        if self.call("untag_resource", expect, ResourceArn=tag_arn(api), TagKeys=[key]) is not None:
            self.live[api].tags.pop(key, None)
            self.take_auto_deployments(api, None)

    # --- Routes.

    @rule(target=ROUTES, api=APIS, index=st.integers(0, 4), data=st.data())
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

    @rule(route=ROUTES, other=APIS, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_route(self, route: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else route[0]
        route_id = fake or route[1]
        self.call("get_route", self._route_expect(api, route_id), ApiId=api, RouteId=route_id)

    @rule(route=ROUTES, index=st.one_of(st.none(), st.none(), st.integers(0, 4)), data=st.data())
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
            expect = outcome(violations)
        if self.call("update_route", expect, **params) is None:
            return
        assert ref is not None
        if "RouteKey" in params:
            ref.routes[route_id]["RouteKey"] = params["RouteKey"]
        if "Target" in params:
            ref.routes[route_id]["Target"] = params["Target"]
        self.changed(api)

    @rule(route=ROUTES, data=st.data())
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
            expect = outcome(violations)
        if self.call("update_route", expect, **params) is None:
            return
        assert ref is not None
        ref.routes[route_id]["AuthorizationType"] = kind
        ref.routes[route_id]["AuthorizerId"] = authorizer if authorizer is not None else ABSENT
        self.changed(api)

    @rule(route=ROUTES)
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

    @rule(route=ROUTES, name=st.sampled_from(["M1", "M2", "M3"]), clear=st.booleans())
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

    @rule(target=ROUTE_RESPONSES, route=ROUTES, key=st.sampled_from(["$default", "$default", "other"]))
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

    @rule(response=ROUTE_RESPONSES)
    def get_route_response(self, response: tuple[str, str, str]) -> None:
        api, route_id, response_id = response
        expect = self._route_response_expect(response)
        self.call("get_route_response", expect, ApiId=api, RouteId=route_id, RouteResponseId=response_id)

    @rule(response=ROUTE_RESPONSES, name=st.sampled_from(["M1", "M2", "M3"]), clear=st.booleans())
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

    @rule(response=ROUTE_RESPONSES)
    def delete_route_response(self, response: tuple[str, str, str]) -> None:
        api, route_id, response_id = response
        expect = self._route_response_expect(response)
        self.call("delete_route_response", expect, ApiId=api, RouteId=route_id, RouteResponseId=response_id)
        if expect == OK:
            del self.live[api].route_responses[route_id][response_id]
            self.changed(api)
