"""The AWS CLI snippets of docs/server-mode.md, run against a server (the Python ones run in tests/test_docs.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from mockapigw import MockApiGateway
from mockapigw.server import Server

PAGE = Path(__file__).resolve().parents[2] / "docs" / "server-mode.md"
DOCUMENTED_URL = "http://127.0.0.1:4510"
WAIT = 10
RECORD = "arn:aws:lambda:us-east-1:123456789012:function:record"


def shell_blocks() -> list[str]:
    """The ``sh`` blocks of the page that call the AWS CLI, in order."""
    blocks = re.findall(r"^```sh\n(.*?)^```", PAGE.read_text(encoding="utf-8"), flags=re.M | re.S)
    return [block for block in blocks if "aws --endpoint-url" in block]


def run(script: str, server: Server, **env: str) -> str:
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    bin_dir = str(Path(sys.executable).parent)
    if shutil.which("aws", path=os.pathsep.join([bin_dir, os.environ.get("PATH", "")])) is None:
        pytest.skip("the AWS CLI is not installed: pip install awscli (it is in mockapigw's test extra)")
    environment = {**os.environ, **env, "PATH": os.pathsep.join([bin_dir, os.environ.get("PATH", "")]), "AWS_PAGER": ""}
    done = subprocess.run(
        ["bash", "-c", "set -euo pipefail\n" + script.replace(DOCUMENTED_URL, server.url)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_aws_cli_snippets_run(apigw: MockApiGateway, server: Server, v2: Any) -> None:
    setup, connections = shell_blocks()
    out = run(setup + '\necho "API_ID=$API_ID"\n', server)
    api_id = re.search(r"API_ID=(\w+)", out).group(1)  # type: ignore[union-attr]
    assert '"chat"' in out  # get-apis --query 'Items[].Name'
    assert v2.get_stages(ApiId=api_id)["Items"][0]["StageName"] == "prod"

    seen: list[str] = []
    apigw.register_lambda(RECORD, lambda event, context: seen.append(event["requestContext"]["connectionId"]))
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=RECORD)
    v2.create_route(ApiId=api_id, RouteKey="$connect", Target=f"integrations/{integration['IntegrationId']}")
    with connect(f"{server.ws_url}/_aws/execute-api/{api_id}/prod", open_timeout=WAIT) as socket:
        variables = {"ENDPOINT": server.url, "API_ID": api_id, "CONNECTION_ID": seen[0]}
        variables |= {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        out = run(connections, server, AWS_DEFAULT_REGION="us-east-1", **variables)
        assert socket.recv(timeout=WAIT) == "Hello from the AWS CLI"
    assert '"SourceIp": "127.0.0.1"' in out
