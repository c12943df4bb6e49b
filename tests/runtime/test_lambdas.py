"""Lambda handlers: the context, ``gw.invocations``, and what a failing or malformed handler gives.

Handler errors are raised in the test from every call that runs a handler, or give AWS's answer and a warning:
every call site (connect, its authorizer, send, close, @connections delete, expiry, requests, the HTTP
authorizer, gw.invoke) is tried with three failures (the handler raises, nobody registered it, its result cannot
be serialized) in both modes.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import json
import os
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
import requests
import time_machine
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from wsapi import FUNCTION_ARN, WsApi

from mockapigw import (
    ConnectionRejected,
    Invocation,
    LambdaContext,
    LambdaNotRegistered,
    LambdaResultError,
    MockApiGateway,
    MockApiGatewayWarning,
    mock_apigateway,
)
from mockapigw.runtime import lambdas
from mockapigw.runtime.lambdas import CallSite, invoke


def test_lambda_context_behaves_like_the_runtime(ws: WsApi) -> None:
    seen: dict[str, Any] = {}

    def capture(event: Any, context: Any) -> Any:
        seen.update(
            name=context.function_name,
            arn=context.invoked_function_arn,
            memory=context.memory_limit_in_mb,
            request_id=context.aws_request_id,
            log_group=context.log_group_name,
            remaining=context.get_remaining_time_in_millis(),
        )
        return None

    ws.route("ctx")
    ws.replies["ctx"] = capture
    ws.gw.connect(ws.api_id, "prod").send({"action": "ctx"})
    assert seen["name"] == "chat"
    assert seen["arn"] == FUNCTION_ARN
    assert seen["memory"] == "128"  # the runtime reads it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE
    assert re.fullmatch(r"[0-9a-f-]{36}", seen["request_id"])
    assert seen["log_group"] == "/aws/lambda/chat"
    assert 28000 < seen["remaining"] <= 29000  # counts down the WebSocket default timeout


OK = "arn:aws:lambda:us-east-1:123456789012:function:ok"
FAILING = "arn:aws:lambda:us-east-1:123456789012:function:failing"
FAILING_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FAILING}/invocations"


class HandlerBug(Exception):
    """What the failing handler raises."""


def _ok(event: Any, context: Any) -> Any:
    return {"statusCode": 200, "body": "fine", "isAuthorized": True}


# --- the API each call site needs; `arrange` returns the call that makes the failing handler run


@dataclass
class Site:
    name: str
    arrange: Callable[[MockApiGateway, Any], Callable[[], Any]]
    check_aws_answer: Callable[[Callable[[], Any]], None]


def _ws_api(v2: Any, failing_route: str, *, authorizer: bool = False) -> str:
    api_id = str(
        v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    routes: dict[str, str] = {}
    for key, uri in (("$connect", OK), ("$disconnect", OK), ("boom", OK)):
        uri = FAILING if key == failing_route else uri
        integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=uri)
        extra: dict[str, Any] = {}
        if key == "$connect" and authorizer:
            extra["AuthorizationType"] = "CUSTOM"
            extra["AuthorizerId"] = v2.create_authorizer(
                ApiId=api_id,
                AuthorizerType="REQUEST",
                Name="auth",
                AuthorizerUri=FAILING_URI,
                IdentitySource=["route.request.header.Auth"],
            )["AuthorizerId"]
        route = v2.create_route(
            ApiId=api_id, RouteKey=key, Target=f"integrations/{integration['IntegrationId']}", **extra
        )
        routes[key] = route["RouteId"]
    v2.create_route_response(ApiId=api_id, RouteId=routes["boom"], RouteResponseKey="$default")
    v2.update_route(ApiId=api_id, RouteId=routes["boom"], RouteResponseSelectionExpression="$default")
    v2.create_stage(ApiId=api_id, StageName="prod")
    v2.create_deployment(ApiId=api_id, StageName="prod")
    return api_id


def _connect(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    api_id = _ws_api(v2, "$connect")
    return lambda: gw.connect(api_id, "prod")


def _connect_authorizer(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    api_id = _ws_api(v2, "", authorizer=True)
    return lambda: gw.connect(api_id, "prod", headers={"Auth": "t"})


def _rejected_500(call: Callable[[], Any]) -> None:
    with pytest.raises(ConnectionRejected) as rejected:
        call()
    assert rejected.value.status_code == 500


def _send(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    client = gw.connect(_ws_api(v2, "boom"), "prod")
    return lambda: (client.send({"action": "boom"}), client)[1]


def _error_frame(call: Callable[[], Any]) -> None:
    client = call()
    assert client.receive_json()["message"] == "Internal server error"
    assert client.connected


def _close(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    client = gw.connect(_ws_api(v2, "$disconnect"), "prod")
    return lambda: (client.close(1000, "bye"), client)[1]


def _closed(call: Callable[[], Any]) -> None:
    client = call()
    assert not client.connected


def _delete_connection(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    api_id = _ws_api(v2, "$disconnect")
    client = gw.connect(api_id, "prod")
    endpoint = f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod"
    management = boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint)
    return lambda: (management.delete_connection(ConnectionId=client.connection_id), client)[1]


def _expiry(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    api_id = _ws_api(v2, "$disconnect")
    with time_machine.travel(start, tick=False):
        client = gw.connect(api_id, "prod")

    def later() -> Any:
        with time_machine.travel(start + dt.timedelta(minutes=11), tick=False):
            assert client.connected is False  # the first access after the idle timeout runs $disconnect
        return client

    return later


def _expired(call: Callable[[], Any]) -> None:
    assert call().close_code == 1001


def _post_after_lifetime(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    api_id = _ws_api(v2, "$disconnect")
    endpoint = f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod"
    management = boto3.client("apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint)
    with time_machine.travel(start, tick=False):
        client = gw.connect(api_id, "prod")

    def later() -> Any:
        with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
            return management.post_to_connection(ConnectionId=client.connection_id, Data=b"late")

    return later


def _gone(call: Callable[[], Any]) -> None:
    with pytest.raises(ClientError, match="GoneException"):
        call()


def _http_api(v2: Any, *, authorizer: bool = False, version: str = "2.0") -> str:
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    integration = v2.create_integration(
        ApiId=api["ApiId"],
        IntegrationType="AWS_PROXY",
        IntegrationUri=OK if authorizer else FAILING,
        PayloadFormatVersion=version,
    )
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    extra: dict[str, Any] = {}
    if authorizer:
        extra["AuthorizationType"] = "CUSTOM"
        extra["AuthorizerId"] = v2.create_authorizer(
            ApiId=api["ApiId"],
            AuthorizerType="REQUEST",
            Name="auth",
            AuthorizerUri=FAILING_URI,
            AuthorizerPayloadFormatVersion="2.0",
            EnableSimpleResponses=True,
            IdentitySource=["$request.header.X-Token"],
        )["AuthorizerId"]
    v2.create_route(
        ApiId=api["ApiId"], RouteKey="ANY /orders", Target=f"integrations/{integration['IntegrationId']}", **extra
    )
    return str(api["ApiEndpoint"])


def _requests_get(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    endpoint = _http_api(v2)
    return lambda: requests.get(endpoint + "/orders")


def _requests_post_v1(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    endpoint = _http_api(v2, version="1.0")
    return lambda: requests.post(endpoint + "/orders", json={"n": 1})


def _requests_authorizer(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    endpoint = _http_api(v2, authorizer=True)
    return lambda: requests.put(endpoint + "/orders", headers={"X-Token": "t"})


def _gw_invoke(gw: MockApiGateway, v2: Any) -> Callable[[], Any]:
    endpoint = _http_api(v2)
    return lambda: gw.invoke("DELETE", endpoint + "/orders")


def _status_500(call: Callable[[], Any]) -> None:
    response = call()
    assert (response.status_code, response.json()) == (500, {"message": "Internal Server Error"})


SITES = [
    Site("gw.connect", _connect, _rejected_500),
    Site("gw.connect authorizer", _connect_authorizer, _rejected_500),
    Site("ws.send", _send, _error_frame),
    Site("ws.close", _close, _closed),
    Site("delete_connection", _delete_connection, _closed),
    Site("expiry", _expiry, _expired),
    Site("post_to_connection after the lifetime", _post_after_lifetime, _gone),
    Site("requests.get", _requests_get, _status_500),
    Site("requests.post 1.0", _requests_post_v1, _status_500),
    Site("requests authorizer", _requests_authorizer, _status_500),
    Site("gw.invoke", _gw_invoke, _status_500),
]

# --- the three failures


@dataclass
class Failure:
    name: str
    handler: Callable[[Any, Any], Any] | None  # None: nobody registers the function
    expected: type[BaseException]
    match: str


def _raises(event: Any, context: Any) -> Any:
    raise HandlerBug("the handler's own bug")


def _unserializable(event: Any, context: Any) -> Any:
    return {"statusCode": 200, "body": {1, 2}, "isAuthorized": True}


FAILURES = [
    Failure("raises", _raises, HandlerBug, "the handler's own bug"),
    Failure("unregistered", None, LambdaNotRegistered, re.escape(f"gw.register_lambda('{FAILING}', handler)")),
    Failure("unserializable", _unserializable, LambdaResultError, "Unable to marshal response: Object of type set"),
]


def _start(raise_errors: bool, failure: Failure) -> MockApiGateway:
    gw = mock_apigateway(raise_handler_errors=raise_errors).start()
    gw.register_lambda(OK, _ok)
    if failure.handler is not None:
        gw.register_lambda(FAILING, failure.handler)
    return gw


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_handler_failure_propagates_from_the_call_that_ran_it(site: Site, failure: Failure) -> None:
    gw = _start(True, failure)
    try:
        call = site.arrange(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        with pytest.raises(failure.expected, match=failure.match) as raised:
            call()
    finally:
        gw.stop()
    recorded = [i for i in gw.invocations if i.function_arn == FAILING]
    assert len(recorded) == 1
    assert raised.value is recorded[0].error  # the very exception object, not a copy or a wrapper
    if failure.name == "raises":
        frames = [frame.name for frame in traceback.extract_tb(raised.value.__traceback__)]
        assert "_raises" in frames  # with the handler's traceback


@pytest.mark.parametrize("failure", FAILURES, ids=[f.name for f in FAILURES])
@pytest.mark.parametrize("site", SITES, ids=[s.name for s in SITES])
def test_without_raising_the_client_gets_aws_answer_and_a_warning(site: Site, failure: Failure) -> None:
    gw = _start(False, failure)
    try:
        call = site.arrange(gw, boto3.client("apigatewayv2", region_name="us-east-1"))
        with pytest.warns(MockApiGatewayWarning) as warned:
            site.check_aws_answer(call)
    finally:
        gw.stop()
    assert any(failure.expected.__name__ in str(w.message) for w in warned)
    recorded = [i for i in gw.invocations if i.function_arn == FAILING]
    assert len(recorded) == 1 and isinstance(recorded[0].error, failure.expected)


def test_the_fixture_takes_the_setting_from_the_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3, pytest, requests
        from mockapigw import MockApiGatewayWarning

        def _api(apigw):
            v2 = boto3.client("apigatewayv2", region_name="us-east-1")
            target = "arn:aws:lambda:us-east-1:123456789012:function:f"
            api = v2.create_api(Name="a", ProtocolType="HTTP", Target=target)
            apigw.register_lambda("f", lambda event, context: 1 / 0)
            return api["ApiEndpoint"]

        def test_default_raises(apigw):
            with pytest.raises(ZeroDivisionError):
                requests.get(_api(apigw) + "/")

        @pytest.mark.apigw(raise_handler_errors=False)
        def test_opt_out(apigw):
            with pytest.warns(MockApiGatewayWarning, match="ZeroDivisionError"):
                assert requests.get(_api(apigw) + "/").status_code == 500
        """
    )
    result = pytester.runpytest_inprocess("--strict-markers")
    result.assert_outcomes(passed=2)


