"""Suite-wide set-up: no network, no credentials, and every mocked response checked against its model."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

# Set before boto3 makes any client: boto3 must never look for credentials on the network.
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
# Prove the mock needs no credentials: none in the environment, no credential files.
for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
    os.environ.pop(_name, None)
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_CONFIG_FILE"] = os.devnull

import boto3  # noqa: E402
import botocore.handlers  # noqa: E402
import pytest  # noqa: E402
from botocore.validate import validate_parameters  # noqa: E402

import mockapigw  # noqa: E402
from mockapigw import MockApiGateway  # noqa: E402


def pytest_report_header(config: pytest.Config) -> str:
    """Say which copy of mockapigw is under test: the checkout or an installed wheel."""
    return f"mockapigw {mockapigw.__version__} from {Path(mockapigw.__file__).parent}"


def pytest_configure(config: pytest.Config) -> None:
    """Refuse to run against the checkout when CI asks for the installed wheel (MOCKAPIGW_EXPECT_INSTALLED=venv)."""
    venv = os.environ.get("MOCKAPIGW_EXPECT_INSTALLED")
    package = Path(mockapigw.__file__).resolve()
    if venv and not package.is_relative_to(Path(venv).resolve()):
        raise pytest.UsageError(f"mockapigw was imported from {package}, not from the virtual environment {venv}")


# Members the model marks required that AWS leaves out: GetConnection's Identity.UserAgent, absent in AWS's own
# get-connection example when the client sent none (aws-facts.md §7). Filled in before the check.
_ABSENT_ON_AWS = {"GetConnection": ("Identity", "UserAgent")}


def _validate_output(http_response: Any, parsed: dict[str, Any], model: Any, **kwargs: Any) -> None:
    """Fail the call if a successful response does not match the operation's output shape."""
    if http_response.status_code >= 300 or model.output_shape is None:
        return
    data = {k: v for k, v in parsed.items() if k != "ResponseMetadata"}
    if model.name in _ABSENT_ON_AWS:
        outer, member = _ABSENT_ON_AWS[model.name]
        if isinstance(data.get(outer), dict) and member not in data[outer]:
            data[outer] = {**data[outer], member: "left out, as AWS does"}
    if model.has_streaming_output:
        data = {k: v for k, v in data.items() if k != model.output_shape.serialization.get("payload")}
    validate_parameters(data, model.output_shape)


# Every client made during the tests validates every successful response of the two services.
for _service in ("apigatewayv2", "apigatewaymanagementapi"):
    botocore.handlers.BUILTIN_HANDLERS.append((f"after-call.{_service}", _validate_output))


@pytest.fixture
def v2(apigw: MockApiGateway) -> Any:
    """An apigatewayv2 client in us-east-1 under a started mock."""
    return boto3.client("apigatewayv2", region_name="us-east-1")


@pytest.fixture
def http_api(v2: Any) -> dict[str, Any]:
    """A fresh HTTP API."""
    return dict(v2.create_api(Name="http", ProtocolType="HTTP"))


@pytest.fixture
def ws_api(v2: Any) -> dict[str, Any]:
    """A fresh WebSocket API."""
    return dict(v2.create_api(Name="ws", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) every attempt to open a socket."""
    import socket

    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError(f"network access attempted: {address!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))  # type: ignore[arg-type]
    return attempts


@pytest.fixture
def ws(apigw: MockApiGateway, v2: Any) -> Any:
    """A deployed WebSocket API (see ``wsapi.py``) whose routes call one recording handler."""
    from wsapi import build_ws_api

    return build_ws_api(apigw, v2)
