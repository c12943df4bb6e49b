"""The control-plane machine's rules for stages (auto-deploy ones, route settings, tags) and deployments."""

from __future__ import annotations

from typing import Any

from control_plane_machine import ControlPlaneMachine
from control_plane_model import (
    ABSENT,
    ANY_ERROR,
    APIS,
    BAD_REQUEST,
    CONFLICT,
    DEPLOYMENTS,
    FAKE_IDS,
    FALSE_OR_ABSENT,
    HTTP_ROUTE_KEYS,
    NOT_FOUND,
    OK,
    SOMETIMES_FAKE,
    STAGE_NAMES,
    STAGES,
    SWAP,
    WS_ROUTE_KEYS,
    tag_arn,
)
from hypothesis import strategies as st
from hypothesis.stateful import multiple, rule


class StageRules(ControlPlaneMachine):
    """Rules for stages, their tags and route settings, and deployments."""

    # --- Stages and deployments.

    @rule(
        target=STAGES,
        api=APIS,
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

    @rule(stage=STAGES, other=APIS, swap=SWAP)
    def get_stage(self, stage: tuple[str, str], other: str, swap: bool) -> None:
        api = other if swap else stage[0]
        self.call("get_stage", self._stage_expect(api, stage[1]), ApiId=api, StageName=stage[1])

    @rule(
        stage=STAGES,
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

    @rule(stage=STAGES, key=st.sampled_from(["team", "env"]), value=st.sampled_from(["a", "b"]), untag=st.booleans())
    def tag_stage(self, stage: tuple[str, str], key: str, value: str, untag: bool) -> None:
        api, name = stage
        expect = self._stage_expect(api, name)
        if untag:
            done = self.call("untag_resource", expect, ResourceArn=tag_arn(api, name), TagKeys=[key])
        else:
            done = self.call("tag_resource", expect, ResourceArn=tag_arn(api, name), Tags={key: value})
        if done is None:
            return
        tags = self.live[api].stages[name].setdefault("Tags", {})
        if untag:
            tags.pop(key, None)
        else:
            tags[key] = value
        self.take_auto_deployments(api, None)

    @rule(stage=STAGES, data=st.data(), limit=st.integers(0, 100), delete=st.booleans())
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

    # Any API, and mostly a stage it has, rather than one a stage rule made: the stage of the example's start (the
    # one API mappings mostly point to) can then be deleted, or refused for its mappings.
    @rule(api=APIS, data=st.data())
    def delete_stage(self, api: str, data: st.DataObject) -> None:
        live = self.live.get(api)
        name = data.draw(st.sampled_from([*(live.stages if live else ())] * 4 + [*STAGE_NAMES]), label="stage")
        expect = self._stage_expect(api, name)
        if expect == OK and name in self.live[api].managed:
            expect = BAD_REQUEST  # the managed $default stage cannot be deleted (stages-and-deployments.md)
        mapped = any(m["ApiId"] == api and m["Stage"] == name for ms in self.domains.values() for m in ms.values())
        if expect == OK and mapped:
            expect = BAD_REQUEST  # a mapped stage cannot be deleted (domains-and-vpc-links.md)
        if self.call("delete_stage", expect, ApiId=api, StageName=name) is None:
            return
        del self.live[api].stages[name]

    @rule(
        target=DEPLOYMENTS,
        api=APIS,
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

    @rule(deployment=DEPLOYMENTS, other=APIS, swap=SWAP, fake=SOMETIMES_FAKE)
    def get_deployment(self, deployment: tuple[str, str], other: str, swap: bool, fake: str | None) -> None:
        api = other if swap else deployment[0]
        deployment_id = fake or deployment[1]
        expect = self._deployment_expect(api, deployment_id)
        self.call("get_deployment", expect, ApiId=api, DeploymentId=deployment_id)

    @rule(deployment=DEPLOYMENTS, description=st.sampled_from(["d3", "d4"]))
    def update_deployment(self, deployment: tuple[str, str], description: str) -> None:
        api, deployment_id = deployment
        expect = self._deployment_expect(api, deployment_id)
        params = {"ApiId": api, "DeploymentId": deployment_id, "Description": description}
        if self.call("update_deployment", expect, **params) is not None:
            self.live[api].deployments[deployment_id]["Description"] = description

    @rule(deployment=DEPLOYMENTS)
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
