"""Small helpers shared by several test modules."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from mockapigw import MockApiGateway

ROOT = Path(__file__).resolve().parent.parent
APP_LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"


def no_retry_v2() -> Any:
    """An apigatewayv2 client that makes one attempt: botocore retries 429s, which slows quota tests down."""
    return boto3.client("apigatewayv2", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))


def create_domain(v2: Any, name: str = "api.example.com", **config: Any) -> dict[str, Any]:
    """A custom domain name with one configuration using :data:`CERT`."""
    return dict(v2.create_domain_name(DomainName=name, DomainNameConfigurations=[{"CertificateArn": CERT, **config}]))


def with_stages(v2: Any, api: dict[str, Any], *stages: str) -> str:
    """Create *stages* on *api*; return its id."""
    for stage in stages:
        v2.create_stage(ApiId=api["ApiId"], StageName=stage)
    return str(api["ApiId"])


def run_module(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module *args`` from the repository root; assert it exits 0; return the finished process."""
    env = dict(os.environ, AWS_EC2_METADATA_DISABLED="true")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done


class App:
    """An HTTP API whose routes all call one recording handler."""

    def __init__(self, gw: MockApiGateway, v2: Any, *, version: str = "2.0", stage: str = "$default") -> None:
        self.gw, self.v2, self.stage = gw, v2, stage
        self.events: list[dict[str, Any]] = []
        self.reply: Callable[[dict[str, Any]], Any] = lambda event: {"statusCode": 200, "body": "ok"}
        self.api = v2.create_api(Name="app", ProtocolType="HTTP")
        self.api_id = self.api["ApiId"]
        self.integration = v2.create_integration(
            ApiId=self.api_id, IntegrationType="AWS_PROXY", IntegrationUri=APP_LAMBDA, PayloadFormatVersion=version
        )["IntegrationId"]
        gw.register_lambda(APP_LAMBDA, self._handle)
        v2.create_stage(ApiId=self.api_id, StageName=stage, AutoDeploy=True, StageVariables={"env": "test"})

    def _handle(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        return self.reply(event)

    def route(self, *keys: str, **extra: Any) -> None:
        for key in keys:
            self.v2.create_route(ApiId=self.api_id, RouteKey=key, Target=f"integrations/{self.integration}", **extra)

    def url(self, path: str) -> str:
        prefix = "" if self.stage == "$default" else f"/{self.stage}"
        return f"https://{self.api_id}.execute-api.us-east-1.amazonaws.com{prefix}{path}"
