"""Threads: an active mock is process-wide, as moto's is. It answers every thread, including threads started
before it and threads that the user's handlers start; once it stops, it answers none."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import requests
import requests.adapters
from botocore.exceptions import NoCredentialsError
from wsapi import WsApi

from mockapigw import MockApiGateway, mock_apigateway

REGION = "us-east-1"
FUNCTION = f"arn:aws:lambda:{REGION}:123456789012:function:threads"


def _in_thread(work: Any) -> Any:
    """Run *work* in a new thread; its result, or the exception it raised."""
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome[0]


def _http_api(gw: MockApiGateway, handler: Any) -> str:
    gw.register_lambda(FUNCTION, handler)
    client = boto3.client("apigatewayv2", region_name=REGION)
    return str(client.create_api(Name="threads", ProtocolType="HTTP", Target=FUNCTION)["ApiEndpoint"])


def test_every_thread_reaches_the_one_active_mock(apigw: MockApiGateway, no_network: list[Any]) -> None:
    url = _http_api(apigw, lambda event, context: threading.get_ident())

    def work(n: int) -> tuple[str, int, int]:
        client = boto3.client("apigatewayv2", region_name=REGION)  # made in this thread
        api = client.create_api(Name=f"from-thread-{n}", ProtocolType="HTTP")
        return api["ApiId"], int(requests.get(f"{url}/{n}").text), threading.get_ident()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(32)))
    names = {api["Name"] for api in boto3.client("apigatewayv2", region_name=REGION).get_apis()["Items"]}
    assert names == {"threads", *(f"from-thread-{n}" for n in range(32))}  # one state, shared by every thread
    assert all(handled_in == caller for _, handled_in, caller in results)  # a handler runs in the calling thread
    assert no_network == []


def test_a_thread_started_before_the_mock_is_answered_while_it_is_active(no_network: list[Any]) -> None:
    client = boto3.client("apigatewayv2", region_name=REGION)
    go, done = threading.Event(), threading.Event()
    seen: list[Any] = []

    def waiting() -> None:
        go.wait()
        seen.append(client.get_apis()["Items"])
        done.set()

    thread = threading.Thread(target=waiting)
    thread.start()
    with mock_apigateway():
        client.create_api(Name="made-in-main", ProtocolType="HTTP")
        go.set()
        done.wait(10)
    thread.join()
    assert [api["Name"] for api in seen[0]] == ["made-in-main"]
    assert no_network == []


def test_no_thread_is_answered_after_stop(no_network: list[Any]) -> None:
    with mock_apigateway() as gw:
        url = _http_api(gw, lambda event, context: "answered")
        assert _in_thread(lambda: requests.get(url).text) == "answered"
    client = boto3.client("apigatewayv2", region_name=REGION)
    assert isinstance(_in_thread(client.get_apis), NoCredentialsError)  # plain botocore again: it wants to sign
    # requests picks its ordinary transport again, which would go to the network.
    assert type(_in_thread(lambda: requests.Session().get_adapter(url))) is requests.adapters.HTTPAdapter
    assert no_network == []


def test_handlers_that_start_threads_reach_the_mock_from_them(apigw: MockApiGateway, no_network: list[Any]) -> None:
    inner_url = _http_api(apigw, lambda event, context: "inner")
    outer_function = f"arn:aws:lambda:{REGION}:123456789012:function:outer"

    def outer(event: dict[str, Any], context: Any) -> dict[str, Any]:
        client = boto3.client("apigatewayv2", region_name=REGION)
        with ThreadPoolExecutor(max_workers=2) as pool:
            names = pool.submit(lambda: [api["Name"] for api in client.get_apis()["Items"]])
            text = pool.submit(lambda: requests.get(inner_url + "/x").text)
            return {"names": sorted(names.result()), "inner": text.result()}

    apigw.register_lambda(outer_function, outer)
    v2 = boto3.client("apigatewayv2", region_name=REGION)
    outer_url = v2.create_api(Name="outer", ProtocolType="HTTP", Target=outer_function)["ApiEndpoint"]
    answer = _in_thread(lambda: requests.get(outer_url + "/go").json())
    assert answer == {"names": ["outer", "threads"], "inner": "inner"}
    assert no_network == []


def test_a_websocket_handler_posts_back_from_its_own_thread(ws: WsApi) -> None:
    management = ws.management()

    def echo_later(event: dict[str, Any], context: Any) -> dict[str, Any]:
        connection_id = event["requestContext"]["connectionId"]
        poster = threading.Thread(
            target=management.post_to_connection, kwargs={"ConnectionId": connection_id, "Data": b"from a thread"}
        )
        poster.start()
        poster.join()
        return {"statusCode": 200}

    ws.replies["$default"] = echo_later
    ws.route("$default")
    client = ws.gw.connect(ws.api_id, "prod")
    _in_thread(lambda: client.send("hello"))
    assert client.receive() == b"from a thread"


def test_websocket_clients_in_threads_share_the_mock(ws: WsApi) -> None:
    ws.replies["$default"] = {"statusCode": 200}
    ws.route("$default")

    def talk(n: int) -> str:
        client = ws.gw.connect(ws.api_id, "prod")
        client.send({"n": n})
        return client.connection_id

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(talk, range(16)))
    assert len(set(ids)) == 16
    assert len(ws.of_type("MESSAGE")) == 16
