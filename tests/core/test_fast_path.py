"""The before-call answer: boto3 gets exactly what botocore's full path gives it, retries and all.

Most tests run the same calls on two clients of one mock: one as every client is (successes answered at
``before-call``) and one with that handler removed, so botocore takes its full path to the ``before-send``
answer, which is how every call was answered before the ``before-call`` answer existed.
"""

from __future__ import annotations

import datetime as dt
import threading
import types
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import botocore.endpoint
import botocore.handlers
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.stub import Stubber

from mockapigw import MockApiGateway, MockApiGatewayWarning, UnsupportedOperation, mock_apigateway
from mockapigw.apigatewayv2.exceptions import TooManyRequestsException
from mockapigw.core.codec import WireResponse
from mockapigw.core.dispatch import MockResponse
from mockapigw.core.errors import ServiceError
from mockapigw.core.interception import CALL_ID, SEND_ID, SIGNER_ID, Interceptor

FAST, FULL = "before-call", "full path"
PATHS = [FAST, FULL]
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def _client(service: str, path: str, **kwargs: Any) -> Any:
    """A client of *service* under the active mock, answered at before-call (FAST) or through botocore's full path."""
    client = boto3.client(service, region_name="us-east-1", **kwargs)
    if path == FULL:
        client.meta.events.unregister("before-call", unique_id=CALL_ID)
    return client


def _record(client: Any, *events: str) -> list[str]:
    """The names of *events* (for the client's service) as they are emitted, in order."""
    seen: list[str] = []
    service = client.meta.service_model.service_id.hyphenize()
    for event in events:
        client.meta.events.register(f"{event}.{service}", lambda event_name, **kwargs: seen.append(event_name))
    return seen


def _comparable(response: dict[str, Any]) -> dict[str, Any]:
    """*response* without what differs from one answer to the next: the request id and the Date header."""
    result = dict(response)
    metadata = dict(result.pop("ResponseMetadata"))
    assert len(metadata.pop("RequestId")) == 36
    metadata["HTTPHeaders"] = {
        name: value for name, value in metadata["HTTPHeaders"].items() if name not in ("x-amzn-requestid", "date")
    }
    body = result.get("body")
    if body is not None and hasattr(body, "read"):  # ExportApi's streaming payload
        result["body"] = body.read()
    return {**result, "ResponseMetadata": metadata}


def _outcome(call: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[str, dict[str, Any]]:
    """What ``call(*args, **kwargs)`` hands the caller: the response, or the exception's class name and response."""
    try:
        return "returned", _comparable(call(*args, **kwargs))
    except ClientError as error:
        return type(error).__name__, _comparable(error.response)


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's retry delays (seconds of random backoff) skipped; the retries themselves still happen."""
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=lambda seconds: None))


@pytest.fixture
def frozen() -> Iterator[None]:
    """Time stands still, so that the Date header and connection timestamps are the same for both clients."""
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone.utc), tick=False):
        yield


# ---------------------------------------------------------------------------------------------- same answers


