"""The pytest plugin, run in a real pytest session with pytester."""

from __future__ import annotations

import pytest


def test_apigw_fixture_is_a_started_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from mockapigw import MockApiGateway

        def test_uses_fixture(apigw):
            assert isinstance(apigw, MockApiGateway)
            assert apigw.active
            client = boto3.client("apigatewayv2", region_name="us-east-1")
            client.create_api(Name="a", ProtocolType="HTTP")
            assert len(client.get_apis()["Items"]) == 1

        def test_each_test_starts_empty(apigw):
            client = boto3.client("apigatewayv2", region_name="us-east-1")
            assert client.get_apis()["Items"] == []
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=2)


def test_fixture_stops_the_mock_after_a_failing_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest
        from botocore.exceptions import NoCredentialsError

        def test_fails(apigw):
            raise AssertionError("boom")

        def test_after(monkeypatch):
            for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE"):
                monkeypatch.delenv(name, raising=False)
            client = boto3.client("apigatewayv2", region_name="us-east-1")
            with pytest.raises(NoCredentialsError):
                client.get_apis()
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=1, failed=1)


def test_plugin_is_registered_under_pytest11() -> None:
    from importlib.metadata import entry_points

    names = {ep.value for ep in entry_points(group="pytest11")}
    assert "mockapigw.plugin" in names


def test_marker_configures_the_fixture(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        @pytest.mark.apigw(account_id="111122223333")
        def test_account(apigw):
            assert apigw.account_id == "111122223333"
            client = boto3.client("apigatewayv2", region_name="us-east-1")
            with pytest.raises(client.exceptions.NotFoundException, match="111122223333:abcdefghij"):
                client.get_api(ApiId="abcdefghij")

        def test_default(apigw):
            assert apigw.account_id == "123456789012"
        """
    )
    result = pytester.runpytest_inprocess("--strict-markers")
    result.assert_outcomes(passed=2)


def test_markers_at_several_levels_combine_the_closest_winning(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.apigw(account_id="333344445555")

        @pytest.mark.apigw(raise_handler_errors=False)
        def test_module_account_and_test_setting(apigw):
            assert (apigw.account_id, apigw.raise_handler_errors) == ("333344445555", False)

        @pytest.mark.apigw(account_id="111122223333")
        def test_the_closest_account_wins(apigw):
            assert (apigw.account_id, apigw.raise_handler_errors) == ("111122223333", True)

        class TestClass:
            pytestmark = pytest.mark.apigw(raise_handler_errors=False)

            @pytest.mark.apigw(account_id="210987654321")
            def test_three_levels(self, apigw):
                assert (apigw.account_id, apigw.raise_handler_errors) == ("210987654321", False)
        """
    )
    pytester.runpytest_inprocess("--strict-markers").assert_outcomes(passed=3)


def test_a_marker_with_positional_or_unknown_settings_is_an_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.apigw(False)
        def test_positional(apigw):
            pass

        @pytest.mark.apigw(raise_errors=False)
        def test_unknown(apigw):
            pass

        @pytest.mark.apigw(account_id=123456789012)
        def test_not_a_string(apigw):
            pass
        """
    )
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [
            "*TypeError: @pytest.mark.apigw takes keyword arguments only (account_id=..., raise_handler_errors=...)*",
            "*TypeError: @pytest.mark.apigw got unknown settings *'raise_errors'*; it takes account_id, raise_handler*",
            "*TypeError: account_id must be a string of 12 digits, got int 123456789012*",
        ]
    )
