"""API Gateway's 32 KB frame limit on frames a client sends (aws-behaviour.md §4), as server mode enforces it."""

from __future__ import annotations

import json
import os
import socket
from typing import Any, Literal, overload

from test_server_websocket import WAIT, open_socket, wait_for
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from mockapigw.server import Server
from mockapigw.server.frames import MAX_FRAME_BYTES

KB = 1024


def frame(payload: bytes, *, opcode: int = 0x1, fin: bool = True, mask: bool = True, width: int | None = None) -> bytes:
    """One WebSocket frame (RFC 6455 §5.2); ``width`` forces the 7, 16 or 64-bit length form."""
    size = len(payload)
    width = width or (7 if size < 126 else 16 if size < 65536 else 64)
    head = bytes([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask else 0
    if width == 7:
        head += bytes([mask_bit | size])
    elif width == 16:
        head += bytes([mask_bit | 126]) + size.to_bytes(2, "big")
    else:
        head += bytes([mask_bit | 127]) + size.to_bytes(8, "big")
    if not mask:
        return head + payload
    key = os.urandom(4)
    return head + key + bytes(byte ^ key[i % 4] for i, byte in enumerate(payload))


def raw_socket(server: Server, api_id: str, receive_buffer: int | None = None) -> socket.socket:
    """A plain TCP socket past the WebSocket handshake, to send frames byte for byte.

    *receive_buffer* sets ``SO_RCVBUF`` before connecting (it sets the TCP window): a small one fills soon.
    """
    raw = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if receive_buffer is not None:
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
    raw.settimeout(WAIT)
    raw.connect(("127.0.0.1", server.port))
    raw.sendall(
        f"GET /_aws/execute-api/{api_id}/prod HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n".encode()
    )
    answer = b""
    while not answer.endswith(b"\r\n\r\n"):
        answer += raw.recv(1)
    assert answer.startswith(b"HTTP/1.1 101")
    return raw


@overload
def read_frame(raw: socket.socket) -> tuple[int, bytes]: ...


@overload
def read_frame(raw: socket.socket, *, fin: Literal[True]) -> tuple[int, bool, bytes]: ...


def read_frame(raw: socket.socket, *, fin: bool = False) -> tuple[int, bytes] | tuple[int, bool, bytes]:
    """The opcode and payload of the next (unmasked, server-sent) frame; with ``fin``, its FIN bit in between."""

    def exactly(n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = raw.recv(n - len(data))
            assert chunk, "connection closed mid-frame"
            data += chunk
        return data

    first, second = exactly(2)
    size = second & 0x7F
    if size == 126:
        size = int.from_bytes(exactly(2), "big")
    elif size == 127:
        size = int.from_bytes(exactly(8), "big")
    assert not second & 0x80, "a server's frames are not masked"
    if fin:
        return first & 0x0F, bool(first & 0x80), exactly(size)
    return first & 0x0F, exactly(size)


def close_code_after_sending(client: ClientConnection, message: Any) -> int | None:
    """The close code the server answers ``message`` with (it may close before the client has sent it all)."""
    try:
        client.send(message)
        client.recv(timeout=WAIT)
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd is not None else None
    raise AssertionError("the server did not close the connection")


def disconnect_code(chat: Any) -> int:
    wait_for(lambda: chat.of_type("DISCONNECT"))
    return int(chat.of_type("DISCONNECT")[0]["requestContext"]["disconnectStatusCode"])


def test_a_100_kb_message_in_four_25_kb_fragments_is_accepted(server: Server, chat: Any) -> None:
    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": str(len(event["body"]))}
    fragments = [letter * (25 * KB) for letter in "abcd"]
    with open_socket(server, chat.api_id) as client:
        client.send(fragments)  # an iterable: one message, one frame per item
        assert client.recv(timeout=WAIT) == str(100 * KB)
    assert [m["body"] for m in chat.of_type("MESSAGE")] == ["".join(fragments)]


def test_a_frame_of_exactly_32_kb_is_accepted(server: Server, chat: Any) -> None:
    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": "ok"}
    with open_socket(server, chat.api_id) as client:
        client.send("x" * MAX_FRAME_BYTES)
        assert client.recv(timeout=WAIT) == "ok"


def test_a_40_kb_single_frame_message_closes_with_1009(server: Server, chat: Any) -> None:
    chat.route("$default")
    with open_socket(server, chat.api_id) as client:
        # The websockets client sends a message as one frame.
        assert close_code_after_sending(client, "x" * (40 * KB)) == 1009
    assert disconnect_code(chat) == 1009
    assert chat.of_type("MESSAGE") == []  # the message is not handed to the handler


def test_one_fragment_over_32_kb_closes_with_1009(server: Server, chat: Any) -> None:
    chat.route("$default")
    with open_socket(server, chat.api_id) as client:
        assert close_code_after_sending(client, ["a" * (10 * KB), "b" * (MAX_FRAME_BYTES + 1)]) == 1009
    assert disconnect_code(chat) == 1009
    assert chat.of_type("MESSAGE") == []


def test_messages_before_the_oversize_frame_are_still_handed_on(server: Server, chat: Any) -> None:
    chat.route("$default")
    with raw_socket(server, chat.api_id) as raw:
        # Sent in one write, so the server reads them in one go: the first two messages were complete on the wire.
        raw.sendall(frame(b"one") + frame(b"tw", fin=False) + frame(b"o", opcode=0x0) + frame(b"z" * (33 * KB)))
        assert read_frame(raw) == (0x8, (1009).to_bytes(2, "big"))
    assert disconnect_code(chat) == 1009
    assert [m["body"] for m in chat.of_type("MESSAGE")] == ["one", "two"]


def test_an_oversize_first_fragment_closes_without_waiting_for_the_rest(server: Server, chat: Any) -> None:
    chat.route("$default")
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(frame(b"y" * (40 * KB), fin=False))  # the rest of the message never comes
        assert read_frame(raw) == (0x8, (1009).to_bytes(2, "big"))
    assert disconnect_code(chat) == 1009
    assert chat.of_type("MESSAGE") == []


def test_oversize_frame_header_split_across_reads_is_still_seen(server: Server, chat: Any) -> None:
    chat.route("$default")
    with raw_socket(server, chat.api_id) as raw:
        big = frame(b"q" * (40 * KB), width=64)
        raw.sendall(big[:3])  # the 64-bit length arrives in pieces
        raw.sendall(big[3:])
        assert read_frame(raw) == (0x8, (1009).to_bytes(2, "big"))
    assert disconnect_code(chat) == 1009


def test_pings_and_small_messages_leave_the_connection_open(server: Server, chat: Any) -> None:
    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": event["body"].upper()}
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(frame(b"p" * 125, opcode=0x9) + frame(b"hi", width=64))
        assert read_frame(raw) == (0xA, b"p" * 125)  # the pong
        assert read_frame(raw) == (0x1, b"HI")


def test_a_reply_over_32_kb_arrives_in_frames_of_32_kb(server: Server, chat: Any) -> None:
    """API Gateway splits a message over 32 KB into frames of at most 32 KB (aws-behaviour.md §4)."""
    chat.route("$default", two_way=True)
    body = json.dumps({"data": "r" * (100 * KB)}).encode()
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": body.decode()}
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(frame(b"go"))
        frames = [read_frame(raw, fin=True) for _ in range(4)]
    pieces = [body[at : at + MAX_FRAME_BYTES] for at in range(0, len(body), MAX_FRAME_BYTES)]
    assert frames == [(0x1, False, pieces[0]), (0x0, False, pieces[1]), (0x0, False, pieces[2]), (0x0, True, pieces[3])]
