"""HTTP API authorization: JWT authorizers, Lambda REQUEST authorizers (with caching) and AWS_IAM."""

from __future__ import annotations

import datetime as dt
import inspect
import json
import logging
import time
import warnings
from typing import Any

import jwt
import pytest
import requests
import responses
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from cryptography.hazmat.primitives.asymmetric import rsa
from freezegun import freeze_time

from mockapigw import MockApiGateway

ISSUER = "https://issuer.example.com"
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"
AUTH_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:auth"
AUTH_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AUTH_LAMBDA}/invocations"


class Keys:
    """An RSA signing key and its public JWK."""

    def __init__(self, kid: str = "k1") -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwk = {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}
        self.kid = kid

    def token(self, **claims: Any) -> str:
        now = int(time.time())
        body = {"iss": ISSUER, "aud": "shop", "sub": "user-1", "iat": now, "exp": now + 300, **claims}
        return jwt.encode(body, self.private, algorithm="RS256", headers={"kid": self.kid})


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys()


class Secured:
    """An HTTP API with one route per authorization type, all on one recording handler."""

    def __init__(self, gw: MockApiGateway, v2: Any) -> None:
        self.gw, self.v2 = gw, v2
        self.events: list[dict[str, Any]] = []
        self.auth_calls: list[dict[str, Any]] = []
        self.auth_reply: Any = {"isAuthorized": True, "context": {"user": "u1", "n": 2}}
        api = v2.create_api(Name="secure", ProtocolType="HTTP")
        self.api_id = api["ApiId"]
        self.endpoint = api["ApiEndpoint"]
        self.integration = v2.create_integration(
            ApiId=self.api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
        )["IntegrationId"]
        gw.register_lambda(LAMBDA, lambda event, context: self.events.append(event) or "ok")
        gw.register_lambda(AUTH_LAMBDA, self._authorize)
        v2.create_stage(ApiId=self.api_id, StageName="$default", AutoDeploy=True)

    def _authorize(self, event: dict[str, Any], context: Any) -> Any:
        self.auth_calls.append(event)
        return self.auth_reply(event) if callable(self.auth_reply) else self.auth_reply

    def route(self, key: str, **extra: Any) -> None:
        self.v2.create_route(ApiId=self.api_id, RouteKey=key, Target=f"integrations/{self.integration}", **extra)

    def jwt_route(self, key: str, scopes: list[str] | None = None) -> None:
        authorizer = self.v2.create_authorizer(
            ApiId=self.api_id,
            AuthorizerType="JWT",
            Name=f"jwt{len(key)}",
            IdentitySource=["$request.header.Authorization"],
            JwtConfiguration={"Issuer": ISSUER, "Audience": ["shop"]},
        )["AuthorizerId"]
        extra = {"AuthorizationScopes": scopes} if scopes else {}
        self.route(key, AuthorizationType="JWT", AuthorizerId=authorizer, **extra)

    def lambda_route(self, key: str, **authorizer: Any) -> str:
        settings = {
            "AuthorizerPayloadFormatVersion": "2.0",
            "EnableSimpleResponses": True,
            "IdentitySource": ["$request.header.X-Token"],
            "AuthorizerResultTtlInSeconds": 0,
            **authorizer,
        }
        authorizer_id = self.v2.create_authorizer(
            ApiId=self.api_id, AuthorizerType="REQUEST", Name=f"fn{len(key)}", AuthorizerUri=AUTH_URI, **settings
        )["AuthorizerId"]
        self.route(key, AuthorizationType="CUSTOM", AuthorizerId=authorizer_id)
        return str(authorizer_id)


@pytest.fixture
def api(apigw: MockApiGateway, v2: Any) -> Secured:
    return Secured(apigw, v2)


# ---------------------------------------------------------------------------------------------- JWT


