"""The front door: every common set-up mistake gets AWS's answer, plus a hint at the user's own line.

One test per mistake (docs/troubleshooting.md lists them). Each asserts both the AWS-shaped answer (status and
body, or the modeled exception) and the hint (``ConnectionRejected``'s message, or a ``MockApiGatewayWarning``
whose location is the line of this file that made the request).
"""

from __future__ import annotations

import inspect
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
import requests
from helpers import create_domain
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw import ConnectionRejected, MockApiGateway, MockApiGatewayWarning, mock_apigateway
from mockapigw.runtime.endpoints import Endpoints

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"
FORBIDDEN = '{"message":"Forbidden"}'
NOT_FOUND = '{"message":"Not Found"}'


@contextmanager
def hint_here(*fragments: str) -> Iterator[None]:
    """Expect exactly one MockApiGatewayWarning containing *fragments*, located on the line after this block's."""
    line = inspect.stack()[2].lineno + 1  # the single statement inside the `with` block
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    hints = [w for w in caught if issubclass(w.category, MockApiGatewayWarning)]
    assert len(hints) == 1, [str(w.message) for w in hints]
    message = str(hints[0].message)
    for fragment in fragments:
        assert fragment in message
    assert (hints[0].filename, hints[0].lineno) == (__file__, line), "the hint must point at the user's line"


def _http_api(gw: MockApiGateway, v2: Any, *, stage: str | None = "$default") -> str:
    gw.register_lambda(LAMBDA, lambda event, context: {"statusCode": 200, "body": "ok"})
    api_id = str(v2.create_api(Name="app", ProtocolType="HTTP")["ApiId"])
    if stage is not None:  # before the route, so the route's change deploys (whatever CreateStage does itself)
        v2.create_stage(ApiId=api_id, StageName=stage, AutoDeploy=True)
    integration = v2.create_integration(
        ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
    )
    v2.create_route(ApiId=api_id, RouteKey="GET /pets", Target=f"integrations/{integration['IntegrationId']}")
    return api_id


def _url(api_id: str, path: str, region: str = "us-east-1") -> str:
    return f"https://{api_id}.execute-api.{region}.amazonaws.com{path}"


def _ws_api(v2: Any, *, stage: str | None = "prod", deploy: bool = True) -> str:
    api_id = str(
        v2.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    integration = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")["IntegrationId"]
    v2.create_route(ApiId=api_id, RouteKey="sendmessage", Target=f"integrations/{integration}")
    if stage is not None:
        v2.create_stage(ApiId=api_id, StageName=stage)
        if deploy:
            v2.create_deployment(ApiId=api_id, StageName=stage)
    return api_id


def _management(api_id: str | None, stage: str = "prod") -> Any:
    if api_id is None:
        return boto3.client("apigatewaymanagementapi", region_name="us-east-1")
    return boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com{stage}",
    )


# --- HTTP APIs through requests


