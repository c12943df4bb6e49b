"""Routing by method and path: the router on its own, on both models, and what boto3 sees through it."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote

import boto3
import pytest
from botocore.exceptions import ClientError
from botocore.model import OperationModel
from botocore.serialize import create_serializer

from mockapigw import MockApiGateway
from mockapigw.apigatewayv2.service import ApiGatewayV2Service
from mockapigw.core.codec import split_url
from mockapigw.core.dispatch import Dispatcher, router
from mockapigw.core.model import service_model
from mockapigw.core.router import Router

SERVICES = ("apigatewayv2", "apigatewaymanagementapi")
OPERATIONS = [(service, name) for service in SERVICES for name in service_model(service).operation_names]
LABEL = re.compile(r"\{([^}]+)\}")


def _model(service: str, name: str) -> OperationModel:
    return service_model(service).operation_model(name)


def _label_names(model: OperationModel) -> list[str]:
    return [name.rstrip("+") for name in LABEL.findall(model.http["requestUri"])]


# ---------------------------------------------------------------------------------------------- every operation


@pytest.mark.parametrize(("service", "name"), OPERATIONS, ids=[f"{s}.{n}" for s, n in OPERATIONS])
def test_every_operations_own_path_reaches_it(service: str, name: str) -> None:
    model = _model(service, name)
    values = {label: f"v{index}" for index, label in enumerate(_label_names(model))}
    path = LABEL.sub(lambda m: values[m.group(1).rstrip("+")], model.http["requestUri"].split("?")[0])
    route = router(service).match(model.http["method"], path)
    assert route is not None
    assert (route.target, route.labels, route.base_path) == (name, values, "")


@pytest.mark.parametrize(("service", "name"), OPERATIONS, ids=[f"{s}.{n}" for s, n in OPERATIONS])
def test_every_operation_as_botocore_serializes_it_reaches_it(service: str, name: str) -> None:
    """botocore's own serializer builds the request, with awkward label values that must survive the trip."""
    model = _model(service, name)
    labels = {member: m.serialization["name"] for member, m in model.input_shape.members.items() if _is_label(m)}
    params: dict[str, Any] = {member: f"a/b c:{index}=%" for index, member in enumerate(labels)}
    request = create_serializer("rest-json", include_validation=False).serialize_to_request(params, model)
    _, path, query = split_url("https://h" + request["url_path"] + _query(request["query_string"]))
    route = router(service).match(request["method"], path, query)
    assert route is not None
    assert route.target == name
    assert set(route.labels) == set(labels.values())
    assert {member: unquote(route.labels[wire]) for member, wire in labels.items()} == params


def _is_label(member: Any) -> bool:
    return bool(member.serialization.get("location") == "uri")


def _query(query: Any) -> str:
    if not query:
        return ""
    return "?" + "&".join(f"{key}={value}" for key, value in dict(query).items())


def test_the_management_api_is_routed_below_its_stage() -> None:
    route = router("apigatewaymanagementapi").match("POST", "/prod/@connections/L0SM9cOFvHcCIhw%3D")
    assert route is not None
    assert (route.target, route.labels, route.base_path) == (
        "PostToConnection",
        {"connectionId": "L0SM9cOFvHcCIhw%3D"},
        "/prod",
    )
    deep = router("apigatewaymanagementapi").match("GET", "/v1/$default/@connections/abc")
    assert deep is not None
    assert (deep.target, deep.base_path) == ("GetConnection", "/v1/$default")


def test_an_encoded_slash_stays_inside_its_label() -> None:
    arn = "arn%3Aaws%3Aapigateway%3Aus-east-1%3A%3A%2Fapis%2Fabc"
    route = router("apigatewayv2").match("GET", f"/v2/tags/{arn}")
    assert route is not None
    assert (route.target, route.labels) == ("GetTags", {"resource-arn": arn})


# ---------------------------------------------------------------------------------------------- empty labels