# --- what does not propagate: a malformed but serializable result, a timeout


@pytest.mark.parametrize(
    "result", [{"statusCode": 600}, {"statusCode": 99, "body": "x"}, {"statusCode": "abc"}, {"headers": 5}]
)
def test_a_malformed_result_gets_aws_answer_even_when_raising(result: dict[str, Any]) -> None:
    with mock_apigateway() as gw:
        endpoint = _http_api(boto3.client("apigatewayv2", region_name="us-east-1"), version="1.0")
        gw.register_lambda(FAILING, lambda event, context: result)
        with pytest.warns(MockApiGatewayWarning, match="malformed"):
            response = requests.get(endpoint + "/orders")
    assert response.status_code == 500
    assert gw.invocations[0].error is None and gw.invocations[0].result == result


def test_a_websocket_status_outside_100_599_is_a_failed_integration() -> None:
    with mock_apigateway() as gw:
        api_id = _ws_api(boto3.client("apigatewayv2", region_name="us-east-1"), "boom")
        gw.register_lambda(OK, _ok)
        gw.register_lambda(FAILING, lambda event, context: {"statusCode": 700, "body": "x"})
        client = gw.connect(api_id, "prod")
        with pytest.warns(MockApiGatewayWarning, match="not 100-599"):
            client.send({"action": "boom"})
    assert client.receive_json()["message"] == "Internal server error"


