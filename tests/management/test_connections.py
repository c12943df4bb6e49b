"""@connections (apigatewaymanagementapi) against real simulated connections."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import boto3
import pytest
from botocore.config import Config
from freezegun import freeze_time
from wsapi import WsApi, unread

from mockapigw import MockApiGatewayWarning


def _client(endpoint: str, **config: Any) -> Any:
    return boto3.client(
        "apigatewaymanagementapi", region_name="us-east-1", endpoint_url=endpoint, config=Config(**config)
    )


def test_post_delivers_bytes_and_text(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = ws.management()
    response = mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"\x00binary")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data="héllo")
    assert client.received == [b"\x00binary", "héllo".encode()]


def test_payload_limit_is_128_kib(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = ws.management()
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x" * 131072)
    with pytest.raises(mgmt.exceptions.PayloadTooLargeException) as info:
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x" * 131073)
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 413
    assert "131072" in info.value.response["Error"]["Message"]
    assert len(client.received) == 1


def test_never_existing_connection_is_gone_with_an_empty_body(ws: WsApi) -> None:
    mgmt = ws.management()
    for call in (mgmt.post_to_connection, mgmt.get_connection, mgmt.delete_connection):
        kwargs: dict[str, Any] = {"ConnectionId": "L0SM9cOFvHcCIhw="}
        if call == mgmt.post_to_connection:
            kwargs["Data"] = b"x"
        with pytest.raises(mgmt.exceptions.GoneException) as info:
            call(**kwargs)
        assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 410
        assert info.value.response["Error"]["Message"] == ""


def test_closed_connection_is_gone(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    client.close()
    mgmt = ws.management()
    with pytest.raises(mgmt.exceptions.GoneException):
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")


def test_connection_of_another_stage_is_gone(ws: WsApi) -> None:
    ws.v2.create_stage(ApiId=ws.api_id, StageName="dev")
    ws.v2.create_deployment(ApiId=ws.api_id, StageName="dev")
    client = ws.gw.connect(ws.api_id, "dev")
    mgmt = ws.management()  # the prod endpoint
    hint = f"open on stage 'dev' of WebSocket API {ws.api_id}, but the client's endpoint addresses stage 'prod'"
    with pytest.raises(mgmt.exceptions.GoneException) as info, pytest.warns(MockApiGatewayWarning, match=hint):
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert info.value.response["Error"]["Message"] == ""  # AWS's answer is unchanged: the hint is a warning


def test_connection_of_another_api_is_gone_with_a_hint_naming_both(ws: WsApi) -> None:
    other = ws.v2.create_api(Name="notify", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    ws.v2.create_stage(ApiId=other["ApiId"], StageName="prod")
    client = ws.gw.connect(ws.api_id, "prod")
    wrong = _client(f"https://{other['ApiId']}.execute-api.us-east-1.amazonaws.com/prod")
    hint = f"stage 'prod' of WebSocket API {ws.api_id}, but the client's endpoint addresses stage 'prod' of API " + (
        other["ApiId"]
    )
    for call in (wrong.post_to_connection, wrong.get_connection, wrong.delete_connection):
        kwargs: dict[str, Any] = {"ConnectionId": client.connection_id}
        if call == wrong.post_to_connection:
            kwargs["Data"] = b"x"
        with pytest.raises(wrong.exceptions.GoneException), pytest.warns(MockApiGatewayWarning, match=hint):
            call(**kwargs)
    assert client.connected and client.received == []


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://{api}.execute-api.us-east-1.amazonaws.com",  # no stage
        "https://{api}.execute-api.us-east-1.amazonaws.com/nostage",
        "https://abcdefghij.execute-api.us-east-1.amazonaws.com/prod",  # no such API
        "https://execute-api.us-east-1.amazonaws.com",  # boto3's default endpoint has no API id
        "https://unknown.example.com/prod",
    ],
)
def test_wrong_endpoint_is_forbidden(ws: WsApi, endpoint: str) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = _client(endpoint.format(api=ws.api_id))
    with pytest.raises(mgmt.exceptions.ForbiddenException) as info:
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert info.value.response["Error"]["Message"] == "Forbidden"


def test_default_endpoint_without_endpoint_url_is_forbidden(ws: WsApi) -> None:
    mgmt = boto3.client("apigatewaymanagementapi", region_name="us-east-1")
    with pytest.raises(mgmt.exceptions.ForbiddenException):
        mgmt.get_connection(ConnectionId="L0SM9cOFvHcCIhw=")


def test_http_api_endpoint_is_forbidden(apigw: Any, http_api: dict[str, Any]) -> None:
    mgmt = _client(f"https://{http_api['ApiId']}.execute-api.us-east-1.amazonaws.com/$default")
    with pytest.raises(mgmt.exceptions.ForbiddenException):
        mgmt.get_connection(ConnectionId="L0SM9cOFvHcCIhw=")


def test_malformed_connection_id_is_a_bad_request(ws: WsApi) -> None:
    mgmt = ws.management()
    with pytest.raises(mgmt.exceptions.ClientError) as info:
        mgmt.get_connection(ConnectionId="not an id!")
    assert info.value.response["Error"]["Code"] == "BadRequestException"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_custom_domain_with_an_api_mapping(ws: WsApi) -> None:
    ws.v2.create_domain_name(
        DomainName="ws.example.com",
        DomainNameConfigurations=[{"CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc"}],
    )
    ws.v2.create_api_mapping(DomainName="ws.example.com", ApiId=ws.api_id, Stage="prod", ApiMappingKey="chat")
    client = ws.gw.connect(ws.api_id, "prod")
    _client("https://ws.example.com/chat").post_to_connection(ConnectionId=client.connection_id, Data=b"via domain")
    assert client.receive() == b"via domain"
    wrong = _client("https://ws.example.com/other")
    with pytest.raises(wrong.exceptions.ForbiddenException):
        wrong.post_to_connection(ConnectionId=client.connection_id, Data=b"x")


def test_posting_while_connect_runs_is_gone(ws: WsApi) -> None:
    outcome: list[str] = []

    def post_during_connect(event: dict[str, Any], context: Any) -> dict[str, Any]:
        mgmt = _client(f"https://{event['requestContext']['domainName']}/{event['requestContext']['stage']}")
        try:
            mgmt.post_to_connection(ConnectionId=event["requestContext"]["connectionId"], Data=b"too early")
        except mgmt.exceptions.GoneException:
            outcome.append("gone")
        return {"statusCode": 200}

    ws.replies["$connect"] = post_during_connect
    client = ws.gw.connect(ws.api_id, "prod")
    assert outcome == ["gone"]
    assert client.received == []


def test_full_client_buffer_is_limit_exceeded(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    client.max_unread_bytes = 10
    assert client.max_unread_bytes == 10
    # botocore retries 429s; a test that expects one turns retries off.
    mgmt = _client(f"https://{ws.api_id}.execute-api.us-east-1.amazonaws.com/prod", retries={"total_max_attempts": 1})
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"0123456789")
    with pytest.raises(mgmt.exceptions.LimitExceededException) as info:
        mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    client.receive()
    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")


def test_get_connection_reports_identity_and_activity(ws: WsApi) -> None:
    ws.route("$default")
    with freeze_time("2026-03-01 10:00:00.123") as frozen:
        client = ws.gw.connect(ws.api_id, "prod", source_ip="198.51.100.7", user_agent="ua/1")
        frozen.tick(dt.timedelta(seconds=5))
        client.send("activity")
        frozen.tick(dt.timedelta(seconds=5))
        info = ws.management().get_connection(ConnectionId=client.connection_id)
    assert info["ConnectedAt"] == dt.datetime(2026, 3, 1, 10, 0, 0, 123000, tzinfo=dt.timezone.utc)
    assert info["LastActiveAt"] == dt.datetime(2026, 3, 1, 10, 0, 5, 123000, tzinfo=dt.timezone.utc)
    assert info["Identity"] == {"SourceIp": "198.51.100.7", "UserAgent": "ua/1"}


def test_get_connection_leaves_out_the_user_agent_of_a_client_that_sent_none(ws: WsApi) -> None:
    # As in AWS's own get-connection example (aws-facts.md §7), although the model marks UserAgent required.
    client = ws.gw.connect(ws.api_id, "prod", source_ip="198.51.100.7", user_agent=None)
    info = ws.management().get_connection(ConnectionId=client.connection_id)
    assert info["Identity"] == {"SourceIp": "198.51.100.7"}


def test_idle_connection_is_gone_for_the_management_api(ws: WsApi) -> None:
    with freeze_time("2026-03-01 10:00:00") as frozen:
        client = ws.gw.connect(ws.api_id, "prod")
        frozen.tick(dt.timedelta(minutes=10))
        mgmt = ws.management()
        with pytest.raises(mgmt.exceptions.GoneException):
            mgmt.post_to_connection(ConnectionId=client.connection_id, Data=b"x")
    assert client.close_code == 1001
    assert len(ws.of_type("DISCONNECT")) == 1


def test_delete_connection_closes_and_runs_disconnect(ws: WsApi) -> None:
    client = ws.gw.connect(ws.api_id, "prod")
    mgmt = ws.management()
    response = mgmt.delete_connection(ConnectionId=client.connection_id)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert not client.connected
    assert client.close_code == 1000
    assert len(ws.of_type("DISCONNECT")) == 1
    with pytest.raises(mgmt.exceptions.GoneException):
        mgmt.delete_connection(ConnectionId=client.connection_id)


def test_concurrent_posts_lose_nothing(ws: WsApi) -> None:
    clients = [ws.gw.connect(ws.api_id, "prod") for _ in range(4)]
    errors: list[BaseException] = []

    def post(worker: int) -> None:
        mgmt = ws.management()
        try:
            for n in range(50):
                for client in clients:
                    mgmt.post_to_connection(ConnectionId=client.connection_id, Data=f"{worker}:{n}".encode())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    expected = sorted(f"{w}:{n}".encode() for w in range(8) for n in range(50))
    for client in clients:
        assert sorted(client.received) == expected
        assert sorted(unread(client)) == expected
