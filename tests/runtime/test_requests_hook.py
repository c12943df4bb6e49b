"""The ``requests`` hook: invoke URLs reach the mock whatever else patches ``requests``, in any order, and never
the network; once everyone has stopped, ``requests`` and botocore are exactly as they were."""

from __future__ import annotations

import io
import re
import sys
import unittest.mock
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
import requests
import requests.adapters
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from moto import mock_aws

from mockapigw import MockApiGateway, mock_apigateway

REGION = "us-east-1"
FUNCTION = f"arn:aws:lambda:{REGION}:123456789012:function:label"
ORIGINAL_SEND = requests.adapters.HTTPAdapter.send
ORIGINAL_GET_ADAPTER = requests.Session.get_adapter
# An address that is not an invoke URL; the probe adapter below answers it without a socket.
UNRELATED = "http://192.0.2.10/unrelated"


class _Probe(requests.adapters.HTTPAdapter):
    """An ordinary HTTPAdapter (whatever patches ``HTTPAdapter.send`` runs) that records its stack depth at the
    point where it would open a connection, and stops there."""

    depths: list[int]

    def __init__(self) -> None:
        super().__init__()
        self.depths = []

    def get_connection_with_tls_context(self, *args: Any, **kwargs: Any) -> Any:
        frame, depth = sys._getframe(), 0
        while frame is not None:
            depth, frame = depth + 1, frame.f_back  # type: ignore[assignment]
        self.depths.append(depth)
        raise requests.ConnectionError("probe: not sent")


def _send_depth() -> int:
    """How deep the stack is when a plain ``requests`` call reaches the transport: the length of the send chain."""
    session = requests.Session()
    probe = _Probe()
    session.mount("http://192.0.2.10/", probe)
    with pytest.raises(requests.ConnectionError, match="probe: not sent"):
        session.get(UNRELATED)
    return probe.depths[0]


def _botocore_handlers(client: Any) -> dict[str, list[Any]]:
    """The handlers a client would run for a few events of the mocked services and of another one."""
    emitter = client.meta.events._emitter
    names = ("before-send.apigatewayv2.GetApis", "choose-signer.apigatewayv2.GetApis", "before-send.dynamodb.Scan")
    return {name: list(emitter._handlers.prefix_search(name)) for name in names}


def _http_api(gw: MockApiGateway, label: str) -> str:
    """A deployed HTTP API of *gw* whose every route answers *label*; its invoke URL."""
    gw.register_lambda(FUNCTION, lambda event, context: label)
    client = boto3.client("apigatewayv2", region_name=REGION)
    return str(client.create_api(Name=label, ProtocolType="HTTP", Target=FUNCTION)["ApiEndpoint"]) + "/x"


def _assert_untouched() -> None:
    assert requests.adapters.HTTPAdapter.send is ORIGINAL_SEND
    assert requests.Session.get_adapter is ORIGINAL_GET_ADAPTER


# ---------------------------------------------------------------------------------------------- restoring


def test_requests_is_patched_while_active_and_restored_after_stop() -> None:
    with mock_apigateway(), mock_apigateway():
        assert requests.Session.get_adapter is not ORIGINAL_GET_ADAPTER
        assert requests.adapters.HTTPAdapter.send is ORIGINAL_SEND  # never touched
    _assert_untouched()
    first, second = mock_apigateway(), mock_apigateway()
    first.start()
    second.start()
    first.stop()
    assert requests.Session.get_adapter is not ORIGINAL_GET_ADAPTER
    second.stop()
    _assert_untouched()


def test_stopping_before_a_later_responses_mock_a_thousand_times_leaves_requests_as_it_was() -> None:
    depth = _send_depth()
    client = boto3.client("apigatewayv2", region_name=REGION)
    handlers = _botocore_handlers(client)
    later = responses.RequestsMock(assert_all_requests_are_fired=False)
    later.add(responses.GET, "https://example.com/", body="from responses")
    for repetition in range(1000):
        gw = mock_apigateway()
        gw.start()
        later.start()
        if repetition in (0, 999):  # both answer their own URLs, whichever started last
            assert requests.get(_http_api(gw, "mock")).text == "mock"
            assert requests.get("https://example.com/").text == "from responses"
        gw.stop()  # not the last one started
        later.stop()
    _assert_untouched()
    assert _send_depth() == depth
    assert _botocore_handlers(client) == handlers


