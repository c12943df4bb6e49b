"""Authorization of HTTP API routes: JWT authorizers, Lambda REQUEST authorizers and AWS_IAM (aws-behaviour.md §3.6)."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import jwt
import requests

from .alerts import warn
from .http_events import HttpAnswer, HttpRequest, RequestInfo, event_v1, event_v2
from .in_process import NothingAnswered, get_json
from .jwt_keys import check_issuer, read_keys
from .lambdas import LambdaRegistry, invoke
from .policies import policy_allows, response_problem

JWKS_TIMEOUT_S = 1.5  # aws-behaviour.md §4: JWKS endpoint and OIDC discovery timeouts
LAMBDA_AUTHORIZER_TIMEOUT_MS = 10000
_RSA_ALGORITHMS = ("RS256", "RS384", "RS512")


class Denied(Exception):
    """Authorization failed; ``answer`` is what API Gateway sends back."""

    def __init__(self, answer: HttpAnswer) -> None:
        super().__init__(answer.status)
        self.answer = answer


def _unauthorized(description: str | None = None) -> Denied:
    extra: tuple[tuple[str, str], ...] = ()
    if description is not None:
        challenge = f'Bearer scope="" error="invalid_token" error_description="{description}"'
        extra = (("www-authenticate", challenge),)
    return Denied(HttpAnswer.message(401, "Unauthorized", *extra))


def _forbidden(*extra: tuple[str, str]) -> Denied:
    return Denied(HttpAnswer.message(403, "Forbidden", *extra))


def _internal_error() -> Denied:
    return Denied(HttpAnswer.message(500, "Internal Server Error"))


def identity_value(source: str, request: HttpRequest, info: RequestInfo, context: dict[str, Any]) -> str | None:
    """The value an identity source names (``$request.header.Auth``...), or ``None`` when it is missing."""
    if source.startswith("$request.header."):
        return request.header(source.removeprefix("$request.header."))
    if source.startswith("$request.querystring."):
        name = source.removeprefix("$request.querystring.")
        values = [v for k, v in request.query_pairs if k == name]
        return ",".join(values) if values else None
    if source.startswith("$stageVariables."):
        return info.stage_variables.get(source.removeprefix("$stageVariables."))
    if source.startswith("$context."):
        value = context.get(source.removeprefix("$context."))
        return None if value is None else str(value)
    return None


# ---------------------------------------------------------------------------------------------- JWT


class JwtKeys:
    """Signing keys per issuer: registered by the test, or fetched from the issuer's JWKS with ``requests``."""

    def __init__(self) -> None:
        self._registered: dict[str, list[jwt.PyJWK]] = {}
        self._fetched: dict[str, list[jwt.PyJWK]] = {}
        self._lock = threading.Lock()

    def register(self, issuer: str, keys: Any) -> None:
        """Trust *keys* for tokens from *issuer*; the accepted forms are :func:`.jwt_keys.read_keys`'s.

        Both are checked before anything is registered, so a refused call changes nothing.
        """
        issuer = check_issuer(issuer)
        parsed = read_keys(keys)
        with self._lock:
            self._registered.setdefault(issuer, []).extend(parsed)

    def keys_for(self, issuer: str) -> list[jwt.PyJWK]:
        """The keys of *issuer*; fetched through OIDC discovery the first time when none were registered."""
        issuer = issuer.rstrip("/")
        with self._lock:
            if issuer in self._registered:
                return self._registered[issuer]
            if issuer in self._fetched:
                return self._fetched[issuer]
        keys = _discover(issuer)
        if keys:  # a failed discovery is tried again on the next request, as the test may mock the issuer later
            with self._lock:
                self._fetched[issuer] = keys
        return keys


def _discover(issuer: str) -> list[jwt.PyJWK]:
    """The issuer's keys through OIDC discovery, answered in process (never the network); [] fails closed."""
    try:
        config = get_json(f"{issuer}/.well-known/openid-configuration", JWKS_TIMEOUT_S)
        jwks = get_json(config["jwks_uri"], JWKS_TIMEOUT_S)
        return [jwt.PyJWK(entry) for entry in jwks["keys"] if entry.get("use", "sig") == "sig"]
    except NothingAnswered:
        warn(
            f"no JWT keys are registered for issuer {issuer} and nothing in the process answers its OIDC discovery "
            f"(mockapigw never goes online), so the JWT authorizer answers 401. Call "
            f"gw.register_jwt_keys({issuer!r}, jwks), or mock {issuer}/.well-known/openid-configuration and its "
            "jwks_uri with responses."
        )
        return []
    except (requests.RequestException, ValueError, KeyError, TypeError, jwt.PyJWTError):
        return []