def test_every_answer_is_what_the_full_path_gives(apigw: MockApiGateway, frozen: None) -> None:
    v2 = {path: _client("apigatewayv2", path) for path in PATHS}
    http = v2[FAST].create_api(Name="http", ProtocolType="HTTP", Target=FUNCTION_ARN)["ApiId"]
    ws = v2[FAST].create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    api = ws["ApiId"]
    integration = v2[FAST].create_integration(ApiId=api, IntegrationType="MOCK")["IntegrationId"]
    v2[FAST].create_route(ApiId=api, RouteKey="$default", Target=f"integrations/{integration}")
    v2[FAST].create_stage(ApiId=api, StageName="prod")
    v2[FAST].create_deployment(ApiId=api, StageName="prod")
    connection = apigw.connect(api, "prod", source_ip="198.51.100.7", user_agent="ua/1")
    endpoint = f"https://{api}.execute-api.us-east-1.amazonaws.com/prod"
    mgmt = {path: _client("apigatewaymanagementapi", path, endpoint_url=endpoint) for path in PATHS}
    wrong = {path: _client("apigatewaymanagementapi", path, endpoint_url=endpoint + "x") for path in PATHS}
    sent: dict[str, list[str]] = {path: [] for path in PATHS}  # requests that took before-send, per path
    for path in PATHS:
        for client in (v2[path], mgmt[path], wrong[path]):
            client.meta.events.register("before-send", lambda event_name, seen=sent[path], **_: seen.append(event_name))
    successes: list[Callable[[str], Any]] = [
        lambda path: v2[path].get_apis(),
        lambda path: v2[path].get_api(ApiId=http),
        lambda path: v2[path].get_routes(ApiId=http, MaxResults="1"),
        lambda path: v2[path].get_stage(ApiId=api, StageName="prod"),
        lambda path: v2[path].export_api(ApiId=http, OutputType="JSON", Specification="OAS30"),
        lambda path: mgmt[path].get_connection(ConnectionId=connection.connection_id),
        lambda path: mgmt[path].post_to_connection(ConnectionId=connection.connection_id, Data=b"hello"),
    ]
    errors: list[Callable[[str], Any]] = [
        lambda path: v2[path].get_api(ApiId="missing"),  # 404 NotFoundException, with its modeled Message
        lambda path: v2[path].create_stage(ApiId=api, StageName="prod"),  # 409 ConflictException
        lambda path: v2[path].get_apis(MaxResults="0"),  # 400 BadRequestException from the codec
        lambda path: mgmt[path].get_connection(ConnectionId="L0SM9cOFvHcCIhw="),  # 410 GoneException, no body
    ]
    for call in successes + errors:
        answered = _outcome(call, FAST)
        assert (answered[0] == "returned") == (call in successes)
        assert _outcome(call, FULL) == answered
    for path in PATHS:  # 403 ForbiddenException, which the mock explains with a warning
        with pytest.warns(MockApiGatewayWarning, match="has no stage 'prodx'"):
            forbidden = _outcome(wrong[path].get_connection, ConnectionId=connection.connection_id)
        assert forbidden[0] == "ForbiddenException"
    assert connection.received == [b"hello", b"hello"]
    # On the before-call client only the errors took botocore's full path.
    assert len(sent[FAST]) == len(errors) + 1
    assert len(sent[FULL]) == len(successes) + len(errors) + 1


def test_an_error_keeps_its_modeled_fields_and_retry_count(apigw: MockApiGateway) -> None:
    for path in PATHS:
        client = _client("apigatewayv2", path)
        with pytest.raises(client.exceptions.NotFoundException) as info:
            client.get_api(ApiId="missing")
        assert info.value.response["Message"] == "Invalid API identifier specified 123456789012:missing"
        assert info.value.response["Error"]["Code"] == "NotFoundException"
        assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 0
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_response_metadata_is_complete_on_a_before_call_answer(apigw: MockApiGateway) -> None:
    client = _client("apigatewayv2", FAST)
    metadata = client.get_apis()["ResponseMetadata"]
    assert list(metadata) == ["RequestId", "HTTPStatusCode", "HTTPHeaders", "RetryAttempts"]
    assert metadata["HTTPStatusCode"] == 200
    assert metadata["RetryAttempts"] == 0
    assert metadata["HTTPHeaders"]["x-amzn-requestid"] == metadata["RequestId"]
    assert metadata["HTTPHeaders"]["content-type"] == "application/json"


def test_the_http_response_headers_are_case_insensitive(apigw: MockApiGateway) -> None:
    client = _client("apigatewayv2", FAST)
    responses: list[Any] = []
    client.meta.events.register("after-call.apigatewayv2", lambda http_response, **_: responses.append(http_response))
    client.get_apis()
    headers = responses[0].headers
    assert headers["Content-Type"] == headers["content-type"] == "application/json"
    assert "X-Amzn-RequestId" in headers
    assert headers.get("CONTENT-LENGTH") == headers["content-length"]
    assert set(headers) == {"x-amzn-requestid", "date", "content-type", "content-length"}
    copy = headers.copy()
    copy["X-Extra"] = "1"
    del copy["Date"]
    assert copy["x-extra"] == "1"
    assert "x-extra" not in headers
    assert "date" in headers


# ---------------------------------------------------------------------------------------------- events


@pytest.mark.parametrize("path", PATHS)
def test_a_success_emits_the_events_after_the_response(apigw: MockApiGateway, path: str) -> None:
    client = _client("apigatewayv2", path)
    names = ("request-created", "before-send", "before-parse", "response-received", "needs-retry", "after-call")
    seen = _record(client, *names)
    client.get_apis()
    short = [name.split(".")[0] for name in seen]
    if path == FAST:
        assert short == ["before-parse", "response-received", "after-call"]
    else:
        assert short == list(names)