def test_stopping_after_an_earlier_responses_mock_leaves_requests_as_it_was() -> None:
    depth = _send_depth()
    earlier = responses.RequestsMock(assert_all_requests_are_fired=False)
    for _ in range(1000):
        earlier.start()
        gw = mock_apigateway()
        gw.start()
        earlier.stop()  # not the last one started
        gw.stop()
    _assert_untouched()
    assert _send_depth() == depth


def test_stopping_before_moto_leaves_requests_and_botocore_as_they_were() -> None:
    depth = _send_depth()
    client = boto3.client("apigatewayv2", region_name=REGION)
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    handlers, other = _botocore_handlers(client), _botocore_handlers(dynamodb)
    for _ in range(10):
        gw = mock_apigateway()
        moto = mock_aws()
        gw.start()
        moto.start()
        try:
            assert requests.get(_http_api(gw, "mock")).text == "mock"
            # moto still serves its services (with the credentials it sets while active).
            assert boto3.client("dynamodb", region_name=REGION).list_tables()["TableNames"] == []
        finally:
            gw.stop()
            moto.stop()
    _assert_untouched()
    assert _send_depth() == depth
    assert _botocore_handlers(client) == handlers
    assert _botocore_handlers(dynamodb) == other


class _Interleaving:
    """Two mockapigw mocks, a ``responses`` mock and moto, started and stopped in a generated order.

    ``responses`` and moto both patch ``HTTPAdapter.send`` with ``unittest.mock.patch``; between the two of them,
    a stop out of order breaks ``requests`` whatever mockapigw does, so the order of those two stays last in,
    first out. The mockapigw mocks interleave with them, and with each other, in any order.
    """

    def __init__(self) -> None:
        self.mocks = {"gw1": mock_apigateway(), "gw2": mock_apigateway()}
        self.urls: dict[str, str] = {}
        self.foreign: dict[str, Any] = {"responses": responses.RequestsMock(assert_all_requests_are_fired=False)}
        self.foreign["moto"] = None
        self.started_foreign: list[str] = []

    def toggle(self, name: str) -> None:
        if name in self.mocks:
            gw = self.mocks[name]
            if gw.active:
                gw.stop()
                del self.urls[name]
            else:
                gw.start()
                self.urls[name] = _http_api(gw, name)
        elif name in self.started_foreign:
            if self.started_foreign[-1] == name:
                self._stop_foreign()
        else:
            mock = self.foreign[name] if name == "responses" else mock_aws()
            self.foreign[name] = mock
            mock.start()
            self.started_foreign.append(name)

    def _stop_foreign(self) -> None:
        self.foreign[self.started_foreign.pop()].stop()

    def check(self) -> None:
        """Every active mockapigw mock answers its own API's URL through ``requests``."""
        for name, url in self.urls.items():
            assert requests.get(url).text == name
        assert (requests.Session.get_adapter is ORIGINAL_GET_ADAPTER) == (not self.urls)

    def stop_all(self, mockapigw_order: list[str]) -> None:
        for name in mockapigw_order:
            if self.mocks[name].active:
                self.mocks[name].stop()
        while self.started_foreign:
            self._stop_foreign()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(st.sampled_from(["gw1", "gw2", "responses", "moto"]), max_size=10),
    last=st.permutations(["gw1", "gw2"]),
    mockapigw_stops_first=st.booleans(),
)
def test_any_interleaving_of_starts_and_stops_leaves_requests_and_botocore_as_they_were(
    steps: list[str], last: list[str], mockapigw_stops_first: bool
) -> None:
    client = boto3.client("apigatewayv2", region_name=REGION)
    handlers = _botocore_handlers(client)
    run = _Interleaving()
    try:
        for name in steps:
            run.toggle(name)
            run.check()
    finally:
        if mockapigw_stops_first:
            run.stop_all(last)
        else:
            while run.started_foreign:
                run._stop_foreign()
            run.stop_all(last)
    _assert_untouched()
    assert _botocore_handlers(client) == handlers


def test_the_send_chain_is_as_deep_after_interleavings_as_before() -> None:
    depth = _send_depth()
    for order in (["gw1", "responses", "gw1"], ["responses", "gw1", "moto", "gw1"], ["gw1", "gw2", "moto", "gw1"]):
        run = _Interleaving()
        for name in order:
            run.toggle(name)
        run.stop_all(["gw2", "gw1"])
    assert _send_depth() == depth


