"""Every entry point of mock_apigateway, and state per mock, account and region."""

from __future__ import annotations

import asyncio
import unittest
from typing import Any

import boto3
import pytest

from mockapigw import DEFAULT_ACCOUNT_ID, MockApiGateway, mock_apigateway
from mockapigw.core.interception import SEND_ID


def _hooked() -> bool:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    return SEND_ID in client.meta.events._emitter._unique_id_handlers


def _count_apis() -> int:
    return len(boto3.client("apigatewayv2", region_name="us-east-1").get_apis()["Items"])


def test_bare_decorator() -> None:
    @mock_apigateway
    def body(x: int) -> int:
        assert _hooked()
        boto3.client("apigatewayv2", region_name="us-east-1").create_api(Name="a", ProtocolType="HTTP")
        return x + 1

    assert body(1) == 2
    assert body.__name__ == "body"
    assert not _hooked()


def test_called_decorator_starts_each_call_empty() -> None:
    @mock_apigateway()
    def body() -> int:
        boto3.client("apigatewayv2", region_name="us-east-1").create_api(Name="a", ProtocolType="HTTP")
        return _count_apis()

    assert body() == 1
    assert body() == 1
    assert not _hooked()


def test_async_function() -> None:
    @mock_apigateway
    async def body() -> bool:
        await asyncio.sleep(0)
        return _hooked()

    assert asyncio.run(body()) is True
    assert not _hooked()


def test_a_generator_runs_inside_the_mock_between_its_yields() -> None:
    # A pytest yield fixture decorated with @mock_apigateway: the mock stays active until the generator ends.
    @mock_apigateway
    def fixture() -> Any:
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        api_id = client.create_api(Name="a", ProtocolType="HTTP")["ApiId"]
        received = yield api_id
        assert received == "sent"
        yield _count_apis()
        return "done"

    steps = fixture()
    assert not _hooked()  # nothing runs before the first step
    api_id = next(steps)
    assert _hooked()
    assert boto3.client("apigatewayv2", region_name="us-east-1").get_api(ApiId=api_id)["Name"] == "a"
    assert steps.send("sent") == 1
    with pytest.raises(StopIteration) as finished:
        next(steps)
    assert finished.value.value == "done"
    assert not _hooked()


def test_a_generator_closed_early_stops_the_mock() -> None:
    @mock_apigateway
    def fixture() -> Any:
        yield _hooked()
        yield "never"

    steps = fixture()
    assert next(steps) is True
    steps.close()
    assert not _hooked()


def test_an_async_generator_runs_inside_the_mock_between_its_yields() -> None:
    @mock_apigateway
    async def fixture() -> Any:
        received = yield _hooked()
        await asyncio.sleep(0)
        try:
            yield (received, _hooked())
        except ValueError as error:
            yield f"caught {error}"

    async def drive() -> list[Any]:
        steps = fixture()
        seen = [await steps.__anext__(), await steps.asend("sent"), await steps.athrow(ValueError("boom"))]
        seen.append(_hooked())
        with pytest.raises(StopAsyncIteration):
            await steps.__anext__()
        return seen

    assert asyncio.run(drive()) == [True, ("sent", True), "caught boom", True]
    assert not _hooked()


def test_async_with() -> None:
    async def body() -> int:
        async with mock_apigateway() as gw:
            assert isinstance(gw, MockApiGateway)
            boto3.client("apigatewayv2", region_name="us-east-1").create_api(Name="a", ProtocolType="HTTP")
            return _count_apis()

    assert asyncio.run(body()) == 1
    assert not _hooked()


def test_class_decorator_wraps_test_methods_only() -> None:
    @mock_apigateway
    class Suite:
        def test_one(self) -> bool:
            return _hooked()

        def helper(self) -> bool:
            return _hooked()

    suite = Suite()
    assert suite.test_one() is True
    assert suite.helper() is False


