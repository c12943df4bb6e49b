"""The control-plane machine's rules for integrations, integration responses, authorizers and models."""

from __future__ import annotations

import json
from typing import Any

from control_plane_machine import ControlPlaneMachine
from control_plane_model import (
    ABSENT,
    APIS,
    AUTHORIZERS,
    BAD_REQUEST,
    CONFLICT,
    INTEGRATION_RESPONSES,
    INTEGRATIONS,
    LAMBDA,
    LAMBDA_URI,
    MODELS,
    NOT_FOUND,
    OK,
    SOMETIMES_FAKE,
    SWAP,
    model_names,
    outcome,
)
from hypothesis import strategies as st
from hypothesis.stateful import multiple, rule


class IntegrationRules(ControlPlaneMachine):
    """Rules for integrations, integration responses, authorizers and models."""

    # --- Integrations.

    @rule(target=INTEGRATIONS, api=APIS, kind=st.sampled_from(["lambda", "http", "mock"]))
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

    @rule(integration=INTEGRATIONS, other=APIS, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_integration(self, integration: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else integration[0]
        integration_id = fake or integration[1]
        expect = self._integration_expect(api, integration_id)
        self.call("get_integration", expect, ApiId=api, IntegrationId=integration_id)

    @rule(integration=INTEGRATIONS, description=st.sampled_from(["d1", "d2"]))
    def update_integration(self, integration: tuple[str, str], description: str) -> None:
        api, integration_id = integration
        expect = self._integration_expect(api, integration_id)
        params = {"ApiId": api, "IntegrationId": integration_id, "Description": description}
        if self.call("update_integration", expect, **params) is None:
            return
        self.live[api].integrations[integration_id]["Description"] = description
        self.changed(api)

    @rule(integration=INTEGRATIONS)
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
            expect = outcome(violations)
        if self.call("delete_integration", expect, ApiId=api, IntegrationId=integration_id) is None:
            return
        assert ref is not None
        del ref.integrations[integration_id]
        del ref.integration_responses[integration_id]  # its responses go with it (integrations.md)
        self.changed(api)

    # --- Integration responses.

    @rule(target=INTEGRATION_RESPONSES, integration=INTEGRATIONS, key=st.sampled_from(["$default", "/2\\d\\d/", "x"]))
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

    @rule(response=INTEGRATION_RESPONSES)
    def delete_integration_response(self, response: tuple[str, str, str]) -> None:
        api, integration_id, response_id = response
        expect = self._integration_response_expect(response)
        params = {"ApiId": api, "IntegrationId": integration_id, "IntegrationResponseId": response_id}
        self.call("delete_integration_response", expect, **params)
        if expect == OK:
            del self.live[api].integration_responses[integration_id][response_id]
            self.changed(api)

    # --- Authorizers.

    @rule(target=AUTHORIZERS, api=APIS, name=st.sampled_from(["a1", "a2", "a3"]), jwt=st.booleans())
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

    @rule(authorizer=AUTHORIZERS, other=APIS, swap=SWAP)
    def get_authorizer(self, authorizer: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else authorizer[0]
        expect = self._authorizer_expect(api, authorizer[1])
        self.call("get_authorizer", expect, ApiId=api, AuthorizerId=authorizer[1])

    @rule(authorizer=AUTHORIZERS, name=st.sampled_from(["a1", "a2", "a3"]))
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

    @rule(authorizer=AUTHORIZERS)
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

    @rule(target=MODELS, api=APIS, name=st.sampled_from(["M1", "M2", "bad-name"]))
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

    @rule(model=MODELS, other=APIS, swap=SWAP)
    def get_model(self, model: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else model[0]
        self.call("get_model", self._model_expect(api, model[1]), ApiId=api, ModelId=model[1])

    def model_users(self, api: str, name: str) -> list[str]:
        """The routes and route responses of *api* that name the model *name* (authorizers-and-models.md)."""
        ref = self.live[api]
        users = [i for i, r in ref.routes.items() if name in model_names(r.get("RequestModels"))]
        for responses in ref.route_responses.values():
            users += [i for i, r in responses.items() if name in model_names(r.get("ResponseModels"))]
        return users

    @rule(model=MODELS, name=st.sampled_from(["M1", "M2", "M3", "bad-name"]))
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
            expect = outcome(violations)
        if self.call("update_model", expect, ApiId=api, ModelId=model_id, Name=name) is None:
            return
        self.live[api].models[model_id]["Name"] = name
        self.changed(api)

    @rule(model=MODELS)
    def delete_model(self, model: tuple[str, str]) -> None:
        api, model_id = model
        expect = self._model_expect(api, model_id)
        if expect == OK and self.model_users(api, self.live[api].models[model_id]["Name"]):
            expect = CONFLICT  # a model in use cannot be deleted (authorizers-and-models.md)
        if self.call("delete_model", expect, ApiId=api, ModelId=model_id) is None:
            return
        del self.live[api].models[model_id]
        self.changed(api)
