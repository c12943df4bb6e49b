"""The chat backend end to end: clients connect, broadcast, leave; stale ids are pruned on GoneException."""

from __future__ import annotations

import json
from collections.abc import Iterator

import boto3
import pytest
from moto import mock_aws

from mockapigw import MockApiGateway, mock_apigateway

from . import handler
from .app import create_chat_api, create_table


@pytest.fixture
def chat() -> Iterator[tuple[MockApiGateway, str]]:
    with mock_aws(), mock_apigateway() as gw:
        create_table()
        yield gw, create_chat_api(gw)


def _stored_ids() -> set[str]:
    table = boto3.resource("dynamodb", region_name="us-east-1").Table(handler.TABLE)
    return {item["connectionId"] for item in table.scan()["Items"]}


def test_broadcast_reaches_every_connected_client(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    alice = gw.connect(api_id, "prod", query={"room": "lobby"})
    bob = gw.connect(api_id, "prod")
    assert _stored_ids() == {alice.connection_id, bob.connection_id}
    alice.send({"action": "sendmessage", "message": "hi all"})
    for client in (alice, bob):
        assert client.receive_json() == {"from": alice.connection_id, "message": "hi all"}


def test_disconnect_removes_the_connection(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    alice, bob = gw.connect(api_id, "prod"), gw.connect(api_id, "prod")
    bob.close()
    assert _stored_ids() == {alice.connection_id}


def test_stale_connection_ids_are_pruned_on_gone(chat: tuple[MockApiGateway, str]) -> None:
    gw, api_id = chat
    alice = gw.connect(api_id, "prod")
    # An id whose $disconnect never reached the table (best effort on AWS too): posting to it raises GoneException.
    table = boto3.resource("dynamodb", region_name="us-east-1").Table(handler.TABLE)
    table.put_item(Item={"connectionId": "XDmENcnwIE0CFEQ="})
    alice.send(json.dumps({"action": "sendmessage", "message": "anyone?"}))
    assert alice.receive_json()["message"] == "anyone?"
    assert _stored_ids() == {alice.connection_id}
