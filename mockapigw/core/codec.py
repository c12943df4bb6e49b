"""A rest-json codec driven by botocore's service model.

``Operation.parse`` turns a wire request (already routed, with its path labels: see ``router.py``) into
parameters named after the model's members; ``Operation.respond`` turns a backend's result (or a
:class:`ServiceError`) into the bytes AWS would send. Everything that depends only on the model is compiled
once per operation.

Text that cannot be encoded is bad input, refused here once for every operation and every member: a lone
surrogate (``"\\ud800"``, which botocore sends as a JSON escape) in any string of the body, at any depth (map
keys, list items, nested structures), and invalid UTF-8 or surrogates in path labels, query strings, headers
and string payloads. The service answers its bad-request error before anything runs, so nothing that could not
be sent back is ever stored.
"""

from __future__ import annotations

import base64
import datetime as _dt
import email.utils
import json
import re
import time
from collections.abc import Callable, Mapping
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any
from urllib.parse import parse_qsl, unquote

from botocore.model import OperationModel, ServiceModel, Shape, StructureShape

from .errors import ServiceError
from .validation import InvalidInput, compile_validation

Converter = Callable[[Any], Any]
Params = dict[str, Any]


class WireRequest:
    """The parts of an HTTP request the codec reads: the raw query string, the headers and the body."""

    __slots__ = ("body", "headers", "query")

    def __init__(self, query: str, headers: Mapping[str, Any], body: Any) -> None:
        self.query = query
        self.headers = headers
        self.body = body


class WireResponse:
    """Status, headers and body of an answer, before it is wrapped for botocore."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body


def split_url(url: str) -> tuple[str, str, str]:
    """Split ``scheme://host/path?query`` (or a bare ``/path?query``) into host, raw path and raw query."""
    if url[:1] == "/":
        path, _, query = url.partition("?")
        return "", path, query
    start = url.find("//") + 2
    slash = url.find("/", start)
    if slash < 0:
        host_end = url.find("?", start)
        host = url[start:] if host_end < 0 else url[start:host_end]
        return host, "/", "" if host_end < 0 else url[host_end + 1 :]
    host = url[start:slash]
    qmark = url.find("?", slash)
    if qmark < 0:
        return host, url[slash:], ""
    return host, url[slash:qmark], url[qmark + 1 :]


# ---------------------------------------------------------------------------------------------- timestamps


def _iso8601(value: _dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc)
    if value.year < 1000:  # strftime's %Y does not pad such years on every platform; isoformat always does
        if value.microsecond:
            return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    # Half of strftime's cost. "YYYY-MM-DDTHH:MM:SS[.ffffff][+00:00]": the milliseconds are the first three
    # digits of the microseconds (truncated, as the division above), and the offset is cut off.
    text = value.isoformat()
    return (text[:23] if value.microsecond else text[:19]) + "Z"


def _format_timestamp(fmt: str) -> Converter:
    if fmt == "iso8601":
        return _iso8601
    if fmt == "rfc822":
        return lambda v: email.utils.format_datetime(v.astimezone(_dt.timezone.utc), usegmt=True)
    return lambda v: v.timestamp()


