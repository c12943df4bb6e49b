"""What the control-plane state machine knows (for tests/apigatewayv2/test_stateful_control_plane.py).

The client, the values and strategies the rules draw from, the bundles they share, the record of one live API,
and how an expected record is compared with an output. The model asserts only what the docs and aws-facts.md say
AWS (or the mock, by a documented choice) does; where they are silent it checks existence and consistency only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from hypothesis import strategies as st
from hypothesis.stateful import Bundle

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

# The bundles, made once here: the rules of every family draw from and add to the same ones.
APIS = Bundle("apis")
ROUTES = Bundle("routes")  # (api_id, route_id)
INTEGRATIONS = Bundle("integrations")  # (api_id, integration_id)
STAGES = Bundle("stages")  # (api_id, stage_name)
DEPLOYMENTS = Bundle("deployments")  # (api_id, deployment_id)
AUTHORIZERS = Bundle("authorizers")  # (api_id, authorizer_id)
MODELS = Bundle("models")  # (api_id, model_id)
ROUTE_RESPONSES = Bundle("route_responses")  # (api_id, route_id, route_response_id)
INTEGRATION_RESPONSES = Bundle("integration_responses")  # (api_id, integration_id, response_id)
MAPPINGS = Bundle("mappings")  # (domain, mapping_id)


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


def matches(expected: dict[str, Any], actual: dict[str, Any], what: str) -> None:
    """Assert that *actual* has each member of *expected* (ABSENT: not there; FALSE_OR_ABSENT: False or not)."""
    for name, value in expected.items():
        if value is ABSENT:
            assert name not in actual, f"{what}: {name} should be absent, got {actual.get(name)!r}"
        elif value is FALSE_OR_ABSENT:
            assert actual.get(name, False) is False, f"{what}: {name} is {actual.get(name)!r}, expected False"
        else:
            assert actual.get(name) == value, f"{what}: {name} is {actual.get(name)!r}, expected {value!r}"


def outcome(violations: set[str]) -> str:
    """The expected outcome of a call that breaks the given rules: the one error, or any when several apply."""
    if not violations:
        return OK
    return violations.pop() if len(violations) == 1 else ANY_ERROR


def model_names(models: Any) -> set[str]:
    """The model names in a RequestModels/ResponseModels member of the model (maybe unset or ABSENT)."""
    return set(models.values()) if isinstance(models, dict) else set()


def without_metadata(output: dict[str, Any]) -> dict[str, Any]:
    """A boto3 output without its ResponseMetadata, to compare with another read of the same item."""
    return {k: v for k, v in output.items() if k != "ResponseMetadata"}


def tag_arn(api_id: str, stage: str | None = None) -> str:
    """The ARN that tags an API, or one of its stages."""
    api_arn = f"arn:aws:apigateway:{REGION}::/apis/{api_id}"
    return f"{api_arn}/stages/{stage}" if stage is not None else api_arn
