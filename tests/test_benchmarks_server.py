"""Smoke test of the server benchmarks: ``python -m benchmarks.server_run --quick`` measures mockapigw's server."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from helpers import run_module

from benchmarks.server_app import WS_NAME, setup
from benchmarks.server_floor import DeliveryOnlyChat
from mockapigw import mock_apigateway
from mockapigw.management.backend import ManagementBackend


def test_quick_server_benchmark_measures_every_figure(tmp_path: Path) -> None:
    figures = tmp_path / "server.json"
    # serverless-offline needs an npm install of its own (about a minute): the full run does it, not the suite.
    done = run_module("benchmarks.server_run", "--quick", "--no-offline", "--json", str(figures))
    results = json.loads(figures.read_text(encoding="utf-8"))
    mock = results["mockapigw"]
    assert mock["held_connections"] == results["sizes"]["held"]
    for key in ("connect_p50_ms", "round_trip_p50_ms", "round_trip_p99_ms", "messages_per_s", "broadcast_s"):
        assert mock[key] > 0, (key, mock)
    assert results["control_plane"] > 0
    assert results["broadcast_floor_s"] > 0
    assert results["broadcast_delivery_only_s"] > 0, results["broadcast_delivery_only_s"]
    # moto's server is measured when moto[server] is installed, and otherwise says how to get it.
    assert isinstance(results["moto"], float) or "moto[server]" in results["moto"], results["moto"]
    assert results["serverless-offline"] == "skipped (--no-offline)"
    assert "| WebSocket connect, p50 (ms) |" in done.stdout
    assert "botocore's own part of the broadcast's 21 calls (canned answers, no mock)" in done.stdout
    assert "the same broadcast in mockapigw's server, each post answered by the delivery alone" in done.stdout


def test_the_delivery_only_floor_delivers_every_post_without_the_mocks_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    # The floor is only a floor if its posts skip the mock's answer, and only a broadcast if every socket gets one.
    with mock_apigateway() as gw:
        chat = DeliveryOnlyChat(ManagementBackend(gw.websockets.connections, gw.websockets))
        setup(gw, chat)
        apis = boto3.client("apigatewayv2", region_name="us-east-1").get_apis()["Items"]
        api_id = next(api["ApiId"] for api in apis if api["Name"] == WS_NAME)
        listeners = [gw.connect(api_id, "prod") for _ in range(5)]
        answered: list[str] = []
        respond = gw.respond
        monkeypatch.setattr(gw, "respond", lambda service, *rest: answered.append(service) or respond(service, *rest))
        listeners[0].send({"action": "broadcast", "n": 1})
        assert [listener.receive_json() for listener in listeners] == [{"action": "broadcast", "n": 1}] * 5
        assert "apigatewaymanagementapi" not in answered
        # A post the delivery does not make (a gone connection) is still the mock's to answer, as AWS's.
        gone = listeners.pop()
        gone.close()
        event = {
            "requestContext": {
                "apiId": api_id,
                "stage": "prod",
                "domainName": f"{api_id}.execute-api.us-east-1.amazonaws.com",
            }
        }
        management = chat.management(event)
        with pytest.raises(management.exceptions.GoneException):
            management.post_to_connection(ConnectionId=gone.connection_id, Data=b"late")
        assert answered == ["apigatewaymanagementapi"]
