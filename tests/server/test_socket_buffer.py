"""A real socket's buffer-full rule: posts answer LimitExceededException (429) once what its client has not taken
yet would pass the limit (docs/server-mode.md), and succeed again when the client has read."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from test_outgoing_frames import TEXT, Reader, management_of, stalled_socket
from test_server_websocket import connection_id, wait_for

from mockapigw.server import Server
from mockapigw.server.bridge import MAX_UNSENT_BYTES, SocketTransport

KB = 1024
SIZE = 128 * KB  # the largest message @connections takes
# A bound, not an expectation: loopback buffers take a few MB before the server holds anything.
MAX_POSTS = (MAX_UNSENT_BYTES + 64 * 1024 * 1024) // SIZE


def message(index: int) -> bytes:
    return f"{index:06d}".encode() * (SIZE // 6) + b"x" * (SIZE % 6)


def post_until_refused(management: Any, connection: str) -> int:
    """Post 128 KB messages until a LimitExceededException; how many were accepted before it."""
    for index in range(MAX_POSTS):
        try:
            management.post_to_connection(ConnectionId=connection, Data=message(index))
        except management.exceptions.LimitExceededException as refused:
            answer = refused.response
            break
    else:
        raise AssertionError(f"{MAX_POSTS} posts of 128 KB to a client that reads nothing were all accepted")
    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert answer["Error"]["Message"] == "Limit Exceeded"
    return index


def test_a_client_that_stops_reading_gets_429_then_every_accepted_message(server: Server, chat: Any) -> None:
    management = management_of(chat)
    with stalled_socket(server, chat.api_id) as raw:
        real_id = connection_id(chat)
        accepted = post_until_refused(management, real_id)
        # The server held more than the limit allows with one more message: not refused early.
        assert accepted * SIZE > MAX_UNSENT_BYTES - SIZE
        with pytest.raises(management.exceptions.LimitExceededException):  # still full: nothing was read
            management.post_to_connection(ConnectionId=real_id, Data=message(accepted))

        reader = Reader(raw)
        for index in range(accepted):  # every accepted message, whole and in order; none of the refused ones
            assert reader.message() == (TEXT, message(index))
        # Everything taken: the socket takes posts again, and the refused ones never arrive.
        management.post_to_connection(ConnectionId=real_id, Data=b"after")
        assert reader.message() == (TEXT, b"after")
        [connection] = server.gateway.connections
        wait_for(lambda: connection.transport._backlog is None and connection.transport._pump is None)


def test_the_limit_counts_per_socket(server: Server, chat: Any) -> None:
    management = management_of(chat)
    with stalled_socket(server, chat.api_id) as raw:
        stalled = connection_id(chat)
        with stalled_socket(server, chat.api_id) as other_raw:
            other = connection_id(chat)
            assert other != stalled
            post_until_refused(management, stalled)
            management.post_to_connection(ConnectionId=other, Data=b"not full")  # another socket's buffer
            assert Reader(other_raw).message() == (TEXT, b"not full")
        assert Reader(raw).message() == (TEXT, message(0))  # the stalled one still has its messages


def test_a_refused_post_changes_nothing_and_gone_comes_first(server: Server, chat: Any) -> None:
    management = management_of(chat)
    with stalled_socket(server, chat.api_id):
        real_id = connection_id(chat)
        post_until_refused(management, real_id)
        management.delete_connection(ConnectionId=real_id)
        with pytest.raises(management.exceptions.GoneException):  # a closed connection is gone, not full
            management.post_to_connection(ConnectionId=real_id, Data=b"x")


def _masked_close(code: int) -> bytes:
    """A client's Close frame (clients mask every frame, RFC 6455 §5.3)."""
    payload = code.to_bytes(2, "big")
    key = b"\x01\x02\x03\x04"
    return bytes([0x88, 0x80 | len(payload)]) + key + bytes(byte ^ key[i % 4] for i, byte in enumerate(payload))


def test_a_client_that_closes_without_reading_is_let_go(
    server: Server, chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mockapigw.server import bridge

    monkeypatch.setattr(bridge, "FINISH_GRACE_S", 0.2)
    management = management_of(chat)
    with stalled_socket(server, chat.api_id) as raw:
        post_until_refused(management, connection_id(chat))  # the server holds messages the client never takes
        raw.sendall(_masked_close(1000))
        wait_for(lambda: chat.of_type("DISCONNECT"))
        # Cut off after the grace period instead of waiting forever for a client that takes nothing.
        wait_for(lambda: not server.gateway.connections)


class _Stream:
    """The transport side of a closing socket, as finish() looks at it."""

    def __init__(self) -> None:
        self.buffered = 1000
        self.aborted = False

    def get_write_buffer_size(self) -> int:
        return self.buffered

    def abort(self) -> None:
        self.aborted = True


def _closing_transport(loop: asyncio.AbstractEventLoop, stream: _Stream, pump: Any) -> SocketTransport:
    transport = SocketTransport(loop)
    transport._socket = object()  # type: ignore[assignment]  # past the handshake; finish() only checks it is set
    transport._stream = stream  # type: ignore[assignment]
    transport._pump = loop.create_task(pump)
    return transport


def test_a_closing_client_still_taking_data_is_waited_for() -> None:
    async def main() -> None:
        stream = _Stream()

        async def steady() -> None:  # a client taking a little every 0.05 s: longer than the grace in all
            for _ in range(12):
                await asyncio.sleep(0.05)
                stream.buffered -= 10

        transport = _closing_transport(asyncio.get_running_loop(), stream, steady())
        await transport.finish(grace=0.2)
        assert not stream.aborted and stream.buffered == 880

    asyncio.run(main())


def test_a_closing_client_taking_nothing_is_cut_off_after_the_grace() -> None:
    async def main() -> None:
        stream = _Stream()
        transport = _closing_transport(asyncio.get_running_loop(), stream, asyncio.sleep(60))
        loop = asyncio.get_running_loop()
        started = loop.time()
        await transport.finish(grace=0.2)
        assert stream.aborted and 0.2 <= loop.time() - started < 5

    asyncio.run(main())
