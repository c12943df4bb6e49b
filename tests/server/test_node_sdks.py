"""The AWS SDKs for JavaScript against server mode: v2's ApiGatewayManagementApi as its documentation uses it, and
v3's apigatewayv2 and apigatewaymanagementapi clients. Each answer is checked against what boto3 gets in-process."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from nodejs import NODE_DIR, calls, docs_block, node, run_script
from test_outgoing_frames import Reader, stalled_socket
from test_socket_buffer import MAX_POSTS
from wsapi import WsApi

from mockapigw import MockApiGateway
from mockapigw.server.bridge import MAX_UNSENT_BYTES

websockets_client = pytest.importorskip(
    "websockets.sync.client", reason="install the test extra: pip install -e '.[test]'"
)
ConnectionClosed = pytest.importorskip("websockets.exceptions").ConnectionClosed


@pytest.fixture
def server(apigw: MockApiGateway) -> Iterator[Any]:
    node()  # skip before starting anything when the SDKs are not there
    with apigw.serve(host="127.0.0.1", port=0) as running:
        yield running


@pytest.fixture
def chat(ws: WsApi, server: Any) -> WsApi:
    """The recording WebSocket API of ``wsapi.py`` (``$connect``, ``$disconnect``, stage ``prod``), served."""
    return ws


def endpoint(server: Any, api_id: str, stage: str = "prod") -> str:
    """The @connections endpoint of a stage in the path form."""
    return f"{server.url}/_aws/execute-api/{api_id}/{stage}"


def socket_url(server: Any, api_id: str, stage: str = "prod") -> str:
    return endpoint(server, api_id, stage).replace("http://", "ws://", 1)


def in_process(management: Any, op: str, **params: Any) -> dict[str, Any]:
    """What boto3 gets for the same call in-process: the answer the SDKs over the server must match."""
    try:
        return {"data": getattr(management, op)(**params)}
    except ClientError as error:
        return {
            "code": error.response["Error"]["Code"],
            "statusCode": error.response["ResponseMetadata"]["HTTPStatusCode"],
            "message": error.response["Error"].get("Message"),
        }


def iso(value: dt.datetime) -> str:
    """A datetime as the SDKs for JavaScript print a Date."""
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@contextmanager
def open_socket(server: Any, chat: WsApi) -> Iterator[tuple[Any, str]]:
    """A real WebSocket client of the chat API, and its connection id (from the ``$connect`` event)."""
    with websockets_client.connect(socket_url(server, chat.api_id), user_agent_header="node-sdk-test/1.0") as client:
        yield client, chat.of_type("CONNECT")[-1]["requestContext"]["connectionId"]


@pytest.mark.parametrize("sdk", ["v2-management", "v3-management"])
def test_post_get_delete_reach_real_and_in_process_clients(sdk: str, server: Any, chat: WsApi) -> None:
    with open_socket(server, chat) as (socket, socket_id):
        local = chat.gw.connect(chat.api_id, "prod")
        url = endpoint(server, chat.api_id)

        results = calls(
            sdk,
            url,
            ("postToConnection", {"ConnectionId": socket_id, "Data": f"hello socket from {sdk}"}),
            ("postToConnection", {"ConnectionId": local.connection_id, "Data": "hello local"}),
            ("getConnection", {"ConnectionId": socket_id}),
            ("deleteConnection", {"ConnectionId": socket_id}),
        )

        assert [r.get("code") for r in results] == [None] * 4, results
        assert socket.recv(timeout=10) == f"hello socket from {sdk}"
        assert local.receive_text() == "hello local"
        connection = results[2]["data"]
        assert connection["Identity"] == {"SourceIp": "127.0.0.1", "UserAgent": "node-sdk-test/1.0"}
        expected = chat.management().get_connection(ConnectionId=local.connection_id)  # same clock, same format
        assert set(connection) == {k for k in expected if k != "ResponseMetadata"}
        dt.datetime.fromisoformat(connection["ConnectedAt"].replace("Z", "+00:00"))
        with pytest.raises(ConnectionClosed) as closed:  # deleteConnection closed the real socket
            socket.recv(timeout=10)
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1000
    assert chat.of_type("DISCONNECT")[-1]["requestContext"]["connectionId"] == socket_id


@pytest.mark.parametrize("sdk", ["v2-management", "v3-management"])
def test_posted_bytes_arrive_as_they_were_sent(sdk: str, server: Any, chat: WsApi) -> None:
    text = "héllo ✓".encode()
    not_utf8 = bytes([0, 255, 254, 128])
    with open_socket(server, chat) as (socket, socket_id):
        results = calls(
            sdk,
            endpoint(server, chat.api_id),
            ("postToConnection", {"ConnectionId": socket_id, "Data": {"$base64": base64.b64encode(text).decode()}}),
            ("postToConnection", {"ConnectionId": socket_id, "Data": {"$base64": base64.b64encode(not_utf8).decode()}}),
        )
        assert [r.get("code") for r in results] == [None, None], results
        assert socket.recv(timeout=10) == text.decode()  # UTF-8 bytes arrive as a text frame
        assert socket.recv(timeout=10) == not_utf8  # other bytes as a binary frame (see docs/server-mode.md)


# The mock also tells the test why an endpoint is refused (a MockApiGatewayWarning); here the refusal is the point.
@pytest.mark.filterwarnings("ignore::mockapigw.MockApiGatewayWarning")
@pytest.mark.parametrize("sdk", ["v2-management", "v3-management"])
def test_every_modeled_error_matches_boto3_in_process(sdk: str, server: Any, chat: WsApi) -> None:
    gone = chat.gw.connect(chat.api_id, "prod")
    gone.close()
    live = chat.gw.connect(chat.api_id, "prod")
    too_large = "x" * (128 * 1024 + 1)
    cases = [
        (chat.api_id, "prod", "postToConnection", {"ConnectionId": gone.connection_id, "Data": "late"}),
        (chat.api_id, "prod", "getConnection", {"ConnectionId": gone.connection_id}),
        (chat.api_id, "prod", "deleteConnection", {"ConnectionId": gone.connection_id}),
        (chat.api_id, "prod", "postToConnection", {"ConnectionId": live.connection_id, "Data": too_large}),
        (chat.api_id, "nostage", "postToConnection", {"ConnectionId": live.connection_id, "Data": "x"}),
        ("nosuchapi", "prod", "getConnection", {"ConnectionId": live.connection_id}),
    ]
    for api_id, stage, op, params in cases:
        [result] = calls(sdk, endpoint(server, api_id, stage), (op, params))
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com/{stage}",
        )
        expected = in_process(management, _snake(op), **params)
        assert "code" in expected, (op, stage, expected)
        assert result["code"] == expected["code"], (op, result, expected)
        assert result["statusCode"] == expected["statusCode"], (op, result, expected)
    assert live.received == []  # none of the refused calls delivered anything


def test_v2_catches_gone_exception_by_err_code_as_documented(server: Any, chat: WsApi, tmp_path: Path) -> None:
    """The docs' Node snippet, written as the SDK's own documentation writes calls."""
    script = tmp_path / "post.js"
    script.write_text(docs_block("// post.js: node post.js ENDPOINT CONNECTION_ID MESSAGE", "js"), encoding="utf-8")
    live = chat.gw.connect(chat.api_id, "prod")
    gone = chat.gw.connect(chat.api_id, "prod")
    gone.close()
    url = endpoint(server, chat.api_id)

    assert run_script(script, url, live.connection_id, "hi from Node").strip() == "sent"
    assert run_script(script, url, gone.connection_id, "too late").strip() == f"gone: {gone.connection_id}"
    assert live.receive_text() == "hi from Node"


def test_v3_builds_an_api_that_a_real_socket_then_uses(server: Any, apigw: MockApiGateway, v2: Any) -> None:
    function_arn = "arn:aws:lambda:us-east-1:123456789012:function:echo"
    apigw.register_lambda(function_arn, lambda event, context: {"statusCode": 200, "body": "echo:" + event["body"]})
    [api] = _data(
        calls(
            "v3-apigatewayv2",
            server.url,
            (
                "createApi",
                {"Name": "from-node", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.action"},
            ),
        )
    )
    api_id = api["ApiId"]
    [integration] = _data(
        calls(
            "v3-apigatewayv2",
            server.url,
            ("createIntegration", {"ApiId": api_id, "IntegrationType": "AWS_PROXY", "IntegrationUri": function_arn}),
        )
    )
    [route] = _data(
        calls(
            "v3-apigatewayv2",
            server.url,
            (
                "createRoute",
                {
                    "ApiId": api_id,
                    "RouteKey": "$default",
                    "Target": f"integrations/{integration['IntegrationId']}",
                    "RouteResponseSelectionExpression": "$default",
                },
            ),
        )
    )
    _data(
        calls(
            "v3-apigatewayv2",
            server.url,
            ("createRouteResponse", {"ApiId": api_id, "RouteId": route["RouteId"], "RouteResponseKey": "$default"}),
            ("createStage", {"ApiId": api_id, "StageName": "prod"}),
            ("createDeployment", {"ApiId": api_id, "StageName": "prod"}),
        )
    )

    # One state: boto3 in-process sees what Node created, byte for byte the same fields.
    in_process_api = v2.get_api(ApiId=api_id)
    assert api["CreatedDate"] == iso(in_process_api["CreatedDate"])
    assert {k: v for k, v in api.items() if k != "CreatedDate"} == {
        k: v for k, v in in_process_api.items() if k not in ("CreatedDate", "ResponseMetadata")
    }
    with websockets_client.connect(socket_url(server, api_id)) as socket:
        socket.send('{"action": "say", "text": "hi"}')
        assert socket.recv(timeout=10) == 'echo:{"action": "say", "text": "hi"}'


def test_v3_sees_in_process_apis_and_gets_boto3s_errors(server: Any, v2: Any, http_api: dict[str, Any]) -> None:
    results = calls(
        "v3-apigatewayv2",
        server.url,
        ("getApis", {}),
        ("getApi", {"ApiId": "nosuchapi"}),
        ("createApi", {"Name": "bad", "ProtocolType": "WEBSOCKET"}),  # no RouteSelectionExpression
    )
    assert [item["ApiId"] for item in results[0]["data"]["Items"]] == [http_api["ApiId"]]
    for result, (op, params) in zip(
        results[1:],
        [("get_api", {"ApiId": "nosuchapi"}), ("create_api", {"Name": "bad", "ProtocolType": "WEBSOCKET"})],
        strict=True,
    ):
        expected = in_process(v2, op, **params)
        assert (result["code"], result["statusCode"], result["message"]) == (
            expected["code"],
            expected["statusCode"],
            expected["message"],
        )
    assert len(v2.get_apis()["Items"]) == 1  # the refused create changed nothing


def _data(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    assert all("data" in result for result in results), results
    return [result["data"] for result in results]


def _snake(op: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in op)


def test_v3_docs_snippets_create_an_api_and_post_to_it(
    server: Any, apigw: MockApiGateway, v2: Any, tmp_path: Path
) -> None:
    setup = tmp_path / "setup.js"
    setup.write_text(docs_block("// setup.js: node setup.js SERVER_URL", "js"), encoding="utf-8")
    notify = tmp_path / "notify.js"
    notify.write_text(docs_block("// notify.js: node notify.js ENDPOINT CONNECTION_ID MESSAGE", "js"), encoding="utf-8")

    assert run_script(setup, server.url).splitlines() == ["chat WEBSOCKET"]
    [api] = v2.get_apis()["Items"]
    live = apigw.connect(api["ApiId"], "prod")  # AutoDeploy deployed the stage
    gone = apigw.connect(api["ApiId"], "prod")
    gone.close()
    url = endpoint(server, api["ApiId"])

    assert run_script(notify, url, live.connection_id, "hi from v3").strip() == "sent"
    assert run_script(notify, url, gone.connection_id, "late").strip() == f"gone: {gone.connection_id}"
    assert live.received == [b"hi from v3"]


# --- a client that stops reading: LimitExceededException (429) from the real socket's buffer-full rule


def test_v2_gets_limit_exceeded_when_a_real_client_stops_reading(server: Any, chat: WsApi) -> None:
    """A Node backend posting 128 KB messages to a client that reads nothing gets 429, as docs/server-mode.md says."""
    size = 128 * 1024
    with stalled_socket(server, chat.api_id) as raw:
        socket_id = chat.of_type("CONNECT")[-1]["requestContext"]["connectionId"]
        out = run_script(NODE_DIR / "flood.js", endpoint(server, chat.api_id), socket_id, str(size), str(MAX_POSTS))
        result = json.loads(out)
        assert (result["code"], result["statusCode"]) == ("LimitExceededException", 429), result
        accepted = result["accepted"]
        assert accepted * size > MAX_UNSENT_BYTES - size  # not refused before the limit
        reader = Reader(raw)
        for index in range(accepted):  # then the client reads: every accepted message, in order
            head = f"{index}:".encode()
            assert reader.message() == (0x1, head + b"x" * (size - len(head)))
        [after] = calls(
            "v2-management",
            endpoint(server, chat.api_id),
            ("postToConnection", {"ConnectionId": socket_id, "Data": "room again"}),
        )
        assert "code" not in after, after
        assert reader.message() == (0x1, b"room again")


# --- the host form, {apiId}.execute-api.localhost, through an http.Agent whose lookup sends it to the server


def host_form(server: Any, host: str, stage: str = "prod") -> str:
    return f"http://{host}:{server.port}/{stage}"


@pytest.mark.parametrize("sdk", ["v2-management", "v3-management"])
@pytest.mark.parametrize("domain", ["execute-api.localhost", "execute-api.us-east-1.amazonaws.com"])
def test_connections_at_the_host_form(sdk: str, domain: str, server: Any, chat: WsApi) -> None:
    url = host_form(server, f"{chat.api_id}.{domain}")
    with open_socket(server, chat) as (socket, socket_id):
        local = chat.gw.connect(chat.api_id, "prod")
        results = calls(
            sdk,
            url,
            ("postToConnection", {"ConnectionId": socket_id, "Data": "to the socket"}),
            ("postToConnection", {"ConnectionId": local.connection_id, "Data": "to the local client"}),
            ("getConnection", {"ConnectionId": socket_id}),
            ("deleteConnection", {"ConnectionId": socket_id}),
            ("postToConnection", {"ConnectionId": socket_id, "Data": "too late"}),
            resolve_to="127.0.0.1",
        )
        assert [r.get("code") for r in results] == [None, None, None, None, "GoneException"], results
        assert results[4]["statusCode"] == 410
        assert socket.recv(timeout=10) == "to the socket"
        assert local.receive_text() == "to the local client"
        assert results[2]["data"]["Identity"]["SourceIp"] == "127.0.0.1"
        with pytest.raises(ConnectionClosed):  # deleteConnection closed the real socket
            socket.recv(timeout=10)


@pytest.mark.filterwarnings("ignore::mockapigw.MockApiGatewayWarning")
def test_host_form_errors_match_boto3_in_process(server: Any, chat: WsApi) -> None:
    live = chat.gw.connect(chat.api_id, "prod")
    [no_stage] = calls(
        "v2-management",
        host_form(server, f"{chat.api_id}.execute-api.localhost", "nostage"),
        ("postToConnection", {"ConnectionId": live.connection_id, "Data": "x"}),
        resolve_to="127.0.0.1",
    )
    [no_api] = calls(
        "v3-management",
        host_form(server, "nosuchapi.execute-api.localhost"),
        ("getConnection", {"ConnectionId": live.connection_id}),
        resolve_to="127.0.0.1",
    )
    for result, (api_id, stage, op) in zip(
        [no_stage, no_api],
        [(chat.api_id, "nostage", "post_to_connection"), ("nosuchapi", "prod", "get_connection")],
        strict=True,
    ):
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{api_id}.execute-api.us-east-1.amazonaws.com/{stage}",
        )
        params: dict[str, Any] = {"ConnectionId": live.connection_id}
        if op == "post_to_connection":
            params["Data"] = "x"
        expected = in_process(management, op, **params)
        assert (result["code"], result["statusCode"]) == (expected["code"], expected["statusCode"])
    assert live.received == []


def test_v3_control_plane_at_aws_own_host_resolved_to_the_server(server: Any, v2: Any) -> None:
    url = f"http://apigateway.us-east-1.amazonaws.com:{server.port}"
    results = calls(
        "v3-apigatewayv2",
        url,
        ("createApi", {"Name": "by-host", "ProtocolType": "WEBSOCKET", "RouteSelectionExpression": "$request.body.a"}),
        ("getApis", {}),
        resolve_to="127.0.0.1",
    )
    created, listed = _data(results)
    assert [item["ApiId"] for item in listed["Items"]] == [created["ApiId"]]
    assert v2.get_api(ApiId=created["ApiId"])["Name"] == "by-host"  # one state with boto3 in-process


def test_host_form_docs_snippet_posts_to_a_real_socket(server: Any, chat: WsApi, tmp_path: Path) -> None:
    script = tmp_path / "host.js"
    script.write_text(docs_block("// host.js: node host.js PORT API_ID CONNECTION_ID MESSAGE", "js"), encoding="utf-8")
    with open_socket(server, chat) as (socket, socket_id):
        assert run_script(script, str(server.port), chat.api_id, socket_id, "by host").strip() == "sent"
        assert socket.recv(timeout=10) == "by host"