def test_unittest_testcase_runs_setup_test_and_teardown_inside_the_mock() -> None:
    seen: list[tuple[str, bool]] = []

    @mock_apigateway
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            seen.append(("setUp", _hooked()))
            self.client = boto3.client("apigatewayv2", region_name="us-east-1")
            self.client.create_api(Name="from-setup", ProtocolType="HTTP")

        def tearDown(self) -> None:
            seen.append(("tearDown", _hooked()))

        def test_sees_setup_state(self) -> None:
            seen.append(("test", _hooked()))
            assert [a["Name"] for a in self.client.get_apis()["Items"]] == ["from-setup"]

        def test_again_starts_empty(self) -> None:
            assert len(self.client.get_apis()["Items"]) == 1

    result = unittest.TextTestRunner(stream=open("/dev/null", "w"), verbosity=0).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert result.wasSuccessful(), result.failures + result.errors
    assert ("setUp", True) in seen and ("test", True) in seen and ("tearDown", True) in seen
    assert not _hooked()


def test_unittest_setup_failure_still_stops_the_mock() -> None:
    @mock_apigateway
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            raise RuntimeError("setUp failed")

        def test_never_runs(self) -> None:
            raise AssertionError("unreachable")

    result = unittest.TextTestRunner(stream=open("/dev/null", "w"), verbosity=0).run(  # noqa: SIM115
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )
    assert len(result.errors) == 1
    assert not _hooked()


def test_start_stop_and_reentry() -> None:
    gw = mock_apigateway()
    assert gw.start() is gw
    assert gw.active
    boto3.client("apigatewayv2", region_name="us-east-1").create_api(Name="a", ProtocolType="HTTP")
    with gw:  # re-entering the same mock keeps its state
        assert _count_apis() == 1
    assert gw.active and _hooked()
    gw.stop()
    assert not gw.active and not _hooked()
    with pytest.raises(RuntimeError, match="not started"):
        gw.stop()
    gw.start()
    assert _count_apis() == 0  # a new start begins empty
    gw.stop()


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"account_id": 123456789012}, TypeError, "account_id must be a string of 12 digits, got int 123456789012"),
        ({"account_id": "12345"}, ValueError, "account_id must be 12 digits, got '12345'"),
        ({"raise_handler_errors": "false"}, TypeError, "raise_handler_errors must be True or False, got 'false'"),
    ],
)
def test_bad_settings_are_refused_with_what_is_wrong(settings: dict[str, Any], error: type, message: str) -> None:
    with pytest.raises(error) as caught:
        mock_apigateway(**settings)
    assert str(caught.value) == message


def test_decorating_something_not_callable_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        mock_apigateway()(42)


def test_default_account_in_messages(v2: Any) -> None:
    assert DEFAULT_ACCOUNT_ID == "123456789012"
    with pytest.raises(v2.exceptions.NotFoundException, match="123456789012:nope"):
        v2.get_api(ApiId="nope")


def test_account_id_argument_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    with mock_apigateway(account_id="111122223333"), pytest.raises(client.exceptions.NotFoundException) as info:
        client.get_api(ApiId="nope")
    assert "111122223333:nope" in str(info.value)
    monkeypatch.setenv("MOCKAPIGW_ACCOUNT_ID", "444455556666")
    with mock_apigateway() as gw:
        assert gw.account_id == "444455556666"
    with mock_apigateway(account_id="777788889999") as gw:
        assert gw.account_id == "777788889999"


def test_account_id_must_be_twelve_digits() -> None:
    with pytest.raises(ValueError, match="12 digits"):
        mock_apigateway(account_id="abc")


def test_state_is_per_account_and_region() -> None:
    with mock_apigateway() as gw:
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        client.create_api(Name="a", ProtocolType="HTTP")
        backend = gw.apigatewayv2.backends(gw.account_id, "us-east-1")
        assert [api["Name"] for api in backend.apis] == ["a"]
        assert len(gw.apigatewayv2.backends("999999999999", "us-east-1").apis) == 0
        assert len(list(gw.apigatewayv2.backends)) == 2


