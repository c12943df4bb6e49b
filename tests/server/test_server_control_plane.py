"""The control plane and @connections for any client at server.url: boto3, raw HTTP (signed or not), the AWS CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from websockets.sync.client import connect

from mockapigw import MockApiGateway
from mockapigw.server import Server

WAIT = 10


def over_socket(server: Server, region: str = "us-east-1") -> Any:
    return boto3.client("apigatewayv2", region_name=region, endpoint_url=server.url)


def test_boto3_at_server_url_shares_state_with_in_process(server: Server, v2: Any) -> None:
    remote = over_socket(server)
    created = remote.create_api(Name="through the server", ProtocolType="HTTP")
    assert created["ResponseMetadata"]["HTTPHeaders"]["server"].startswith("Python")  # answered over HTTP
    assert v2.get_api(ApiId=created["ApiId"])["Name"] == "through the server"
    local = v2.create_api(Name="in process", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    assert {item["ApiId"] for item in remote.get_apis()["Items"]} == {created["ApiId"], local["ApiId"]}
    with pytest.raises(remote.exceptions.NotFoundException):
        remote.get_api(ApiId="nope")
    exported = remote.export_api(ApiId=created["ApiId"], OutputType="JSON", Specification="OAS30")
    assert json.loads(exported["body"].read())["info"]["title"] == "through the server"


def test_answers_are_the_in_process_codec_bytes(apigw: MockApiGateway, server: Server, v2: Any) -> None:
    api_id = v2.create_api(Name="same bytes", ProtocolType="HTTP", Tags={"a": "b"})["ApiId"]
    for method, path in (("GET", f"/v2/apis/{api_id}"), ("GET", "/v2/apis/missing"), ("DELETE", "/v2/nowhere")):
        sent = requests.request(method, server.url + path, timeout=WAIT)
        direct = apigw.dispatcher.answer("apigatewayv2", method, f"http://local{path}", {}, b"", "us-east-1")
        assert sent.status_code == direct.status
        assert sent.content == direct.body
        for name, value in direct.headers.items():
            if name.lower() not in ("x-amzn-requestid", "x-amz-apigw-id", "date"):
                assert sent.headers[name] == value


def _signed(url: str, region: str, body: dict[str, Any]) -> requests.Response:
    request = AWSRequest("POST", url, data=json.dumps(body), headers={"Content-Type": "application/json"})
    SigV4Auth(Credentials("AKIDEXAMPLE", "secret"), "apigateway", region).add_auth(request)
    return requests.post(url, data=request.body, headers=dict(request.headers), timeout=WAIT)


def test_region_comes_from_the_signature_or_the_server(apigw: MockApiGateway) -> None:
    with apigw.serve(region="ap-south-1") as served:
        signed = _signed(served.url + "/v2/apis", "eu-west-2", {"name": "signed", "protocolType": "HTTP"})
        unsigned = requests.post(
            served.url + "/v2/apis", json={"name": "unsigned", "protocolType": "HTTP"}, timeout=WAIT
        )
    assert (signed.status_code, unsigned.status_code) == (201, 201)
    names = {
        region: [api["Name"] for api in boto3.client("apigatewayv2", region_name=region).get_apis()["Items"]]
        for region in ("eu-west-2", "ap-south-1", "us-east-1")
    }
    assert names == {"eu-west-2": ["signed"], "ap-south-1": ["unsigned"], "us-east-1": []}


def test_connections_errors_through_the_server(server: Server, chat: Any) -> None:
    client = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"{server.url}/_aws/execute-api/{chat.api_id}/prod",
    )
    with pytest.raises(client.exceptions.GoneException):
        client.post_to_connection(ConnectionId="AAAAAAAAAAAAAAA=", Data=b"x")
    with connect(f"{server.ws_url}/_aws/execute-api/{chat.api_id}/prod", open_timeout=WAIT) as socket:
        connection_id = chat.of_type("CONNECT")[0]["requestContext"]["connectionId"]
        with pytest.raises(client.exceptions.PayloadTooLargeException):
            client.post_to_connection(ConnectionId=connection_id, Data=b"x" * (128 * 1024 + 1))
        socket.close()
    wrong_stage = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"{server.url}/_aws/execute-api/{chat.api_id}/dev",
    )
    with pytest.raises(wrong_stage.exceptions.ForbiddenException):
        wrong_stage.post_to_connection(ConnectionId=connection_id, Data=b"x")
    host_form = requests.get(
        f"{server.url}/prod/@connections/{connection_id}",
        headers={"Host": f"{chat.api_id}.execute-api.localhost:{server.port}"},
        timeout=WAIT,
    )
    assert host_form.status_code == 410
    encoded = requests.get(  # curl's form in AWS's docs: the @ percent-encoded
        f"{server.url}/_aws/execute-api/{chat.api_id}/prod/%40connections/{connection_id.replace('=', '%3D')}",
        timeout=WAIT,
    )
    assert (encoded.status_code, encoded.content) == (410, host_form.content)


# --- the AWS CLI (awscli, in the test extra), run as a subprocess: signed requests from another process


def _aws() -> str:
    found = shutil.which("aws") or shutil.which("aws", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("the AWS CLI is not installed: pip install awscli (it is in mockapigw's test extra)")
    return found


def aws(*args: str) -> Any:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_PAGER": "",
    }
    done = subprocess.run([_aws(), *args], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def test_aws_cli_control_plane_and_connections(server: Server, apigw: MockApiGateway, chat: Any) -> None:
    created = aws(
        "--endpoint-url", server.url, "apigatewayv2", "create-api", "--name", "from-cli", "--protocol-type", "HTTP"
    )
    listed = aws("--endpoint-url", server.url, "apigatewayv2", "get-apis")
    assert created["ApiId"] in {api["ApiId"] for api in listed["Items"]}
    with connect(f"{server.ws_url}/_aws/execute-api/{chat.api_id}/prod", open_timeout=WAIT) as socket:
        connection_id = chat.of_type("CONNECT")[0]["requestContext"]["connectionId"]
        aws(
            "--endpoint-url",
            f"{server.url}/_aws/execute-api/{chat.api_id}/prod",
            "apigatewaymanagementapi",
            "post-to-connection",
            f"--connection-id={connection_id}",  # with "=": a connection id may start with "-"
            "--data",
            "hi from cli",
        )
        assert socket.recv(timeout=WAIT) == "hi from cli"
