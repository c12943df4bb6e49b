"""Interception: which clients are hooked, when, and that nothing leaves the process."""

from __future__ import annotations

import threading
from typing import Any

import boto3
import pytest
from botocore.exceptions import HTTPClientError, NoCredentialsError
from moto import mock_aws

from mockapigw import MockApiGateway, UnsupportedOperation, mock_apigateway
from mockapigw.core.interception import CALL_ID, SEND_ID, SIGNER_ID


def _unique_ids(client: Any) -> set[str]:
    return set(client.meta.events._emitter._unique_id_handlers)


def test_client_created_before_start_is_intercepted_and_restored_after_stop(no_network: list[Any]) -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)
    with mock_apigateway():
        assert {CALL_ID, SEND_ID, SIGNER_ID} <= _unique_ids(client)
        assert client.create_api(Name="a", ProtocolType="HTTP")["ApiId"]
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)
    # Back to plain botocore: it wants to sign, and there are no credentials in the test environment.
    with pytest.raises(NoCredentialsError):
        client.get_apis()
    assert no_network == []


def test_client_created_while_active_is_intercepted(no_network: list[Any]) -> None:
    with mock_apigateway():
        client = boto3.Session(region_name="eu-west-1").client("apigatewayv2")
        assert client.get_apis()["Items"] == []
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)


def test_no_socket_and_no_credentials_needed(no_network: list[Any]) -> None:
    with mock_apigateway():
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        api = client.create_api(Name="a", ProtocolType="HTTP")
        client.get_api(ApiId=api["ApiId"])
        client.delete_api(ApiId=api["ApiId"])
    assert no_network == []


def test_other_services_are_untouched(no_network: list[Any]) -> None:
    with mock_apigateway():
        s3 = boto3.client("s3", region_name="us-east-1")
        assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(s3)
        with pytest.raises(NoCredentialsError):
            s3.list_buckets()


def test_custom_endpoint_url_is_still_served_in_process(no_network: list[Any]) -> None:
    with mock_apigateway():
        client = boto3.client("apigatewayv2", region_name="us-east-1", endpoint_url="http://localhost:4566/prefix")
        api = client.create_api(Name="a", ProtocolType="HTTP")
        assert client.get_api(ApiId=api["ApiId"])["Name"] == "a"
    assert no_network == []


def test_unimplemented_operation_names_itself_and_never_reaches_the_network(
    no_network: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockapigw.apigatewayv2.table import OPERATIONS

    # Every model operation is implemented: one taken out of the table stands for one a newer botocore adds.
    monkeypatch.delitem(OPERATIONS, "GetPortal")
    with mock_apigateway():
        client = boto3.client("apigatewayv2", region_name="us-east-1")
        with pytest.raises(UnsupportedOperation, match="apigatewayv2 GetPortal: it is newer") as info:
            client.get_portal(PortalId="abc")
        assert isinstance(info.value, NotImplementedError)
        assert info.value.operation == "GetPortal"
    assert no_network == []


def test_request_id_is_in_response_metadata(v2: Any) -> None:
    response = v2.get_apis()
    request_id = response["ResponseMetadata"]["RequestId"]
    assert len(request_id) == 36
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-requestid"] == request_id


def test_nested_mocks_have_separate_state_and_outer_serves_again() -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    with mock_apigateway():
        outer = client.create_api(Name="outer", ProtocolType="HTTP")
        with mock_apigateway():
            assert client.get_apis()["Items"] == []
            client.create_api(Name="inner", ProtocolType="HTTP")
        assert [a["Name"] for a in client.get_apis()["Items"]] == ["outer"]
        assert client.get_api(ApiId=outer["ApiId"])["Name"] == "outer"
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)


def test_overlapping_mocks_stop_in_any_order() -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    first, second = MockApiGateway(), MockApiGateway()
    first.start()
    client.create_api(Name="first", ProtocolType="HTTP")
    second.start()
    client.create_api(Name="second", ProtocolType="HTTP")
    first.stop()
    assert [a["Name"] for a in client.get_apis()["Items"]] == ["second"]
    assert {CALL_ID, SEND_ID, SIGNER_ID} <= _unique_ids(client)
    second.stop()
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)


def test_stop_restores_botocore_when_the_block_raises() -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1")
    def fail_inside() -> None:
        with mock_apigateway():
            client.get_apis()
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        fail_inside()
    assert not {CALL_ID, SEND_ID, SIGNER_ID} & _unique_ids(client)
    with pytest.raises(NoCredentialsError):
        client.get_apis()


def test_region_comes_from_the_client(monkeypatch: pytest.MonkeyPatch, apigw: MockApiGateway) -> None:
    dublin = boto3.client("apigatewayv2", region_name="eu-west-1")
    api = dublin.create_api(Name="a", ProtocolType="HTTP")
    assert api["ApiEndpoint"].endswith(".execute-api.eu-west-1.amazonaws.com")
    virginia = boto3.client("apigatewayv2", region_name="us-east-1")
    with pytest.raises(virginia.exceptions.NotFoundException):
        virginia.get_api(ApiId=api["ApiId"])
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    from_env = boto3.client("apigatewayv2")
    assert from_env.get_api(ApiId=api["ApiId"])["Name"] == "a"


def test_concurrent_calls_from_threads_lose_nothing(v2: Any) -> None:
    errors: list[BaseException] = []

    def create(index: int) -> None:
        try:
            for n in range(20):
                v2.create_api(Name=f"t{index}-{n}", ProtocolType="HTTP")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    names = [api["Name"] for api in v2.get_apis()["Items"]]
    assert len(names) == len(set(names)) == 160


# ---------------------------------------------------------------------------------------------- unsendable URLs

WSS_ENDPOINT = "wss://abcdef1234.execute-api.us-east-1.amazonaws.com/prod"


def _wss_failure(call: str) -> tuple[type[BaseException], str, type[BaseException], str]:
    """What a management client with a wss:// endpoint raises: class, message, and the wrapped urllib3 error."""
    client = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=WSS_ENDPOINT,
        aws_access_key_id="testing",  # outside the mock botocore signs first: let it get as far as sending
        aws_secret_access_key="testing",
    )
    arguments: dict[str, Any] = {"ConnectionId": "L0SM9cOFvHcCIhw="}
    if call == "post_to_connection":
        arguments["Data"] = b"hello"
    with pytest.raises(HTTPClientError) as caught:
        getattr(client, call)(**arguments)
    wrapped = caught.value.kwargs["error"]
    return type(caught.value), str(caught.value), type(wrapped), str(wrapped)


@pytest.mark.parametrize("call", ["post_to_connection", "get_connection", "delete_connection"])
def test_a_wss_management_endpoint_fails_under_the_mock_exactly_as_outside_it(
    call: str, no_network: list[Any]
) -> None:
    outside = _wss_failure(call)
    assert outside[1] == "An HTTP Client raised an unhandled exception: Not supported URL scheme wss"
    with mock_apigateway():
        assert _wss_failure(call) == outside
    with mock_aws(), mock_apigateway():
        assert _wss_failure(call) == outside
    assert no_network == []


def test_an_uppercase_https_endpoint_is_still_served(apigw: MockApiGateway, no_network: list[Any]) -> None:
    client = boto3.client("apigatewayv2", region_name="us-east-1", endpoint_url="HTTPS://apigateway.example")
    assert client.get_apis()["Items"] == []
    assert no_network == []