@pytest.mark.parametrize("path", PATHS)
def test_a_before_parse_customization_reaches_the_result(apigw: MockApiGateway, path: str) -> None:
    client = _client("apigatewayv2", path)

    def customize(customized_response_dict: dict[str, Any], response_dict: dict[str, Any], **kwargs: Any) -> None:
        customized_response_dict["NextToken"] = f"customized after a {response_dict['status_code']}"

    client.meta.events.register("before-parse.apigatewayv2.GetApis", customize)
    assert client.get_apis()["NextToken"] == "customized after a 200"


@pytest.mark.parametrize("path", PATHS)
def test_an_exception_from_the_mock_is_raised_as_botocore_raises_it(
    apigw: MockApiGateway, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockapigw.apigatewayv2.table import OPERATIONS

    monkeypatch.delitem(OPERATIONS, "GetPortal")
    client = _client("apigatewayv2", path)
    seen = _record(client, "request-created", "needs-retry", "after-call-error", "after-call")
    with pytest.raises(UnsupportedOperation, match="GetPortal"):
        client.get_portal(PortalId="abc")
    # Raised from before-send (whose later handlers do not run), so botocore's retry check and error event see it.
    assert [name.split(".")[0] for name in seen] == ["request-created", "needs-retry", "after-call-error"]


@pytest.mark.parametrize("path", PATHS)
def test_a_failure_while_parsing_is_announced_as_botocore_announces_it(apigw: MockApiGateway, path: str) -> None:
    client = _client("apigatewayv2", path)

    def fail(**kwargs: Any) -> None:
        raise ValueError("before-parse failed")

    client.meta.events.register("before-parse.apigatewayv2.GetApis", fail)
    seen = _record(client, "response-received", "after-call-error", "after-call")
    with pytest.raises(ValueError, match="before-parse failed"):
        client.get_apis()
    assert [name.split(".")[0] for name in seen] == ["after-call-error"]


@pytest.mark.parametrize("path", PATHS)
def test_a_failing_response_received_handler_is_announced_as_botocore_announces_it(
    apigw: MockApiGateway, path: str
) -> None:
    client = _client("apigatewayv2", path)

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("response-received failed")

    client.meta.events.register("response-received.apigatewayv2.GetApis", fail)
    seen = _record(client, "after-call-error", "after-call")
    with pytest.raises(RuntimeError, match="response-received failed"):
        client.get_apis()
    assert [name.split(".")[0] for name in seen] == ["after-call-error"]


# ---------------------------------------------------------------------------------------------- retries


class ServiceUnavailableException(ServiceError):
    """A 5xx answer, which botocore retries in every retry mode."""

    status = 503


def _failing(monkeypatch: pytest.MonkeyPatch, gw: MockApiGateway, errors: list[ServiceError]) -> list[str]:
    """Make the control plane raise *errors* one per call, then answer as usual; the operations it was asked."""
    asked: list[str] = []
    original = gw.apigatewayv2.handle

    def handle(call: Any) -> Any:
        asked.append(call.operation)
        if len(asked) <= len(errors):
            raise errors[len(asked) - 1]
        return original(call)

    monkeypatch.setattr(gw.apigatewayv2, "handle", handle)
    return asked


@pytest.mark.parametrize("mode", ["standard", "legacy"])
@pytest.mark.parametrize("path", PATHS)
def test_a_throttled_call_is_retried_and_answered_once_per_attempt(
    apigw: MockApiGateway, path: str, mode: str, monkeypatch: pytest.MonkeyPatch, no_sleep: None
) -> None:
    throttled = [TooManyRequestsException("Too Many Requests"), TooManyRequestsException("Too Many Requests")]
    asked = _failing(monkeypatch, apigw, throttled)
    client = _client("apigatewayv2", path, config=Config(retries={"mode": mode, "total_max_attempts": 3}))
    seen = _record(client, "before-send")
    created = client.create_api(Name="once", ProtocolType="HTTP")
    assert created["ResponseMetadata"]["RetryAttempts"] == 2
    assert asked == ["CreateApi"] * 3  # one answer per attempt: the kept first answer was not made again
    assert len(seen) == 3
    monkeypatch.undo()
    assert [api["Name"] for api in client.get_apis()["Items"]] == ["once"]


@pytest.mark.parametrize("path", PATHS)
def test_a_call_throttled_on_every_attempt_raises_after_the_last(
    apigw: MockApiGateway, path: str, monkeypatch: pytest.MonkeyPatch, no_sleep: None
) -> None:
    asked = _failing(monkeypatch, apigw, [TooManyRequestsException("Too Many Requests")] * 5)
    client = _client("apigatewayv2", path, config=Config(retries={"mode": "standard", "total_max_attempts": 4}))
    with pytest.raises(client.exceptions.TooManyRequestsException) as info:
        client.get_apis()
    assert info.value.response["ResponseMetadata"]["RetryAttempts"] == 3
    assert info.value.response["Message"] == "Too Many Requests"
    assert asked == ["GetApis"] * 4


@pytest.mark.parametrize("path", PATHS)
def test_a_5xx_answer_is_retried(
    apigw: MockApiGateway, path: str, monkeypatch: pytest.MonkeyPatch, no_sleep: None
) -> None:
    asked = _failing(monkeypatch, apigw, [ServiceUnavailableException("Service Unavailable")])
    client = _client("apigatewayv2", path)
    response = client.get_apis()
    assert response["ResponseMetadata"]["RetryAttempts"] == 1
    assert asked == ["GetApis", "GetApis"]


def test_a_full_client_buffer_is_retried_alike_on_both_paths(apigw: MockApiGateway, no_sleep: None) -> None:
    v2 = _client("apigatewayv2", FAST)
    api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")["ApiId"]
    integration = v2.create_integration(ApiId=api, IntegrationType="MOCK")["IntegrationId"]
    v2.create_route(ApiId=api, RouteKey="$default", Target=f"integrations/{integration}")
    v2.create_stage(ApiId=api, StageName="prod")
    v2.create_deployment(ApiId=api, StageName="prod")
    connection = apigw.connect(api, "prod")
    connection.max_unread_bytes = 5
    endpoint = f"https://{api}.execute-api.us-east-1.amazonaws.com/prod"
    retries = Config(retries={"mode": "standard", "total_max_attempts": 3})
    outcomes = []
    for path in PATHS:
        mgmt = _client("apigatewaymanagementapi", path, endpoint_url=endpoint, config=retries)
        attempts = _record(mgmt, "before-send")
        delivered = len(connection.received)
        mgmt.post_to_connection(ConnectionId=connection.connection_id, Data=b"12345")
        outcome = _outcome(mgmt.post_to_connection, ConnectionId=connection.connection_id, Data=b"6")
        outcomes.append(outcome)
        assert outcome[0] == "LimitExceededException"
        assert outcome[1]["ResponseMetadata"]["RetryAttempts"] == 2
        assert len(attempts) == (3 if path == FAST else 4)  # the first post took before-send on the full path only
        assert connection.received[delivered:] == [b"12345"]  # the refused post was never delivered
        connection.receive()
    assert outcomes[0] == outcomes[1]


def test_a_failure_between_before_call_and_before_send_leaves_later_calls_alone(apigw: MockApiGateway) -> None:
    client = _client("apigatewayv2", FAST, config=Config(retries={"total_max_attempts": 1}))
    failures = iter([RuntimeError("request-created failed")])

    def fail_once(**kwargs: Any) -> None:
        for failure in failures:
            raise failure

    client.meta.events.register("request-created.apigatewayv2", fail_once)
    with pytest.raises(RuntimeError, match="request-created failed"):
        client.get_api(ApiId="first")  # answered and kept at before-call; before-send never came
    assert client.get_apis()["Items"] == []
    with pytest.raises(client.exceptions.NotFoundException, match="123456789012:second"):
        client.get_api(ApiId="second")


def test_a_kept_answer_belongs_to_its_thread(apigw: MockApiGateway, monkeypatch: pytest.MonkeyPatch) -> None:
    client = _client("apigatewayv2", FAST, config=Config(retries={"total_max_attempts": 1}))
    asked = _failing(monkeypatch, apigw, [])
    paused, resumed = threading.Event(), threading.Event()

    def pause_the_first_thread(**kwargs: Any) -> None:
        if threading.current_thread().name == "first":
            paused.set()
            assert resumed.wait(10)

    client.meta.events.register("request-created.apigatewayv2", pause_the_first_thread)
    outcomes: dict[str, str] = {}

    def get(api_id: str) -> None:
        try:
            client.get_api(ApiId=api_id)
        except client.exceptions.NotFoundException as error:
            outcomes[threading.current_thread().name] = error.response["Message"]

    first = threading.Thread(target=get, args=("firstid",), name="first")
    first.start()
    assert paused.wait(10)  # the first thread's error is kept, and it waits before its before-send
    second = threading.Thread(target=get, args=("secondid",), name="second")
    second.start()
    second.join(10)
    resumed.set()
    first.join(10)
    assert outcomes == {
        "first": "Invalid API identifier specified 123456789012:firstid",
        "second": "Invalid API identifier specified 123456789012:secondid",
    }
    assert asked == ["GetApi", "GetApi"]  # each request answered once


def test_a_request_to_the_mocks_own_server_goes_over_its_socket(
    apigw: MockApiGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[Any, ...]] = []
    original = apigw.respond
    monkeypatch.setattr(apigw, "respond", lambda *args: asked.append(args) or original(*args))
    with apigw.serve() as server:
        client = boto3.client("apigatewayv2", region_name="us-east-1", endpoint_url=server.url)
        sent = _record(client, "before-send")
        api = client.create_api(Name="served", ProtocolType="HTTP")
        assert client.get_api(ApiId=api["ApiId"])["Name"] == "served"
    assert asked == []  # the server answered, not the interceptor
    assert len(sent) == 2  # both calls took botocore's full path to the socket


class _FormEcho:
    """A responder for an STS client (a query protocol, whose body is a form): records the bodies it is given."""

    def __init__(self) -> None:
        self.bodies: list[Any] = []

    def respond(self, service_id: str, method: str, url: str, headers: Any, body: Any, region: str) -> Any:
        self.bodies.append(body)
        xml = (
            b"<GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account>"
            b"</GetCallerIdentityResult></GetCallerIdentityResponse>"
        )
        return MockResponse(url, WireResponse(200, {"content-type": "text/xml"}, xml))

    def sends_over_socket(self, url: str) -> bool:
        return False


def test_a_form_body_is_answered_once_botocore_has_encoded_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # core/ knows no service: a protocol whose serialized body is still a dict at before-call takes the full path.
    monkeypatch.setattr(botocore.handlers, "BUILTIN_HANDLERS", list(botocore.handlers.BUILTIN_HANDLERS))
    interceptor = Interceptor(("sts",))
    client = boto3.Session().client("sts", region_name="us-east-1")
    echo = _FormEcho()
    interceptor.push(echo)
    try:
        assert client.get_caller_identity()["Account"] == "123456789012"
    finally:
        interceptor.pop(echo)
    assert echo.bodies == ["Action=GetCallerIdentity&Version=2011-06-15"]


# ---------------------------------------------------------------------------------------------- Stubber, stop


@pytest.mark.parametrize("activated", ["inside the mock", "before the mock started"])
def test_a_stubbed_client_gets_its_stubbed_answer_and_the_mock_sees_nothing(
    activated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    gw = mock_apigateway()
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    stubber = Stubber(client)
    if activated == "before the mock started":
        stubber.activate()
    with gw:
        asked: list[tuple[Any, ...]] = []
        original = gw.respond
        monkeypatch.setattr(gw, "respond", lambda *args: asked.append(args) or original(*args))
        if activated == "inside the mock":
            stubber.activate()
        stubbed = {"ApiId": "stubbed1", "Name": "from the stub", "ProtocolType": "HTTP"}
        stubber.add_response("create_api", stubbed, {"Name": "a", "ProtocolType": "HTTP"})
        stubber.add_client_error("get_api", "NotFoundException", "stubbed error", 404)
        assert client.create_api(Name="a", ProtocolType="HTTP")["ApiId"] == "stubbed1"
        with pytest.raises(client.exceptions.NotFoundException, match="stubbed error"):
            client.get_api(ApiId="stubbed1")
        stubber.assert_no_pending_responses()
        assert asked == []
        stubber.deactivate()
        assert client.get_apis()["Items"] == []  # the mock never saw the stubbed create_api
        assert len(asked) == 1


def _handlers(client: Any, event: str) -> list[Any]:
    return list(client.meta.events._emitter._handlers.prefix_search(event))


def test_the_last_stop_leaves_the_client_exactly_as_it_was() -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    events = [f"{name}.apigatewayv2.GetApis" for name in ("before-call", "before-send", "choose-signer", "after-call")]
    before = {event: _handlers(client, event) for event in events}
    ids = set(client.meta.events._emitter._unique_id_handlers)
    with mock_apigateway():
        assert {CALL_ID, SEND_ID, SIGNER_ID} <= set(client.meta.events._emitter._unique_id_handlers)
        assert _handlers(client, "before-call.apigatewayv2.GetApis")[-1].__name__ == "before_call"  # runs last
        client.get_apis()
    assert {event: _handlers(client, event) for event in events} == before
    assert set(client.meta.events._emitter._unique_id_handlers) == ids