def test_a_reference_to_the_hook_kept_past_stop_does_what_requests_does() -> None:
    session = requests.Session()
    url = "HTTPS://abcdef1234.execute-api.us-east-1.amazonaws.com/prod"
    with mock_apigateway():
        kept = requests.Session.get_adapter  # as requests-mock keeps it on sessions, or a call in flight has it
        assert type(kept(session, url)) is not requests.adapters.HTTPAdapter  # the mock's transport
    assert kept is not ORIGINAL_GET_ADAPTER
    assert kept(session, url) is session.adapters["https://"]  # the session's own, as without the mock
    _assert_untouched()


def _wrapping_get_adapter() -> Any:
    """A stand-in for a library that wraps ``Session.get_adapter`` (as requests-mock does), passing through."""
    inner = requests.Session.get_adapter

    def get_adapter(self: requests.Session, url: str) -> requests.adapters.BaseAdapter:
        return inner(self, url)

    return unittest.mock.patch.object(requests.Session, "get_adapter", get_adapter)


@pytest.mark.parametrize("then", ["a request", "another mock"])
def test_a_library_that_wrapped_the_hook_and_stopped_after_the_mock_leaves_requests_as_it_was(then: str) -> None:
    """Not last in, first out: the mock stops while a library that wrapped its hook is active, so the hook stays in
    that library's chain; when the library stops, it puts the hook back on top. The hook then goes at once."""
    session = requests.Session()
    for _ in range(3):
        gw = mock_apigateway().start()
        other = _wrapping_get_adapter()
        other.start()
        gw.stop()
        assert session.get_adapter("https://example.com/") is session.adapters["https://"]  # a pass-through
        other.stop()
    assert requests.Session.get_adapter is not ORIGINAL_GET_ADAPTER  # nothing of ours ran since the library stopped
    if then == "a request":
        assert session.get_adapter("https://example.com/") is session.adapters["https://"]
    else:
        with mock_apigateway():
            pass
    _assert_untouched()


# ---------------------------------------------------------------------------------------------- start order


def _responses_mock() -> Any:
    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    mock.add(responses.GET, "https://example.com/", body="from responses")
    return mock


@pytest.mark.parametrize("other", [_responses_mock, mock_aws], ids=["responses", "moto"])
@pytest.mark.parametrize("mockapigw_first", [True, False], ids=["mockapigw-first", "mockapigw-last"])
def test_invoke_urls_reach_the_mock_whichever_started_first(
    other: Callable[[], Any], mockapigw_first: bool, no_network: list[Any]
) -> None:
    gw, foreign = mock_apigateway(), other()
    first, second = (gw, foreign) if mockapigw_first else (foreign, gw)
    with first, second:
        url = _http_api(gw, "mock")
        assert requests.get(url).text == "mock"
        assert requests.post(url, data=b"x").text == "mock"
        if other is _responses_mock:
            assert requests.get("https://example.com/").text == "from responses"
    _assert_untouched()
    assert no_network == []


def test_invoke_urls_reach_the_mock_under_responses_activate(no_network: list[Any]) -> None:
    gw = mock_apigateway()

    @responses.activate
    @gw
    def mockapigw_inside() -> str:
        return requests.get(_http_api(gw, "inside")).text

    @gw
    @responses.activate
    def mockapigw_outside() -> str:
        return requests.get(_http_api(gw, "outside")).text

    assert mockapigw_inside() == "inside"
    assert mockapigw_outside() == "outside"
    _assert_untouched()
    assert no_network == []


@pytest.fixture
def backend() -> Iterator[responses.RequestsMock]:
    """A ``responses`` mock started by a fixture."""
    with _responses_mock() as mock:
        yield mock


def test_fixtures_apigw_then_responses(apigw: MockApiGateway, backend: Any, no_network: list[Any]) -> None:
    assert requests.get(_http_api(apigw, "mock")).text == "mock"
    assert requests.get("https://example.com/").text == "from responses"
    assert no_network == []


def test_fixtures_responses_then_apigw(backend: Any, apigw: MockApiGateway, no_network: list[Any]) -> None:
    assert requests.get(_http_api(apigw, "mock")).text == "mock"
    assert requests.get("https://example.com/").text == "from responses"
    assert no_network == []