def test_a_timeout_gets_aws_answer_even_when_raising() -> None:
    with mock_apigateway() as gw:
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        endpoint = _http_api(v2)
        api_id = v2.get_apis()["Items"][0]["ApiId"]
        integration = v2.get_integrations(ApiId=api_id)["Items"][0]
        v2.update_integration(ApiId=api_id, IntegrationId=integration["IntegrationId"], TimeoutInMillis=50)

        def slow(event: Any, context: Any) -> Any:
            import time

            time.sleep(0.08)
            return "late"

        gw.register_lambda(FAILING, slow)
        assert requests.get(endpoint + "/orders").status_code == 503
    assert gw.invocations[0].timed_out and gw.invocations[0].result is None


# --- results the Lambda runtime cannot return


@pytest.mark.parametrize(
    "result",
    [
        {1, 2},
        b"bytes",
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        {"statusCode": 200, "body": b"bytes in the body"},
        {"statusCode": 200, "body": "ok", "headers": {"x": dt.date(2026, 1, 1)}},
        {"statusCode": 200, "body": object()},
    ],
    ids=["set", "bytes", "datetime", "bytes-body", "date-header", "object-body"],
)
@pytest.mark.parametrize("entry", ["requests", "invoke", "ws"])
def test_a_result_the_runtime_cannot_serialize_is_a_failed_invocation(result: Any, entry: str) -> None:
    with mock_apigateway(raise_handler_errors=False) as gw:
        gw.register_lambda(OK, _ok)
        gw.register_lambda(FAILING, lambda event, context: result)
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        if entry == "ws":
            client = gw.connect(_ws_api(v2, "boom"), "prod")
            with pytest.warns(MockApiGatewayWarning, match="Runtime.MarshalError"):
                client.send({"action": "boom"})
            assert client.receive_json()["message"] == "Internal server error"
        else:
            endpoint = _http_api(v2) + "/orders"
            with pytest.warns(MockApiGatewayWarning, match="Runtime.MarshalError"):
                response = requests.get(endpoint) if entry == "requests" else gw.invoke("GET", endpoint)
            assert response.status_code == 500
    # The failing function's invocation (other invocations of the test, such as $connect's, may follow it).
    failed = [invocation for invocation in gw.invocations if invocation.function_arn == FAILING][-1]
    assert isinstance(failed.error, LambdaResultError)
    assert isinstance(failed.error.__cause__, TypeError)


