"""Integration responses of WebSocket integrations: keys, uniqueness, pagination, update, delete, cascades."""

from __future__ import annotations

import re
from typing import Any

import pytest

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import deployments

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:my-function"


@pytest.fixture
def integration(v2: Any, ws_api: dict[str, Any]) -> dict[str, Any]:
    """A MOCK integration of a WebSocket API, with its ApiId."""
    created = v2.create_integration(ApiId=ws_api["ApiId"], IntegrationType="MOCK")
    return {"ApiId": ws_api["ApiId"], "IntegrationId": created["IntegrationId"]}


def _create(v2: Any, ids: dict[str, Any], key: str = "$default", **extra: Any) -> dict[str, Any]:
    return dict(v2.create_integration_response(**ids, IntegrationResponseKey=key, **extra))


def _body(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def test_create_default_response(v2: Any, integration: dict[str, Any]) -> None:
    created = _create(v2, integration)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{6}", created["IntegrationResponseId"])
    assert _body(created) == {
        "IntegrationResponseId": created["IntegrationResponseId"],
        "IntegrationResponseKey": "$default",
    }


def test_create_with_every_member(v2: Any, integration: dict[str, Any]) -> None:
    members = {
        "ContentHandlingStrategy": "CONVERT_TO_BINARY",
        "ResponseParameters": {"method.response.header.x-id": "integration.response.header.x-id"},
        "ResponseTemplates": {"$default": '{"ok": true}'},
        "TemplateSelectionExpression": "\\$default",
    }
    created = _create(v2, integration, "/2\\d\\d/", **members)
    fetched = v2.get_integration_response(**integration, IntegrationResponseId=created["IntegrationResponseId"])
    assert _body(fetched) == {
        **members, "IntegrationResponseId": created["IntegrationResponseId"], "IntegrationResponseKey": "/2\\d\\d/",
    }


@pytest.mark.parametrize("key", ["200", "default", "/2\\d\\d", "//", "$other"])
def test_key_must_be_default_or_a_regex(v2: Any, integration: dict[str, Any], key: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        _create(v2, integration, key)
    assert info.value.response["Error"]["Message"] == (
        f"The provided integration response key is not formatted properly: {key}. "
        "Use $default or a regular expression between slashes, like /2\\d\\d/."
    )


def test_key_regex_must_compile(v2: Any, integration: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match=r"not a valid regular expression: /\(4\\d\\d/"):
        _create(v2, integration, "/(4\\d\\d/")


def test_one_response_per_key(v2: Any, integration: dict[str, Any]) -> None:
    _create(v2, integration, "/4\\d\\d/")
    with pytest.raises(v2.exceptions.ConflictException) as info:
        _create(v2, integration, "/4\\d\\d/")
    assert info.value.response["Error"]["Message"] == (
        "Integration response with key /4\\d\\d/ already exists for this integration"
    )
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert len(v2.get_integration_responses(**integration)["Items"]) == 1


def test_same_key_on_two_integrations(v2: Any, ws_api: dict[str, Any], integration: dict[str, Any]) -> None:
    other = v2.create_integration(ApiId=ws_api["ApiId"], IntegrationType="MOCK")
    _create(v2, integration)
    _create(v2, {"ApiId": ws_api["ApiId"], "IntegrationId": other["IntegrationId"]})
    assert len(v2.get_integration_responses(**integration)["Items"]) == 1


def test_response_parameter_keys(v2: Any, integration: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid response parameter key specified: x-id"):
        _create(v2, integration, ResponseParameters={"x-id": "'1'"})


def test_http_apis_accept_integration_responses(v2: Any, http_api: dict[str, Any]) -> None:
    # Documented for WebSocket APIs, but AWS is not known to refuse them on HTTP APIs (aws-behaviour.md §9.3).
    created = v2.create_integration(
        ApiId=http_api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA, PayloadFormatVersion="2.0"
    )
    ids = {"ApiId": http_api["ApiId"], "IntegrationId": created["IntegrationId"]}
    response = _create(v2, ids)
    assert [r["IntegrationResponseId"] for r in v2.get_integration_responses(**ids)["Items"]] == [
        response["IntegrationResponseId"]
    ]


def test_proxy_integrations_accept_responses(v2: Any, ws_api: dict[str, Any]) -> None:
    created = v2.create_integration(ApiId=ws_api["ApiId"], IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA)
    response = _create(v2, {"ApiId": ws_api["ApiId"], "IntegrationId": created["IntegrationId"]})
    assert response["IntegrationResponseKey"] == "$default"


def test_missing_parents_and_children(v2: Any, ws_api: dict[str, Any], integration: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified 123456789012:nope"):
        _create(v2, {"ApiId": "nope", "IntegrationId": integration["IntegrationId"]})
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        _create(v2, {"ApiId": ws_api["ApiId"], "IntegrationId": "nothere"})
    assert info.value.response["Error"]["Message"] == "Invalid Integration identifier specified nothere"
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_integration_response(**integration, IntegrationResponseId="abcdef")
    assert info.value.response["Error"]["Message"] == "Invalid IntegrationResponse identifier specified abcdef"
    for call in (v2.update_integration_response, v2.delete_integration_response):
        with pytest.raises(v2.exceptions.NotFoundException, match="Invalid IntegrationResponse identifier"):
            call(**integration, IntegrationResponseId="abcdef")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Integration identifier"):
        v2.get_integration_responses(ApiId=ws_api["ApiId"], IntegrationId="nothere")


def test_responses_of_another_integration_are_not_found(
    v2: Any, ws_api: dict[str, Any], integration: dict[str, Any]
) -> None:
    other = v2.create_integration(ApiId=ws_api["ApiId"], IntegrationType="MOCK")
    created = _create(v2, integration)
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_integration_response(
            ApiId=ws_api["ApiId"], IntegrationId=other["IntegrationId"],
            IntegrationResponseId=created["IntegrationResponseId"],
        )


def test_list_and_paginate(v2: Any, integration: dict[str, Any]) -> None:
    keys = ["$default", "/2\\d\\d/", "/4\\d\\d/", "/5\\d\\d/", "/3\\d\\d/"]
    created = [_create(v2, integration, key)["IntegrationResponseId"] for key in keys]
    everything = v2.get_integration_responses(**integration)
    assert [r["IntegrationResponseKey"] for r in everything["Items"]] == keys
    assert "NextToken" not in everything
    first = v2.get_integration_responses(**integration, MaxResults="2")
    assert [r["IntegrationResponseId"] for r in first["Items"]] == created[:2]
    rest = v2.get_integration_responses(**integration, MaxResults="10", NextToken=first["NextToken"])
    assert [r["IntegrationResponseId"] for r in rest["Items"]] == created[2:]
    paginator = v2.get_paginator("get_integration_responses")
    pages = list(paginator.paginate(**integration, PaginationConfig={"PageSize": 2}))
    assert [len(p["Items"]) for p in pages] == [2, 2, 1]
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults"):
        v2.get_integration_responses(**integration, MaxResults="0")


def test_update(v2: Any, integration: dict[str, Any]) -> None:
    created = _create(v2, integration, "/2\\d\\d/", TemplateSelectionExpression="a")
    ids = {**integration, "IntegrationResponseId": created["IntegrationResponseId"]}
    updated = v2.update_integration_response(
        **ids, IntegrationResponseKey="$default", ResponseTemplates={"$default": "{}"}
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _body(updated) == {
        "IntegrationResponseId": created["IntegrationResponseId"],
        "IntegrationResponseKey": "$default",
        "ResponseTemplates": {"$default": "{}"},
        "TemplateSelectionExpression": "a",
    }
    assert v2.get_integration_response(**ids)["IntegrationResponseKey"] == "$default"
    # Sending its own key again is not a conflict.
    same = v2.update_integration_response(**ids, IntegrationResponseKey="$default")
    assert same["IntegrationResponseKey"] == "$default"


def test_update_merges_maps(v2: Any, integration: dict[str, Any]) -> None:
    created = _create(
        v2, integration, ResponseTemplates={"$default": "a"},
        ResponseParameters={"method.response.header.x": "integration.response.header.x"},
    )
    ids = {**integration, "IntegrationResponseId": created["IntegrationResponseId"]}
    updated = v2.update_integration_response(
        **ids, ResponseTemplates={"$default": "", "/json/": "b"},
        ResponseParameters={"method.response.header.y": "'static'"},
    )
    assert updated["ResponseTemplates"] == {"/json/": "b"}
    assert updated["ResponseParameters"] == {
        "method.response.header.x": "integration.response.header.x",
        "method.response.header.y": "'static'",
    }
    cleared = v2.update_integration_response(**ids, ResponseTemplates={"/json/": ""})
    assert "ResponseTemplates" not in cleared


def test_update_key_rules(v2: Any, integration: dict[str, Any]) -> None:
    _create(v2, integration, "$default")
    created = _create(v2, integration, "/2\\d\\d/")
    ids = {**integration, "IntegrationResponseId": created["IntegrationResponseId"]}
    with pytest.raises(v2.exceptions.ConflictException, match="key \\$default already exists"):
        v2.update_integration_response(**ids, IntegrationResponseKey="$default")
    with pytest.raises(v2.exceptions.BadRequestException, match="not formatted properly"):
        v2.update_integration_response(**ids, IntegrationResponseKey="200")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid response parameter key"):
        v2.update_integration_response(**ids, ResponseParameters={"header.x": "'1'"})
    assert v2.get_integration_response(**ids)["IntegrationResponseKey"] == "/2\\d\\d/"
    assert "ResponseParameters" not in v2.get_integration_response(**ids)


def test_delete(v2: Any, integration: dict[str, Any]) -> None:
    created = _create(v2, integration)
    ids = {**integration, "IntegrationResponseId": created["IntegrationResponseId"]}
    deleted = v2.delete_integration_response(**ids)
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_integration_response(**ids)
    assert v2.get_integration_responses(**integration)["Items"] == []
    # The key is free again.
    assert _create(v2, integration)["IntegrationResponseKey"] == "$default"


def test_deleting_the_integration_deletes_its_responses(v2: Any, integration: dict[str, Any]) -> None:
    created = _create(v2, integration)
    v2.delete_integration(**integration)
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Integration identifier"):
        v2.get_integration_response(**integration, IntegrationResponseId=created["IntegrationResponseId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Integration identifier"):
        v2.get_integration_responses(**integration)


def test_every_change_notifies_the_backend(
    apigw: MockApiGateway, v2: Any, integration: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    changed: list[str] = []
    monkeypatch.setattr(deployments, "after_change", lambda store, api: changed.append(api.api_id))
    created = _create(v2, integration)
    ids = {**integration, "IntegrationResponseId": created["IntegrationResponseId"]}
    v2.get_integration_response(**ids)
    v2.get_integration_responses(**integration)
    v2.update_integration_response(**ids, TemplateSelectionExpression="x")
    v2.delete_integration_response(**ids)
    assert changed == [integration["ApiId"]] * 3
