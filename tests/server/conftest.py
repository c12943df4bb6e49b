"""Fixtures of the server-mode tests: a mock served on a free port, and a deployed WebSocket API."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from mockapigw import MockApiGateway
from mockapigw.server import Server

pytest.importorskip("aiohttp", reason="server mode needs the server extra: pip install 'mockapigw[server]'")


@pytest.fixture
def server(apigw: MockApiGateway) -> Iterator[Server]:
    """The started mock, served on 127.0.0.1 and a free port."""
    with apigw.serve(host="127.0.0.1", port=0) as served:
        yield served


@pytest.fixture
def chat(apigw: MockApiGateway, v2: Any) -> Any:
    """A deployed WebSocket API (``tests/wsapi.py``): stage ``prod``, one recording handler on every route."""
    from wsapi import build_ws_api

    return build_ws_api(apigw, v2)