LONE_SURROGATE = "\ud800"


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": 200, "body": "bad" + LONE_SURROGATE},
        "bad" + LONE_SURROGATE,
        {"statusCode": 200, "body": "ok", "headers": {"x-note": LONE_SURROGATE}},
        {"statusCode": 200, "body": {LONE_SURROGATE: 1}},
    ],
    ids=["body", "bare-string", "header", "nested-key"],
)
@pytest.mark.parametrize("entry", ["requests", "invoke", "ws"])
@pytest.mark.parametrize("raise_errors", [True, False], ids=["raise", "aws-answer"])
def test_a_result_with_text_utf8_cannot_hold_is_a_failed_invocation(
    result: Any, entry: str, raise_errors: bool
) -> None:
    """The runtime sends the result as UTF-8, which cannot hold a lone surrogate: a failed invocation, never an
    encoding error from the mock."""
    with mock_apigateway(raise_handler_errors=raise_errors) as gw:
        gw.register_lambda(OK, _ok)
        gw.register_lambda(FAILING, lambda event, context: result)
        v2 = boto3.client("apigatewayv2", region_name="us-east-1")
        if entry == "ws":
            client = gw.connect(_ws_api(v2, "boom"), "prod")
            call = functools.partial(client.send, {"action": "boom"})
        else:
            endpoint = _http_api(v2) + "/orders"
            call = (
                functools.partial(requests.get, endpoint)
                if entry == "requests"
                else functools.partial(gw.invoke, "GET", endpoint)
            )
        if raise_errors:
            with pytest.raises(LambdaResultError, match=r"Runtime\.MarshalError: Unable to marshal response"):
                call()
        else:
            with pytest.warns(MockApiGatewayWarning, match="Runtime.MarshalError"):
                answer = call()
            if entry == "ws":
                assert client.receive_json()["message"] == "Internal server error"
            else:
                assert answer.status_code == 500
    # The failing function's invocation (other invocations of the test, such as $connect's, may follow it).
    failed = [invocation for invocation in gw.invocations if invocation.function_arn == FAILING][-1]
    assert isinstance(failed.error, LambdaResultError)
    assert isinstance(failed.error.__cause__, UnicodeEncodeError)


