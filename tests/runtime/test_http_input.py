"""What ``gw.invoke`` takes: wrong types and URLs no client could send are refused before anything runs, and a URL
is read as a client sends it (no fragment; user info as an ``Authorization`` header)."""

from __future__ import annotations

import base64
import io
from typing import Any

import pytest
import requests
from helpers import App
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapigw.runtime.http_input import header_pairs

_BODY = r"body must be str, bytes \(or bytearray, memoryview\) or None, got "


@pytest.mark.parametrize(
    ("arguments", "error", "words"),
    [
        ((None, "/pets"), TypeError, "method must be a str such as 'GET', got NoneType"),
        (("", "/pets"), ValueError, "method must be an HTTP method name"),
        (("GET /x", "/pets"), ValueError, "method must be an HTTP method name"),
        (("GET", None), TypeError, "url must be a str such as https://{api-id}.execute-api"),
        (("GET", b"https://x.execute-api.us-east-1.amazonaws.com/"), TypeError, r"got bytes \(decode it first\)"),
        (("GET", {"body": {"a": 1}}), TypeError, _BODY + r"dict: .* json.dumps\(body\)"),
        (("GET", {"body": [1]}), TypeError, _BODY + "list"),
        (("GET", {"body": 5}), TypeError, _BODY + "int"),
        (("GET", {"body": io.BytesIO(b"x")}), TypeError, r"got BytesIO: pass the file's content, body=file.read\(\)"),
        (("GET", {"headers": {"a": 1}}), TypeError, "headers must map str names to str values; got 'a': 1"),
        (("GET", {"headers": {"a": None}}), TypeError, "headers must map str names to str values; got 'a': None"),
        (("GET", {"headers": {b"a": b"b"}}), TypeError, r"\(bytes: bytes\)"),
        (("GET", {"headers": [("a", "b")]}), TypeError, "headers must be a dict of str names to str values, got list"),
        (("GET", {"body": {}}), TypeError, _BODY + "dict"),  # not sent as empty
        (("GET", {"body": 0}), TypeError, _BODY + "int"),
    ],
)
def test_wrong_arguments_are_refused_before_anything_runs(
    app: App, arguments: tuple[Any, Any], error: type[Exception], words: str
) -> None:
    app.route("ANY /pets")
    method, url = arguments
    extra: dict[str, Any] = {}
    if isinstance(url, dict):
        url, extra = app.url("/pets"), url
    elif url == "/pets":
        url = app.url(url)
    with pytest.raises(error, match=words):
        app.gw.invoke(method, url, **extra)
    assert app.gw.invocations == []


@pytest.mark.parametrize(
    ("body", "sent"), [(None, b""), ("", b""), ("é", "é".encode()), (b"\xff", b"\xff"), (bytearray(b"ab"), b"ab")]
)
def test_every_documented_body_still_works(app: App, body: Any, sent: bytes) -> None:
    app.route("POST /pets")
    assert app.gw.invoke("post", app.url("/pets"), headers={"x-a": "1"}, body=body).status_code == 200
    event = app.events[-1]
    assert event["requestContext"]["http"]["method"] == "POST" and event["headers"]["x-a"] == "1"
    received = base64.b64decode(event["body"]) if event["isBase64Encoded"] else (event.get("body") or "").encode()
    assert received == sent


def test_header_pairs_take_a_mapping_of_str_only() -> None:
    """The check of gw.invoke's headers argument: a mapping of str to str, nothing else."""
    assert header_pairs(None) == [] and header_pairs({"A": "1", "b": ""}) == [("A", "1"), ("b", "")]
    with pytest.raises(TypeError, match="headers must be a dict of str names to str values, got list"):
        header_pairs([("a", "b")])
    with pytest.raises(TypeError, match="got 'a': 1"):
        header_pairs({"a": 1})
    with pytest.raises(requests.exceptions.InvalidHeader):
        header_pairs({"a b": "1"})


def test_a_url_without_a_scheme_is_refused_naming_the_whole_host(app: App) -> None:
    bare = app.url("/pets").removeprefix("https://")
    with pytest.raises(requests.exceptions.MissingSchema, match=f"Perhaps you meant https://{bare}\\?"):
        app.gw.invoke("GET", bare)
    with pytest.raises(ValueError, match=r"No scheme supplied\. The URL must be a full invoke URL"):
        app.gw.invoke("GET", "/pets")
    with pytest.raises(requests.exceptions.InvalidSchema, match="called with https://"):
        app.gw.invoke("GET", app.url("/pets").replace("https://", "wss://"))
    assert app.gw.invocations == []


def test_the_fragment_is_not_sent(app: App) -> None:
    app.route("GET /pets")
    assert app.gw.invoke("GET", app.url("/pets?q=1#top")).status_code == 200
    assert requests.get(app.url("/pets#top")).status_code == 200
    assert [(e["rawPath"], e["rawQueryString"]) for e in app.events] == [("/pets", "q=1"), ("/pets", "")]


def test_user_info_is_sent_as_basic_credentials_as_requests_does(app: App) -> None:
    app.route("GET /pets")
    url = app.url("/pets").replace("https://", "https://ada:s%40cret@")
    assert app.gw.invoke("GET", url).status_code == 200
    assert requests.get(url).status_code == 200  # through requests too, instead of going to the network
    assert [e["headers"]["authorization"] for e in app.events] == ["Basic YWRhOnNAY3JldA=="] * 2
    given_header = app.gw.invoke("GET", url, headers={"Authorization": "Bearer t"})
    assert given_header.status_code == 200 and app.events[-1]["headers"]["authorization"] == "Bearer t"


@pytest.mark.parametrize("userinfo", ["user", "", ":", "user:", ":pw", "u:p"])
def test_user_info_gives_the_authorization_requests_itself_prepares(app: App, userinfo: str) -> None:
    app.route("GET /pets")
    url = app.url("/pets").replace("https://", f"https://{userinfo}@")
    expected = requests.Request("GET", url).prepare().headers.get("Authorization")
    app.gw.invoke("GET", url)
    requests.get(url)
    assert [e["headers"].get("authorization") for e in app.events] == [expected, expected]


_SEGMENT = st.text(alphabet="abcXYZ019-._~%20", min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    segments=st.lists(_SEGMENT, max_size=3),
    query=st.text(alphabet="ab=&%20", max_size=8),
    fragment=st.none() | st.text(alphabet="ab/?#@", max_size=5),
    user=st.none() | st.text(alphabet="ab:", max_size=4),
)
def test_any_url_reaches_the_handler_as_a_client_sends_it(
    app: App, segments: list[str], query: str, fragment: str | None, user: str | None
) -> None:
    if not app.events and not app.v2.get_routes(ApiId=app.api_id)["Items"]:
        app.route("$default")
    path = "/" + "/".join(segments)
    url = app.url(path) + (f"?{query}" if query else "") + (f"#{fragment}" if fragment is not None else "")
    if user is not None:
        url = url.replace("https://", f"https://{user}@")
    assert app.gw.invoke("GET", url).status_code == 200
    event = app.events[-1]
    assert (event["rawPath"], event["rawQueryString"]) == (path, query)
    expected = requests.Request("GET", url).prepare().headers.get("Authorization")
    assert event["headers"].get("authorization") == expected
