"""ImportApi, ReimportApi and ExportApi: OpenAPI 3.0 with API Gateway's extensions, in JSON and YAML."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:pets"
LAMBDA_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{LAMBDA}/invocations"

DOCUMENT = f"""
openapi: 3.0.1
info:
  title: Pets
  version: v1.0
  description: A pet store
servers:
  - url: https://pets.example.com/{{basePath}}
    variables:
      basePath:
        default: /v1
x-amazon-apigateway-cors:
  allowOrigins: ["https://pets.example.com"]
  allowMethods: [GET, POST]
  maxAge: 300
components:
  securitySchemes:
    jwt-auth:
      type: oauth2
      flows: {{}}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://issuer.example.com
          audience: [pets]
paths:
  /pets:
    get:
      security:
        - jwt-auth: [pets.read]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: {LAMBDA_URI}
        payloadFormatVersion: 2.0
    post:
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: POST
        uri: https://backend.example.com/pets
        payloadFormatVersion: 1.0
        timeoutInMillis: 5000
  /pets/{{id}}:
    x-amazon-apigateway-any-method:
      x-amazon-apigateway-integration:
        type: aws_proxy
        uri: {LAMBDA}
        payloadFormatVersion: "1.0"
"""


def _routes(v2: Any, api_id: str) -> dict[str, dict[str, Any]]:
    return {route["RouteKey"]: route for route in v2.get_routes(ApiId=api_id)["Items"]}


def _integrations(v2: Any, api_id: str) -> dict[str, dict[str, Any]]:
    return {i["IntegrationId"]: i for i in v2.get_integrations(ApiId=api_id)["Items"]}


def _shape(v2: Any, api_id: str) -> set[tuple[Any, ...]]:
    """Routes with their integrations, without ids: what an export/import round trip must keep."""
    integrations = _integrations(v2, api_id)
    out = set()
    for key, route in _routes(v2, api_id).items():
        target = integrations[route["Target"].removeprefix("integrations/")] if "Target" in route else {}
        out.add(
            (
                key,
                route["AuthorizationType"],
                tuple(route.get("AuthorizationScopes", [])),
                target.get("IntegrationType"),
                target.get("IntegrationUri"),
                target.get("IntegrationMethod"),
                target.get("PayloadFormatVersion"),
                target.get("TimeoutInMillis"),
            )
        )
    return out


def test_import_yaml_creates_routes_integrations_authorizers_and_cors(v2: Any) -> None:
    api = v2.import_api(Body=DOCUMENT)
    assert api["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (api["Name"], api["Version"], api["Description"], api["ProtocolType"]) == (
        "Pets",
        "v1.0",
        "A pet store",
        "HTTP",
    )
    assert api["CorsConfiguration"] == {
        "AllowOrigins": ["https://pets.example.com"],
        "AllowMethods": ["GET", "POST"],
        "MaxAge": 300,
    }
    routes = _routes(v2, api["ApiId"])
    assert set(routes) == {"GET /pets", "POST /pets", "ANY /pets/{id}"}
    (authorizer,) = v2.get_authorizers(ApiId=api["ApiId"])["Items"]
    assert authorizer["AuthorizerType"] == "JWT"
    assert authorizer["JwtConfiguration"] == {"Issuer": "https://issuer.example.com", "Audience": ["pets"]}
    assert routes["GET /pets"]["AuthorizationType"] == "JWT"
    assert routes["GET /pets"]["AuthorizerId"] == authorizer["AuthorizerId"]
    assert routes["GET /pets"]["AuthorizationScopes"] == ["pets.read"]
    integrations = _integrations(v2, api["ApiId"])
    get_target = integrations[routes["GET /pets"]["Target"].removeprefix("integrations/")]
    assert (get_target["IntegrationType"], get_target["PayloadFormatVersion"]) == ("AWS_PROXY", "2.0")
    post_target = integrations[routes["POST /pets"]["Target"].removeprefix("integrations/")]
    assert (post_target["IntegrationType"], post_target["TimeoutInMillis"]) == ("HTTP_PROXY", 5000)


def test_import_json(v2: Any) -> None:
    document = yaml.safe_load(DOCUMENT)
    api = v2.import_api(Body=json.dumps(document))
    assert set(_routes(v2, api["ApiId"])) == {"GET /pets", "POST /pets", "ANY /pets/{id}"}


@pytest.mark.parametrize(
    ("basepath", "expected"),
    [(None, "GET /pets"), ("ignore", "GET /pets"), ("prepend", "GET /v1/pets"), ("split", "GET /pets")],
)
def test_basepath_modes(v2: Any, basepath: str | None, expected: str) -> None:
    kwargs = {"Basepath": basepath} if basepath else {}
    api = v2.import_api(Body=DOCUMENT, **kwargs)
    assert expected in _routes(v2, api["ApiId"])


def test_basepath_split_keeps_the_rest_of_a_deep_base_path(v2: Any) -> None:
    document = DOCUMENT.replace("default: /v1", "default: /stage/v2")
    api = v2.import_api(Body=document, Basepath="split")
    assert "GET /v2/pets" in _routes(v2, api["ApiId"])


def test_bad_basepath_mode(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="ignore, prepend, and split"):
        v2.import_api(Body=DOCUMENT, Basepath="squash")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "empty"),
        ("openapi: [unclosed", "Unable to parse the OpenAPI definition"),
        ("{not json", "Unable to parse the OpenAPI definition"),
        ("- a\n- list", "must be an object"),
        ("swagger: '2.0'\ninfo: {title: x}\npaths: {}", "Only OpenAPI 3.0"),
        ("openapi: 3.0.1\ninfo: {version: '1'}\npaths: {}", "info.title"),
        ("openapi: 3.0.1\ninfo: {title: x}\npaths: [1]", r"paths: \[1\] is not of type object"),
        (
            "openapi: 3.0.1\ninfo: {title: x}\npaths: {/a: {get: {x-amazon-apigateway-integration: {type: aws}}}}",
            "proxy integrations",
        ),
    ],
)
def test_malformed_documents_say_what_is_wrong(v2: Any, body: str, message: str) -> None:
    import boto3
    from botocore.config import Config

    unchecked = boto3.client("apigatewayv2", region_name="us-east-1", config=Config(parameter_validation=False))
    with pytest.raises(unchecked.exceptions.BadRequestException, match=message):
        unchecked.import_api(Body=body)
    assert v2.get_apis()["Items"] == []  # nothing is left behind


def test_warnings_are_returned_or_fail_the_import(v2: Any) -> None:
    document = DOCUMENT + "\n  /trace-me:\n    trace:\n      summary: unsupported\n"
    api = v2.import_api(Body=document)
    assert any("trace" in warning for warning in api["Warnings"])
    with pytest.raises(v2.exceptions.BadRequestException, match="Warnings found during import"):
        v2.import_api(Body=document, FailOnWarnings=True)
    assert len(v2.get_apis()["Items"]) == 1


def test_unknown_security_scheme_is_a_warning(v2: Any) -> None:
    document = DOCUMENT.replace("- jwt-auth: [pets.read]", "- nobody: []")
    api = v2.import_api(Body=document)
    assert any("nobody" in warning for warning in api["Warnings"])


@pytest.mark.parametrize("output_type", ["JSON", "YAML"])
def test_export_is_valid_openapi_and_round_trips(v2: Any, output_type: str) -> None:
    original = v2.import_api(Body=DOCUMENT)
    exported = v2.export_api(ApiId=original["ApiId"], Specification="OAS30", OutputType=output_type)
    text = exported["body"].read().decode()
    document = json.loads(text) if output_type == "JSON" else yaml.safe_load(text)
    validate(document)
    assert document["info"]["title"] == "Pets"
    assert document["x-amazon-apigateway-cors"]["allowOrigins"] == ["https://pets.example.com"]
    copy = v2.import_api(Body=text)
    assert _shape(v2, copy["ApiId"]) == _shape(v2, original["ApiId"])


def test_export_without_extensions_is_plain_openapi(v2: Any) -> None:
    api = v2.import_api(Body=DOCUMENT)
    exported = v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON", IncludeExtensions=False)
    document = json.loads(exported["body"].read())
    validate(document)
    flat = json.dumps(document)
    assert "x-amazon-apigateway-integration" not in flat
    assert "x-amazon-apigateway-cors" not in flat
    assert document["paths"]["/pets"]["get"]["security"] == [{"jwt-auth": ["pets.read"]}]


def test_export_of_a_stage_serves_its_deployment(v2: Any) -> None:
    api = v2.import_api(Body=DOCUMENT)
    v2.create_stage(ApiId=api["ApiId"], StageName="prod")
    v2.create_deployment(ApiId=api["ApiId"], StageName="prod")
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /undeployed")
    staged = json.loads(
        v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON", StageName="prod")["body"].read()
    )
    validate(staged)
    assert "/undeployed" not in staged["paths"]
    assert staged["servers"][0]["variables"]["basePath"]["default"] == "prod"
    latest = json.loads(v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON")["body"].read())
    assert "/undeployed" in latest["paths"]


def test_export_default_route_and_path_parameters(v2: Any) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target=LAMBDA)
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /items/{id}/{proxy+}")
    document = json.loads(v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType="JSON")["body"].read())
    validate(document)
    assert document["paths"]["/$default"]["x-amazon-apigateway-any-method"]["isDefaultRoute"] is True
    names = [p["name"] for p in document["paths"]["/items/{id}/{proxy+}"]["get"]["parameters"]]
    assert names == ["id", "proxy+"]
    copy = v2.import_api(Body=json.dumps(document))
    assert set(_routes(v2, copy["ApiId"])) == {"$default", "GET /items/{id}/{proxy+}"}


def test_export_errors(v2: Any, ws_api: dict[str, Any], http_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="only for HTTP APIs"):
        v2.export_api(ApiId=ws_api["ApiId"], Specification="OAS30", OutputType="JSON")
    with pytest.raises(v2.exceptions.NotFoundException, match="Invalid stage identifier specified nope"):
        v2.export_api(ApiId=http_api["ApiId"], Specification="OAS30", OutputType="JSON", StageName="nope")
    v2.create_stage(ApiId=http_api["ApiId"], StageName="empty")
    with pytest.raises(v2.exceptions.BadRequestException, match="no deployment"):
        v2.export_api(ApiId=http_api["ApiId"], Specification="OAS30", OutputType="JSON", StageName="empty")
    with pytest.raises(v2.exceptions.BadRequestException, match="Unsupported export version"):
        v2.export_api(ApiId=http_api["ApiId"], Specification="OAS30", OutputType="JSON", ExportVersion="2.0")
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.export_api(ApiId="abcdefghij", Specification="OAS30", OutputType="JSON")


def test_reimport_replaces_routes_and_keeps_the_api(v2: Any) -> None:
    api = v2.import_api(Body=DOCUMENT)
    v2.create_stage(ApiId=api["ApiId"], StageName="live", AutoDeploy=True)
    smaller = (
        DOCUMENT.split("  /pets/{id}:")[0]
        .replace("title: Pets", "title: Pets2")
        .replace("version: v1.0", "version: v2")
    )
    reimported = v2.reimport_api(ApiId=api["ApiId"], Body=smaller)
    assert reimported["ResponseMetadata"]["HTTPStatusCode"] == 201
    assert (reimported["ApiId"], reimported["Name"], reimported["Version"]) == (api["ApiId"], "Pets2", "v2")
    assert set(_routes(v2, api["ApiId"])) == {"GET /pets", "POST /pets"}
    assert len(v2.get_integrations(ApiId=api["ApiId"])["Items"]) == 2
    assert [s["StageName"] for s in v2.get_stages(ApiId=api["ApiId"])["Items"]] == ["live"]


def test_failed_reimport_changes_nothing(v2: Any) -> None:
    api = v2.import_api(Body=DOCUMENT)
    before = _shape(v2, api["ApiId"])
    broken = DOCUMENT.replace("type: http_proxy", "type: mock")
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.reimport_api(ApiId=api["ApiId"], Body=broken)
    assert _shape(v2, api["ApiId"]) == before
    assert v2.get_api(ApiId=api["ApiId"])["Name"] == "Pets"


def test_reimport_errors(v2: Any, ws_api: dict[str, Any]) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="only for HTTP APIs"):
        v2.reimport_api(ApiId=ws_api["ApiId"], Body=DOCUMENT)
    with pytest.raises(v2.exceptions.NotFoundException):
        v2.reimport_api(ApiId="abcdefghij", Body=DOCUMENT)


def test_failed_reimport_leaves_the_auto_deployed_stage_serving_the_old_api(apigw: Any, v2: Any) -> None:
    from mockapigw.apigatewayv2.deployments import served_snapshot

    api = v2.import_api(Body=DOCUMENT)
    v2.create_stage(ApiId=api["ApiId"], StageName="live", AutoDeploy=True)
    v2.create_deployment(ApiId=api["ApiId"], StageName="live")
    deployments = len(v2.get_deployments(ApiId=api["ApiId"])["Items"])
    broken = DOCUMENT.replace("type: http_proxy", "type: mock")
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.reimport_api(ApiId=api["ApiId"], Body=broken)
    assert len(v2.get_deployments(ApiId=api["ApiId"])["Items"]) == deployments
    record = apigw.apigatewayv2.backends(apigw.account_id, "us-east-1").apis.get(api["ApiId"])
    snapshot = served_snapshot(record, "live")
    assert {r["RouteKey"] for r in snapshot.routes.values()} == {"GET /pets", "POST /pets", "ANY /pets/{id}"}
    v2.reimport_api(ApiId=api["ApiId"], Body=DOCUMENT.split("  /pets/{id}:")[0])
    assert len(v2.get_deployments(ApiId=api["ApiId"])["Items"]) == deployments + 1  # one deployment, at the end


@pytest.mark.parametrize(
    ("old", "new"),
    [("payloadFormatVersion: 2.0", "payloadFormatVersion: two"), ("timeoutInMillis: 5000", "timeoutInMillis: soon")],
)
def test_malformed_numbers_in_a_document_are_bad_requests(v2: Any, old: str, new: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="Invalid"):
        v2.import_api(Body=DOCUMENT.replace(old, new))
    assert v2.get_apis()["Items"] == []


def test_wrongly_typed_values_are_validated_like_calls(v2: Any) -> None:
    document = DOCUMENT.replace("timeoutInMillis: 5000", "timeoutInMillis: 10")
    with pytest.raises(v2.exceptions.BadRequestException, match="greater than or equal to 50"):
        v2.import_api(Body=document)


def test_only_the_first_of_alternative_security_requirements_applies(v2: Any) -> None:
    document = DOCUMENT.replace("- jwt-auth: [pets.read]", "- jwt-auth: [pets.read]\n        - nobody: []")
    api = v2.import_api(Body=document)
    assert _routes(v2, api["ApiId"])["GET /pets"]["AuthorizationType"] == "JWT"


SECURED_PATH = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      security: {security}\n"


@pytest.mark.parametrize("security", ['["x"]', '"not-a-list"', "[[1]]"])
def test_malformed_security_is_a_bad_request_and_leaves_nothing(v2: Any, security: str) -> None:
    with pytest.raises(v2.exceptions.BadRequestException, match="security"):
        v2.import_api(Body=SECURED_PATH.replace("{security}", security))
    assert v2.get_apis()["Items"] == []


def test_malformed_server_variables_and_failed_reimport_keep_the_api(v2: Any) -> None:
    bad = "openapi: 3.0.1\ninfo: {title: t}\nservers: [{url: x, variables: oops}]\npaths: {/a: {get: {}}}\n"
    with pytest.raises(v2.exceptions.BadRequestException, match="variables"):
        v2.import_api(Body=bad, Basepath="prepend")
    keep = v2.create_api(Name="keep", ProtocolType="HTTP")
    v2.create_route(ApiId=keep["ApiId"], RouteKey="GET /kept")
    with pytest.raises(v2.exceptions.BadRequestException):
        v2.reimport_api(ApiId=keep["ApiId"], Body=SECURED_PATH.replace("{security}", '["x"]'))
    assert v2.get_api(ApiId=keep["ApiId"])["Name"] == "keep"
    assert [r["RouteKey"] for r in v2.get_routes(ApiId=keep["ApiId"])["Items"]] == ["GET /kept"]
