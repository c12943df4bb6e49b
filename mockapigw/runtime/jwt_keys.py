"""The keys a test registers for a JWT authorizer's issuer (``gw.register_jwt_keys``), read into PyJWT keys.

API Gateway picks the key by the token's ``kid`` header (docs/http-apis.md, JWT authorizers), so every key needs
a ``kid``: a JWK carries one, and a key object or PEM gets one as the key of a ``{kid: key}`` dict.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from .alerts import warn

# Private members of an RSA JWK: dropped, so a private JWK registers its public half (verification needs no more).
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth")
_FORMS = (
    'a JWKS ({"keys": [jwk, ...]}), one JWK dict, a list of JWK dicts, the JSON text of any of these, '
    'or a dict of kid to RSA key ({"key-1": public_key})'
)
_ADD_KID = (
    "API Gateway picks the key whose kid matches the token's kid header, so a key without a kid can never verify a "
    "token. Register it under a kid, e.g. gw.register_jwt_keys(issuer, {'key-1': key}), and sign tokens with "
    "headers={'kid': 'key-1'}"
)


def check_issuer(issuer: Any) -> str:
    """*issuer* without its trailing ``/``: a non-empty string, as the authorizer's ``JwtConfiguration.Issuer``."""
    if not isinstance(issuer, str):
        raise TypeError(f"issuer must be a str (the authorizer's JwtConfiguration Issuer), not {_kind(issuer)}")
    if not issuer.strip():
        raise ValueError("issuer must not be empty: give the authorizer's JwtConfiguration Issuer")
    return issuer.rstrip("/")


def read_keys(keys: Any) -> list[jwt.PyJWK]:
    """*keys* in any of the accepted forms as PyJWT keys; ``TypeError``/``ValueError`` saying what is wrong."""
    if isinstance(keys, (str, bytes, bytearray)):
        return read_keys(_json(keys))
    if isinstance(keys, jwt.PyJWKSet):
        return [_with_kid(key) for key in keys.keys]
    if isinstance(keys, jwt.PyJWK):
        return [_with_kid(keys)]
    if isinstance(keys, Mapping):
        if "keys" in keys:
            entries = keys["keys"]
            if not isinstance(entries, (list, tuple)):
                raise ValueError(f'the "keys" of a JWKS must be a list of JWKs, not {_kind(entries)}')
            return _key_set(list(entries))
        if "kty" in keys:
            return [_jwk(keys)]
        if keys and all(isinstance(kid, str) for kid in keys):
            return [_keyed(kid, key) for kid, key in keys.items()]
        raise ValueError(f"keys is a dict with neither 'keys' (a JWKS) nor 'kty' (a JWK); give {_FORMS}")
    if _is_key_object(keys):
        raise ValueError(f"a {type(keys).__name__} has no kid. {_ADD_KID}")
    if isinstance(keys, Iterable):  # a list, or any iterable of JWKs; empty, like an empty JWKS: tokens get 401
        return _key_set(list(keys))
    raise TypeError(f"keys must be {_FORMS}; got {_kind(keys)}")


def _key_set(entries: list[Any]) -> list[jwt.PyJWK]:
    """The keys of a JWKS (or a list of JWKs). A JWK without a kid is left out with a warning, as AWS never picks
    it; a set is what an issuer publishes, and AWS is not known to refuse one for such a member."""
    keys = []
    for index, entry in enumerate(entries):
        if isinstance(entry, Mapping) and not isinstance(entry.get("kid"), str):
            warn(f"JWK {index} of the registered keys has no kid and is left out. {_ADD_KID}")
            continue
        keys.append(_jwk(entry))
    return keys


def _json(text: str | bytes | bytearray) -> Any:
    raw = text if isinstance(text, str) else bytes(text).decode("utf-8", "replace")
    if raw.lstrip().startswith("-----BEGIN"):
        raise ValueError(f"a PEM key has no kid. {_ADD_KID}")
    try:
        value = json.loads(raw)
    except ValueError:
        raise ValueError(f"keys is a string that is not JSON; give {_FORMS}") from None
    if not isinstance(value, (dict, list)):
        raise ValueError(f"keys is JSON text of {_kind(value)}; give {_FORMS}")
    return value


def _jwk(entry: Any, kid: str | None = None) -> jwt.PyJWK:
    """One JWK (a dict or its JSON text); with *kid*, that kid replaces the JWK's own."""
    if isinstance(entry, jwt.PyJWK) and kid is None:
        return _with_kid(entry)
    if isinstance(entry, (str, bytes, bytearray)):
        entry = _json(entry)
    if _is_key_object(entry):
        raise ValueError(f"a {type(entry).__name__} in a list has no kid. {_ADD_KID}")
    if not isinstance(entry, Mapping):
        raise TypeError(f"a JWK must be a dict with 'kty', not {_kind(entry)}")
    data = {k: v for k, v in entry.items() if k not in _PRIVATE_MEMBERS}
    if kid is not None:
        data["kid"] = kid
    if not isinstance(data.get("kid"), str):
        raise ValueError(f"this JWK has no kid string (its members: {sorted(data)}). {_ADD_KID}")
    try:
        return jwt.PyJWK(data)
    except (jwt.PyJWTError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise ValueError(f"not a valid JWK (kid {data['kid']!r}): {error}") from None


def _keyed(kid: str, key: Any) -> jwt.PyJWK:
    """The key registered under *kid* in a ``{kid: key}`` dict: an RSA key object, PEM text, or a JWK."""
    if isinstance(key, jwt.PyJWK):
        key = key.key
    if isinstance(key, bytes) and key.lstrip().startswith(b"-----BEGIN"):
        key = key.decode("ascii", "replace")
    if isinstance(key, str) and key.lstrip().startswith("-----BEGIN"):
        try:
            key = jwt.algorithms.RSAAlgorithm(jwt.algorithms.RSAAlgorithm.SHA256).prepare_key(key)
        except (jwt.PyJWTError, ValueError, TypeError) as error:
            raise ValueError(f"the PEM for kid {kid!r} is not an RSA key: {error}") from None
    if isinstance(key, rsa.RSAPrivateKey):
        key = key.public_key()  # verification needs only the public half
    if isinstance(key, rsa.RSAPublicKey):
        return _jwk(jwt.algorithms.RSAAlgorithm.to_jwk(key, as_dict=True), kid)
    if _is_key_object(key):
        raise ValueError(
            f"the key for kid {kid!r} is a {type(key).__name__}: the JWT authorizer verifies RS256, RS384 and "
            "RS512 signatures, so register RSA keys"
        )
    return _jwk(key, kid)


def _with_kid(key: jwt.PyJWK) -> jwt.PyJWK:
    if not isinstance(key.key_id, str):
        raise ValueError(f"this PyJWK has no kid. {_ADD_KID}")
    return key


def _is_key_object(value: Any) -> bool:
    """Whether *value* is a ``cryptography`` key (public or private), which carries no kid."""
    return type(value).__module__.startswith("cryptography.")


def _kind(value: Any) -> str:
    return "None" if value is None else f"{type(value).__name__} {value!r}"[:120]
