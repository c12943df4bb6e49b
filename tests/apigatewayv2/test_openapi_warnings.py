"""Import warnings: returned in ``Warnings``, or, with ``FailOnWarnings``, a BadRequestException that changes
nothing; and ReimportApi's length limits, the same as ImportApi's."""

from __future__ import annotations

import json
from typing import Any

import pytest

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:pets"

# The document of terraform-provider-aws's real-AWS test of fail_on_warnings (aws-behaviour.md §9.5): a response schema
# that refers to a model the document does not define.
UNRESOLVED_REF = {
    "openapi": "3.0.1",
    "info": {"title": "Title test", "version": "2017-04-20T04:08:08Z", "description": "Description test"},
    "paths": {
        "/update": {
            "get": {
                "x-amazon-apigateway-integration": {
                    "type": "HTTP_PROXY",
                    "httpMethod": "GET",
                    "payloadFormatVersion": "1.0",
                    "uri": "https://www.google.de",
                },
                "responses": {
                    "200": {
                        "description": "Response description",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/ModelThatDoesNotExist"}}
                        },
                    }
                },
            }
        }
    },
}
UNRESOLVED_WARNING = (
    "Parse issue: attribute paths.'/update'(get).responses.200.content.schema."
    "#/components/schemas/ModelThatDoesNotExist is missing"
)


def _document(**changes: Any) -> dict[str, Any]:
    document = json.loads(json.dumps(UNRESOLVED_REF))
    document["components"] = {"schemas": {"ModelThatDoesNotExist": {"type": "object"}}}
    for section, value in (changes.pop("components", None) or {}).items():
        document["components"].setdefault(section, {}).update(value)
    document.update(changes)
    return document


def test_an_unresolved_ref_fails_the_import_with_fail_on_warnings(v2: Any) -> None:
    with pytest.raises(v2.exceptions.BadRequestException) as refused:
        v2.import_api(Body=json.dumps(UNRESOLVED_REF), FailOnWarnings=True)
    assert refused.value.response["Error"]["Message"] == "Warnings found during import:\n\t" + UNRESOLVED_WARNING
    assert v2.get_apis()["Items"] == []


def test_an_unresolved_ref_is_returned_as_a_warning_without_fail_on_warnings(v2: Any) -> None:
    for flag in ({}, {"FailOnWarnings": False}):
        api = v2.import_api(Body=json.dumps(UNRESOLVED_REF), **flag)
        assert api["Warnings"] == [UNRESOLVED_WARNING]
        assert [r["RouteKey"] for r in v2.get_routes(ApiId=api["ApiId"])["Items"]] == ["GET /update"]


def test_reimport_with_an_unresolved_ref_fails_with_fail_on_warnings_and_changes_nothing(v2: Any) -> None:
    api = v2.create_api(Name="test-import-api", ProtocolType="HTTP")
    with pytest.raises(v2.exceptions.BadRequestException, match="Warnings found during import:\n\tParse issue"):
        v2.reimport_api(ApiId=api["ApiId"], Body=json.dumps(UNRESOLVED_REF), FailOnWarnings=True)
    assert v2.get_api(ApiId=api["ApiId"])["Name"] == "test-import-api"
    assert v2.get_routes(ApiId=api["ApiId"])["Items"] == []
    reimported = v2.reimport_api(ApiId=api["ApiId"], Body=json.dumps(UNRESOLVED_REF))
    assert reimported["Warnings"] == [UNRESOLVED_WARNING]
    assert reimported["Name"] == "Title test"