def test_a_result_with_any_other_unicode_reaches_the_caller() -> None:
    with mock_apigateway() as gw:
        endpoint = _http_api(boto3.client("apigatewayv2", region_name="us-east-1")) + "/orders"
        text = "h\u00e9llo \u2713 \U0001f600"
        gw.register_lambda(FAILING, lambda event, context: {"statusCode": 200, "body": text})
        assert requests.get(endpoint).content == text.encode("utf-8")


def test_a_result_over_six_megabytes_is_a_failed_invocation() -> None:
    with mock_apigateway(raise_handler_errors=False) as gw:
        endpoint = _http_api(boto3.client("apigatewayv2", region_name="us-east-1")) + "/orders"
        gw.register_lambda(FAILING, lambda event, context: {"statusCode": 200, "body": "x" * (6 * 1024 * 1024)})
        with pytest.warns(MockApiGatewayWarning, match="exceeded maximum allowed payload size"):
            assert requests.get(endpoint).status_code == 500
        gw.register_lambda(FAILING, lambda event, context: {"statusCode": 200, "body": "x" * (6 * 1024 * 1024 - 100)})
        assert requests.get(endpoint).status_code == 200


def test_results_are_serialized_as_the_runtime_does() -> None:
    import decimal

    with mock_apigateway() as gw:
        endpoint = _http_api(boto3.client("apigatewayv2", region_name="us-east-1")) + "/orders"
        reply = {"count": decimal.Decimal("3"), "price": decimal.Decimal("1.5"), "pair": (1, 2), 7: "seven"}
        gw.register_lambda(FAILING, lambda event, context: reply)
        assert requests.get(endpoint).json() == {"count": 3, "price": 1.5, "pair": [1, 2], "7": "seven"}
    assert gw.invocations[0].result is reply  # as the handler returned it
    assert gw.invocations[0].payload == {"count": 3, "price": 1.5, "pair": [1, 2], "7": "seven"}


def test_a_failed_connect_leaves_no_open_connection() -> None:
    with mock_apigateway() as gw:
        api_id = _ws_api(boto3.client("apigatewayv2", region_name="us-east-1"), "$connect")
        gw.register_lambda(OK, _ok)
        gw.register_lambda(FAILING, _raises)
        with pytest.raises(HandlerBug):
            gw.connect(api_id, "prod")
        connection_id = gw.invocations[0].event["requestContext"]["connectionId"]
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com/prod",
        )
        with pytest.raises(management.exceptions.GoneException):
            management.get_connection(ConnectionId=connection_id)


def test_a_handler_that_stops_the_test_is_recorded_and_never_swallowed() -> None:
    with mock_apigateway(raise_handler_errors=False) as gw:
        endpoint = _http_api(boto3.client("apigatewayv2", region_name="us-east-1")) + "/orders"
        gw.register_lambda(FAILING, lambda event, context: pytest.skip("stop here"))
        with pytest.raises(pytest.skip.Exception):
            requests.get(endpoint)
    assert isinstance(gw.invocations[0].error, pytest.skip.Exception)


CHAT = "arn:aws:lambda:us-east-1:123456789012:function:chat"
AUTH = "arn:aws:lambda:us-east-1:123456789012:function:auth"
AUTH_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{AUTH}/invocations"


