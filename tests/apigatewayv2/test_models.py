"""Models: WebSocket only, name and schema rules, references from routes, pagination, GetModelTemplate."""

from __future__ import annotations

import json
import re
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2 import deployments, lookup
from mockapigw.apigatewayv2.records import Record
from mockapigw.apigatewayv2.store import Store
from mockapigw.apigatewayv2.table import OPERATIONS
from mockapigw.core.collection import Collection

PET = json.dumps(
    {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": "Pet",
        "type": "object",
        "properties": {"id": {"type": "integer"}, "type": {"type": "string"}, "price": {"type": "number"}},
    }
)


def _backend(apigw: MockApiGateway) -> Store:
    return apigw.apigatewayv2.backends(apigw.account_id, "us-east-1")


def _model(v2: Any, api: dict[str, Any], name: str = "Pet", schema: str = PET, **extra: Any) -> dict[str, Any]:
    return dict(v2.create_model(ApiId=api["ApiId"], Name=name, Schema=schema, **extra))


def _fields(response: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in response.items() if k != "ResponseMetadata"}


def _message(info: pytest.ExceptionInfo[Any]) -> str:
    return str(info.value.response["Error"]["Message"])


def _seed_route(apigw: MockApiGateway, api_id: str, route_id: str, **fields: Any) -> Record:
    """A route record put straight into the backend (routes are another module's operations)."""
    route = Record({"RouteId": route_id, **fields})
    route.responses = Collection()  # type: ignore[attr-defined]
    lookup.api(_backend(apigw), api_id).routes.add(route_id, route)  # type: ignore[arg-type]
    return route


def _implemented(operation: str) -> bool:
    return operation in {xform_name(name) for name in OPERATIONS}