# ---------------------------------------------------------------------------------------------- self.apigw

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:echo"


def _run(case: type[unittest.TestCase]) -> unittest.TestResult:
    with open("/dev/null", "w") as devnull:
        return unittest.TextTestRunner(stream=devnull, verbosity=0).run(
            unittest.defaultTestLoader.loadTestsFromTestCase(case)
        )


def test_a_decorated_testcase_reaches_its_mock_as_self_apigw() -> None:
    seen: list[MockApiGateway] = []

    @mock_apigateway
    class Case(unittest.TestCase):
        apigw: MockApiGateway

        def setUp(self) -> None:
            assert self.apigw.active  # already started in setUp
            self.apigw.register_lambda(FUNCTION, lambda event, context: {"statusCode": 200})
            v2 = boto3.client("apigatewayv2", region_name="us-east-1")
            api = v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
            target = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
            v2.create_route(ApiId=api["ApiId"], RouteKey="$connect", Target=f"integrations/{target['IntegrationId']}")
            v2.create_stage(ApiId=api["ApiId"], StageName="prod")
            v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
            self.api_id = api["ApiId"]

        def test_connect(self) -> None:
            seen.append(self.apigw)
            assert self.apigw.connect(self.api_id, "prod").connected

        def test_state_is_the_mock_of_this_test(self) -> None:
            seen.append(self.apigw)
            backend = self.apigw.apigatewayv2.backends(self.apigw.account_id, "us-east-1")
            assert [api.api_id for api in backend.apis] == [self.api_id]

    result = _run(Case)
    assert result.wasSuccessful(), result.failures + result.errors
    assert len(seen) == 2 and seen[0] is seen[1] and isinstance(seen[0], MockApiGateway)
    assert not seen[0].active and not _hooked()


def test_a_decorated_test_class_reaches_its_mock_as_self_apigw() -> None:
    mock = mock_apigateway()

    @mock
    class TestSuite:
        apigw: MockApiGateway

        def test_one(self) -> MockApiGateway:
            assert self.apigw.active and _count_apis() == 0
            boto3.client("apigatewayv2", region_name="us-east-1").create_api(Name="a", ProtocolType="HTTP")
            return self.apigw

    assert TestSuite().test_one() is mock
    assert TestSuite().test_one() is mock  # a fresh state each time
    assert not mock.active


def test_inherited_tests_reach_the_mock_of_the_decorated_class() -> None:
    class Base(unittest.TestCase):
        apigw: MockApiGateway

        def test_inherited(self) -> None:
            assert self.apigw.active
            url = "https://abcdef1234.execute-api.us-east-1.amazonaws.com/x"
            assert self.apigw.invoke("GET", url).status_code == 403  # no such API: answered, not sent

    @mock_apigateway
    class Case(Base):
        pass

    @mock_apigateway
    class DecoratedBase(unittest.TestCase):
        apigw: MockApiGateway

        def test_from_the_decorated_base(self) -> None:
            assert self.apigw.active and self.apigw is DecoratedBase.apigw

    class Child(DecoratedBase):
        pass

    class PlainBase:
        apigw: MockApiGateway

        def test_plain(self) -> bool:
            return self.apigw.active

    @mock_apigateway
    class PlainChild(PlainBase):
        pass

    for case in (Case, Child):
        result = _run(case)
        assert result.wasSuccessful(), result.failures + result.errors
        assert result.testsRun == 1
    assert PlainChild().test_plain() is True
    assert not hasattr(Base, "apigw") and not hasattr(PlainBase, "apigw")  # bases are untouched
    assert not _hooked()


def test_stop_leaves_a_later_responses_mock_working() -> None:
    import requests
    import requests.adapters
    import responses

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