def _websocket_api(v2: Any) -> str:
    api_id = str(
        v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    )
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=CHAT)
    target = f"integrations/{integration['IntegrationId']}"
    authorizer = v2.create_authorizer(
        ApiId=api_id,
        AuthorizerType="REQUEST",
        Name="auth",
        AuthorizerUri=AUTH_URI,
        IdentitySource=["route.request.querystring.token"],
    )
    v2.create_route(
        ApiId=api_id,
        RouteKey="$connect",
        Target=target,
        AuthorizationType="CUSTOM",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    for key in ("$disconnect", "hello"):
        v2.create_route(ApiId=api_id, RouteKey=key, Target=target)
    v2.create_stage(ApiId=api_id, StageName="prod")
    v2.create_deployment(ApiId=api_id, StageName="prod")
    return api_id


def _allow(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return {
        "principalId": "me",
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": "Allow", "Resource": event["methodArn"]}],
        },
    }


def test_every_invocation_is_recorded_oldest_first(apigw: MockApiGateway, v2: Any) -> None:
    api_id = _websocket_api(v2)
    apigw.register_lambda(CHAT, lambda event, context: {"statusCode": 200, "body": "hi"})
    apigw.register_lambda("auth", _allow)
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)

    client = apigw.connect(api_id, "prod", query={"token": "t"})
    client.send({"action": "hello"})
    client.close()
    requests.post(http["ApiEndpoint"] + "/orders", data="x")

    seen = [(i.kind, i.protocol, i.route_key, i.api_id, i.function_arn) for i in apigw.invocations]
    assert seen == [
        ("authorizer", "WEBSOCKET", "$connect", api_id, AUTH),
        ("integration", "WEBSOCKET", "$connect", api_id, CHAT),
        ("integration", "WEBSOCKET", "hello", api_id, CHAT),
        ("integration", "WEBSOCKET", "$disconnect", api_id, CHAT),
        ("integration", "HTTP", "$default", http["ApiId"], CHAT),
    ]
    message = apigw.invocations[2]
    assert isinstance(message, Invocation)
    assert message.event["body"] == json.dumps({"action": "hello"})
    assert message.result == {"statusCode": 200, "body": "hi"}
    assert message.error is None and not message.timed_out
    assert isinstance(message.context, LambdaContext)
    assert message.context.function_name == "chat"
    assert apigw.invocations[0].event["type"] == "REQUEST"  # the authorizer's own event
    assert apigw.invocations[4].event["body"] == "x"
    assert "hello" in repr(message)


def test_the_event_is_the_object_the_handler_got(apigw: MockApiGateway, v2: Any) -> None:
    received: list[Any] = []
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
    apigw.register_lambda(CHAT, lambda event, context: received.append((event, context)))
    requests.get(http["ApiEndpoint"] + "/")
    assert apigw.invocations[0].event is received[0][0]
    assert apigw.invocations[0].context is received[0][1]


def test_http_lambda_authorizers_are_recorded(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True)
    integration = v2.create_integration(
        ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=CHAT, PayloadFormatVersion="2.0"
    )
    authorizer = v2.create_authorizer(
        ApiId=api["ApiId"],
        AuthorizerType="REQUEST",
        Name="auth",
        AuthorizerUri=AUTH_URI,
        AuthorizerPayloadFormatVersion="2.0",
        EnableSimpleResponses=True,
        IdentitySource=["$request.header.X-Token"],
    )
    v2.create_route(
        ApiId=api["ApiId"],
        RouteKey="GET /orders",
        Target=f"integrations/{integration['IntegrationId']}",
        AuthorizationType="CUSTOM",
        AuthorizerId=authorizer["AuthorizerId"],
    )
    apigw.register_lambda(CHAT, lambda event, context: "ok")
    apigw.register_lambda(AUTH, lambda event, context: {"isAuthorized": False})
    assert requests.get(api["ApiEndpoint"] + "/orders", headers={"X-Token": "t"}).status_code == 403
    [call] = apigw.invocations  # refused: the integration never ran
    assert (call.kind, call.protocol, call.route_key, call.result) == (
        "authorizer",
        "HTTP",
        "GET /orders",
        {"isAuthorized": False},
    )


@pytest.mark.apigw(raise_handler_errors=False)
def test_failed_invocations_are_recorded_with_their_error(apigw: MockApiGateway, v2: Any) -> None:
    http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
    bug = KeyError("oops")

    def broken(event: Any, context: Any) -> Any:
        raise bug

    with pytest.warns(UserWarning, match="register_lambda"):
        requests.get(http["ApiEndpoint"] + "/")  # nobody registered yet
    apigw.register_lambda(CHAT, broken)
    with pytest.warns(UserWarning, match="oops"):
        requests.get(http["ApiEndpoint"] + "/")
    missing, failed = apigw.invocations
    assert type(missing.error).__name__ == "LambdaNotRegistered" and missing.context is None
    assert failed.error is bug and failed.result is None


