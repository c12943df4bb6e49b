"""The orders backend end to end: JWTs, scopes, validation, CORS, all through the API's invoke URL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from moto import mock_aws

from mockapigw import MockApiGateway, mock_apigateway

from . import handler
from .app import AUDIENCE, ISSUER, SHOP_ORIGIN, WRITE_SCOPE, create_orders_api, create_table, register_with_mock

KID = "orders-key-1"


class IdentityProvider:
    """The issuer's side: an RSA key pair, its public JWKS, and tokens signed with RS256."""

    def __init__(self) -> None:
        self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._private.public_key()))
        self.jwks = {"keys": [{**public, "kid": KID, "use": "sig", "alg": "RS256"}]}

    def token(self, **claims: Any) -> str:
        """A valid token for alice with both scopes; *claims* override or add claims."""
        now = int(time.time())
        defaults = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "scope": f"orders.read {WRITE_SCOPE}"}
        body = {**defaults, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(body, self._private, algorithm="RS256", headers={"kid": KID})


@pytest.fixture(scope="module")
def idp() -> IdentityProvider:
    return IdentityProvider()


@dataclass
class Orders:
    """The deployed API under test."""

    gw: MockApiGateway
    url: str
    idp: IdentityProvider

    def auth(self, **claims: Any) -> dict[str, str]:
        """An Authorization header with a token from the issuer."""
        return {"Authorization": f"Bearer {self.idp.token(**claims)}"}


@pytest.fixture
def orders(idp: IdentityProvider) -> Iterator[Orders]:
    # Either order works: mockapigw answers the invoke URLs whichever of the two started first.
    with mock_aws(), mock_apigateway() as gw:
        create_table()
        url = create_orders_api()
        register_with_mock(gw, idp.jwks)
        yield Orders(gw, url, idp)


def _stored() -> list[dict[str, Any]]:
    return list(boto3.resource("dynamodb", region_name="us-east-1").Table(handler.TABLE).scan()["Items"])


def test_create_then_get_then_list(orders: Orders) -> None:
    created = requests.post(orders.url + "/orders", json={"item": "coffee", "quantity": 2}, headers=orders.auth())
    assert created.status_code == 201
    order = created.json()
    assert (order["item"], order["quantity"]) == ("coffee", 2)
    assert created.headers["location"] == f"/orders/{order['id']}"
    assert _stored()[0]["owner"] == "alice"  # the sub claim the JWT authorizer passed on

    fetched = requests.get(orders.url + f"/orders/{order['id']}", headers=orders.auth())
    assert (fetched.status_code, fetched.json()) == (200, order)

    requests.post(orders.url + "/orders", json={"item": "tea", "quantity": 1}, headers=orders.auth())
    listed = requests.get(orders.url + "/orders", headers=orders.auth())
    assert sorted(o["item"] for o in listed.json()["orders"]) == ["coffee", "tea"]
    others = requests.get(orders.url + "/orders", headers=orders.auth(sub="bob"))
    assert others.json() == {"orders": []}  # each caller sees only their own orders


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_requests_without_a_token_are_unauthorized(orders: Orders, method: str) -> None:
    response = requests.request(method, orders.url + "/orders", json={"item": "coffee", "quantity": 1})
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized"})
    assert _stored() == []  # API Gateway refused the request: the function never ran


def test_a_token_for_another_api_is_unauthorized(orders: Orders) -> None:
    response = requests.get(orders.url + "/orders", headers=orders.auth(aud="billing"))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_creating_without_the_write_scope_is_forbidden(orders: Orders) -> None:
    read_only = orders.auth(scope="orders.read")
    response = requests.post(orders.url + "/orders", json={"item": "coffee", "quantity": 1}, headers=read_only)
    assert (response.status_code, response.json()) == (403, {"message": "Forbidden"})
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]
    assert requests.get(orders.url + "/orders", headers=read_only).status_code == 200  # reading needs no scope


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "the body must be JSON"),
        ("[1, 2]", "the body must be a JSON object"),
        ('{"quantity": 1}', "item must be a non-empty string"),
        ('{"item": "tea", "quantity": 0}', "quantity must be a positive integer"),
        ('{"item": "tea", "quantity": "2"}', "quantity must be a positive integer"),
    ],
)
def test_an_invalid_body_is_a_bad_request(orders: Orders, body: str, message: str) -> None:
    headers = {**orders.auth(), "Content-Type": "application/json"}
    response = requests.post(orders.url + "/orders", data=body, headers=headers)
    assert (response.status_code, response.json()) == (400, {"message": message})
    assert _stored() == []


def test_a_missing_order_is_not_found(orders: Orders) -> None:
    response = requests.get(orders.url + "/orders/nope", headers=orders.auth())
    assert (response.status_code, response.json()) == (404, {"message": "order nope not found"})
    mine = requests.post(orders.url + "/orders", json={"item": "coffee", "quantity": 1}, headers=orders.auth())
    theirs = requests.get(orders.url + f"/orders/{mine.json()['id']}", headers=orders.auth(sub="bob"))
    assert theirs.status_code == 404
    unrouted = requests.delete(orders.url + "/orders/nope", headers=orders.auth())
    assert (unrouted.status_code, unrouted.json()) == (404, {"message": "Not Found"})  # API Gateway's: no route


def test_cors_preflight_is_answered_and_responses_allow_the_shop(orders: Orders) -> None:
    preflight = requests.options(
        orders.url + "/orders",
        headers={
            "Origin": SHOP_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    # API Gateway answers it itself: no OPTIONS route, no token, no function call.
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == SHOP_ORIGIN
    assert preflight.headers["access-control-allow-methods"] == "GET,POST"
    assert preflight.headers["access-control-allow-headers"] == "authorization,content-type"
    assert preflight.headers["access-control-max-age"] == "600"

    headers = {**orders.auth(), "Origin": SHOP_ORIGIN}
    created = requests.post(orders.url + "/orders", json={"item": "coffee", "quantity": 1}, headers=headers)
    assert created.headers["access-control-allow-origin"] == SHOP_ORIGIN
    assert created.headers["access-control-expose-headers"] == "location"
    elsewhere = requests.get(orders.url + "/orders", headers={**orders.auth(), "Origin": "https://evil.example"})
    assert elsewhere.status_code == 200
    assert "access-control-allow-origin" not in elsewhere.headers  # the browser will not show it to that page


def test_the_same_api_through_gw_invoke(orders: Orders) -> None:
    headers = {**orders.auth(), "Content-Type": "application/json"}
    created = orders.gw.invoke("POST", orders.url + "/orders", headers=headers, body='{"item": "cake", "quantity": 3}')
    assert created.status_code == 201
    order_id = created.json()["id"]
    fetched = orders.gw.invoke("GET", orders.url + f"/orders/{order_id}", headers=orders.auth())
    assert (fetched.status_code, fetched.headers["content-type"]) == (200, "application/json")
    assert json.loads(fetched.text) == created.json()
    assert orders.gw.invoke("GET", orders.url + "/orders").status_code == 401
