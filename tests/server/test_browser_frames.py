"""Headless Chromium receives messages over 32 KB, which server mode sends in frames of at most 32 KB, whole: a text
message split inside UTF-8 characters and a binary one (see test_browser.py for how the page is driven)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import boto3
from test_browser import chromium, open_page, page_origin  # noqa: F401 - page_origin is a fixture

from mockapigw import MockApiGateway

FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:big"
TEXT = "✓" * (40 * 1024)  # 120 KB of UTF-8: four frames, whose boundaries fall inside characters
BINARY = b"\xff" + bytes(i % 256 for i in range(100 * 1024 - 1))  # not UTF-8: a binary message, four frames

PAGE = """<!doctype html>
<html>
<body>
<pre id="log"></pre>
<script>
  const log = (line) => { document.getElementById('log').textContent += line + '\\n'; };
  const socket = new WebSocket(new URLSearchParams(location.search).get('ws'));
  socket.binaryType = 'arraybuffer';
  const expected = '\\u2713'.repeat(40 * 1024);
  socket.onopen = () => socket.send(JSON.stringify({action: 'big'}));
  socket.onmessage = (event) => {
    if (typeof event.data === 'string') {
      log('text ' + event.data.length + ' ' + (event.data === expected));
      return;
    }
    const bytes = new Uint8Array(event.data);
    let same = bytes[0] === 255;
    for (let i = 1; i < bytes.length; i++) same = same && bytes[i] === (i - 1) % 256;
    log('binary ' + bytes.length + ' ' + same);
    socket.close(1000);
  };
  socket.onclose = (event) => log('closed ' + event.code);
</script>
</body>
</html>
"""


def test_chromium_reassembles_fragmented_text_and_binary_messages(
    apigw: MockApiGateway,
    v2: Any,
    page_origin: int,  # noqa: F811 - the fixture imported above
    tmp_path: Path,
) -> None:
    chromium()

    def big(event: dict[str, Any], context: Any) -> dict[str, Any]:
        request = event["requestContext"]
        management = boto3.client(
            "apigatewaymanagementapi",
            region_name="us-east-1",
            endpoint_url=f"https://{request['domainName']}/{request['stage']}",
        )
        management.post_to_connection(ConnectionId=request["connectionId"], Data=TEXT.encode())
        management.post_to_connection(ConnectionId=request["connectionId"], Data=BINARY)
        return {"statusCode": 200}

    apigw.register_lambda(FUNCTION, big)
    api_id = v2.create_api(Name="big", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")[
        "ApiId"
    ]
    integration = v2.create_integration(ApiId=api_id, IntegrationType="AWS_PROXY", IntegrationUri=FUNCTION)
    v2.create_route(ApiId=api_id, RouteKey="big", Target=f"integrations/{integration['IntegrationId']}")
    v2.create_stage(ApiId=api_id, StageName="prod", AutoDeploy=True)
    (tmp_path / "frames.html").write_text(PAGE, encoding="utf-8")

    with apigw.serve(host="127.0.0.1", port=0) as server:
        query = urlencode({"ws": f"{server.ws_url}/_aws/execute-api/{api_id}/prod"})
        lines = open_page(f"http://127.0.0.1:{page_origin}/frames.html?{query}", tmp_path / "profile", "closed")

    assert lines == [f"text {len(TEXT)} true", f"binary {len(BINARY)} true", "closed 1000"], lines
