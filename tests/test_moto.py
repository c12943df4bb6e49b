"""Composing with moto's mock_aws: moto serves other services, mockapigw serves its two."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import boto3
import pytest
from moto import mock_aws
from moto.backends import get_backend

from mockapigw import mock_apigateway

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
