"""What server mode sends on a real socket: messages over 32 KB as frames of at most 32 KB (aws-behaviour.md §4),
each message's frames together and in order, and close after the messages queued before it."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest
from botocore.config import Config
from hypothesis import given, settings
from hypothesis import strategies as st
from test_frame_limits import raw_socket
from test_server_websocket import WAIT, connection_id, open_socket, wait_for

from mockapigw.server import Server
from mockapigw.server.frames import BINARY, MAX_FRAME_BYTES, TEXT, frame_header, message_frames

KB = 1024


def parse_frames(stream: bytes) -> list[tuple[int, bool, bytes]]:
    """(opcode, FIN, payload) of every unmasked frame in *stream*, which must hold whole frames only."""
    frames, at = [], 0
    while at < len(stream):
        first, second = stream[at], stream[at + 1]
        assert not second & 0x80, "a server's frames are not masked"
        assert not first & 0x70, "no RSV bit: no extension is negotiated"
        size, at = second & 0x7F, at + 2
        if size == 126:
            size, at = int.from_bytes(stream[at : at + 2], "big"), at + 2
            assert size >= 126, "the shortest length form"
        elif size == 127:
            size, at = int.from_bytes(stream[at : at + 8], "big"), at + 8
            assert size >= 65536, "the shortest length form"
        assert at + size <= len(stream), "a frame cut short"
        frames.append((first & 0x0F, bool(first & 0x80), stream[at : at + size]))
        at += size
    return frames


def assemble(frames: list[tuple[int, bool, bytes]]) -> list[tuple[int, bytes]]:
    """The messages *frames* make, checking RFC 6455 §5.4: a data frame starts each, continuations follow it."""
    messages: list[tuple[int, bytes]] = []
    current: tuple[int, bytearray] | None = None
    for opcode, fin, payload in frames:
        if opcode >= 0x8:  # a control frame may come between fragments; none is expected here
            raise AssertionError(f"unexpected control frame {opcode:#x}")
        if opcode == 0x0:
            assert current is not None, "a continuation frame with no message to continue"
            current[1].extend(payload)
        else:
            assert current is None, "a new message began before the last one ended: frames interleaved"
            current = (opcode, bytearray(payload))
        if fin:
            messages.append((current[0], bytes(current[1])))
            current = None
    assert current is None, "a message without its final frame"
    return messages


class Reader:
    """Reads server frames from a raw socket, a whole message at a time."""

    def __init__(self, raw: socket.socket) -> None:
        self.raw = raw
        self.frames: list[tuple[int, bool, bytes]] = []

    def _exactly(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.raw.recv(n - len(data))
            assert chunk, "connection closed mid-frame"
            data += chunk
        return data

    def frame(self) -> tuple[int, bool, bytes]:
        head = self._exactly(2)
        size = head[1] & 0x7F
        extra = self._exactly(2 if size == 126 else 8 if size == 127 else 0)
        if extra:
            size = int.from_bytes(extra, "big")
        frame = parse_frames(head + extra + self._exactly(size))[0]
        self.frames.append(frame)
        return frame

    def message(self) -> tuple[int, bytes]:
        """The next message's opcode and payload; a control frame is returned as it is."""
        opcode, fin, payload = self.frame()
        parts = [payload]
        while not fin:
            next_opcode, fin, payload = self.frame()
            assert next_opcode == 0x0, f"frame {next_opcode:#x} inside a fragmented message"
            parts.append(payload)
        return opcode, b"".join(parts)


@contextmanager
def stalled_socket(server: Server, api_id: str) -> Iterator[socket.socket]:
    """A WebSocket client that reads nothing after the handshake (a small receive buffer, so it fills soon)."""
    with raw_socket(server, api_id, receive_buffer=16 * KB) as raw:
        yield raw


def management_of(chat: Any) -> Any:
    """AWS's @connections endpoint of the chat API, answered in-process (as a handler's calls are)."""
    return boto3.client(
        "apigatewaymanagementapi",
        region_name="us-east-1",
        endpoint_url=f"https://{chat.api_id}.execute-api.us-east-1.amazonaws.com/prod",
        config=Config(retries={"total_max_attempts": 1}),
    )


# --- the frames of one message


