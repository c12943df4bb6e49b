"""pytest plugin: the ``apigw`` fixture (registered under the ``pytest11`` entry point)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .mock import MockApiGateway


@pytest.fixture
def apigw() -> Iterator[MockApiGateway]:
    """A started :class:`~mockapigw.MockApiGateway`, stopped after the test."""
    with MockApiGateway() as gw:
        yield gw
