"""Fixtures shared by the runtime tests."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import App

from mockapigw import MockApiGateway


@pytest.fixture
def app(apigw: MockApiGateway, v2: Any) -> App:
    """An HTTP API on ``$default`` whose routes all call one recording handler."""
    return App(apigw, v2)
