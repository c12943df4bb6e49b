"""Create an HTTP API and a WebSocket API under the mock and print what boto3 returned."""

from __future__ import annotations

import os
import pprint

import boto3

from mockapigw import mock_apigateway

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")


def main() -> None:
    with mock_apigateway():
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        http_api = client.create_api(Name="orders", ProtocolType="HTTP", Tags={"team": "shop"})
        ws_api = client.create_api(
            Name="chat", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action"
        )
        for created in (http_api, ws_api):
            created.pop("ResponseMetadata")
            pprint.pprint(created)
        print("APIs:", [api["Name"] for api in client.get_apis()["Items"]])


if __name__ == "__main__":
    main()