@settings(max_examples=80, deadline=None)
@given(size=st.integers(0, 700), limit=st.integers(1, 200), binary=st.booleans())
def test_message_frames_split_at_the_limit_and_reassemble(size: int, limit: int, binary: bool) -> None:
    payload = bytes(i % 251 for i in range(size))
    opcode = BINARY if binary else TEXT
    frames = parse_frames(b"".join(message_frames(payload, opcode, limit)))

    assert assemble(frames) == [(opcode, payload)]
    assert all(len(piece) <= limit for _, _, piece in frames)
    assert len(frames) == max(1, -(-size // limit))  # as few frames as the limit allows
    assert [fin for _, fin, _ in frames] == [False] * (len(frames) - 1) + [True]


@pytest.mark.parametrize(
    ("size", "sizes"),
    [
        (0, [0]),
        (MAX_FRAME_BYTES, [MAX_FRAME_BYTES]),
        (MAX_FRAME_BYTES + 1, [MAX_FRAME_BYTES, 1]),
        (128 * KB, [MAX_FRAME_BYTES] * 4),
        (100 * KB, [MAX_FRAME_BYTES] * 3 + [4 * KB]),
    ],
)
def test_api_gateways_32_kb_frames(size: int, sizes: list[int]) -> None:
    frames = parse_frames(b"".join(message_frames(b"m" * size, TEXT)))
    assert [len(piece) for _, _, piece in frames] == sizes
    assert [opcode for opcode, _, _ in frames] == [TEXT] + [0x0] * (len(sizes) - 1)


@pytest.mark.parametrize("size", [0, 125, 126, 65535, 65536, 70000])
def test_frame_header_uses_the_shortest_length_form(size: int) -> None:
    [(opcode, fin, payload)] = parse_frames(frame_header(0x80 | BINARY, size) + bytes(size))
    assert (opcode, fin, len(payload)) == (BINARY, True, size)


# --- on the wire


@pytest.mark.parametrize("size", [MAX_FRAME_BYTES, MAX_FRAME_BYTES + 1, 100 * KB, 128 * KB])
def test_a_post_arrives_in_frames_of_at_most_32_kb(server: Server, chat: Any, size: int) -> None:
    text = bytes(ord("a") + i % 26 for i in range(size))
    not_utf8 = b"\xff" + text[1:]
    with raw_socket(server, chat.api_id) as raw:
        reader = Reader(raw)
        management = management_of(chat)
        real_id = connection_id(chat)
        management.post_to_connection(ConnectionId=real_id, Data=text)
        management.post_to_connection(ConnectionId=real_id, Data=not_utf8)
        assert reader.message() == (TEXT, text)
        assert reader.message() == (BINARY, not_utf8)  # bytes that are not UTF-8: a binary message
    expected = [len(piece) for piece in (text[i : i + MAX_FRAME_BYTES] for i in range(0, size, MAX_FRAME_BYTES))]
    assert [len(payload) for _, _, payload in reader.frames] == expected * 2
    assert [opcode for opcode, _, _ in reader.frames] == ([TEXT] + [0] * (len(expected) - 1)) + (
        [BINARY] + [0] * (len(expected) - 1)
    )


def test_a_websocket_client_reassembles_text_split_inside_a_character(server: Server, chat: Any) -> None:
    text = "✓" * (40 * KB)  # 3 bytes each: the 32 KB frame boundaries fall inside characters
    assert MAX_FRAME_BYTES % 3
    with open_socket(server, chat.api_id, max_size=None) as client:
        management_of(chat).post_to_connection(ConnectionId=connection_id(chat), Data=text.encode())
        assert client.recv(timeout=WAIT) == text


def test_concurrent_posts_never_interleave_frames_and_keep_each_posters_order(server: Server, chat: Any) -> None:
    posters, each = 4, 5
    with raw_socket(server, chat.api_id) as raw:
        real_id = connection_id(chat)
        start = threading.Barrier(posters)
        failures: list[BaseException] = []

        def post(poster: int) -> None:
            management = management_of(chat)
            start.wait(timeout=WAIT)
            try:
                for index in range(each):
                    filler = bytes([ord("a") + poster]) * ((40 + 9 * index) * KB)
                    management.post_to_connection(ConnectionId=real_id, Data=f"{poster}:{index}:".encode() + filler)
            except BaseException as error:  # noqa: BLE001 - reported by the test's thread
                failures.append(error)

        threads = [threading.Thread(target=post, args=(poster,)) for poster in range(posters)]
        for thread in threads:
            thread.start()
        reader = Reader(raw)
        messages = [reader.message() for _ in range(posters * each)]
        for thread in threads:
            thread.join(timeout=WAIT)
    assert failures == []
    assert assemble(reader.frames) == messages  # every message's frames together
    order: dict[int, list[int]] = {}
    for opcode, payload in messages:
        poster, index, filler = payload.split(b":", 2)
        assert opcode == TEXT
        assert filler == bytes([ord("a") + int(poster)]) * ((40 + 9 * int(index)) * KB)
        order.setdefault(int(poster), []).append(int(index))
    assert order == {poster: list(range(each)) for poster in range(posters)}


def test_delete_closes_after_the_messages_queued_before_it(server: Server, chat: Any) -> None:
    """A client that reads nothing for a while still gets every message posted before the close, then the close."""
    size = 128 * KB
    with stalled_socket(server, chat.api_id) as raw:
        real_id = connection_id(chat)
        management = management_of(chat)
        [connection] = server.gateway.connections
        posted = 0
        # Past what loopback buffers take (a few MB), until messages wait in the server's backlog (or a 429 says
        # the server holds all it may): the close must wait behind them. 500 posts (64 MB) bound the loop.
        while not connection.transport._backlog and posted < 500:
            try:
                management.post_to_connection(ConnectionId=real_id, Data=f"{posted:04d}".encode() * (size // 4))
            except management.exceptions.LimitExceededException:
                break
            posted += 1
        assert connection.transport._backlog, "the messages wait in the server: the transport holds back"
        management.delete_connection(ConnectionId=real_id)
        reader = Reader(raw)
        for index in range(posted):
            assert reader.message() == (TEXT, f"{index:04d}".encode() * (size // 4))
        assert reader.message() == (0x8, (1000).to_bytes(2, "big"))
    wait_for(lambda: chat.of_type("DISCONNECT"))


def test_a_socket_with_nothing_to_send_keeps_no_task_or_queue(server: Server, chat: Any) -> None:
    with open_socket(server, chat.api_id) as client:
        management = management_of(chat)
        real_id = connection_id(chat)
        for index in range(3):
            management.post_to_connection(ConnectionId=real_id, Data=f"m{index}".encode())
        assert [client.recv(timeout=WAIT) for _ in range(3)] == ["m0", "m1", "m2"]
        [connection] = server.gateway.connections
        transport = connection.transport
        wait_for(lambda: transport._backlog is None and transport._pump is None)