def test_invocations_empty_when_the_mock_starts_afresh() -> None:
    gw = mock_apigateway()
    for _ in range(2):
        with gw:
            v2 = boto3.client("apigatewayv2", region_name="us-east-1")
            http = v2.create_api(Name="http", ProtocolType="HTTP", Target=CHAT)
            gw.register_lambda(CHAT, lambda event, context: "ok")
            requests.get(http["ApiEndpoint"] + "/")
            assert len(gw.invocations) == 1
        assert len(gw.invocations) == 1  # still readable after stop
    with gw:
        assert gw.invocations == []


def test_the_list_returned_is_a_copy(apigw: MockApiGateway) -> None:
    apigw.invocations.append("not recorded")  # type: ignore[arg-type]
    assert apigw.invocations == []


def test_a_bounded_history_keeps_the_newest_invocations(ws: WsApi) -> None:
    # mockapigw serve bounds it (--keep-invocations); in-process, gw.invocations keeps every one by default.
    ws.gw.lambdas.keep_invocations(2)
    clients = [ws.gw.connect(ws.api_id, "prod") for _ in range(3)]
    kept = ws.gw.invocations
    assert isinstance(kept, list)
    assert [i.event["requestContext"]["connectionId"] for i in kept] == [c.connection_id for c in clients[1:]]
    ws.gw.lambdas.keep_invocations(None)  # every one again, from the two kept
    ws.gw.connect(ws.api_id, "prod")
    assert len(ws.gw.invocations) == 3
    ws.gw.lambdas.keep_invocations(0)
    ws.gw.connect(ws.api_id, "prod")
    assert ws.gw.invocations == []
    with pytest.raises(ValueError, match="0 or more"):
        ws.gw.lambdas.keep_invocations(-1)


def test_the_handler_is_looked_up_at_every_invocation(ws: WsApi) -> None:
    # What an invocation derives from the function's URI is worked out once; which handler answers is not.
    ws.route("who")
    ws.replies["who"] = {"statusCode": 200, "body": "first"}
    client = ws.gw.connect(ws.api_id, "prod")
    client.send({"action": "who"})
    first = ws.gw.invocations[-1]
    ws.gw.register_lambda(FUNCTION_ARN, lambda event, context: {"statusCode": 200, "body": "second"})
    client.send({"action": "who"})
    second = ws.gw.invocations[-1]
    assert (first.result, second.result) == (
        {"statusCode": 200, "body": "first"},
        {"statusCode": 200, "body": "second"},
    )
    assert first.context is not None and second.context is not None
    assert first.context is not second.context  # a context per invocation
    assert first.context.aws_request_id != second.context.aws_request_id
    assert first.context.log_stream_name == second.context.log_stream_name  # one warm execution environment
    assert first.context.identity is not second.context.identity


@pytest.mark.parametrize(
    ("target", "registered", "arn", "region"),
    [
        ("pay", "pay", "arn:aws:lambda:eu-west-1:123456789012:function:pay", "eu-west-1"),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:pay:live",
            "arn:aws:lambda:us-east-2:123456789012:function:pay",
            "arn:aws:lambda:us-east-2:123456789012:function:pay:live",
            "us-east-2",
        ),
        (
            "arn:aws:lambda:us-east-2:123456789012:function:pay:live",
            "pay",
            "arn:aws:lambda:us-east-2:123456789012:function:pay:live",
            "us-east-2",
        ),
    ],
)
def test_a_function_named_any_way_gets_its_arn_name_and_region(
    apigw: MockApiGateway, target: str, registered: str, arn: str, region: str
) -> None:
    seen: list[Any] = []
    apigw.register_lambda(registered, lambda event, context: seen.append((os.environ["AWS_REGION"], context)))
    site = CallSite("integration", "HTTP", "api", "$default", "eu-west-1", "123456789012")
    for _ in range(2):  # the second from what the first worked out
        assert invoke(apigw.lambdas, target, {}, 1000, site).ok
    assert [(r, c.invoked_function_arn, c.function_name, c.log_group_name) for r, c in seen] == [
        (region, arn, "pay", "/aws/lambda/pay")
    ] * 2
    assert [i.function_arn for i in apigw.invocations] == [arn, arn]


def _through_json(result: Any) -> Any:
    """What the runtime gives back for *result*: the JSON road, every time (or the error it raises)."""
    try:
        text = json.dumps(result, default=lambdas._decimal, ensure_ascii=False)
        text.encode("utf-8")
    except (TypeError, ValueError) as problem:
        return type(problem)
    if len(text.encode("utf-8")) > lambdas.MAX_RESPONSE_BYTES:
        return "too big"
    return json.loads(text)


