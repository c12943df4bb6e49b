"""Fixtures of the server-mode tests: a mock served on a free port, and a deployed WebSocket API."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Iterator
from typing import Any

import pytest

from mockapigw import MockApiGateway
from mockapigw.server import Server

pytest.importorskip("aiohttp", reason="server mode needs the server extra: pip install 'mockapigw[server]'")


@pytest.fixture(params=["default loop", "asyncio loop"])
def server(apigw: MockApiGateway, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The started mock, served on 127.0.0.1 and a free port: on the server's default loop (uvloop where it is
    installed), and again on asyncio's own (where uvloop is not: Windows, or without the server extra's uvloop)."""
    if request.param == "asyncio loop":
        from mockapigw.server import runner

        if importlib.util.find_spec("uvloop") is None:
            pytest.skip("the default loop is asyncio's already")
        monkeypatch.setattr(runner, "new_loop", asyncio.new_event_loop)
    with apigw.serve(host="127.0.0.1", port=0) as served:
        yield served


@pytest.fixture
def chat(apigw: MockApiGateway, v2: Any) -> Any:
    """A deployed WebSocket API (``tests/wsapi.py``): stage ``prod``, one recording handler on every route."""
    from wsapi import build_ws_api

    return build_ws_api(apigw, v2)