def _template(v2: Any, api: dict[str, Any], schema: Any, name: str = "Shape") -> str:
    model = _model(v2, api, name=name, schema=json.dumps(schema))
    response = v2.get_model_template(ApiId=api["ApiId"], ModelId=model["ModelId"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    return str(response["Value"])


# --- create


def test_create_model_defaults(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    assert created["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert re.fullmatch(r"[a-z0-9]{6}", created["ModelId"])
    assert _fields(created) == {
        "ModelId": created["ModelId"],
        "Name": "Pet",
        "Schema": PET,
        "ContentType": "application/json",
    }


def test_create_model_with_every_member(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api, ContentType="text/plain", Description="a pet")
    got = v2.get_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert _fields(got) == _fields(created)
    assert (got["ContentType"], got["Description"], got["Schema"]) == ("text/plain", "a pet", PET)


def test_http_apis_accept_models(v2: Any, http_api: dict[str, Any]) -> None:
    # "Supported only for WebSocket APIs" (model), but AWS is not known to refuse them (aws-behaviour.md §9.3).
    created = _model(v2, http_api)
    assert [m["ModelId"] for m in v2.get_models(ApiId=http_api["ApiId"])["Items"]] == [created["ModelId"]]


def test_create_on_a_missing_api(v2: Any) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        _model(v2, {"ApiId": "abcdefghij"})
    assert _message(info) == "Invalid API identifier specified 123456789012:abcdefghij"


@pytest.mark.parametrize("name", ["my-model", "my model", "pet_1", "Über", "a.b"])
def test_model_names_must_be_alphanumeric(v2: Any, ws_api: dict[str, Any], name: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        _model(v2, ws_api, name=name)
    assert _message(info) == f"Invalid model name specified: {name!r}. Model names must be alphanumeric."


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ("{not json", "Invalid model schema specified: the schema is not valid JSON: Expecting property name"),
        ("", "Invalid model schema specified: the schema is not valid JSON: Expecting value: line 1 column 1"),
        ('{"type": "object"} x', "Invalid model schema specified: the schema is not valid JSON: Extra data: line 1"),
        ("[]", "Invalid model schema specified: a JSON schema must be a JSON object."),
        ('"string"', "Invalid model schema specified: a JSON schema must be a JSON object."),
    ],
)
def test_schema_must_be_a_json_object(v2: Any, ws_api: dict[str, Any], schema: str, message: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as info:
        _model(v2, ws_api, schema=schema)
    assert _message(info).startswith(message)
    assert v2.get_models(ApiId=ws_api["ApiId"])["Items"] == []


def test_schemas_are_not_limited_by_their_shape_name(v2: Any, ws_api: dict[str, Any]) -> None:
    # StringWithLengthBetween0And32K carries no max trait and no quota is documented (aws-behaviour.md §9.4).
    bigger = json.dumps({"description": "x" * 40000})
    assert _model(v2, ws_api, schema=bigger)["Schema"] == bigger


def test_name_and_schema_are_required_by_the_service(v2: Any, ws_api: dict[str, Any]) -> None:
    unchecked = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(parameter_validation=False))
    with pytest.raises(unchecked.exceptions.BadRequestException) as info:
        unchecked.create_model(ApiId=ws_api["ApiId"])
    message = _message(info)
    assert message.startswith("2 validation errors detected")
    assert "Value null at 'name'" in message and "Value null at 'schema'" in message


def test_model_names_are_unique_per_api(v2: Any, ws_api: dict[str, Any]) -> None:
    _model(v2, ws_api)
    with pytest.raises(v2.exceptions.ConflictException) as info:
        _model(v2, ws_api, schema="{}")
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert _message(info) == "Model name already exists for this API: Pet"
    assert _model(v2, ws_api, name="pet")["Name"] == "pet"  # names are case-sensitive
    other = v2.create_api(Name="o", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    assert _model(v2, other)["Name"] == "Pet"


# --- get


def test_get_missing_model(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_model(ApiId=ws_api["ApiId"], ModelId="abc123")
    assert _message(info) == "Invalid Model identifier specified abc123"
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.get_model(ApiId="abcdefghij", ModelId="abc123")


def test_get_models_pages(v2: Any, ws_api: dict[str, Any]) -> None:
    assert v2.get_models(ApiId=ws_api["ApiId"])["Items"] == []
    created = [_model(v2, ws_api, name=f"M{i}")["ModelId"] for i in range(5)]
    first = v2.get_models(ApiId=ws_api["ApiId"], MaxResults="2")
    assert [m["ModelId"] for m in first["Items"]] == created[:2]
    second = v2.get_models(ApiId=ws_api["ApiId"], MaxResults="2", NextToken=first["NextToken"])
    assert [m["ModelId"] for m in second["Items"]] == created[2:4]
    last = v2.get_models(ApiId=ws_api["ApiId"], MaxResults="2", NextToken=second["NextToken"])
    assert [m["ModelId"] for m in last["Items"]] == created[4:]
    assert "NextToken" not in last
    assert v2.get_models(ApiId=ws_api["ApiId"])["Items"][0] == {
        "ModelId": created[0],
        "Name": "M0",
        "Schema": PET,
        "ContentType": "application/json",
    }
    pages = list(v2.get_paginator("get_models").paginate(ApiId=ws_api["ApiId"], PaginationConfig={"PageSize": 4}))
    assert [[m["Name"] for m in p["Items"]] for p in pages] == [["M0", "M1", "M2", "M3"], ["M4"]]


def test_get_models_errors(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.get_models(ApiId="abcdefghij")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid pagination token"):
        v2.get_models(ApiId=ws_api["ApiId"], NextToken="garbage!")
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid MaxResults"):
        v2.get_models(ApiId=ws_api["ApiId"], MaxResults="abc")


# --- update


def test_update_model(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    updated = v2.update_model(
        ApiId=ws_api["ApiId"],
        ModelId=created["ModelId"],
        Name="Animal",
        Description="any animal",
        ContentType="application/vnd.pets+json",
        Schema='{"type": "object"}',
    )
    assert updated["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert _fields(updated) == {
        "ModelId": created["ModelId"],
        "Name": "Animal",
        "Description": "any animal",
        "ContentType": "application/vnd.pets+json",
        "Schema": '{"type": "object"}',
    }
    assert _fields(v2.get_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])) == _fields(updated)
    # The old name is free again.
    assert _model(v2, ws_api)["Name"] == "Pet"


def test_update_only_what_is_given(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api, Description="d")
    updated = v2.update_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"], Description="")
    assert _fields(updated) == {**_fields(created), "Description": ""}


def test_rejected_updates_change_nothing(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    _model(v2, ws_api, name="Owner", schema="{}")
    api_id, model_id = ws_api["ApiId"], created["ModelId"]
    with pytest.raises(v2.exceptions.BadRequestException, match="the schema is not valid JSON"):
        v2.update_model(ApiId=api_id, ModelId=model_id, Schema="{", Description="changed")
    with pytest.raises(v2.exceptions.BadRequestException, match="Model names must be alphanumeric"):
        v2.update_model(ApiId=api_id, ModelId=model_id, Name="a-b", Description="changed")
    with pytest.raises(v2.exceptions.ConflictException, match="Model name already exists for this API: Owner"):
        v2.update_model(ApiId=api_id, ModelId=model_id, Name="Owner", Description="changed")
    assert _fields(v2.get_model(ApiId=api_id, ModelId=model_id)) == _fields(created)
    same = v2.update_model(ApiId=api_id, ModelId=model_id, Name="Pet")
    assert same["Name"] == "Pet"


def test_update_missing(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Model identifier specified zzzzzz"):
        v2.update_model(ApiId=ws_api["ApiId"], ModelId="zzzzzz", Description="x")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.update_model(ApiId="abcdefghij", ModelId="zzzzzz", Description="x")


# --- delete


def test_delete_model(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    kept = _model(v2, ws_api, name="Kept")
    response = v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 204
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.get_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid Model identifier specified"):
        v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert [m["ModelId"] for m in v2.get_models(ApiId=ws_api["ApiId"])["Items"]] == [kept["ModelId"]]


def test_a_model_used_by_a_route_cannot_be_deleted_or_renamed(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]
) -> None:
    created = _model(v2, ws_api)
    route = _seed_route(apigw, ws_api["ApiId"], "r1", RouteKey="sendMessage", RequestModels={"$default": "Pet"})
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert info.value.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert _message(info) == "Cannot delete model Pet: it is referenced by route sendMessage."
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.update_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"], Name="Animal")
    assert _message(info) == "Cannot rename model Pet: it is referenced by route sendMessage."
    # Other changes of a model in use are fine.
    assert v2.update_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"], Schema="{}")["Schema"] == "{}"
    route.fields["RequestModels"] = {}
    v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])


def test_a_model_used_by_a_route_response_cannot_be_deleted(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]
) -> None:
    created = _model(v2, ws_api)
    route = _seed_route(apigw, ws_api["ApiId"], "r1", RouteKey="$default")
    response = Record(
        {"RouteResponseId": "abcdef", "RouteResponseKey": "$default", "ResponseModels": {"$default": "Pet"}}
    )
    route.responses.add("abcdef", response)  # type: ignore[attr-defined]
    with pytest.raises(v2.exceptions.ConflictException) as info:
        v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert _message(info) == "Cannot delete model Pet: it is referenced by route response $default of route $default."


def test_a_model_referenced_by_another_model_cannot_be_deleted(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    ref = f"https://apigateway.amazonaws.com/restapis/{ws_api['ApiId']}/models/Pet"
    schema = json.dumps({"type": "object", "properties": {"pet": {"$ref": ref}}})
    owner = _model(v2, ws_api, name="Owner", schema=schema)
    with pytest.raises(v2.exceptions.ConflictException, match="Cannot delete model Pet: it is referenced by model Own"):
        v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    v2.delete_model(ApiId=ws_api["ApiId"], ModelId=owner["ModelId"])
    v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    assert v2.get_models(ApiId=ws_api["ApiId"])["Items"] == []


@pytest.mark.skipif(
    not (_implemented("create_route") and _implemented("create_route_response")),
    reason="CreateRoute/CreateRouteResponse are not implemented yet",
)
def test_models_used_through_the_api(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    api_id = ws_api["ApiId"]
    route = v2.create_route(ApiId=api_id, RouteKey="sendMessage", RequestModels={"$default": "Pet"})
    with pytest.raises(v2.exceptions.ConflictException, match="referenced by route sendMessage"):
        v2.delete_model(ApiId=api_id, ModelId=created["ModelId"])
    v2.delete_route(ApiId=api_id, RouteId=route["RouteId"])
    other = v2.create_route(ApiId=api_id, RouteKey="$default")
    v2.create_route_response(
        ApiId=api_id, RouteId=other["RouteId"], RouteResponseKey="$default", ResponseModels={"$default": "Pet"}
    )
    with pytest.raises(v2.exceptions.ConflictException, match="referenced by route response \\$default"):
        v2.delete_model(ApiId=api_id, ModelId=created["ModelId"])
    v2.delete_route(ApiId=api_id, RouteId=other["RouteId"])
    v2.delete_model(ApiId=api_id, ModelId=created["ModelId"])


def test_deleting_the_api_deletes_its_models(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    v2.delete_api(ApiId=ws_api["ApiId"])
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.get_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])


def test_every_change_is_an_api_change(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    changed: list[str] = []
    monkeypatch.setattr(deployments, "after_change", lambda store, api: changed.append(api.api_id))
    created = _model(v2, ws_api)
    v2.get_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    v2.get_models(ApiId=ws_api["ApiId"])
    v2.get_model_template(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    v2.update_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"], Description="d")
    v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    with pytest.raises(v2.exceptions.BadRequestException):
        _model(v2, ws_api, schema="nope")
    assert changed == [ws_api["ApiId"]] * 3


# --- GetModelTemplate


def test_template_of_a_flat_object(v2: Any, ws_api: dict[str, Any]) -> None:
    assert _template(v2, ws_api, json.loads(PET)) == (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        '  "id" : $inputRoot.id,\n'
        '  "type" : "$inputRoot.type",\n'
        '  "price" : $inputRoot.price\n'
        "}\n"
    )


def test_template_of_an_array_of_objects(v2: Any, ws_api: dict[str, Any]) -> None:
    schema = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {}}}}
    assert _template(v2, ws_api, schema) == (
        "#set($inputRoot = $input.path('$'))\n"
        "[\n"
        "#foreach($elem in $inputRoot)\n"
        "  {\n"
        '    "id" : $elem.id,\n'
        '    "name" : "$elem.name"\n'
        "  }#if($foreach.hasNext),#end\n"
        "#end\n"
        "]\n"
    )


def test_template_of_nested_objects_arrays_and_odd_names(v2: Any, ws_api: dict[str, Any]) -> None:
    schema = {
        "type": "object",
        "properties": {
            "ok": {"type": "boolean"},
            "nothing": {"type": ["null", "string"]},
            "first-name": {"type": "string"},
            "address": {"properties": {"zip": {"type": "number"}}},
            "tags": {"type": "array", "items": {"type": "string"}},
            "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
            "meta": {"type": "object"},
        },
    }
    assert _template(v2, ws_api, schema) == (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        '  "ok" : $inputRoot.ok,\n'
        '  "nothing" : "$inputRoot.nothing",\n'
        '  "first-name" : "$inputRoot.get(\'first-name\')",\n'
        '  "address" : {\n'
        '    "zip" : $inputRoot.address.zip\n'
        "  },\n"
        '  "tags" : [\n'
        "#foreach($elem in $inputRoot.tags)\n"
        '    "$elem"#if($foreach.hasNext),#end\n'
        "#end\n"
        "  ],\n"
        '  "grid" : [\n'
        "#foreach($elem in $inputRoot.grid)\n"
        "    [\n"
        "#foreach($elem2 in $elem)\n"
        "      $elem2#if($foreach.hasNext),#end\n"
        "#end\n"
        "    ]#if($foreach.hasNext),#end\n"
        "#end\n"
        "  ],\n"
        '  "meta" : {}\n'
        "}\n"
    )


def test_template_follows_references_to_other_models(v2: Any, ws_api: dict[str, Any]) -> None:
    base = f"https://apigateway.amazonaws.com/restapis/{ws_api['ApiId']}/models"
    person = {"type": "object", "properties": {"n": {"type": "string"}, "me": {"$ref": f"{base}/Person"}}}
    _model(v2, ws_api, name="Person", schema=json.dumps(person))
    schema = {
        "type": "object",
        "properties": {"owner": {"$ref": f"{base}/Person"}, "ghost": {"$ref": f"{base}/Missing"}},
    }
    assert _template(v2, ws_api, schema) == (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        '  "owner" : {\n'
        '    "n" : "$inputRoot.owner.n",\n'
        '    "me" : "$inputRoot.owner.me"\n'
        "  },\n"
        '  "ghost" : "$inputRoot.ghost"\n'
        "}\n"
    )


def test_template_of_a_scalar_schema(v2: Any, ws_api: dict[str, Any]) -> None:
    assert _template(v2, ws_api, {"type": "string"}) == "#set($inputRoot = $input.path('$'))\n\"$inputRoot\"\n"
    assert _template(v2, ws_api, {"type": "integer"}, name="Int") == "#set($inputRoot = $input.path('$'))\n$inputRoot\n"


def test_template_is_deterministic_and_follows_updates(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    api_id, model_id = ws_api["ApiId"], created["ModelId"]
    first = v2.get_model_template(ApiId=api_id, ModelId=model_id)["Value"]
    assert v2.get_model_template(ApiId=api_id, ModelId=model_id)["Value"] == first
    v2.update_model(ApiId=api_id, ModelId=model_id, Schema=json.dumps({"properties": {"x": {"type": "string"}}}))
    assert v2.get_model_template(ApiId=api_id, ModelId=model_id)["Value"] == (
        "#set($inputRoot = $input.path('$'))\n{\n  \"x\" : \"$inputRoot.x\"\n}\n"
    )


def test_template_of_a_missing_model(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.NotFoundException) as info:
        v2.get_model_template(ApiId=ws_api["ApiId"], ModelId="abc123")
    assert _message(info) == "Invalid Model identifier specified abc123"
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid API identifier specified"):
        v2.get_model_template(ApiId="abcdefghij", ModelId="abc123")


def test_references_are_found_inside_lists(v2: Any, ws_api: dict[str, Any]) -> None:
    created = _model(v2, ws_api)
    ref = f"https://apigateway.amazonaws.com/restapis/{ws_api['ApiId']}/models/Pet"
    _model(v2, ws_api, name="Either", schema=json.dumps({"anyOf": [{"type": "string"}, {"$ref": ref}]}))
    with pytest.raises(v2.exceptions.ConflictException, match="referenced by model Either"):
        v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])


def test_records_without_a_readable_schema_refer_to_nothing(
    apigw: MockApiGateway, v2: Any, ws_api: dict[str, Any]
) -> None:
    from mockapigw.apigatewayv2.models import Model

    created = _model(v2, ws_api)
    models = lookup.api(_backend(apigw), ws_api["ApiId"]).models
    models.add("broken", Model({"ModelId": "broken", "Name": "Broken"}))
    models.add("badjsn", Model({"ModelId": "badjsn", "Name": "BadJson", "Schema": "{"}))
    v2.delete_model(ApiId=ws_api["ApiId"], ModelId=created["ModelId"])
    template = v2.get_model_template(ApiId=ws_api["ApiId"], ModelId="broken")["Value"]
    assert template == "#set($inputRoot = $input.path('$'))\n\"$inputRoot\"\n"


def test_template_infers_arrays_and_tolerates_missing_items(v2: Any, ws_api: dict[str, Any]) -> None:
    schema = {"properties": {"list": {"items": {"type": "number"}}, "bare": {"type": "array"}}}
    assert _template(v2, ws_api, schema) == (
        "#set($inputRoot = $input.path('$'))\n"
        "{\n"
        '  "list" : [\n'
        "#foreach($elem in $inputRoot.list)\n"
        "    $elem#if($foreach.hasNext),#end\n"
        "#end\n"
        "  ],\n"
        '  "bare" : [\n'
        "#foreach($elem in $inputRoot.bare)\n"
        '    "$elem"#if($foreach.hasNext),#end\n'
        "#end\n"
        "  ]\n"
        "}\n"
    )


def test_model_template_of_malformed_properties(v2: Any) -> None:
    api = v2.create_api(Name="m", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.a")
    model = v2.create_model(ApiId=api["ApiId"], Name="M", Schema='{"type": "object", "properties": ["a"]}')
    assert "{}" in v2.get_model_template(ApiId=api["ApiId"], ModelId=model["ModelId"])["Value"]


def test_a_schema_nested_too_deeply_is_a_bad_request(v2: Any) -> None:
    api = v2.create_api(Name="deep", ProtocolType="WEBSOCKET", RouteSelectionExpression="$request.body.action")
    with pytest.raises(v2.exceptions.BadRequestException, match="nested too deeply"):
        v2.create_model(ApiId=api["ApiId"], Name="Deep", Schema="[" * 50000)
    assert v2.get_models(ApiId=api["ApiId"])["Items"] == []