# ---------------------------------------------------------------------------------------------- the network


@pytest.mark.parametrize(
    "url",
    [
        "https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/x",  # no such API
        "https://abcdef1234.execute-api.ap-south-2.amazonaws.com/",  # a region nothing was created in
        "http://abcdef1234.execute-api.us-east-1.amazonaws.com/prod/x",  # plain http
        "https://ABCDEF1234.EXECUTE-API.US-EAST-1.AMAZONAWS.COM:443/prod",  # case and port
    ],
)
def test_execute_api_hosts_of_no_api_get_aws_refusal_and_never_the_network(
    url: str, apigw: MockApiGateway, no_network: list[Any]
) -> None:
    with responses.RequestsMock() as everything_else:
        everything_else.add_passthru(re.compile(".*"))  # would send anything it is given to the network
        answer = requests.get(url)
    assert (answer.status_code, answer.text) == (403, '{"message":"Forbidden"}')
    assert no_network == []


def test_an_api_in_another_region_or_a_websocket_api_is_refused_not_sent(
    apigw: MockApiGateway, no_network: list[Any]
) -> None:
    dublin = boto3.client("apigatewayv2", region_name="eu-west-1")
    http_api = dublin.create_api(Name="h", ProtocolType="HTTP", Target=FUNCTION)["ApiId"]
    ws_api = dublin.create_api(Name="w", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    wrong_region = f"https://{http_api}.execute-api.us-east-1.amazonaws.com/"
    websocket = f"https://{ws_api['ApiId']}.execute-api.eu-west-1.amazonaws.com/prod"
    for url in (wrong_region, websocket):
        assert requests.get(url).status_code == 403
    assert no_network == []


def test_other_urls_go_where_they_would_without_the_mock(apigw: MockApiGateway) -> None:
    session = requests.Session()
    probe = _Probe()
    session.mount("http://192.0.2.10/", probe)
    with pytest.raises(requests.ConnectionError, match="probe: not sent"):
        session.get(UNRELATED)
    assert len(probe.depths) == 1


def test_schemes_requests_refuses_are_refused_as_without_the_mock() -> None:
    url = "ftp://abcdef1234.execute-api.us-east-1.amazonaws.com/prod"
    with pytest.raises(requests.exceptions.InvalidSchema) as outside:
        requests.get(url)
    with mock_apigateway(), pytest.raises(requests.exceptions.InvalidSchema) as inside:
        requests.get(url)
    assert str(inside.value) == str(outside.value)


# ---------------------------------------------------------------------------------------------- one resolution


def test_a_request_is_resolved_once_and_an_unrelated_one_never(
    apigw: MockApiGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = _http_api(apigw, "once")
    calls: list[str] = []
    real = apigw.endpoints.http

    def counting(address: Any) -> Any:
        calls.append(address.path)
        return real(address)

    monkeypatch.setattr(apigw.endpoints, "http", counting)
    assert requests.get(url).text == "once"
    assert len(calls) == 1
    test_other_urls_go_where_they_would_without_the_mock(apigw)
    assert len(calls) == 1


# ---------------------------------------------------------------------------------------------- the response


def test_the_response_is_a_full_requests_response(apigw: MockApiGateway) -> None:
    apigw.register_lambda(
        FUNCTION,
        lambda event, context: {
            "statusCode": 201,
            "headers": {"x-one": "1"},
            "cookies": ["session=abc; Path=/", "theme=dark; Path=/"],
            "body": event.get("body", ""),
        },
    )
    client = boto3.client("apigatewayv2", region_name=REGION)
    url = client.create_api(Name="r", ProtocolType="HTTP", Target=FUNCTION)["ApiEndpoint"] + "/x"
    session = requests.Session()
    answer = session.post(url, data=io.BytesIO(b"from a file"))
    assert (answer.status_code, answer.reason, answer.text) == (201, "Created", "from a file")
    assert answer.headers["x-one"] == "1"
    assert answer.url == url
    assert session.cookies.get_dict() == {"session": "abc", "theme": "dark"}  # Set-Cookie reached the session
    chunks = session.post(url, data=(part for part in (b"in ", b"chunks")))
    assert chunks.text == "in chunks"
    streamed = session.get(url, stream=True)
    assert b"".join(streamed.iter_content(4)) == b""
