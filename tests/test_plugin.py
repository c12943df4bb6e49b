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