def test_http_api_without_a_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2, stage=None)
    with hint_here("has no stage", "create_stage(ApiId="):
        response = requests.get(_url(api_id, "/pets"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_http_stage_without_a_deployment(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2, stage=None)
    v2.create_stage(ApiId=api_id, StageName="prod")
    with hint_here("stage 'prod'", "has no deployment", "create_deployment(ApiId="):
        response = requests.get(_url(api_id, "/prod/pets"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_http_misspelled_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2, stage="prod")
    with hint_here("no stage 'prdo'", "Its stages: 'prod'"):
        response = requests.get(_url(api_id, "/prdo/pets"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_http_wrong_region(apigw: MockApiGateway, v2: Any, no_network: list[Any]) -> None:
    api_id = _http_api(apigw, v2)
    with hint_here(f"API {api_id} is in region us-east-1, not eu-west-1"):
        response = requests.get(_url(api_id, "/pets", region="eu-west-1"))
    assert (response.status_code, response.text) == (403, FORBIDDEN)
    assert no_network == []


def test_http_unknown_api_id(apigw: MockApiGateway, v2: Any, no_network: list[Any]) -> None:
    api_id = _http_api(apigw, v2)
    with hint_here("there is no API abcdefghij", f"APIs in this mock: {api_id} (HTTP, us-east-1)"):
        response = requests.post(_url("abcdefghij", "/pets"), json={})
    assert (response.status_code, response.text) == (403, FORBIDDEN)
    assert no_network == []


def test_websocket_api_url_used_with_requests(apigw: MockApiGateway, v2: Any, no_network: list[Any]) -> None:
    api_id = _ws_api(v2)
    with hint_here(f"API {api_id} is a WebSocket API", "gw.connect"):
        response = requests.get(_url(api_id, "/prod"))
    assert (response.status_code, response.text) == (403, FORBIDDEN)
    assert no_network == []


def test_http_route_typo_lists_the_route_keys(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2)
    with hint_here("matches GET /pest", "no $default route", "Its route keys: GET /pets"):
        response = requests.get(_url(api_id, "/pest"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_custom_domain_without_a_matching_mapping(apigw: MockApiGateway, v2: Any, no_network: list[Any]) -> None:
    api_id = _http_api(apigw, v2)
    create_domain(v2)
    v2.create_api_mapping(DomainName="api.example.com", ApiId=api_id, Stage="$default", ApiMappingKey="v1")
    with hint_here("no API mapping of custom domain api.example.com", "Its mapping keys: v1"):
        response = requests.get("https://api.example.com/v2/pets")
    assert (response.status_code, response.text) == (404, NOT_FOUND)
    assert requests.get("https://api.example.com/v1/pets").text == "ok"
    assert no_network == []


def test_gw_invoke_gets_the_same_answer_and_hint(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2, stage="prod")
    with hint_here("no stage 'prdo'"):
        response = apigw.invoke("GET", _url(api_id, "/prdo/pets"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


# --- WebSocket APIs through gw.connect


def test_connect_without_a_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2, stage=None)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "prod")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert "has no stage 'prod'" in str(info.value) and "create_stage(" in str(info.value)


def test_connect_to_a_stage_without_a_deployment(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2, deploy=False)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "prod")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert "has no deployment" in str(info.value) and "AutoDeploy=True" in str(info.value)


@pytest.mark.parametrize("auto_deploy", [True, False])
def test_connect_to_an_api_without_routes_says_to_add_one(apigw: MockApiGateway, v2: Any, auto_deploy: bool) -> None:
    """Deploying an API without routes fails (BadRequestException): the hint says to add a route first."""
    api_id = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")["ApiId"]
    v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=auto_deploy)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "prod")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    message = str(info.value)
    assert "has no routes" in message and f"create_route(ApiId='{api_id}'" in message
    assert ("AutoDeploy then deploys" in message) is auto_deploy
    assert ("AutoDeploy=True" in message) is False  # the advice that fails: the stage has it, or it deploys nothing
    integration = v2.create_integration(ApiId=api_id, IntegrationType="MOCK")
    v2.create_route(ApiId=api_id, RouteKey="$default", Target=f"integrations/{integration['IntegrationId']}")
    if not auto_deploy:
        v2.create_deployment(ApiId=api_id, StageName="prod")
    assert apigw.connect(api_id, "prod").connected


def test_connect_to_a_misspelled_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "prdo")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert "no stage 'prdo'" in str(info.value) and "its stages: 'prod'" in str(info.value)


def test_connect_in_the_wrong_region(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "prod", region="eu-west-1")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert f"API {api_id} is in region us-east-1, not eu-west-1" in str(info.value)


def test_connect_to_an_http_api(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect(api_id, "$default")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert f"API {api_id} is an HTTP API" in str(info.value) and "gw.invoke" in str(info.value)


def test_connect_after_the_mock_stopped(v2: Any) -> None:
    with mock_apigateway() as gw:
        api_id = _ws_api(boto3.client("apigatewayv2", region_name="us-east-1"))
    with pytest.raises(ConnectionRejected) as info:
        gw.connect(api_id, "prod")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert "the mock is not active" in str(info.value)


def test_invoke_after_the_mock_stopped(v2: Any) -> None:
    """As gw.connect: AWS's 403 and the same hint, and nothing runs (the handler's own calls would reach AWS)."""
    with mock_apigateway() as gw:
        gw.register_lambda(LAMBDA, lambda event, context: "ran")
        url = boto3.client("apigatewayv2", region_name="us-east-1").create_api(
            Name="h", ProtocolType="HTTP", Target=LAMBDA
        )["ApiEndpoint"]
        assert gw.invoke("GET", url + "/").text == "ran"
    with hint_here("the mock is not active (gw.invoke was called before start() or after stop())"):
        response = gw.invoke("GET", url + "/")
    assert (response.status_code, response.text) == (403, FORBIDDEN)
    assert len(gw.invocations) == 1
    with hint_here("the mock is not active"):
        never_started = mock_apigateway().invoke("GET", url + "/")
    assert (never_started.status_code, never_started.text) == (403, FORBIDDEN)


def test_connect_to_an_unknown_api_lists_the_apis(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    with pytest.raises(ConnectionRejected) as info:
        apigw.connect("abcdefghij", "prod")
    assert (info.value.status_code, info.value.body) == (403, FORBIDDEN)
    assert f"APIs in this mock: {api_id} (WebSocket, us-east-1)" in str(info.value)


def test_a_route_typo_among_many_routes_lists_the_closest_keys(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2)
    for n in range(40):
        v2.create_route(ApiId=api_id, RouteKey=f"GET /items/{n}")
    with hint_here("matches GET /pest", "Its route keys: GET /pets, ", "... and 21 more"):
        response = requests.get(_url(api_id, "/pest"))
    assert (response.status_code, response.text) == (404, NOT_FOUND)


def test_a_websocket_route_typo_among_many_routes_lists_the_closest_keys(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2, deploy=False)
    for n in range(40):
        v2.create_route(ApiId=api_id, RouteKey=f"action{n}")
    v2.create_deployment(ApiId=api_id, StageName="prod")
    client = apigw.connect(api_id, "prod")
    with hint_here("gave 'sendMesage'", "Its route keys: sendmessage, ", "... and 21 more"):
        client.send({"action": "sendMesage"})
    assert client.receive_json()["message"] == "Forbidden"


def test_websocket_route_key_typo_lists_the_route_keys(apigw: MockApiGateway, v2: Any) -> None:
    client = apigw.connect(_ws_api(v2), "prod")
    with hint_here("no route of WebSocket API", "no $default route", "Its route keys: sendmessage"):
        client.send({"action": "sendMesage"})
    frame = client.receive_json()
    assert frame["message"] == "Forbidden" and frame["connectionId"] == client.connection_id


# --- the @connections endpoint


def test_management_client_without_endpoint_url(apigw: MockApiGateway, v2: Any) -> None:
    client = apigw.connect(_ws_api(v2), "prod")
    management = _management(None)
    with pytest.raises(management.exceptions.ForbiddenException) as info, hint_here("has no endpoint_url"):
        management.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert info.value.response["Error"]["Message"] == "Forbidden"
    assert client.received == []


def test_management_endpoint_without_the_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    client = apigw.connect(api_id, "prod")
    management = _management(api_id, stage="")
    with pytest.raises(management.exceptions.ForbiddenException) as info, hint_here("does not name a stage"):
        management.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert info.value.response["Error"]["Message"] == "Forbidden"
    assert "'prod'" in str(info.value) or client.received == []


def test_management_endpoint_with_a_misspelled_stage(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _ws_api(v2)
    client = apigw.connect(api_id, "prod")
    management = _management(api_id, stage="/prdo")
    with pytest.raises(management.exceptions.ForbiddenException), hint_here("no stage 'prdo'", "its stages: 'prod'"):
        management.get_connection(ConnectionId=client.connection_id)


def test_management_endpoint_of_an_http_api(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _http_api(apigw, v2)
    management = _management(api_id, stage="/$default")
    with pytest.raises(management.exceptions.ForbiddenException), hint_here(f"API {api_id} is an HTTP API"):
        management.get_connection(ConnectionId="L0SM9cOFvHcCIhw=")


# --- the front door itself


def test_every_execute_api_host_is_claimed_and_other_hosts_are_not(apigw: MockApiGateway, v2: Any) -> None:
    endpoints: Endpoints = apigw.endpoints
    assert endpoints.claims("abcdefghij.execute-api.ap-south-2.amazonaws.com")
    assert endpoints.claims("ABCDEFGHIJ.execute-api.us-east-1.amazonaws.com:443")
    assert not endpoints.claims("example.com")
    create_domain(v2)
    assert endpoints.claims("api.example.com")


def test_one_resolution_per_request(apigw: MockApiGateway, v2: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api_id = _http_api(apigw, v2)
    calls: list[str] = []
    original = apigw.endpoints.http

    def counted(*args: Any) -> Any:
        calls.append("http")
        return original(*args)

    monkeypatch.setattr(apigw.endpoints, "http", counted)
    assert requests.get(_url(api_id, "/pets")).text == "ok"
    assert calls == ["http"]
    assert apigw.invoke("GET", _url(api_id, "/pets")).text == "ok"
    assert calls == ["http", "http"]


# --- JWT discovery never goes online


def _jwt_api(gw: MockApiGateway, v2: Any, issuer: str) -> str:
    api_id = _http_api(gw, v2)
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="JWT",
        Name="jwt",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": issuer, "Audience": ["shop"]},
    )["AuthorizerId"]
    route_id = v2.get_routes(ApiId=api_id)["Items"][0]["RouteId"]
    v2.update_route(ApiId=api_id, RouteId=route_id, AuthorizationType="JWT", AuthorizerId=authorizer)
    return api_id


_TOKEN = (  # any RS256-looking token: the keys are never found, so its signature is never checked
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJpc3MiOiJodHRwczovL2lkcC5leGFtcGxlLmNvbSJ9.c2ln"
)


def test_jwt_without_registered_keys_fails_closed_offline(
    apigw: MockApiGateway, v2: Any, no_network: list[Any]
) -> None:
    api_id = _jwt_api(apigw, v2, "https://idp.example.com")
    with hint_here("no JWT keys are registered for issuer https://idp.example.com", "gw.register_jwt_keys("):
        response = requests.get(_url(api_id, "/pets"), headers={"Authorization": _TOKEN})
    assert (response.status_code, response.text) == (401, '{"message":"Unauthorized"}')
    assert no_network == []


def test_jwt_discovery_passing_through_an_earlier_responses_mock_stays_offline(no_network: list[Any]) -> None:
    """A responses mock started first, passing everything through, still never lets discovery go online."""
    import responses

    with responses.RequestsMock() as outer, mock_apigateway() as gw:
        outer.add_passthru("https://")
        api_id = _jwt_api(gw, boto3.client("apigatewayv2", region_name="us-east-1"), "https://idp.example.com")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            response = requests.get(_url(api_id, "/pets"), headers={"Authorization": _TOKEN})
    assert response.status_code == 401
    assert any("gw.register_jwt_keys(" in str(w.message) for w in caught)
    assert no_network == []


def test_management_endpoint_with_wss_fails_as_outside_the_mock(apigw: MockApiGateway, v2: Any) -> None:
    """botocore cannot send to wss:// (aws-behaviour.md §9.11): the same exception and message as without the mock."""
    from botocore.config import Config
    from botocore.exceptions import HTTPClientError

    api_id = _ws_api(v2)
    client = apigw.connect(api_id, "prod")
    management = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"wss://{api_id}.execute-api.us-east-1.amazonaws.com/prod",
        config=Config(retries={"total_max_attempts": 1}),
    )
    with pytest.raises(HTTPClientError) as info, hint_here("uses wss://", "endpoint_url='https://"):
        management.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert str(info.value) == "An HTTP Client raised an unhandled exception: Not supported URL scheme wss"
    assert client.received == []


def test_server_mode_local_forms_resolve_like_the_execute_api_host(apigw: MockApiGateway, v2: Any) -> None:
    """The forms server mode will add: the /_aws/execute-api path on any host, and Host {id}.execute-api.*."""
    from mockapigw.runtime.endpoints import Address, Refusal, Resolution

    api_id = _http_api(apigw, v2, stage="prod")
    for address in (
        Address.local("127.0.0.1:4566", f"/_aws/execute-api/{api_id}/prod/pets"),
        Address.local(f"{api_id}.execute-api.localhost:4566", "/prod/pets"),
    ):
        assert address is not None
        resolved = apigw.endpoints.http(address)
        assert isinstance(resolved, Resolution)
        assert (resolved.api_id, resolved.stage, resolved.path, resolved.region) == (
            api_id,
            "prod",
            "/pets",
            "us-east-1",
        )
    assert Address.local("127.0.0.1:4566", "/pets") is None
    unknown = Address.local("localhost", "/_aws/execute-api/abcdefghij/prod/pets")
    assert unknown is not None
    refused = apigw.endpoints.http(unknown)
    assert isinstance(refused, Refusal) and (refused.status, refused.body) == (403, FORBIDDEN)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    host=st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda api, region, port: f"{api}.execute-api.{region}.amazonaws.com{port}",
            st.text(alphabet="abcdefghij0123456789ABC", max_size=12),
            st.sampled_from(["us-east-1", "eu-west-1", "", "US-EAST-1"]),
            st.sampled_from(["", ":443", ":x"]),
        ),
    ),
    path=st.one_of(st.text(max_size=30), st.builds(lambda p: "/" + p, st.text(max_size=30))),
)
def test_any_host_and_path_get_an_answer_never_an_exception(
    apigw: MockApiGateway, v2: Any, host: str, path: str
) -> None:
    """The front door answers any address: a resolution, AWS's refusal with a reason, or not the mock's."""
    from mockapigw.runtime.endpoints import Address, ConnectionsTarget, Refusal, Resolution

    if not v2.get_apis()["Items"]:
        _http_api(apigw, v2, stage="prod")
        _ws_api(v2)
    address = Address.of(host, path)
    resolved = apigw.endpoints.http(address)
    assert resolved is None or isinstance(resolved, Resolution | Refusal)
    if isinstance(resolved, Refusal):
        assert resolved.status in (403, 404) and resolved.reason
    management = apigw.endpoints.management(address, "us-east-1")
    assert isinstance(management, ConnectionsTarget | Refusal)
    local = Address.local(host, path)
    if local is not None:
        assert apigw.endpoints.http(local) is not None


def test_the_front_door_reads_the_control_plane_under_its_lock(
    apigw: MockApiGateway, v2: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Resolving a request reads the backend's dicts (APIs, stages, deployments), which control-plane calls change
    in other threads under the backend's lock: the front door holds that lock while it reads them."""
    http = v2.create_api(Name="h", ProtocolType="HTTP", Target=LAMBDA)
    ws = v2.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    backend = apigw.apigatewayv2.backends(apigw.account_id, "us-east-1")
    free_in_another_thread: list[bool] = []

    def try_lock() -> None:
        taken = backend.lock.acquire(blocking=False)
        free_in_another_thread.append(taken)
        if taken:
            backend.lock.release()

    original = Endpoints._api_or_refusal

    def checking(self: Endpoints, *args: Any) -> Any:
        other = threading.Thread(target=try_lock)
        other.start()
        other.join()
        return original(self, *args)

    monkeypatch.setattr(Endpoints, "_api_or_refusal", checking)
    apigw.register_lambda(LAMBDA, lambda event, context: "ok")
    assert apigw.invoke("GET", http["ApiEndpoint"] + "/").status_code == 200
    with pytest.raises(ConnectionRejected):
        apigw.connect(ws["ApiId"], "missing")
    assert free_in_another_thread == [False, False]
