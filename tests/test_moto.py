"""Composing with moto's mock_aws: moto serves other services, mockapigw serves its two and its invoke URLs,
whichever started first and however each was started (decorator, context manager, fixture)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import boto3
import pytest
import requests
import requests.adapters
from moto import mock_aws
from moto.backends import get_backend

from mockapigw import MockApiGateway, mock_apigateway

ORIGINAL_SEND = requests.adapters.HTTPAdapter.send
ORIGINAL_GET_ADAPTER = requests.Session.get_adapter

Factory = Callable[[], AbstractContextManager[object]]


@pytest.mark.parametrize(
    ("outer", "inner"),
    [(mock_aws, mock_apigateway), (mock_apigateway, mock_aws)],
    ids=["moto-outside", "mockapigw-outside"],
)
def test_each_serves_its_own_services(outer: Factory, inner: Factory) -> None:
    with outer(), inner():
        dynamodb = boto3.client("dynamodb", region_name="us-east-1")
        dynamodb.create_table(
            TableName="connections",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        assert dynamodb.list_tables()["TableNames"] == ["connections"]
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        api = client.create_api(Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
        with pytest.raises(client.exceptions.NotFoundException, match="Invalid API identifier"):
            client.get_api(ApiId="missing")
        assert client.get_api(ApiId=api["ApiId"])["Name"] == "chat"
        # moto never saw the calls mockapigw answered.
        assert len(get_backend("apigatewayv2")["123456789012"]["us-east-1"].apis) == 0


# ---------------------------------------------------------------------------------------------- invoke URLs

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:orders"


def _invoke_url(gw: MockApiGateway) -> str:
    """An HTTP API of *gw* answering ``"from mockapigw"``; its invoke URL."""
    gw.register_lambda(FUNCTION, lambda event, context: "from mockapigw")
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    return str(client.create_api(Name="orders", ProtocolType="HTTP", Target=FUNCTION)["ApiEndpoint"]) + "/orders"


def _assert_both_answer(gw: MockApiGateway) -> None:
    assert requests.get(_invoke_url(gw)).text == "from mockapigw"
    dynamodb = boto3.client("dynamodb", region_name="us-east-1")
    assert dynamodb.list_tables()["TableNames"] == []  # moto answers it


@pytest.fixture
def dynamo() -> Iterator[None]:
    """moto's mock_aws, started by a fixture."""
    with mock_aws():
        yield


@pytest.mark.parametrize(
    ("outer", "inner"),
    [(mock_aws, mock_apigateway), (mock_apigateway, mock_aws)],
    ids=["moto-outside", "mockapigw-outside"],
)
def test_invoke_urls_are_answered_by_mockapigw_with_context_managers(
    outer: Factory, inner: Factory, no_network: list[Any]
) -> None:
    with outer() as first, inner() as second:
        _assert_both_answer(first if isinstance(first, MockApiGateway) else second)  # type: ignore[arg-type]
    assert no_network == []


def test_invoke_urls_with_fixtures_apigw_then_moto(apigw: MockApiGateway, dynamo: None, no_network: list[Any]) -> None:
    _assert_both_answer(apigw)
    assert no_network == []


def test_invoke_urls_with_fixtures_moto_then_apigw(dynamo: None, apigw: MockApiGateway, no_network: list[Any]) -> None:
    _assert_both_answer(apigw)
    assert no_network == []


@mock_aws
def test_invoke_urls_with_mock_aws_decorating_a_test_that_uses_apigw(
    apigw: MockApiGateway, no_network: list[Any]
) -> None:
    _assert_both_answer(apigw)
    assert no_network == []


_stacked = mock_apigateway()


@mock_aws
@_stacked
def test_invoke_urls_with_mock_aws_decorator_outside(no_network: list[Any]) -> None:
    _assert_both_answer(_stacked)
    assert no_network == []


@_stacked
@mock_aws
def test_invoke_urls_with_mock_aws_decorator_inside(no_network: list[Any]) -> None:
    _assert_both_answer(_stacked)
    assert no_network == []


def test_start_and_stop_in_any_order() -> None:
    gw, moto = mock_apigateway(), mock_aws()
    gw.start()
    moto.start()
    gw.stop()  # before moto, which started last
    with mock_apigateway() as again:
        _assert_both_answer(again)
    moto.stop()
    assert requests.adapters.HTTPAdapter.send is ORIGINAL_SEND
    assert requests.Session.get_adapter is ORIGINAL_GET_ADAPTER