@pytest.mark.parametrize(
    ("method", "path", "target", "labels"),
    [
        # get_api(ApiId=""): AWS answers GET /v2/apis/ as GetApis [OBSERVED, aws-behaviour.md §9.4]
        ("GET", "/v2/apis/", "GetApis", {}),
        # repeated slashes merge, so an empty label shifts what follows it
        ("GET", "/v2/apis//routes", "GetApi", {"apiId": "routes"}),
        ("GET", "/v2/apis/a/routes/", "GetRoutes", {"apiId": "a"}),
        ("PUT", "/v2/apis/", "ImportApi", {}),
        ("GET", "/v2/apis/a/models//template", "GetModel", {"apiId": "a", "modelId": "template"}),
        ("GET", "/v2/domainnames/", "GetDomainNames", {}),
        ("GET", "/v2//apis", "GetApis", {}),
        ("GET", "//v2/apis", "GetApis", {}),
    ],
)
def test_empty_labels_land_where_the_remaining_segments_lead(
    method: str, path: str, target: str, labels: dict[str, str]
) -> None:
    route = router("apigatewayv2").match(method, path)
    assert route is not None
    assert (route.target, route.labels, route.base_path) == (target, labels, "")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/v2/apis/"),  # delete_api(ApiId="")
        ("PATCH", "/v2/apis/"),  # update_api(ApiId="")
        ("DELETE", "/v2/apis/a/routes/"),  # delete_route(RouteId="")
        ("POST", "/v2/apis/a/routes//routeresponses"),  # create_route_response(RouteId="")
    ],
)
def test_empty_labels_that_leave_a_known_path_with_another_method_match_nothing(method: str, path: str) -> None:
    assert router("apigatewayv2").match(method, path) is None
    assert router("apigatewayv2").allows_path(path)


@pytest.mark.parametrize(
    ("service", "method", "path"),
    [
        ("apigatewayv2", "GET", "/v2/tags/"),  # get_tags(ResourceArn="")
        ("apigatewayv2", "GET", "/v2/apis/a/exports/"),  # export_api(Specification="")
        ("apigatewayv2", "DELETE", "/v2/apis/a/routes/r/requestparameters/"),
        ("apigatewayv2", "DELETE", "/v2/apis/a/stages/s/routesettings/"),  # delete_route_settings(RouteKey="")
        ("apigatewaymanagementapi", "POST", "/prod/@connections/"),  # post_to_connection(ConnectionId="")
    ],
)
def test_empty_labels_that_leave_an_unknown_path_match_nothing(service: str, method: str, path: str) -> None:
    assert router(service).match(method, path) is None
    assert not router(service).allows_path(path)


# ---------------------------------------------------------------------------------------------- unknown paths


@pytest.mark.parametrize("path", ["/", "", "/v2", "/v3/apis", "/v2/apiss", "/v2/apis/a/b", "/v2/apis/a/routes/r/x/y"])
def test_unknown_paths_match_nothing(path: str) -> None:
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        assert router("apigatewayv2").match(method, path) is None
    assert not router("apigatewayv2").allows_path(path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v2/apis/a"),
        ("PUT", "/v2/domainnames"),
        ("HEAD", "/v2/apis"),
        ("get", "/v2/apis"),
        ("PATCH", "/v2/tags/x"),
    ],
)
def test_a_known_path_with_a_method_it_does_not_allow_matches_nothing(method: str, path: str) -> None:
    assert router("apigatewayv2").match(method, path) is None
    assert router("apigatewayv2").allows_path(path)


# ---------------------------------------------------------------------------------------------- generic rules

SYNTHETIC = Router(
    [
        ("GET", "/things/{id}", "GetThing"),
        ("GET", "/things/special", "GetSpecial"),
        ("GET", "/things/{id}/parts", "GetParts"),
        ("GET", "/things/special/other", "GetSpecialOther"),
        ("GET", "/files/{key+}", "GetFile"),
        ("GET", "/files/{key+}?versions", "GetFileVersions"),
        ("POST", "/files/{key+}?uploads&part", "UploadPart"),
        ("POST", "/files/{key+}?uploads", "Upload"),
    ]
)


@pytest.mark.parametrize(
    ("method", "path", "query", "target", "labels"),
    [
        ("GET", "/things/special", "", "GetSpecial", {}),
        ("GET", "/things/other", "", "GetThing", {"id": "other"}),
        # the literal branch is tried first, and left again when it leads nowhere
        ("GET", "/things/special/parts", "", "GetParts", {"id": "special"}),
        ("GET", "/things/special/other", "", "GetSpecialOther", {}),
        ("GET", "/files/a/b/c", "", "GetFile", {"key": "a/b/c"}),
        ("GET", "/files/a//b/", "", "GetFile", {"key": "a/b"}),
        ("GET", "/files/a", "versions", "GetFileVersions", {"key": "a"}),
        ("GET", "/files/a", "x=1&versions=", "GetFileVersions", {"key": "a"}),
        ("POST", "/files/a", "uploads", "Upload", {"key": "a"}),
        ("POST", "/files/a", "part=2&uploads", "UploadPart", {"key": "a"}),
    ],
)
def test_literals_beat_labels_and_query_keys_pick_the_most_specific(
    method: str, path: str, query: str, target: str, labels: dict[str, str]
) -> None:
    route = SYNTHETIC.match(method, path, query)
    assert route is not None
    assert (route.target, route.labels) == (target, labels)