def _marshalled(result: Any) -> Any:
    try:
        return lambdas._marshal(result)
    except LambdaResultError as problem:
        return "too big" if "exceeded" in str(problem) else type(problem.__cause__)


_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=2**63, max_value=2**70)
    | st.floats(allow_nan=True)
    | st.text(max_size=20)
    | st.text(alphabet=st.characters(codec="ascii"), max_size=20)
    | st.sampled_from(["\ud800", "é", '\x00"\\', decimal.Decimal("2.5"), (1, 2)])
)
_ASCII_NAMES = st.text(alphabet=st.characters(codec="ascii"), max_size=8)


def _mostly(usual: st.SearchStrategy[Any], *rare: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """*usual* nine times in ten, else one of *rare* (st.one_of weighs every branch alike)."""
    return st.integers(0, 9).flatmap(lambda draw: usual if draw else st.one_of(*rare))


_NAMES = _mostly(_ASCII_NAMES, st.text(max_size=8), st.integers())  # mostly what JSON keeps as it is
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.dictionaries(_NAMES, inner, max_size=18) | st.lists(inner, max_size=3), max_leaves=30
)
# Mostly dicts, as proxy results are: the ones copied without JSON, and their near misses.
_ASCII_TEXT = st.text(alphabet=st.characters(codec="ascii"), max_size=30)
_NEAR_PLAIN_VALUES = _mostly(
    st.one_of(st.none(), st.booleans(), st.integers(), _ASCII_TEXT),
    st.sampled_from(["\ud800", "é", 1.5, float("nan"), 10**5000, decimal.Decimal("2"), (1,), [1], True]),
)
_NEAR_PLAIN = st.dictionaries(
    _NAMES, _mostly(_NEAR_PLAIN_VALUES, st.dictionaries(_NAMES, _NEAR_PLAIN_VALUES, max_size=4)), max_size=18
)
# Mostly dicts, as proxy results are: the ones copied without JSON, and their near misses.
_RESULTS = _NEAR_PLAIN | _VALUES


@settings(max_examples=300, deadline=None)
@given(_RESULTS)
def test_a_result_is_read_back_as_json_gives_it(result: Any) -> None:
    # Small plain dicts are copied instead of written and parsed: what comes back must be the same (repr: the same
    # types and order, and NaN equal to itself).
    assert repr(_marshalled(result)) == repr(_through_json(result))


@pytest.mark.parametrize(
    "result",
    [
        {"statusCode": 200, "body": "x" * 5000},  # past the text copied without JSON
        {"statusCode": 10**5000},  # more digits than int() converts to text
        {"statusCode": 200, "body": "\ud800"},
        {"statusCode": 200, "headers": {"a": "\ud800"}},
        {"statusCode": 200, "headers": {"a": {"b": 1}}},
        {str(i): i for i in range(17)},
        {"statusCode": 200, "body": "\x00" * 4096},
    ],
)
def test_results_near_the_edges_of_the_plain_copy_go_the_json_way(result: Any) -> None:
    assert repr(_marshalled(result)) == repr(_through_json(result))


def test_a_plain_result_is_read_back_as_a_new_dict() -> None:
    result = {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "hi", "isBase64Encoded": False}
    payload = lambdas._marshal(result)
    assert payload == result
    assert payload is not result and payload["headers"] is not result["headers"]


def test_the_runtimes_context_has_every_field_the_public_constructor_makes(apigw: MockApiGateway) -> None:
    # The runtime builds contexts from values worked out once per function (LambdaContext._of); a field added to
    # __init__ must be there too.
    arn = "arn:aws:lambda:us-east-1:123456789012:function:orders"
    seen: list[Any] = []
    apigw.register_lambda(arn, lambda event, context: seen.append(context) or {"statusCode": 200})
    site = CallSite("integration", "HTTP", "a", "$default", "us-east-1", "123456789012")
    invoke(apigw.lambdas, arn, {}, 1000, site)
    built = lambdas.LambdaContext(arn, 1000, log_stream_name=seen[0].log_stream_name)
    assert sorted(vars(seen[0])) == sorted(vars(built))
    same = {"aws_request_id", "_deadline", "identity"}  # per call, or a fresh object each time
    assert {k: v for k, v in vars(seen[0]).items() if k not in same} == {
        k: v for k, v in vars(built).items() if k not in same
    }
