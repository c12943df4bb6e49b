"""Random sequences of control-plane calls, checked against a small reference model of what must hold.

A hypothesis state machine drives ``apigatewayv2`` through boto3 under ``mock_apigateway()``: APIs of both
protocols (quick-created ones too), routes (with authorizers and request models), route responses,
integrations (private ones through VPC links too), integration responses, stages (auto-deploy ones, route
settings, tags), deployments, authorizers, models, VPC links, custom domain names with API mappings, and
tags. Most calls are valid; some name unknown ids, ids of another API, or values the service model forbids.
After every step the whole state, read back through the list operations, must be exactly the live set the model
holds; a failed call changes nothing. Outputs are checked against their shapes by ``tests/conftest.py``.

The machine is assembled here from helper modules in tests/: control_plane_model.py (what the model knows and
asserts), control_plane_machine.py (how each call and the whole state are checked) and one module of rules per
family of resources: control_plane_apis.py, control_plane_integrations.py, control_plane_stages.py and
control_plane_domains.py.
"""

from __future__ import annotations

from control_plane_apis import ApiRules
from control_plane_domains import DomainRules
from control_plane_integrations import IntegrationRules
from control_plane_model import APIS, DOMAINS, STAGE_NAMES
from control_plane_stages import StageRules
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize


# hypothesis gathers rules and invariants from the class's attributes, inherited ones too, in name order, so the
# families can be subclasses of one ControlPlaneMachine and their order here changes no draw; a bundle is known by
# its name, and each is made once in control_plane_model.py.
class ControlPlane(ApiRules, IntegrationRules, StageRules, DomainRules):
    """The apigatewayv2 control plane against a reference model."""

    # With some fifty rules and fifty steps, an example rarely made a domain name, an API and a stage of it before
    # its end: API mappings, which need all three, were made three times in 1,500 steps. Every example starts so.
    @initialize(target=APIS, protocol=st.sampled_from(["HTTP", "WEBSOCKET"]), stage=st.sampled_from(STAGE_NAMES))
    def start_with_a_staged_api_and_a_domain_name(self, protocol: str, stage: str) -> str:
        self.create_or_delete_domain_name(DOMAINS[0], delete=False)
        api: str = self.create_api(protocol, "start", None, None)
        self.create_stage(api, stage, None, None)
        return api


# Small enough for the suite; to hunt for bugs, run the machine with run_state_machine_as_test and, say,
# settings(max_examples=1000, stateful_step_count=50).
ControlPlane.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestControlPlane = ControlPlane.TestCase