def test_valid_jwt_reaches_the_handler_with_claims(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, {"keys": [keys.jwk]})
    api.jwt_route("GET /me", scopes=["orders.read"])
    token = keys.token(scope="orders.read profile", groups=["a", "b"])
    response = requests.get(api.endpoint + "/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    authorizer = api.events[0]["requestContext"]["authorizer"]["jwt"]
    assert authorizer["scopes"] == ["orders.read", "profile"]
    assert authorizer["claims"]["sub"] == "user-1"
    assert authorizer["claims"]["aud"] == "shop"
    assert authorizer["claims"]["groups"] == "[a b]"
    assert isinstance(authorizer["claims"]["exp"], str)


def test_missing_token_is_unauthorized(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    response = requests.get(api.endpoint + "/me")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    assert api.events == []


@pytest.mark.parametrize(
    ("claims", "description"),
    [
        ({"aud": "someone-else"}, "the token does not have a valid audience"),
        ({"iss": "https://other.example.com"}, "the token does not have a valid issuer"),
        ({"exp": 1}, "the token has expired"),
        ({"nbf": 4102444800}, "the token is not valid yet"),
    ],
)
def test_invalid_claims_are_unauthorized_with_a_challenge(
    api: Secured, keys: Keys, claims: dict[str, Any], description: str
) -> None:
    api.gw.register_jwt_keys(ISSUER, [keys.jwk])
    api.jwt_route("GET /me")
    response = requests.get(api.endpoint + "/me", headers={"Authorization": keys.token(**claims)})
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    assert response.headers["www-authenticate"] == (
        f'Bearer scope="" error="invalid_token" error_description="{description}"'
    )


def _signed(keys: Keys, claims: dict[str, Any], header: dict[str, Any]) -> str:
    """A token signed by *keys* with exactly these claims (PyJWT writes NaN as the bare ``NaN`` JSON extension)."""
    return jwt.encode(claims, keys.private, algorithm="RS256", headers=header)


@pytest.mark.parametrize(
    ("claims", "header", "description"),
    [
        ({}, {}, "the token does not have a kid header"),
        ({"exp": None}, None, "the token does not have an exp claim"),
        ({"exp": float("nan")}, None, "the token's exp claim is not a number"),
        ({"exp": float("inf")}, None, "the token's exp claim is not a number"),
        ({"exp": "4102444800"}, None, "the token's exp claim is not a number"),
        ({"exp": "soon"}, None, "the token's exp claim is not a number"),
        ({"exp": True}, None, "the token's exp claim is not a number"),
        ({"nbf": "0"}, None, "the token's nbf claim is not a number"),
        ({"iat": float("nan")}, None, "the token's iat claim is not a number"),
    ],
    ids=[
        "no-kid",
        "no-exp",
        "exp-nan",
        "exp-inf",
        "exp-numeric-string",
        "exp-string",
        "exp-bool",
        "nbf-string",
        "iat-nan",
    ],
)
def test_tokens_without_kid_or_numeric_exp_are_unauthorized(
    api: Secured, keys: Keys, claims: dict[str, Any], header: dict[str, Any] | None, description: str
) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    body = {"iss": ISSUER, "aud": "shop", "exp": int(time.time()) + 60, **claims}
    if body["exp"] is None:
        del body["exp"]
    token = _signed(keys, body, {"kid": keys.kid} if header is None else header)
    response = requests.get(api.endpoint + "/me", headers={"Authorization": f"Bearer {token}"})
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    assert response.headers["www-authenticate"] == (
        f'Bearer scope="" error="invalid_token" error_description="{description}"'
    )
    assert api.events == []


def test_a_token_with_kid_and_numeric_exp_still_passes(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    token = _signed(keys, {"iss": ISSUER, "aud": "shop", "exp": time.time() + 60.5}, {"kid": keys.kid})
    assert requests.get(api.endpoint + "/me", headers={"Authorization": token}).status_code == 200


def test_client_id_stands_in_for_aud(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    token = jwt.encode(
        {"iss": ISSUER, "client_id": "shop", "exp": int(time.time()) + 60},
        keys.private,
        algorithm="RS256",
        headers={"kid": keys.kid},
    )
    assert requests.get(api.endpoint + "/me", headers={"Authorization": token}).status_code == 200


def test_signature_from_another_key_is_unauthorized(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    forged = Keys(kid=keys.kid).token()
    response = requests.get(api.endpoint + "/me", headers={"Authorization": forged})
    assert response.status_code == 401
    assert "signature" in response.headers["www-authenticate"]


def test_hmac_tokens_are_not_accepted(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    token = jwt.encode({"iss": ISSUER, "aud": "shop"}, "s" * 32, algorithm="HS256")
    assert requests.get(api.endpoint + "/me", headers={"Authorization": token}).status_code == 401


def test_expiry_follows_freezegun(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me")
    token = keys.token()
    assert requests.get(api.endpoint + "/me", headers={"Authorization": token}).status_code == 200
    with freeze_time(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=10)):
        assert requests.get(api.endpoint + "/me", headers={"Authorization": token}).status_code == 401


def test_missing_scope_is_forbidden(api: Secured, keys: Keys) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("DELETE /orders", scopes=["orders.admin"])
    response = requests.delete(api.endpoint + "/orders", headers={"Authorization": keys.token(scope="orders.read")})
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


def test_keys_are_fetched_from_the_issuers_jwks(keys: Keys) -> None:
    import boto3

    from mockapigw import mock_apigateway

    with responses.RequestsMock() as idp, mock_apigateway() as gw:
        idp.get(f"{ISSUER}/.well-known/openid-configuration", json={"jwks_uri": f"{ISSUER}/jwks.json"})
        idp.get(f"{ISSUER}/jwks.json", json={"keys": [keys.jwk]})
        secured = Secured(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        secured.jwt_route("GET /me")
        for _ in range(2):
            assert requests.get(secured.endpoint + "/me", headers={"Authorization": keys.token()}).status_code == 200
        assert len(idp.calls) == 2  # discovery and JWKS once; the keys are then cached


# ---------------------------------------------------------------------------------------------- Lambda


def test_simple_response_allows_and_passes_context(api: Secured) -> None:
    api.lambda_route("GET /orders")
    response = requests.get(api.endpoint + "/orders?x=1", headers={"X-Token": "t1"})
    assert response.status_code == 200
    call = api.auth_calls[0]
    assert (call["version"], call["type"]) == ("2.0", "REQUEST")
    assert call["identitySource"] == ["t1"]
    assert call["routeArn"] == f"arn:aws:execute-api:us-east-1:123456789012:{api.api_id}/$default/GET/orders"
    assert call["headers"]["x-token"] == "t1"
    assert call["queryStringParameters"] == {"x": "1"}
    assert api.events[0]["requestContext"]["authorizer"] == {"lambda": {"user": "u1", "n": 2}}


def test_simple_response_deny_is_forbidden(api: Secured) -> None:
    api.lambda_route("GET /orders")
    api.auth_reply = {"isAuthorized": False}
    response = requests.get(api.endpoint + "/orders", headers={"X-Token": "t1"})
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})
    assert api.events == []


def test_missing_identity_source_is_401_without_invoking(api: Secured) -> None:
    api.lambda_route("GET /orders")
    response = requests.get(api.endpoint + "/orders")
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    assert api.auth_calls == []


def test_iam_policy_response(api: Secured) -> None:
    api.lambda_route("GET /orders", EnableSimpleResponses=False)
    api.lambda_route("DELETE /orders", EnableSimpleResponses=False)
    api.auth_reply = lambda event: {
        "principalId": "user-1",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [
                {"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "arn:aws:execute-api:*:*:*/*/GET/*"},
            ],
        },
        "context": {"tier": "gold"},
    }
    assert requests.get(api.endpoint + "/orders", headers={"X-Token": "t"}).status_code == 200
    assert api.events[0]["requestContext"]["authorizer"] == {"lambda": {"tier": "gold"}}
    assert requests.delete(api.endpoint + "/orders", headers={"X-Token": "t"}).status_code == 403


def test_explicit_deny_wins(api: Secured) -> None:
    api.lambda_route("GET /orders", EnableSimpleResponses=False)
    api.auth_reply = {
        "principalId": "u",
        "policyDocument": {
            "Statement": [
                {"Action": "execute-api:*", "Effect": "Allow", "Resource": "*"},
                {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": "*"},
            ]
        },
    }
    assert requests.get(api.endpoint + "/orders", headers={"X-Token": "t"}).status_code == 403


_POLICY = {"principalId": "u", "policyDocument": {"Statement": {"Action": "*", "Effect": "Allow", "Resource": "*"}}}


@pytest.mark.parametrize(
    ("simple", "reply", "why"),
    [
        (True, None, "not an authorizer response"),
        (True, "nonsense", "not an authorizer response"),
        (True, {"isAuthorized": "true"}, "\"isAuthorized\" must be a JSON boolean .* not 'true' \\(str\\)"),
        (True, _POLICY, "EnableSimpleResponses on, so it must return {\"isAuthorized\".*it returned an IAM policy"),
        (True, {"allow": True}, "EnableSimpleResponses on.*the keys \\['allow'\\]"),
        (False, {"isAuthorized": True}, "EnableSimpleResponses off, so it must return an IAM policy.*simple response"),
        (False, {"principalId": "u"}, "without policyDocument"),
        (True, {"isAuthorized": True, "context": "user-1"}, "\"context\" must be an object.*'user-1' \\(str\\)"),
        (True, {"isAuthorized": False, "context": ["a"]}, "\"context\" must be an object"),
        (False, {**_POLICY, "context": 7}, "\"context\" must be an object"),
    ],
)
@pytest.mark.parametrize("raise_errors", [True, False])
def test_malformed_authorizer_answers_are_500_with_a_warning_saying_what_was_expected(
    simple: bool, reply: Any, why: str, raise_errors: bool
) -> None:
    # AWS answers 500 to a response it cannot use; the mock also says, at the test's line, what shape the
    # authorizer's mode expects. Not an exception of the handler, so raise_handler_errors does not change it.
    import boto3

    from mockapigw import MockApiGatewayWarning, mock_apigateway

    with mock_apigateway(raise_handler_errors=raise_errors) as gw:
        api = Secured(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        api.lambda_route("GET /orders", EnableSimpleResponses=simple)
        api.auth_reply = reply
        line = inspect.currentframe().f_lineno + 2  # type: ignore[union-attr]
        with pytest.warns(MockApiGatewayWarning, match=why) as caught:
            response = requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
        assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})
        assert [(w.filename, w.lineno) for w in caught if issubclass(w.category, MockApiGatewayWarning)] == [
            (__file__, line)
        ]
        assert api.events == []


def test_payload_1_0_authorizer(api: Secured) -> None:
    api.lambda_route(
        "GET /orders",
        AuthorizerPayloadFormatVersion="1.0",
        EnableSimpleResponses=False,
        IdentitySource=["$request.header.Authorization"],
    )
    api.auth_reply = {
        "principalId": "p1",
        "policyDocument": {"Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": "*"}]},
        "context": {"flag": True},
    }
    assert requests.get(api.endpoint + "/orders", headers={"Authorization": "tok"}).status_code == 200
    call = api.auth_calls[0]
    assert (call["version"], call["type"], call["identitySource"]) == ("1.0", "REQUEST", "tok")
    assert call["methodArn"].endswith("/$default/GET/orders")
    assert call["authorizationToken"] == "tok"
    assert api.events[0]["requestContext"]["authorizer"] == {"lambda": {"flag": True}}


def test_results_are_cached_per_identity_for_the_ttl(api: Secured) -> None:
    api.lambda_route("GET /orders", AuthorizerResultTtlInSeconds=300)
    with freeze_time("2026-01-01 00:00:00") as frozen:
        for _ in range(3):
            requests.get(api.endpoint + "/orders", headers={"X-Token": "same"})
        assert len(api.auth_calls) == 1
        requests.get(api.endpoint + "/orders", headers={"X-Token": "other"})
        assert len(api.auth_calls) == 2
        frozen.tick(dt.timedelta(seconds=301))
        requests.get(api.endpoint + "/orders", headers={"X-Token": "same"})
        assert len(api.auth_calls) == 3


def test_reset_authorizers_cache_invalidates(api: Secured) -> None:
    api.lambda_route("GET /orders", AuthorizerResultTtlInSeconds=300)
    requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
    requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
    assert len(api.auth_calls) == 1
    api.v2.reset_authorizers_cache(ApiId=api.api_id, StageName="$default")
    requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
    assert len(api.auth_calls) == 2


def test_ttl_zero_calls_every_time(api: Secured) -> None:
    api.lambda_route("GET /orders")
    for _ in range(2):
        requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
    assert len(api.auth_calls) == 2


# ---------------------------------------------------------------------------------------------- IAM


def test_aws_iam_route_needs_a_sigv4_signature(api: Secured) -> None:
    api.route("GET /admin", AuthorizationType="AWS_IAM")
    unsigned = requests.get(api.endpoint + "/admin")
    assert (unsigned.status_code, unsigned.json()) == (403, {"message": "Forbidden"})
    request = AWSRequest(method="GET", url=api.endpoint + "/admin")
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "execute-api", "us-east-1").add_auth(request)
    signed = requests.get(api.endpoint + "/admin", headers=dict(request.headers.items()))
    assert signed.status_code == 200
    iam = api.events[0]["requestContext"]["authorizer"]["iam"]
    assert (iam["accessKey"], iam["accountId"]) == ("AKIDEXAMPLE", "123456789012")
    wrong_service = AWSRequest(method="GET", url=api.endpoint + "/admin")
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "s3", "us-east-1").add_auth(wrong_service)
    assert requests.get(api.endpoint + "/admin", headers=dict(wrong_service.headers.items())).status_code == 403


@pytest.mark.apigw(raise_handler_errors=False)
def test_failing_lambda_authorizer_warns(api: Secured) -> None:
    from mockapigw import MockApiGatewayWarning

    api.lambda_route("GET /orders")

    def crash(event: Any) -> Any:
        raise RuntimeError("authorizer bug")

    api.auth_reply = crash
    with pytest.warns(MockApiGatewayWarning, match="authorizer bug"):
        assert requests.get(api.endpoint + "/orders", headers={"X-Token": "t"}).status_code == 500


@pytest.mark.apigw(raise_handler_errors=False)
def test_a_failing_lambda_authorizer_is_hinted_at_the_users_line_and_logged(
    api: Secured, caplog: pytest.LogCaptureFixture
) -> None:
    api.lambda_route("GET /orders")

    def crash(event: Any) -> Any:
        raise RuntimeError("authorizer bug")

    api.auth_reply = crash
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="mockapigw"):
        warnings.simplefilter("always")
        lines = [inspect.currentframe().f_lineno + 1]  # type: ignore[union-attr]
        requests.get(api.endpoint + "/orders", headers={"X-Token": "t"})
        lines.append(inspect.currentframe().f_lineno + 1)  # type: ignore[union-attr]
        api.gw.invoke("GET", api.endpoint + "/orders", headers={"X-Token": "t"})
    hints = [w for w in caught if "authorizer bug" in str(w.message)]
    assert [(w.filename, w.lineno) for w in hints] == [(__file__, line) for line in lines]
    assert [r.getMessage() for r in caplog.records if "authorizer bug" in r.getMessage()] == [
        str(w.message) for w in hints
    ]


def test_failed_discovery_is_retried(keys: Keys) -> None:
    import boto3

    from mockapigw import mock_apigateway

    with responses.RequestsMock(assert_all_requests_are_fired=False) as idp, mock_apigateway() as gw:
        idp.get(f"{ISSUER}/.well-known/openid-configuration", status=500)
        secured = Secured(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        secured.jwt_route("GET /me")
        assert requests.get(secured.endpoint + "/me", headers={"Authorization": keys.token()}).status_code == 401
        idp.replace(responses.GET, f"{ISSUER}/.well-known/openid-configuration", json={"jwks_uri": f"{ISSUER}/k"})
        idp.get(f"{ISSUER}/k", json={"keys": [keys.jwk]})
        assert requests.get(secured.endpoint + "/me", headers={"Authorization": keys.token()}).status_code == 200


def test_payload_1_0_events_carry_the_iam_caller(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="iam", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="1.0"
    )
    v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="GET /admin",
        AuthorizationType="AWS_IAM",
        Target=f"integrations/{integration['IntegrationId']}",
    )
    v2.create_stage(ApiId=api["ApiId"], StageName="$default")
    v2.create_deployment(ApiId=api["ApiId"], StageName="$default")
    seen: list[dict[str, Any]] = []
    apigw.register_lambda(LAMBDA, lambda event, context: seen.append(event) or {"statusCode": 200})
    request = AWSRequest(method="GET", url=api["ApiEndpoint"] + "/admin")
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "execute-api", "us-east-1").add_auth(request)
    assert requests.get(api["ApiEndpoint"] + "/admin", headers=dict(request.headers.items())).status_code == 200
    identity = seen[0]["requestContext"]["identity"]
    assert (identity["accessKey"], identity["accountId"], identity["caller"]) == (
        "AKIDEXAMPLE",
        "123456789012",
        "AKIDEXAMPLE",
    )
    assert seen[0]["requestContext"]["resourceId"] == "GET /admin"  # the route key (aws-behaviour.md §9.7)


@pytest.mark.parametrize("claims", [{"exp": "soon"}, {"aud": {"a": 1}}, {"scope": 5}, {"nbf": [1]}])
def test_jwt_claims_of_unexpected_types_are_unauthorized(api: Secured, keys: Keys, claims: dict[str, Any]) -> None:
    api.gw.register_jwt_keys(ISSUER, keys.jwk)
    api.jwt_route("GET /me", scopes=["s"])
    response = requests.get(api.endpoint + "/me", headers={"Authorization": keys.token(**claims)})
    assert response.status_code == 401
    assert api.events == []