# Every kind of warning the import gives (docs/resources/openapi.md lists them), with the document that gives it.
WARNINGS = {
    "an unresolved $ref": (
        _document(components={"schemas": {"Other": {"$ref": "#/components/schemas/Missing"}}}),
        "Parse issue: attribute components.schemas.Other.#/components/schemas/Missing is missing",
    ),
    # List indexes are ASCII digits: str.isdigit() also takes "²" (which int() refuses) and "\u0660" (0 to int()).
    **{
        f"a $ref whose list index is {digit!a}": (
            _document(
                components={
                    "schemas": {
                        "L": {"type": "object", "required": ["a"]},
                        "Other": {"$ref": f"#/components/schemas/L/required/{digit}"},
                    }
                }
            ),
            f"Parse issue: attribute components.schemas.Other.#/components/schemas/L/required/{digit} is missing",
        )
        for digit in ("\u00b2", "\u0660")
    },
    "an external $ref": (
        _document(components={"schemas": {"Other": {"$ref": "https://example.com/pets.json#/Pet"}}}),
        "Parse issue: attribute components.schemas.Other.https://example.com/pets.json#/Pet is missing",
    ),
    "a missing member": (
        _document(info={"title": "no version"}),
        "Parse issue: attribute info.version is missing",
    ),
    "an unexpected member": (
        _document(tagline="not OpenAPI"),
        "Parse issue: attribute tagline is unexpected",
    ),
    "a path that does not start with /": (
        _document(paths={"pets": {"get": {"responses": {"default": {"description": "ok"}}}}}),
        "Parse issue: attribute paths. Resource pets should start with /",
    ),
    "a $default path": (
        _document(
            paths={"$default": {"x-amazon-apigateway-any-method": {"responses": {"default": {"description": "ok"}}}}}
        ),
        "Parse issue: attribute paths. Resource $default should start with /",
    ),
    "a number where a string is expected": (
        _document(info={"title": "t", "version": 1.0}),
        "Parse issue: attribute info.version is not of type `string`",
    ),
    "another rule of the schema": (
        _document(paths={"/a": {"get": {"responses": {}}}}),
        "Parse issue: attribute paths.'/a'(get).responses is not valid: {} has less than 1 property",
    ),
    "an unsupported operation": (
        _document(paths={"/a": {"trace": {"responses": {"default": {"description": "ok"}}}}}),
        "Unsupported operation 'trace' on path '/a' was ignored.",
    ),
    "a security scheme without API Gateway's extension": (
        _document(components={"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}}),
        "Security scheme 'basic' has no x-amazon-apigateway-authorizer extension and was not imported.",
    ),
    "a security requirement naming an unknown scheme": (
        _document(
            paths={"/a": {"get": {"security": [{"nobody": []}], "responses": {"default": {"description": "ok"}}}}}
        ),
        "Route GET /a refers to unknown security scheme 'nobody'.",
    ),
}


@pytest.mark.parametrize("case", list(WARNINGS))
def test_each_warning_is_returned_or_fails_the_import(v2: Any, case: str) -> None:
    document, warning = WARNINGS[case]
    body = json.dumps(document)
    api = v2.import_api(Body=body)
    assert api["Warnings"] == [warning]
    before = v2.get_apis()["Items"]
    with pytest.raises(v2.exceptions.BadRequestException) as refused:
        v2.import_api(Body=body, FailOnWarnings=True)
    assert refused.value.response["Error"]["Message"] == f"Warnings found during import:\n\t{warning}"
    with pytest.raises(v2.exceptions.BadRequestException, match="Warnings found during import:"):
        v2.reimport_api(ApiId=api["ApiId"], Body=body, FailOnWarnings=True)
    assert v2.get_apis()["Items"] == before


def test_a_number_where_a_string_is_expected_is_read_as_its_text(v2: Any) -> None:
    api = v2.import_api(Body="openapi: 3.0.1\ninfo: {title: 2024, version: 1.0}\npaths: {}\n")
    assert (api["Name"], api["Version"]) == ("2024", "1.0")
    assert sorted(api["Warnings"]) == [
        "Parse issue: attribute info.title is not of type `string`",
        "Parse issue: attribute info.version is not of type `string`",
    ]


def test_several_warnings_are_all_listed(v2: Any) -> None:
    document = _document(info={"title": "t"}, tagline="x")
    with pytest.raises(v2.exceptions.BadRequestException) as refused:
        v2.import_api(Body=json.dumps(document), FailOnWarnings=True)
    assert refused.value.response["Error"]["Message"] == (
        "Warnings found during import:\n\t"
        "Parse issue: attribute info.version is missing\n\t"
        "Parse issue: attribute tagline is unexpected"
    )


@pytest.mark.parametrize("output_type", ["JSON", "YAML"])
def test_an_exported_api_reimports_with_fail_on_warnings(v2: Any, output_type: str) -> None:
    api = v2.create_api(Name="q", ProtocolType="HTTP", Target=LAMBDA, Version="3")
    v2.create_authorizer(
        ApiId=api["ApiId"],
        Name="jwt",
        AuthorizerType="JWT",
        IdentitySource=["$request.header.Authorization"],
        JwtConfiguration={"Issuer": "https://issuer.example.com", "Audience": ["a"]},
    )
    v2.create_route(ApiId=api["ApiId"], RouteKey="GET /items/{id}", AuthorizationType="AWS_IAM")
    body = v2.export_api(ApiId=api["ApiId"], Specification="OAS30", OutputType=output_type)["body"].read()
    reimported = v2.reimport_api(ApiId=api["ApiId"], Body=body.decode(), FailOnWarnings=True)
    assert "Warnings" not in reimported
    copied = v2.import_api(Body=body.decode(), FailOnWarnings=True)
    assert "Warnings" not in copied


def _outcome(call: Any, **kwargs: Any) -> str:
    """The error message of a call, or "accepted"."""
    try:
        call(**kwargs)
    except Exception as refused:  # noqa: BLE001 - any modeled error; its message is compared
        return str(refused.response["Error"]["Message"])  # type: ignore[attr-defined]
    return "accepted"


@pytest.mark.parametrize(
    ("info", "member"),
    [
        ({"title": "n" * 129, "version": "1"}, "name"),
        ({"title": "t", "version": "v" * 65}, "version"),
        ({"title": "t", "version": "1", "description": "d" * 1025}, "description"),
    ],
)
def test_import_and_reimport_apply_the_same_length_limits(v2: Any, info: dict[str, str], member: str) -> None:
    """ReimportApi checks Name, Version and Description exactly as ImportApi does (aws-behaviour.md §9.10: 128, 64, 1024
    characters, CreateApi's rules); a refused reimport changes nothing."""
    body = json.dumps({"openapi": "3.0.1", "info": info, "paths": {}})
    api = v2.create_api(Name="kept", ProtocolType="HTTP", Version="1", Description="kept")
    on_import = _outcome(v2.import_api, Body=body)
    on_reimport = _outcome(v2.reimport_api, ApiId=api["ApiId"], Body=body)
    on_create = _outcome(
        v2.create_api,
        ProtocolType="HTTP",
        Name=info["title"],
        Version=info["version"],
        **({"Description": info["description"]} if "description" in info else {}),
    )
    assert on_import == on_reimport
    assert on_import.removeprefix("Invalid OpenAPI definition: ") == on_create
    if on_reimport != "accepted":
        assert f"at '{member}' failed to satisfy constraint" in on_reimport
        kept = v2.get_api(ApiId=api["ApiId"])
        assert (kept["Name"], kept["Version"], kept["Description"]) == ("kept", "1", "kept")


def test_the_longest_names_are_accepted_by_import_and_reimport(v2: Any) -> None:
    info = {"title": "n" * 128, "version": "v" * 64, "description": "d" * 1024}
    body = json.dumps({"openapi": "3.0.1", "info": info, "paths": {}})
    api = v2.import_api(Body=body, FailOnWarnings=True)
    assert v2.reimport_api(ApiId=api["ApiId"], Body=body, FailOnWarnings=True)["Name"] == "n" * 128
