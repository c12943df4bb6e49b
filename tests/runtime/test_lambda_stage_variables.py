"""Stage variables in a Lambda integration's or authorizer's URI: the function name or alias, as AWS allows.

AWS: "You can use a stage variable in place of a Lambda function integration name or alias"
(developer guide, "API Gateway stage variables reference for HTTP APIs").
"""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests

from mockapigw import LambdaNotRegistered, MockApiGateway, mock_apigateway

ACCOUNT_FUNCTIONS = "arn:aws:lambda:us-east-1:123456789012:function:"


def _arn(event: Any, context: Any) -> dict[str, Any]:
    return {"statusCode": 200, "body": context.invoked_function_arn}


def _http_api(uri: str, variables: dict[str, str]) -> str:
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="h", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=uri, PayloadFormatVersion="2.0"
    )
    v2.create_route(ApiId=api["ApiId"], RouteKey="$default", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True, StageVariables=variables)
    return str(api["ApiEndpoint"]) + "/"


@pytest.mark.parametrize(
    ("uri", "variables", "invoked"),
    [
        (ACCOUNT_FUNCTIONS + "${stageVariables.fn}", {"fn": "chat"}, ACCOUNT_FUNCTIONS + "chat"),
        (ACCOUNT_FUNCTIONS + "chat:${stageVariables.alias}", {"alias": "live"}, ACCOUNT_FUNCTIONS + "chat:live"),
        (
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            + ACCOUNT_FUNCTIONS
            + "${stageVariables.fn}:${stageVariables.alias}/invocations",
            {"fn": "chat", "alias": "v2"},
            ACCOUNT_FUNCTIONS + "chat:v2",
        ),
    ],
)
def test_an_http_integration_uri_takes_the_stages_variables(
    apigw: MockApiGateway, uri: str, variables: dict[str, str], invoked: str
) -> None:
    apigw.register_lambda("chat", _arn)
    assert requests.get(_http_api(uri, variables)).text == invoked


def test_a_websocket_integration_uri_takes_the_stages_variables(apigw: MockApiGateway) -> None:
    seen: list[str] = []
    apigw.register_lambda(
        ACCOUNT_FUNCTIONS + "chat-prod", lambda event, context: seen.append(event["stageVariables"]["fn"])
    )
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=ACCOUNT_FUNCTIONS + "${stageVariables.fn}"
    )
    v2.create_route(ApiId=api["ApiId"], RouteKey="$default", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api["ApiId"], StageName="prod", AutoDeploy=True, StageVariables={"fn": "chat-prod"})
    apigw.connect(api["ApiId"], "prod").send("hi")
    assert seen == ["chat-prod"]


def test_a_stage_variable_the_stage_does_not_define_says_so() -> None:
    with mock_apigateway() as gw:
        gw.register_lambda("chat", _arn)
        url = _http_api(ACCOUNT_FUNCTIONS + "${stageVariables.fn}", {"other": "x"})
        with pytest.raises(LambdaNotRegistered) as caught:
            requests.get(url)
    assert str(caught.value) == (
        f"The Lambda URI '{ACCOUNT_FUNCTIONS}${{stageVariables.fn}}' uses the stage variable 'fn', which the stage "
        "does not define (its stage variables: other). Set it with create_stage or update_stage(StageVariables=...)."
    )
    # With AWS's answers instead of the error: the 500 API Gateway gives when it cannot invoke the function.
    with mock_apigateway(raise_handler_errors=False) as gw, pytest.warns(UserWarning, match="does not define"):
        response = requests.get(_http_api(ACCOUNT_FUNCTIONS + "${stageVariables.fn}", {}))
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})
