"""Regression tests for bugs found in review: each crashed, corrupted state or leaked a patch."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import boto3
import jwt
import pytest
import requests
import requests.adapters
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives.asymmetric import rsa

from mockapigw import ConnectionRejected, MockApiGateway, MockApiGatewayWarning, mock_apigateway

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"
DOC = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      security: {security}\n"


@pytest.mark.parametrize("security", ['["x"]', '"not-a-list"', "[[1]]"])
def test_malformed_security_is_a_bad_request_and_leaves_nothing(v2: Any, security: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="security"):
        v2.import_api(Body=DOC.replace("{security}", security))
    assert v2.get_apis()["Items"] == []


def test_malformed_server_variables_and_failed_reimport_keep_the_api(v2: Any) -> None:
    bad = "openapi: 3.0.1\ninfo: {title: t}\nservers: [{url: x, variables: oops}]\npaths: {/a: {get: {}}}\n"
    with pytest.raises(v2.exceptions.BadRequestException, match="variables"):
        v2.import_api(Body=bad, Basepath="prepend")
    keep = v2.create_api(Name="keep", ProtocolType="HTTP")
    v2.create_route(ApiId=keep["ApiId"], RouteKey="GET /kept")
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.reimport_api(ApiId=keep["ApiId"], Body=DOC.replace("{security}", '["x"]'))
    assert v2.get_api(ApiId=keep["ApiId"])["Name"] == "keep"
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=keep["ApiId"])["Items"]] == ["GET /kept"]


def test_refused_quick_create_update_changes_nothing(v2: Any) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target=LAMBDA)
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /x")
    deployments = len(v2.get_deployments(ApiId=api["ApiId"])["Items"])
    with pytest.raises(v2.exceptions.ConflictException):
        v2.update_api(ApiId=api["ApiId"], Target="https://new.example.com", RouteKey="GET /x")
    uris = [i["IntegrationUri"] for i in v2.get_integrations(ApiId=api["ApiId"])["Items"]]
    assert uris == [LAMBDA]
    assert len(v2.get_deployments(ApiId=api["ApiId"])["Items"]) == deployments


@pytest.fixture(scope="module")
def rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize("claims", [{"exp": "soon"}, {"aud": {"a": 1}}, {"scope": 5}, {"nbf": [1]}])
def test_jwt_claims_of_unexpected_types_are_unauthorized(
    apigw: MockApiGateway, v2: Any, rsa_key: Any, claims: dict[str, Any]
) -> None:
    issuer = "https://issuer.example.com"
    jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key())), "kid": "k"}
    apigw.register_jwt_keys(issuer, jwk)
    api = v2.create_api(Name="j", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: "ok")
    authorizer = v2.create_authorizer(
        ApiId=api["ApiId"],
        AuthorizerType="JWT",
        Name="j",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": issuer, "Audience": ["a"]},
    )
    route = v2.get_routes(ApiId=api["ApiId"])["Items"][0]
    v2.update_route(
        ApiId=api["ApiId"],
        RouteId=route["RouteId"],
        AuthorizationType="JWT",
        AuthorizerId=authorizer["AuthorizerId"],
        AuthorizationScopes=["s"],
    )
    token = jwt.encode(
        {"iss": issuer, "aud": "a", "exp": int(time.time()) + 60, **claims},
        rsa_key,
        algorithm="RS256",
        headers={"kid": "k"},
    )
    assert requests.get(api["ApiEndpoint"] + "/", headers={"Authorization": token}).status_code == 401


def test_stop_leaves_a_later_responses_mock_working() -> None:
    original = requests.adapters.HTTPAdapter.send
    gw = mock_apigateway().start()
    user = responses.RequestsMock()
    user.start()
    user.add(responses.GET, "http://service.invalid/x", body="from responses")
    gw.stop()
    assert requests.get("http://service.invalid/x").text == "from responses"
    user.stop()
    user.reset()
    assert requests.adapters.HTTPAdapter.send is original  # everyone has stopped: requests is as it was
    with mock_apigateway():
        pass


def test_inherited_static_and_class_test_methods_are_wrapped() -> None:
    def active() -> bool:
        return boto3.client("apigatewayv2", region_name="us-east-1").get_apis()["Items"] == []

    class Base:
        def test_inherited(self) -> bool:
            return active()

    @mock_apigateway
    class Suite(Base):
        @staticmethod
        def test_static() -> bool:
            return active()

        @classmethod
        def test_class(cls) -> bool:
            return active()

    assert Suite().test_inherited() is True
    assert Suite.test_static() is True
    assert Suite.test_class() is True


def test_non_numeric_status_mapping_is_a_500(apigw: MockApiGateway, v2: Any) -> None:
    with responses.RequestsMock() as backend:
        api = v2.create_api(Name="p", ProtocolType="HTTP")
        integration = v2.create_integration(
            ApiId=api["ApiId"],
            IntegrationType="HTTP_PROXY",
            IntegrationUri="https://backend.example/x",
            IntegrationMethod="GET",
            ResponseParameters={"200": {"overwrite:statuscode": "$request.header.x-status"}},
        )
        v2.create_route(ApiId=api["ApiId"], RouteKey="GET /x", Target=f"integrations/{integration['IntegrationId']}")
        v2.create_stage(ApiId=api["ApiId"], StageName="$default")
        v2.create_deployment(ApiId=api["ApiId"], StageName="$default")
        backend.get("https://backend.example/x", body="b")
        # The backend mock was started inside the mock: invoke without requests.
        assert apigw.invoke("GET", api["ApiEndpoint"] + "/x", headers={"x-status": "201"}).status_code == 201
        with pytest.warns(MockApiGatewayWarning, match="not an HTTP status code"):
            assert apigw.invoke("GET", api["ApiEndpoint"] + "/x").status_code == 500


def test_aws_iam_on_connect_needs_a_signature(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200})
    v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="$connect",
        AuthorizationType="AWS_IAM",
        Target=f"integrations/{integration['IntegrationId']}",
    )
    v2.create_stage(ApiId=api["ApiId"], StageName="s")
    v2.create_deployment(ApiId=api["ApiId"], StageName="s")
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api["ApiId"], "s")
    assert info.value.status_code == 403
    signed = AWSRequest(method="GET", url=f"wss://{api['ApiId']}.execute-api.us-east-1.amazonaws.com/s")
    SigV4Auth(Credentials("AKID", "secret"), "execute-api", "us-east-1").add_auth(signed)
    assert apigw.connect(api["ApiId"], "s", headers=dict(signed.headers.items())).connected


def test_concurrent_first_use_of_a_region_keeps_every_write(apigw: MockApiGateway) -> None:
    import sys

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for region_index in range(20):
            region = f"xx-test-{region_index}"
            threads = [
                threading.Thread(target=lambda r=region: apigw.apigatewayv2.backends(apigw.account_id, r))
                for _ in range(8)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            backends = [b for b in apigw.apigatewayv2.backends if b.region == region]
            assert len(backends) == 1
    finally:
        sys.setswitchinterval(interval)


def test_model_template_of_malformed_properties(v2: Any) -> None:
    api = v2.create_api(Name="m", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    model = v2.create_model(ApiId=api["ApiId"], Name="M", Schema='{"type": "object", "properties": ["a"]}')
    assert "{}" in v2.get_model_template(ApiId=api["ApiId"], ModelId=model["ModelId"])["Value"]


def test_cookies_that_are_not_a_list_are_a_malformed_response(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="c", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200, "cookies": "a=1"})
    with pytest.warns(MockApiGatewayWarning, match="cookies"):
        assert requests.get(api["ApiEndpoint"] + "/").status_code == 500


def test_streamed_request_bodies(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="s", ProtocolType="HTTP", Target=LAMBDA)
    apigw.register_lambda(LAMBDA, lambda event, context: event.get("body"))
    assert requests.post(api["ApiEndpoint"] + "/", data=(c for c in [b"ab", b"cd"])).text == "abcd"