def _parse_timestamp(value: Any) -> _dt.datetime:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return _dt.datetime.fromtimestamp(value, _dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            raise InvalidInput(f"Invalid timestamp: {value!r}") from None
    text = str(value)
    try:
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            return email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            raise InvalidInput(f"Invalid timestamp: {text!r}") from None


def _timestamp_format(shape: Shape, default: str) -> str:
    fmt: str = shape.serialization.get("timestampFormat") or shape.metadata.get("timestampFormat") or default
    return fmt


# ---------------------------------------------------------------------------------------------- converters


def _compile_to_wire(shape: Shape, memo: dict[str, Converter | None]) -> Converter | None:
    """Compile member-named data -> wire JSON data; ``None`` means the value passes unchanged."""
    type_name = shape.type_name
    if type_name == "structure":
        assert isinstance(shape, StructureShape)
        if shape.name in memo:
            return memo[shape.name] or (lambda v: v)
        table: dict[str, tuple[str, Converter | None]] = {}

        def structure(value: Mapping[str, Any]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for name, item in value.items():
                if item is None:
                    continue
                wire, conv = table[name]
                out[wire] = item if conv is None else conv(item)
            return out

        memo[shape.name] = structure
        for name, member in shape.members.items():
            table[name] = (member.serialization.get("name", name), _compile_to_wire(member, memo))
        return structure
    if type_name == "list":
        element = _compile_to_wire(shape.member, memo)  # type: ignore[attr-defined]
        if element is None:
            return None
        return lambda v: [element(x) for x in v]
    if type_name == "map":
        values = _compile_to_wire(shape.value, memo)  # type: ignore[attr-defined]
        if values is None:
            return None
        return lambda v: {k: values(x) for k, x in v.items()}
    if type_name == "timestamp":
        return _format_timestamp(_timestamp_format(shape, "unixtimestamp"))
    if type_name == "blob":
        return lambda v: base64.b64encode(v if isinstance(v, bytes) else str(v).encode()).decode()
    return None


def _compile_from_wire(shape: Shape, memo: dict[str, Converter | None]) -> Converter | None:
    """Compile wire JSON data -> member-named data; ``None`` means the value passes unchanged."""
    type_name = shape.type_name
    if type_name == "structure":
        assert isinstance(shape, StructureShape)
        if shape.name in memo:
            return memo[shape.name] or (lambda v: v)
        table: dict[str, tuple[str, Converter | None]] = {}

        def structure(value: Any) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise InvalidInput(f"Expected an object for {shape.name}, got {type(value).__name__}")
            out: dict[str, Any] = {}
            for wire, item in value.items():
                entry = table.get(wire)
                if entry is None or item is None:
                    continue  # AWS ignores members it does not know
                name, conv = entry
                out[name] = item if conv is None else conv(item)
            return out

        memo[shape.name] = structure
        for name, member in shape.members.items():
            if member.serialization.get("location"):
                continue
            table[member.serialization.get("name", name)] = (name, _compile_from_wire(member, memo))
        return structure
    if type_name == "list":
        element = _compile_from_wire(shape.member, memo)  # type: ignore[attr-defined]
        if element is None:
            return None
        return lambda v: [element(x) for x in v] if isinstance(v, list) else v
    if type_name == "map":
        values = _compile_from_wire(shape.value, memo)  # type: ignore[attr-defined]
        if values is None:
            return None
        return lambda v: {k: values(x) for k, x in v.items()} if isinstance(v, dict) else v
    if type_name == "timestamp":
        return _parse_timestamp
    if type_name == "blob":
        return _decode_base64
    return None


def _decode_base64(value: Any) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (ValueError, TypeError):
        raise InvalidInput("Invalid base64 value") from None


def _scalar_from_text(shape: Shape, member_label: str) -> Converter:
    """Convert a path label, query-string or header value to the member's type."""
    type_name = shape.type_name
    if type_name == "integer" or type_name == "long":

        def integer(text: str) -> int:
            try:
                return int(text)
            except ValueError:
                raise InvalidInput(f"Invalid value for {member_label}: {text!r} is not an integer") from None

        return integer
    if type_name == "boolean":

        def boolean(text: str) -> bool:
            lowered = text.lower()
            if lowered not in ("true", "false"):
                raise InvalidInput(f"Invalid value for {member_label}: {text!r} is not a boolean")
            return lowered == "true"

        return boolean
    if type_name == "double" or type_name == "float":

        def number(text: str) -> float:
            try:
                return float(text)
            except ValueError:
                raise InvalidInput(f"Invalid value for {member_label}: {text!r} is not a number") from None

        return number
    if type_name == "timestamp":
        return _parse_timestamp
    return str


def _body_bytes(body: Any) -> bytes:
    if body is None:
        return b""
    if isinstance(body, bytes):
        return body
    if isinstance(body, (bytearray, memoryview)):
        return bytes(body)
    if isinstance(body, str):
        return _encode_text(body, "the request body")
    read = getattr(body, "read", None)
    if read is not None:
        data = read()
        return _encode_text(data, "the request body") if isinstance(data, str) else bytes(data)
    # anything else (a number given as a blob with client validation off) is no HTTP body
    raise InvalidInput(f"Invalid request body: expected bytes, a string or a file, got {type(body).__name__}")


# ---------------------------------------------------------------------------------------------- text

# botocore sends JSON with ``ensure_ascii``, so a lone surrogate arrives as a ``\\udXXX`` escape (a raw one is
# invalid UTF-8 and already fails to parse). Only bodies holding such an escape need the walk below; a valid
# pair (an emoji) also matches here, and the walk then finds nothing.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _surrogate_problem(where: str, text: str) -> InvalidInput:
    bad = next(char for char in text if "\ud800" <= char <= "\udfff")
    return InvalidInput(
        f"Invalid request: the string at '{where}' contains an unpaired surrogate (U+{ord(bad):04X}), "
        "which is not valid Unicode and cannot be encoded as UTF-8"
    )


def _encode_text(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise _surrogate_problem(where, text) from None


def _check_text(text: str, where: str) -> str:
    """Return *text* if it can be encoded as UTF-8; raise ``InvalidInput`` naming *where* otherwise."""
    if not text.isascii():
        _encode_text(text, where)
    return text


def _decode_text(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"Invalid request: {where} is not valid UTF-8") from None


# Every escape of an ASCII character, in any letter case (``%3D``, ``%3d``), with the character it stands for.
_HEX_DIGITS = "0123456789abcdefABCDEF"
_ASCII_ESCAPES = {a + b: chr(int(a + b, 16)) for a in _HEX_DIGITS for b in _HEX_DIGITS if int(a + b, 16) < 0x80}


def _unquote_ascii(raw: str) -> str | None:
    """``unquote(raw)`` when every ``%`` in *raw* starts the escape of an ASCII character; ``None`` otherwise.

    What botocore sends is ASCII with few escapes (a connection id's ``=`` is ``%3D``): this is a third of
    ``unquote``'s cost, which handles the rest (multi-byte UTF-8, a ``%`` that starts no escape).
    """
    if raw.count("%") == raw.count("%3D"):  # every escape is a connection id's "="
        return raw.replace("%3D", "=")
    head, *rest = raw.split("%")
    parts = [head]
    for part in rest:
        char = _ASCII_ESCAPES.get(part[:2])
        if char is None:
            return None
        parts.append(char)
        parts.append(part[2:])
    return "".join(parts)


def _unquote(raw: str, where: str) -> str:
    """Percent-decode a path label or query value; invalid UTF-8 and surrogates are bad input."""
    if raw.isascii():
        if "%" not in raw:
            return raw
        text = _unquote_ascii(raw)
        if text is not None:
            return text
    else:
        _check_text(raw, where)
    try:
        return unquote(raw, errors="strict")
    except UnicodeDecodeError:
        raise InvalidInput(f"Invalid request: {where} is not valid UTF-8 once percent-decoded") from None


def _find_surrogates(value: Any, where: str) -> None:
    """Raise ``InvalidInput`` for the first string in decoded JSON (keys included) that is not valid Unicode."""
    if isinstance(value, str):
        _check_text(value, where)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key, f"{where}.key" if where else "key")
            _find_surrogates(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for index, item in enumerate(value, start=1):
            _find_surrogates(item, f"{where}.{index}.member")


# ---------------------------------------------------------------------------------------------- operation


class Operation:
    """Everything needed to decode one operation's requests and encode its responses."""

    def __init__(self, model: OperationModel) -> None:
        self.name: str = model.name
        self.model = model
        http = model.http
        self.method: str = http.get("method", "POST")
        self.status: int = http.get("responseCode", 200)
        self._labels: dict[str, tuple[str, Converter | None]] = {}
        self._query: dict[str, tuple[str, Converter, bool]] = {}
        self._headers_in: list[tuple[str, str, Converter]] = []
        self._payload_in: tuple[str, str] | None = None
        self._body_in: Converter | None = None
        self._valid: Callable[[Params], bool] = lambda params: True
        self._validate: Callable[[Params], None] = lambda params: None
        self._compile_input(model.input_shape)
        self._compile_output(model.output_shape)

    # --- input

    def _compile_input(self, shape: StructureShape | None) -> None:
        if shape is None:
            return
        memo: dict[str, Converter | None] = {}
        payload = shape.serialization.get("payload")
        has_body = False
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            wire = member.serialization.get("name", name)
            if location == "uri":
                conv_label = _scalar_from_text(member, wire)
                self._labels[wire] = (name, None if conv_label is str else conv_label)
            elif location == "querystring":
                if member.type_name == "list":
                    conv = _scalar_from_text(member.member, wire)  # type: ignore[attr-defined]
                    self._query[wire] = (name, conv, True)
                else:
                    self._query[wire] = (name, _scalar_from_text(member, wire), False)
            elif location == "header":
                self._headers_in.append((wire.lower(), name, _scalar_from_text(member, wire)))
            elif location is None and name != payload:
                has_body = True
        if payload is not None:
            member = shape.members[payload]
            self._payload_in = (payload, member.type_name)
            if member.type_name == "structure":
                self._body_in = _compile_from_wire(member, memo)
        elif has_body:
            self._body_in = _compile_from_wire(shape, memo)
        self._valid, self._validate = compile_validation(shape)

    def parse(self, request: WireRequest, labels: Mapping[str, str]) -> Params:
        """Decode *request*, whose path gave *labels* (by label name, as sent); ``InvalidInput`` for bad input."""
        params: Params = {}
        for wire, raw_label in labels.items():
            entry = self._labels.get(wire)
            if entry is not None:
                name, conv_label = entry
                # what botocore sends is ASCII, and mostly has nothing to decode
                text = raw_label if raw_label.isascii() and "%" not in raw_label else _unquote(raw_label, wire)
                params[name] = text if conv_label is None else conv_label(text)
        query = request.query
        if query and self._query:
            try:
                pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                raise InvalidInput("Invalid request: the query string is not valid UTF-8 when decoded") from None
            for key, value in pairs:
                entry_q = self._query.get(key)
                if entry_q is None:
                    continue
                name, conv, is_list = entry_q
                value = conv(_check_text(value, key))
                if is_list:
                    params.setdefault(name, []).append(value)
                else:
                    params[name] = value
        for header, name, conv in self._headers_in:
            raw_header = request.headers.get(header)
            if raw_header is not None:
                text = _decode_text(raw_header, header) if isinstance(raw_header, bytes) else raw_header
                params[name] = conv(_check_text(text, header))
        if self._payload_in is not None:
            payload_name, payload_type = self._payload_in
            raw = _body_bytes(request.body)
            if payload_type == "structure":
                if raw and self._body_in is not None:
                    params[payload_name] = self._body_in(_load_json(raw))
            elif payload_type == "string":
                params[payload_name] = _decode_text(raw, "the request body")
            else:
                params[payload_name] = raw
        elif self._body_in is not None:
            raw = _body_bytes(request.body)
            if raw:
                params.update(self._body_in(_load_json(raw)))
        if not self._valid(params):
            self._validate(params)  # lists the problems
        return params

    # --- output

    def _compile_output(self, shape: StructureShape | None) -> None:
        self._headers_out: list[tuple[str, str, Converter]] = []
        self._payload_out: tuple[str, str, Converter | None] | None = None
        self._status_member: str | None = None
        self._body_out: Converter | None = None
        self._excluded: frozenset[str] = frozenset()
        self._no_output = True
        if shape is None:
            return
        memo: dict[str, Converter | None] = {}
        payload = shape.serialization.get("payload")
        body_members = False
        for name, member in shape.members.items():
            location = member.serialization.get("location")
            if location == "header":
                fmt = _format_timestamp(_timestamp_format(member, "rfc822"))
                conv: Converter = fmt if member.type_name == "timestamp" else str
                self._headers_out.append((name, member.serialization.get("name", name), conv))
            elif location == "statusCode":
                self._status_member = name
            elif location is None and name != payload:
                body_members = True
        if payload is not None:
            member = shape.members[payload]
            self._payload_out = (payload, member.type_name, _compile_to_wire(member, memo))
        elif body_members:
            self._body_out = _compile_to_wire(shape, memo)
        self._excluded = frozenset(name for name, _, _ in self._headers_out)
        if self._status_member:
            self._excluded |= {self._status_member}
        self._no_output = not (self._headers_out or self._payload_out or self._status_member or self._body_out)

    def respond(self, result: Mapping[str, Any] | None, request_id: str) -> WireResponse:
        """Encode a backend result as AWS's response."""
        if self._no_output:  # PostToConnection and the deletes: nothing of the result goes on the wire
            return WireResponse(
                self.status, {"x-amzn-requestid": request_id, "date": _http_date(), "content-length": "0"}, b""
            )
        headers = {"x-amzn-requestid": request_id, "date": _http_date()}
        status = self.status
        body = b""
        result = result or {}
        if self._payload_out is not None:
            name, type_name, conv = self._payload_out
            value = result.get(name)
            if type_name in ("blob", "string"):
                body = _body_bytes(value)
            elif value is not None:
                body = _dump_json(conv(value) if conv else value)
                headers["content-type"] = "application/json"
        elif self._body_out is not None:
            body_values = result if not self._excluded else {k: v for k, v in result.items() if k not in self._excluded}
            body = _dump_json(self._body_out(body_values))
            headers["content-type"] = "application/json"
        for name, wire, conv in self._headers_out:
            value = result.get(name)
            if value is not None:
                headers[wire.lower()] = conv(value)
        if self._status_member is not None and result.get(self._status_member) is not None:
            status = int(result[self._status_member])
        headers["content-length"] = str(len(body))
        return WireResponse(status, headers, body)


def _load_json(raw: bytes) -> Any:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as exc:
        raise InvalidInput(f"Could not parse request body into json: {exc}") from None
    if b"\\u" in raw and _SURROGATE_ESCAPE.search(raw):
        try:
            _find_surrogates(value, "")
        except RecursionError:
            raise InvalidInput("Could not parse request body into json: nested too deeply") from None
    return value


_encoder = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)
_dumps: Callable[[Any], str] = _encoder.encode
if c_make_encoder is not None:  # CPython's: the encoder that JSONEncoder.encode builds on every call, built once
    # No circular-reference check (its marker dict is the only per-call state): backend results are trees.
    _encode_chunks = c_make_encoder(None, _encoder.default, encode_basestring, None, ":", ",", False, False, True)

    def _dumps(value: Any) -> str:
        return "".join(_encode_chunks(value, 0))


_dumps_ascii = json.JSONEncoder(separators=(",", ":")).encode


def _dump_json(value: Any) -> bytes:
    try:
        return _dumps(value).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate that reached the state some other way (the input side refuses them): escape it
        # rather than fail, so what was stored can always be read back.
        return _dumps_ascii(value).encode("ascii")


_last_date: tuple[int, str] = (-1, "")


def _http_date() -> str:
    """The ``Date`` header; formatted once per second of the clock, which is read on every call."""
    global _last_date
    second = int(time.time())
    if _last_date[0] != second:
        _last_date = (second, email.utils.formatdate(second, usegmt=True))
    return _last_date[1]


# ---------------------------------------------------------------------------------------------- errors


class ErrorEncoder:
    """Encode :class:`ServiceError` as the model's error shapes: status, ``x-amzn-ErrorType``, wire body."""

    def __init__(self, service: ServiceModel) -> None:
        self._shapes: dict[str, tuple[int, dict[str, str]]] = {}
        for shape in service.error_shapes:
            assert isinstance(shape, StructureShape)
            status = shape.metadata.get("error", {}).get("httpStatusCode", 400)
            members = {name: m.serialization.get("name", name) for name, m in shape.members.items()}
            self._shapes[shape.name] = (status, members)

    def encode(self, error: ServiceError, request_id: str) -> WireResponse:
        status, members = self._shapes.get(error.code, (error.status, {"Message": "message"}))
        body: dict[str, Any] = {}
        if error.message is not None:
            body[members.get("Message", "message")] = error.message
        for name, value in error.fields.items():
            if value is not None:
                body[members.get(name, name[:1].lower() + name[1:])] = value
        raw = _dump_json(body) if body else b""
        headers = {
            "x-amzn-requestid": request_id,
            "x-amzn-errortype": error.code,
            "date": _http_date(),
            "content-length": str(len(raw)),
        }
        if raw:
            headers["content-type"] = "application/json"
        return WireResponse(status, headers, raw)
