"""A WebSocket ``$connect`` authorizer that returns no IAM policy: AWS's 403, and the reason in the exception."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockapigw import ConnectionRejected, MockApiGateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:auth"
URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FUNCTION}/invocations"


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        ({"isAuthorized": True}, r"it returned a simple response \({\"isAuthorized\": ...}\)"),
        ({"principalId": "u"}, r"without policyDocument \(its keys: \['principalId'\]\)"),
    ],
)
def test_a_response_without_a_policy_is_403_with_the_reason(
    apigw: MockApiGateway, v2: Any, reply: dict[str, Any], why: str
) -> None:
    api = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    authorizer = v2.create_authorizer(
        ApiId=api,
        Name="gate",
        AuthorizerType="REQUEST",
        AuthorizerUri=URI,
        IdentitySource=["route.request.querystring.t"],
    )["AuthorizerId"]
    v2.create_route(ApiId=api, RouteKey="$connect", AuthorizationType="CUSTOM", AuthorizerId=authorizer)
    v2.create_stage(ApiId=api, StageName="prod")
    v2.create_deployment(ApiId=api, StageName="prod")
    apigw.register_lambda(FUNCTION, lambda event, context: reply)
    with pytest.raises(ConnectionRejected) as rejected:
        apigw.connect(api, "prod", query={"t": "x"})
    assert (rejected.value.status_code, rejected.value.body) == (403, '{"message":"Forbidden"}')
    assert "a WebSocket API's authorizer must return an IAM policy" in rejected.value.reason
    assert rejected.value.reason.startswith("authorizer gate: ")
    assert re.search(why, rejected.value.reason)
