"""What a request to the HTTP runtime may be made of, checked as ``requests`` and ``http.client`` check it.

``gw.invoke`` hands its arguments over as the caller wrote them: a wrong type or a URL no client could send is
refused here, naming the argument and what it takes, before anything is resolved or run. The URL is read as a
client sends it: without the fragment, and with the user info turned into an ``Authorization`` header.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from urllib.parse import unquote

import requests

from ..core.codec import split_url

# RFC 9110 token characters: what a header name and a method name are made of.
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")  # RFC 3986 §3.1
_INVOKE_URL = "https://{api-id}.execute-api.{region}.amazonaws.com/{path}"


def check_header(name: str, value: str) -> None:
    """Refuse what HTTP forbids in a header, as ``requests`` does: :class:`requests.exceptions.InvalidHeader`.

    A name or value that is not a ``str`` is a :class:`TypeError`.
    """
    if not isinstance(name, str) or not isinstance(value, str):
        raise TypeError(
            f"headers must map str names to str values; got {name!r}: {value!r} "
            f"({type(name).__name__}: {type(value).__name__})"
        )
    if not _TOKEN.match(name):
        raise requests.exceptions.InvalidHeader(
            f"Invalid header name {name!r}: a header name is one or more token characters (no spaces, no colon)"
        )
    if "\r" in value or "\n" in value or "\0" in value:
        raise requests.exceptions.InvalidHeader(f"Invalid header value for {name!r}: it contains CR, LF or NUL")


def header_pairs(headers: object) -> list[tuple[str, str]]:
    """``gw.invoke``'s *headers* (``None`` or a mapping of ``str`` to ``str``) as checked pairs, in order."""
    if headers is None:
        return []
    if type(headers) is not dict and not isinstance(headers, Mapping):  # a dict first: the ABC check costs more
        raise TypeError(f"headers must be a dict of str names to str values, got {type(headers).__name__}")
    pairs = list(headers.items())
    for name, value in pairs:
        check_header(name, value)
    return pairs


def checked_request(method: object, url: object, body: object) -> tuple[str, str, bytes]:
    """*method*, *url* and *body* as the runtime takes them, or the error ``requests`` would give for them.

    A ``str`` method that is an HTTP token, an ``http://`` or ``https://`` URL, and a bytes-like body.
    """
    if not isinstance(method, str):
        raise TypeError(f"method must be a str such as 'GET', got {type(method).__name__} {method!r}")
    if not _TOKEN.match(method):
        raise ValueError(f"method must be an HTTP method name such as 'GET' (token characters only), got {method!r}")
    if not isinstance(url, str):
        hint = " (decode it first)" if isinstance(url, (bytes, bytearray)) else ""
        raise TypeError(f"url must be a str such as {_INVOKE_URL}, got {type(url).__name__}{hint}")
    scheme = _SCHEME.match(url)
    if scheme is None:  # requests' own exception and words
        guess = f" Perhaps you meant https://{url}?" if url[:1] not in ("", "/") else ""
        raise requests.exceptions.MissingSchema(
            f"Invalid URL {url!r}: No scheme supplied.{guess} The URL must be a full invoke URL: {_INVOKE_URL}"
        )
    if scheme.group(1).lower() not in ("http", "https"):
        raise requests.exceptions.InvalidSchema(
            f"No connection adapters were found for {url!r}: an HTTP API is called with https:// ({_INVOKE_URL})"
        )
    if not isinstance(body, (bytes, bytearray, memoryview)):
        hint = ": to send JSON, pass json.dumps(body)" if isinstance(body, (dict, list)) else ""
        if hasattr(body, "read"):
            hint = ": pass the file's content, body=file.read()"
        raise TypeError(f"body must be str, bytes (or bytearray, memoryview) or None, got {type(body).__name__}{hint}")
    return method, url, bytes(body)


def url_parts(url: str) -> tuple[str, str, str]:
    """Host (with its port, without user info), raw path and raw query of *url*, as a client sends them.

    The fragment is the client's own: it never reaches the server.
    """
    host, path, query = split_url(url.partition("#")[0])
    return host.rpartition("@")[2], path, query


def url_credentials(url: str) -> str | None:
    """The ``Authorization`` header ``requests`` makes of the user info in *url* (``https://user:pass@host``)."""
    if "@" not in url:  # most URLs: nothing to parse
        return None
    authority = url.partition("#")[0].partition("://")[2]
    for end in "/?":
        authority = authority.partition(end)[0]
    userinfo, at, _ = authority.rpartition("@")
    if not at:
        return None
    user, colon, password = userinfo.partition(":")
    if not colon or not (user or password):
        # requests sends credentials only when the URL has both parts and one is not empty (get_auth_from_url)
        return None
    pair = f"{unquote(user)}:{unquote(password)}"
    try:
        raw = pair.encode("latin1")  # what requests encodes basic credentials with
    except UnicodeEncodeError:
        raw = pair.encode("utf-8")
    return "Basic " + base64.b64encode(raw).decode("ascii")
