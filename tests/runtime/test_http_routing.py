"""HTTP API route matching: priority, methods, greedy paths and path parameters."""

from __future__ import annotations

import pytest
import requests
from helpers import App

from mockapigw.runtime.http_routing import match_route_key

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:app"


@pytest.mark.parametrize("path", ["/missing", "/pets/1/extra"])
def test_no_matching_route_is_not_found(app: App, path: str) -> None:
    app.route("GET /pets/{id}")
    response = requests.get(app.url(path))
    assert (response.status_code, response.json()) == (404, {"message": "Not Found"})
    assert response.headers["content-type"] == "application/json"


def test_route_priority_follows_aws(app: App) -> None:
    app.route("GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default")
    app.reply = lambda event: event["routeKey"]
    expected = {
        ("GET", "/pets/dog/1"): "GET /pets/dog/1",
        ("GET", "/pets/dog/2"): "GET /pets/dog/{id}",
        ("GET", "/pets/cat/2"): "GET /pets/{proxy+}",
        ("POST", "/pets/dog/1"): "ANY /{proxy+}",
        ("GET", "/"): "$default",
    }
    for (method, path), route in expected.items():
        assert requests.request(method, app.url(path)).text == route


def test_explicit_method_beats_any_on_the_same_path(app: App) -> None:
    app.route("ANY /items", "POST /items")
    app.reply = lambda event: event["routeKey"]
    assert requests.post(app.url("/items")).text == "POST /items"
    assert requests.delete(app.url("/items")).text == "ANY /items"


def test_path_parameters_are_url_decoded(app: App) -> None:
    app.route("GET /files/{name}", "GET /tree/{proxy+}")
    requests.get(app.url("/files/a%20b%2Bc"))
    requests.get(app.url("/tree/x/y%20z"))
    assert app.events[0]["pathParameters"] == {"name": "a b+c"}
    assert app.events[1]["pathParameters"] == {"proxy": "x/y z"}


def test_route_keys_are_matched_by_the_same_rules() -> None:
    """The no-route hint matches the API's current route keys as requests match the deployed routes."""
    keys = ["GET /pets/dog/1", "GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}"]
    assert match_route_key(keys, "GET", "/pets/dog/2") == "GET /pets/dog/{id}"
    assert match_route_key(keys, "POST", "/pets/dog/1") == "ANY /{proxy+}"
    assert match_route_key(keys[:3], "POST", "/pets") is None
    assert match_route_key([*keys[:3], "$default"], "POST", "/pets") == "$default"