def _claim_text(value: Any) -> str:
    if isinstance(value, list):
        return "[" + " ".join(str(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_jwt(
    authorizer: dict[str, Any], route: dict[str, Any], request: HttpRequest, info: RequestInfo, keys: JwtKeys
) -> dict[str, Any]:
    """Validate the token as API Gateway does; return ``{"jwt": {"claims", "scopes"}}`` or raise :class:`Denied`."""
    sources = authorizer.get("IdentitySource") or ["$request.header.Authorization"]
    token = identity_value(sources[0], request, info, {})
    if not token:
        raise _unauthorized()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    config = authorizer.get("JwtConfiguration") or {}
    issuer = str(config.get("Issuer", "")).rstrip("/")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _unauthorized("the token is malformed") from None
    if header.get("alg") not in _RSA_ALGORITHMS:
        raise _unauthorized("the token's signing algorithm is not supported")
    if not isinstance(header.get("kid"), str):  # "must have a header claim that matches the key" (§9.9)
        raise _unauthorized("the token does not have a kid header")
    candidates = [k for k in keys.keys_for(issuer) if header["kid"] == k.key_id]
    if not candidates:
        raise _unauthorized("the token's kid does not match any key of the issuer")
    claims: dict[str, Any] | None = None
    for key in candidates:
        try:
            claims = jwt.decode(
                token,
                key.key,
                algorithms=list(_RSA_ALGORITHMS),
                options={"verify_aud": False, "verify_exp": False, "verify_nbf": False, "verify_iat": False},
            )
            break
        except jwt.PyJWTError:
            continue
    if claims is None:
        raise _unauthorized("the token's signature is invalid")
    try:
        return _check_claims(claims, config, issuer, route)
    except (TypeError, ValueError):
        raise _unauthorized("the token's claims are malformed") from None


def _timestamp(claims: dict[str, Any], name: str) -> float:
    """A NumericDate claim: a JSON number (not a string, a boolean, NaN or infinity), else 401."""
    value = claims[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise _unauthorized(f"the token's {name} claim is not a number")
    return float(value)


def _check_claims(claims: dict[str, Any], config: dict[str, Any], issuer: str, route: dict[str, Any]) -> dict[str, Any]:
    if str(claims.get("iss", "")).rstrip("/") != issuer:
        raise _unauthorized("the token does not have a valid issuer")
    audiences = set(config.get("Audience") or [])
    token_audience = claims.get("aud", claims.get("client_id"))
    presented = set(token_audience) if isinstance(token_audience, list) else {token_audience}
    if not audiences & presented:
        raise _unauthorized("the token does not have a valid audience")
    now = time.time()
    if "exp" not in claims:
        raise _unauthorized("the token does not have an exp claim")
    if _timestamp(claims, "exp") <= now:
        raise _unauthorized("the token has expired")
    if "nbf" in claims and _timestamp(claims, "nbf") > now:
        raise _unauthorized("the token is not valid yet")
    if "iat" in claims and _timestamp(claims, "iat") > now:
        raise _unauthorized("the token was issued in the future")
    granted = claims.get("scope", claims.get("scp", []))
    scopes = granted.split() if isinstance(granted, str) else [str(s) for s in granted or []]
    required = list(route.get("AuthorizationScopes") or [])
    if required and not set(required) & set(scopes):
        challenge = (
            f'Bearer scope="{" ".join(required)}" error="insufficient_scope" '
            'error_description="the token does not have the required scopes"'
        )
        raise _forbidden(("www-authenticate", challenge))
    return {"jwt": {"claims": {k: _claim_text(v) for k, v in claims.items()}, "scopes": scopes or None}}


# ---------------------------------------------------------------------------------------------- Lambda


@dataclass
class _Cached:
    """One authorizer result: a simple yes/no, or an IAM policy evaluated per route it is used for."""

    simple: bool | None
    policy: Any
    principal_id: str | None
    context: dict[str, Any]
    expires_at: float = 0.0
    generation: int = 0

    def allows(self, route_arn: str) -> bool:
        return self.simple if self.simple is not None else policy_allows(self.policy, route_arn)


class LambdaAuthorizers:
    """Lambda REQUEST authorizers, with AWS's result caching per identity (TTL, ResetAuthorizersCache)."""

    def __init__(self, lambdas: LambdaRegistry) -> None:
        self._lambdas = lambdas
        self._cache: dict[tuple[str, str, str, tuple[str, ...]], _Cached] = {}
        self._lock = threading.Lock()

    def authorize(
        self,
        cache_generation: int,
        authorizer: dict[str, Any],
        request: HttpRequest,
        info: RequestInfo,
        route_arn: str,
        context: dict[str, Any],
    ) -> dict[str, Any]:
        """Run (or reuse) the authorizer; return the event's ``authorizer`` member or raise :class:`Denied`."""
        sources = list(authorizer.get("IdentitySource") or [])
        values = [identity_value(source, request, info, context) for source in sources]
        if any(not value for value in values):
            raise _unauthorized()  # AWS answers 401 without invoking the function
        ttl = int(authorizer.get("AuthorizerResultTtlInSeconds") or 0)
        generation = cache_generation  # bumped by each ResetAuthorizersCache of the stage (the front door reads it)
        key = (info.api_id, info.stage, str(authorizer["AuthorizerId"]), tuple(str(v) for v in values))
        cached = self._cached(key, generation) if ttl and sources else None
        if cached is None:
            cached = self._call(authorizer, request, info, route_arn, [str(v) for v in values])
            cached.expires_at = time.time() + ttl
            cached.generation = generation
            if ttl and sources:
                with self._lock:
                    self._cache[key] = cached
        if not cached.allows(route_arn):
            raise _forbidden()
        return {"lambda": dict(cached.context)}

    def _cached(self, key: tuple[str, str, str, tuple[str, ...]], generation: int) -> _Cached | None:
        with self._lock:
            cached = self._cache.get(key)
        if cached is None or cached.expires_at <= time.time() or cached.generation != generation:
            return None
        return cached

    def _call(
        self, authorizer: dict[str, Any], request: HttpRequest, info: RequestInfo, route_arn: str, values: list[str]
    ) -> _Cached:
        version = authorizer.get("AuthorizerPayloadFormatVersion", "2.0")
        if version == "1.0":
            event = event_v1(request, info)
            event.update(type="REQUEST", methodArn=route_arn, identitySource=",".join(values))
            token = request.header("authorization")
            if token is not None:
                event["authorizationToken"] = token
        else:
            event = event_v2(request, info)
            event.update(type="REQUEST", routeArn=route_arn, identitySource=values)
            event.pop("isBase64Encoded", None)
            event.pop("body", None)
        uri = str(authorizer.get("AuthorizerUri", ""))
        called = invoke(self._lambdas, uri, event, LAMBDA_AUTHORIZER_TIMEOUT_MS, info.site("authorizer"))
        result = called.payload
        if not called.ok or not isinstance(result, dict):
            reason = (
                "timed out"
                if called.timed_out
                else repr(called.error)
                if called.error
                else f"returned {result!r}, which is not an authorizer response"
            )
            warn(f"Lambda authorizer {authorizer.get('Name')} failed: {reason}")
            raise _internal_error()
        simple = bool(authorizer.get("EnableSimpleResponses"))
        problem = response_problem(result, simple=simple)
        if problem is not None:  # AWS answers 500 to a response it cannot read; the test's author learns why
            warn(f"Lambda authorizer {authorizer.get('Name')} returned a response API Gateway cannot use: {problem}")
            raise _internal_error()
        context = dict(result.get("context") or {})
        if simple:
            return _Cached(result["isAuthorized"], None, None, context)
        return _Cached(None, result["policyDocument"], str(result.get("principalId", "")), context)


# ---------------------------------------------------------------------------------------------- IAM


def check_iam(request: HttpRequest, region: str, account_id: str) -> dict[str, Any]:
    """AWS_IAM routes need a SigV4 signature for ``execute-api``; the mock checks its form, not the secret."""
    header = request.header("authorization") or ""
    if not header.startswith("AWS4-HMAC-SHA256 ") or request.header("x-amz-date") is None:
        raise _forbidden()
    fields = dict(part.strip().split("=", 1) for part in header[17:].split(",") if "=" in part)
    scope = unquote(fields.get("Credential", "")).split("/")
    if len(scope) != 5 or scope[2] != region or scope[3] != "execute-api" or scope[4] != "aws4_request":
        raise _forbidden()
    access_key = scope[0]
    return {
        "iam": {
            "accessKey": access_key,
            "accountId": account_id,
            "callerId": access_key,
            "cognitoIdentity": None,
            "principalOrgId": None,
            "userArn": f"arn:aws:iam::{account_id}:user/{access_key}",
            "userId": access_key,
        }
    }
