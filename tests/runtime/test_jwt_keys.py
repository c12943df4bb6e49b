"""``gw.register_jwt_keys``: the forms of keys it accepts, and clear errors for the rest."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import jwt
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from hypothesis import given, settings
from hypothesis import strategies as st
from test_http_auth import ISSUER, Keys, Secured

from mockapigw import MockApiGateway, mock_apigateway
from mockapigw.runtime.jwt_keys import read_keys


@pytest.fixture(scope="module")
def keys() -> Keys:
    return Keys(kid="key-1")


def _public_pem(keys: Keys) -> bytes:
    return keys.private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def _bare_jwk(keys: Keys) -> str:
    """What PyJWT's ``to_jwk`` gives: the JSON text of one JWK, without a kid."""
    return str(jwt.algorithms.RSAAlgorithm.to_jwk(keys.private.public_key()))


ACCEPTED: dict[str, Callable[[Keys], Any]] = {
    "JWKS dict": lambda k: {"keys": [k.jwk]},
    "JWKS with a member without a kid (left out)": lambda k: {"keys": [json.loads(_bare_jwk(k)), k.jwk]},
    "generator of JWKs": lambda k: (jwk for jwk in [k.jwk]),
    "dict values of JWKs": lambda k: {"a": k.jwk}.values(),
    "one JWK dict": lambda k: k.jwk,
    "list of JWK dicts": lambda k: [k.jwk],
    "tuple of JWK JSON texts": lambda k: (json.dumps(k.jwk),),
    "JWKS JSON text": lambda k: json.dumps({"keys": [k.jwk]}),
    "JWK JSON bytes": lambda k: json.dumps(k.jwk).encode(),
    "PyJWK": lambda k: jwt.PyJWK(k.jwk),
    "PyJWKSet": lambda k: jwt.PyJWKSet([k.jwk]),
    "kid to public key object": lambda k: {"key-1": k.private.public_key()},
    "kid to private key object": lambda k: {"key-1": k.private},
    "kid to PEM bytes": lambda k: {"key-1": _public_pem(k)},
    "kid to PEM text": lambda k: {"key-1": _public_pem(k).decode()},
    "kid to to_jwk() output": lambda k: {"key-1": _bare_jwk(k)},
    "kid to PyJWK": lambda k: {"key-1": jwt.PyJWK(k.jwk)},
    "JWK with its private members": lambda k: {
        **json.loads(str(jwt.algorithms.RSAAlgorithm.to_jwk(k.private))),
        "kid": "key-1",
    },
}


@pytest.mark.parametrize("form", list(ACCEPTED))
def test_each_accepted_form_verifies_tokens(apigw: MockApiGateway, v2: Any, keys: Keys, form: str) -> None:
    api = Secured(apigw, v2)
    api.jwt_route("GET /me")
    apigw.register_jwt_keys(ISSUER + "/", ACCEPTED[form](keys))  # a trailing "/" does not matter, as at run time
    response = requests.get(api.endpoint + "/me", headers={"Authorization": keys.token()})
    assert response.status_code == 200
    (key,) = read_keys(ACCEPTED[form](keys))
    assert not hasattr(key.key, "private_numbers")  # only the public half is kept


_ADD_KID = re.escape("Register it under a kid, e.g. gw.register_jwt_keys(issuer, {'key-1': key})")


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda k: k.private.public_key(), ValueError, "a RSAPublicKey has no kid. .*" + _ADD_KID),
        (_bare_jwk, ValueError, r"this JWK has no kid string \(its members: \['e', 'key_ops', 'kty', 'n'\]\)"),
        (_public_pem, ValueError, "a PEM key has no kid"),
        (lambda k: [k.private.public_key()], ValueError, "a RSAPublicKey in a list has no kid"),
        (lambda k: None, TypeError, "keys must be a JWKS .*; got None"),
        (lambda k: 42, TypeError, "got int 42"),
        (lambda k: [42], TypeError, "a JWK must be a dict with 'kty', not int 42"),
        (lambda k: "not json", ValueError, "a string that is not JSON"),
        (lambda k: "7", ValueError, "JSON text of int 7"),
        (lambda k: {}, ValueError, "neither 'keys' .* nor 'kty'"),
        (lambda k: {"keys": "nope"}, ValueError, 'the "keys" of a JWKS must be a list'),
        (lambda k: {"kty": "XX", "kid": "a"}, ValueError, "not a valid JWK \\(kid 'a'\\): Unsupported kty"),
        (lambda k: {"kty": "RSA", "kid": "a"}, ValueError, "not a valid JWK"),
        (lambda k: {"a": ec.generate_private_key(ec.SECP256R1())}, ValueError, "register RSA keys"),
        (lambda k: {"a": b"-----BEGIN PUBLIC KEY-----\n..."}, ValueError, "the PEM for kid 'a' is not an RSA key"),
    ],
)
def test_other_inputs_raise_a_clear_error_and_register_nothing(
    keys: Keys, make: Callable[[Keys], Any], error: type[Exception], message: str
) -> None:
    bad = make(keys)
    with mock_apigateway() as gw:
        with pytest.raises(error, match=message):
            gw.register_jwt_keys(ISSUER, bad)
        if isinstance(bad, list) and bad:
            with pytest.raises(error, match=message):  # a good key before a bad one is not registered either
                gw.register_jwt_keys(ISSUER, {"keys": [keys.jwk, *bad]})
        assert gw.http.jwt_keys._registered == {}


@pytest.mark.parametrize(("issuer", "error"), [(None, TypeError), (b"https://i", TypeError), (" ", ValueError)])
def test_the_issuer_must_be_a_non_empty_string(keys: Keys, issuer: Any, error: type[Exception]) -> None:
    with mock_apigateway() as gw, pytest.raises(error, match="issuer must"):
        gw.register_jwt_keys(issuer, keys.jwk)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["keys", "kty", "kid", "n", "e", "x"]) | st.text(max_size=3), inner, max_size=3
        )
    ),
    max_leaves=8,
)


@settings(max_examples=120, deadline=None)
@given(value=_JSON, as_text=st.booleans())
def test_any_input_registers_or_raises_type_or_value_error(value: Any, as_text: bool) -> None:
    try:
        parsed = read_keys(json.dumps(value) if as_text else value)
    except (TypeError, ValueError):
        return
    assert all(isinstance(key, jwt.PyJWK) and isinstance(key.key_id, str) for key in parsed)


def test_an_empty_jwks_registers_an_issuer_without_keys(apigw: MockApiGateway, v2: Any, keys: Keys) -> None:
    api = Secured(apigw, v2)
    api.jwt_route("GET /me")
    apigw.register_jwt_keys(ISSUER, {"keys": []})  # no OIDC discovery either: the registered keys are the keys
    response = requests.get(api.endpoint + "/me", headers={"Authorization": keys.token()})
    assert response.status_code == 401
    assert "does not match any key" in response.headers["www-authenticate"]


def test_rsa_key_objects_are_rsa(keys: Keys) -> None:
    (key,) = read_keys({"key-1": keys.private})
    assert isinstance(key.key, rsa.RSAPublicKey) and key.key_id == "key-1"


def test_a_jwks_member_without_a_kid_is_left_out_with_a_warning(keys: Keys) -> None:
    # What an issuer publishes may hold such a member; AWS never picks it, and is not known to refuse the set.
    with pytest.warns(UserWarning, match=r"JWK 0 of the registered keys has no kid and is left out"):
        read = read_keys({"keys": [json.loads(_bare_jwk(keys)), keys.jwk]})
    assert [key.key_id for key in read] == ["key-1"]
