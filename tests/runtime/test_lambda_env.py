"""Handlers run with the environment and context Lambda's Python runtime gives them."""

from __future__ import annotations

import os
import re
import threading
from typing import Any

import boto3
import pytest
import requests

from mockapigw import MockApiGateway
from mockapigw.runtime.lambda_env import lambda_environment

FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:orders"
VARIABLES = (
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_LAMBDA_FUNCTION_VERSION",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
    "AWS_LAMBDA_LOG_GROUP_NAME",
    "AWS_LAMBDA_LOG_STREAM_NAME",
)


def _http_api(v2: Any, target: str = FUNCTION) -> str:
    return str(v2.create_api(Name="env", ProtocolType="HTTP", Target=target)["ApiEndpoint"])


@pytest.fixture
def eu_v2(apigw: MockApiGateway) -> Any:
    return boto3.client("apigatewayv2", region_name="eu-west-1")


def test_a_boto3_client_without_region_gets_the_functions_region(
    apigw: MockApiGateway, eu_v2: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    monkeypatch.delenv("AWS_REGION", raising=False)

    def handler(event: Any, context: Any) -> Any:
        return {"region": boto3.client("sqs").meta.region_name}

    apigw.register_lambda(FUNCTION, handler)
    assert requests.get(_http_api(eu_v2) + "/").json() == {"region": "eu-west-1"}
    assert "AWS_REGION" not in os.environ and "AWS_DEFAULT_REGION" not in os.environ  # put back as it was


def test_a_function_runs_in_its_own_region(apigw: MockApiGateway, eu_v2: Any) -> None:
    elsewhere = "arn:aws:lambda:us-east-2:123456789012:function:orders"
    apigw.register_lambda("orders", lambda event, context: [os.environ["AWS_REGION"], context.invoked_function_arn])
    assert requests.get(_http_api(eu_v2, target=elsewhere) + "/").json() == ["us-east-2", elsewhere]
    assert apigw.invocations[0].function_arn == elsewhere


def test_the_environment_and_context_match_the_runtime(
    apigw: MockApiGateway, eu_v2: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-west-2")
    seen: dict[str, Any] = {}

    def handler(event: Any, context: Any) -> Any:
        seen.update({name: os.environ.get(name) for name in VARIABLES})
        seen["context"] = context
        seen["remaining"] = context.get_remaining_time_in_millis()
        return "ok"

    apigw.register_lambda(FUNCTION, handler)
    requests.get(_http_api(eu_v2) + "/")
    context = seen["context"]
    assert (seen["AWS_REGION"], seen["AWS_DEFAULT_REGION"]) == ("eu-west-1", "eu-west-1")
    assert seen["AWS_LAMBDA_FUNCTION_NAME"] == context.function_name == "orders"
    assert seen["AWS_LAMBDA_FUNCTION_VERSION"] == context.function_version == "$LATEST"
    assert seen["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] == context.memory_limit_in_mb == "128"
    assert seen["AWS_LAMBDA_LOG_GROUP_NAME"] == context.log_group_name == "/aws/lambda/orders"
    assert seen["AWS_LAMBDA_LOG_STREAM_NAME"] == context.log_stream_name
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", context.log_stream_name)
    assert context.invoked_function_arn == FUNCTION
    assert re.fullmatch(r"[0-9a-f-]{36}", context.aws_request_id)
    assert context.identity.cognito_identity_id is None and context.identity.cognito_identity_pool_id is None
    assert context.client_context is None
    assert 29000 < seen["remaining"] <= 30000  # the HTTP integration's default timeout
    assert os.environ["AWS_REGION"] == "us-west-2"  # the test's own value is back


def test_the_environment_is_restored_when_the_handler_raises(apigw: MockApiGateway, eu_v2: Any) -> None:
    before = {name: os.environ.get(name) for name in VARIABLES}

    def handler(event: Any, context: Any) -> Any:
        raise RuntimeError("bug")

    apigw.register_lambda(FUNCTION, handler)
    with pytest.raises(RuntimeError):
        requests.get(_http_api(eu_v2) + "/")
    assert {name: os.environ.get(name) for name in VARIABLES} == before


def test_nested_invocations_see_their_own_function(apigw: MockApiGateway, eu_v2: Any) -> None:
    inner = "arn:aws:lambda:eu-west-1:123456789012:function:inner"
    inner_endpoint = _http_api(eu_v2, target=inner)
    apigw.register_lambda(inner, lambda event, context: os.environ["AWS_LAMBDA_FUNCTION_NAME"])

    def outer(event: Any, context: Any) -> Any:
        nested = requests.get(inner_endpoint + "/").text
        return [nested, os.environ["AWS_LAMBDA_FUNCTION_NAME"]]

    apigw.register_lambda(FUNCTION, outer)
    assert requests.get(_http_api(eu_v2) + "/").json() == ["inner", "orders"]


def test_threads_share_os_environ_and_restore_it_when_the_last_handler_ends() -> None:
    first_in = threading.Event()
    second_done = threading.Event()
    seen: dict[str, str | None] = {}
    before = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")

    def first() -> None:
        with lambda_environment({"AWS_LAMBDA_FUNCTION_NAME": "first"}):
            first_in.set()
            second_done.wait(5)
            seen["first after second"] = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")

    def second() -> None:
        first_in.wait(5)
        with lambda_environment({"AWS_LAMBDA_FUNCTION_NAME": "second"}):
            seen["second"] = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    # the most recently started handler still running decides; the first gets its values back
    assert seen == {"second": "second", "first after second": "first"}
    assert os.environ.get("AWS_LAMBDA_FUNCTION_NAME") == before


def test_handlers_in_many_threads_leave_the_environment_as_it_was(apigw: MockApiGateway, eu_v2: Any) -> None:
    before = {name: os.environ.get(name) for name in VARIABLES}
    endpoint = _http_api(eu_v2)
    apigw.register_lambda(FUNCTION, lambda event, context: os.environ["AWS_REGION"])
    results: list[str] = []

    def call() -> None:
        for _ in range(20):
            results.append(requests.get(endpoint + "/").text)

    threads = [threading.Thread(target=call) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == ["eu-west-1"] * 80
    assert {name: os.environ.get(name) for name in VARIABLES} == before
    assert len(apigw.invocations) == 80


def test_a_variable_that_holds_its_value_already_is_still_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # Such a variable is not set again; whatever a handler does to it, it is what it was afterwards.
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    variables = {"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "eu-west-1", "AWS_LAMBDA_FUNCTION_NAME": "f"}
    with lambda_environment(variables):
        assert {name: os.environ.get(name) for name in variables} == variables
        os.environ["AWS_REGION"] = "us-east-2"
        del os.environ["AWS_DEFAULT_REGION"]
    assert (os.environ["AWS_REGION"], os.environ["AWS_DEFAULT_REGION"]) == ("eu-west-1", "eu-west-1")
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ
    with lambda_environment(variables):
        pass
    assert (os.environ["AWS_REGION"], os.environ["AWS_DEFAULT_REGION"]) == ("eu-west-1", "eu-west-1")


def test_a_handler_that_changes_its_variables_gets_them_back_when_a_later_one_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("AWS_LAMBDA_FUNCTION_NAME", raising=False)
    variables = {"AWS_LAMBDA_FUNCTION_NAME": "f"}
    with lambda_environment(variables):
        with lambda_environment(variables):  # the same function, nested
            os.environ["AWS_LAMBDA_FUNCTION_NAME"] = "changed"
        assert os.environ["AWS_LAMBDA_FUNCTION_NAME"] == "f"
        os.environ["AWS_LAMBDA_FUNCTION_NAME"] = "changed"
        with lambda_environment(variables):
            assert os.environ["AWS_LAMBDA_FUNCTION_NAME"] == "f"
    assert "AWS_LAMBDA_FUNCTION_NAME" not in os.environ