def test_templates_that_need_query_keys_are_skipped_without_them() -> None:
    assert SYNTHETIC.match("POST", "/files/a") is None
    assert SYNTHETIC.allows_path("/files/a")
    assert SYNTHETIC.match("GET", "/files") is None
    assert not SYNTHETIC.allows_path("/files")


def test_the_shortest_base_path_wins() -> None:
    route = SYNTHETIC.match("GET", "/base/things/x/things/y")
    assert route is not None
    assert (route.target, route.labels, route.base_path) == ("GetThing", {"id": "y"}, "/base/things/x")
    assert repr(route) == "Route('GetThing', {'id': 'y'}, base_path='/base/things/x')"


def test_a_greedy_label_must_end_its_template() -> None:
    with pytest.raises(ValueError, match="greedy label"):
        Router([("GET", "/a/{b+}/c", "X")])


# ---------------------------------------------------------------------------------------------- through boto3


def test_get_api_with_an_empty_id_is_answered_as_get_apis(v2: Any, http_api: dict[str, Any]) -> None:
    result = v2.get_api(ApiId="")
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert set(result) == {"ResponseMetadata"}  # GetApis' items mean nothing to GetApi's output shape


def test_an_empty_label_reaches_the_operation_its_path_names(v2: Any, http_api: dict[str, Any]) -> None:
    route = v2.create_route(ApiId=http_api["ApiId"], RouteKey="GET /x")
    answer = v2.get_route(ApiId=http_api["ApiId"], RouteId="")  # GET /v2/apis/{id}/routes/: GetRoutes
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "RouteId" not in answer
    with pytest.raises(ClientError) as missing:
        v2.get_routes(ApiId="")  # GET /v2/apis//routes: GetApi of an API called "routes"
    assert missing.value.response["Error"]["Code"] == "NotFoundException"
    assert v2.get_routes(ApiId=http_api["ApiId"])["Items"][0]["RouteId"] == route["RouteId"]


@pytest.mark.parametrize(
    "call",
    [
        lambda v2, api: v2.delete_api(ApiId=""),
        lambda v2, api: v2.update_api(ApiId="", Name="renamed"),
        lambda v2, api: v2.delete_route(ApiId=api, RouteId=""),
        lambda v2, api: v2.get_tags(ResourceArn=""),
        lambda v2, api: v2.export_api(ApiId=api, Specification="", OutputType="JSON"),
    ],
)
def test_a_path_no_operation_has_gets_api_gateways_answer(v2: Any, http_api: dict[str, Any], call: Any) -> None:
    before = v2.get_apis()["Items"]
    with pytest.raises(ClientError) as refused:
        call(v2, http_api["ApiId"])
    error = refused.value.response
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert error["Error"] == {"Code": "MissingAuthenticationTokenException", "Message": "Missing Authentication Token"}
    assert v2.get_apis()["Items"] == before


def test_an_empty_connection_id_gets_api_gateways_answer(apigw: MockApiGateway) -> None:
    client = boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url="https://abcdef1234.execute-api.us-east-1.amazonaws.com/prod",
    )
    with pytest.raises(ClientError) as refused:
        client.post_to_connection(ConnectionId="", Data=b"x")
    assert refused.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "http://127.0.0.1:1/"), ("GET", "http://127.0.0.1:1/v2/nothing"), ("TRACE", "http://127.0.0.1:1/v2/apis")],
)
def test_raw_requests_to_unknown_paths_get_api_gateways_answer(method: str, url: str) -> None:
    dispatcher = Dispatcher({"apigatewayv2": ApiGatewayV2Service()}, "123456789012")
    wire = dispatcher.answer("apigatewayv2", method, url, {}, b"", "us-east-1")
    assert wire.status == 403
    assert wire.headers["x-amzn-errortype"] == "MissingAuthenticationTokenException"
    assert json.loads(wire.body) == {"message": "Missing Authentication Token"}


def test_raw_requests_reach_the_operation_their_path_names() -> None:
    dispatcher = Dispatcher({"apigatewayv2": ApiGatewayV2Service()}, "123456789012")
    body = json.dumps({"name": "raw", "protocolType": "HTTP"}).encode()
    created = dispatcher.answer("apigatewayv2", "POST", "http://127.0.0.1:1/v2/apis", {}, body, "us-east-1")
    assert created.status == 201
    listed = dispatcher.answer("apigatewayv2", "GET", "http://127.0.0.1:1/v2/apis/", {}, b"", "us-east-1")
    assert [item["name"] for item in json.loads(listed.body)["items"]] == ["raw"]
