"""Closing a server-mode WebSocket over a real socket: what goes out before the close, and who closes it."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
from test_frame_limits import frame, raw_socket, read_frame
from test_server_websocket import WAIT, open_socket, wait_for

from mockapigw import MockApiGateway
from mockapigw.server import Server, app


def test_a_reply_to_a_message_sent_just_before_the_clients_close_still_arrives(server: Server, chat: Any) -> None:
    """The client may receive until the server's Close (RFC 6455 §5.5.1); as before the hand-over, the reply to a
    message read before the client's Close goes out ahead of the answering Close."""
    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": event["body"].upper()}
    with raw_socket(server, chat.api_id) as raw:
        # One write: the server reads the Close while the message is still with its handler.
        raw.sendall(frame(b"hello") + frame((1000).to_bytes(2, "big"), opcode=0x8))
        assert read_frame(raw) == (0x1, b"HELLO")
        assert read_frame(raw) == (0x8, (1000).to_bytes(2, "big"))
    wait_for(lambda: chat.of_type("DISCONNECT"))


def test_a_socket_opened_while_the_server_stops_is_closed_with_1001_too(server: Server, chat: Any) -> None:
    """A client that reconnects as soon as it is closed may open a socket while the server stops: it goes too."""
    late: list[socket.socket] = []

    def reconnect(event: dict[str, Any], context: Any) -> Any:
        if not late:  # the first socket's $disconnect, run by stop(): a client opens another meanwhile
            late.append(raw_socket(server, chat.api_id))
        return {"statusCode": 200}

    chat.replies["$disconnect"] = reconnect
    with raw_socket(server, chat.api_id) as first:
        stopping = threading.Thread(target=server.stop)
        stopping.start()
        assert read_frame(first) == (0x8, (1001).to_bytes(2, "big") + b"Going away")
        first.sendall(frame((1001).to_bytes(2, "big"), opcode=0x8))  # the first client answers, as clients do
    wait_for(lambda: late)
    with late[0] as second:
        assert read_frame(second) == (0x8, (1001).to_bytes(2, "big") + b"Going away")
        second.sendall(frame((1001).to_bytes(2, "big"), opcode=0x8))
        stopping.join(WAIT)
    assert len(chat.of_type("DISCONNECT")) == 2


def test_a_ping_the_mock_fails_on_still_leaves_the_socket_its_close_and_disconnect(
    apigw: MockApiGateway, server: Server, chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure of the mock itself on a message is logged and the socket goes on (as before the hand-over); a ping
    is no different: its socket still closes, and runs $disconnect, when the client closes."""

    def broken(connection: Any) -> None:
        raise RuntimeError("the mock failed")

    monkeypatch.setattr(apigw.websockets, "ping", broken)
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(frame(b"p", opcode=0x9) + frame((1000).to_bytes(2, "big"), opcode=0x8))
        assert read_frame(raw) == (0xA, b"p")
        assert read_frame(raw) == (0x8, (1000).to_bytes(2, "big"))
    wait_for(lambda: chat.of_type("DISCONNECT"))


def test_a_ping_is_answered_while_a_message_of_its_connection_is_with_its_handler(server: Server, chat: Any) -> None:
    """As docs/server-mode.md says: the pong does not wait for the handler (only the ping's activity does)."""
    release = threading.Event()
    chat.replies["$default"] = lambda event, context: release.wait(WAIT) and {"statusCode": 200}
    chat.route("$default")
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(frame(b"slow"))
        wait_for(lambda: chat.of_type("MESSAGE"))
        raw.sendall(frame(b"p", opcode=0x9))
        assert read_frame(raw) == (0xA, b"p")
        release.set()


@pytest.mark.parametrize("offered", [None, ["other"]])
def test_a_subprotocol_the_client_did_not_offer_is_not_answered(
    server: Server, chat: Any, offered: list[str] | None
) -> None:
    """As aiohttp negotiated before the hand-over: ``$connect`` naming a subprotocol the client did not offer
    leaves the answer without one, rather than one the client must fail the connection for (RFC 6455 §4.1)."""
    chat.route("$default")
    chat.replies["$connect"] = {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v1"}}
    with open_socket(server, chat.api_id, subprotocols=offered) as client:  # type: ignore[arg-type]
        assert client.subprotocol is None
        client.send("still open")
    wait_for(lambda: chat.of_type("MESSAGE"))


def test_a_subprotocol_offered_in_a_list_is_answered(server: Server, chat: Any) -> None:
    chat.replies["$connect"] = {"statusCode": 200, "headers": {"Sec-WebSocket-Protocol": "chat.v2"}}
    with open_socket(server, chat.api_id, subprotocols=["chat.v1", "chat.v2"]) as client:  # type: ignore[list-item]
        assert client.subprotocol == "chat.v2"


def test_many_messages_sent_at_once_then_a_close_are_all_handled_and_answered_in_order(
    server: Server, chat: Any
) -> None:
    """Past 16 waiting the server stops reading and starts again as they are handed on: nothing is lost, every
    reply goes out in order, and the Close read last is answered after them."""
    chat.route("$default", two_way=True)
    chat.replies["$default"] = lambda event, context: {"statusCode": 200, "body": event["body"]}
    sent = [f"m{i}" for i in range(500)]
    with raw_socket(server, chat.api_id) as raw:
        raw.sendall(b"".join(frame(text.encode()) for text in sent) + frame((1000).to_bytes(2, "big"), opcode=0x8))
        received = [read_frame(raw) for _ in sent]
        assert read_frame(raw) == (0x8, (1000).to_bytes(2, "big"))
    assert received == [(0x1, text.encode()) for text in sent]
    wait_for(lambda: chat.of_type("DISCONNECT"))
    assert [event["body"] for event in chat.of_type("MESSAGE")] == sent


def test_a_socket_still_open_when_the_shutdown_grace_ends_is_dropped(
    server: Server, chat: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The client closed while a handler of its still runs, and that handler outlasts the stop's grace: the socket
    is dropped when the server stops (as aiohttp's shutdown did before the hand-over), not left open for ever."""
    monkeypatch.setattr(app, "_SHUTDOWN_GRACE_S", 0.2)
    release = threading.Event()
    chat.replies["$default"] = lambda event, context: release.wait(WAIT) and {"statusCode": 200}
    chat.route("$default")
    try:
        with raw_socket(server, chat.api_id) as raw:
            # The Close is answered only once the message before it is handled, which outlasts the grace.
            raw.sendall(frame(b"slow") + frame((1000).to_bytes(2, "big"), opcode=0x8))
            wait_for(lambda: chat.of_type("MESSAGE"))
            server.stop()
            assert raw.recv(16) == b""  # dropped: the end of the stream, not a wait for the whole timeout
    finally:
        release.set()
