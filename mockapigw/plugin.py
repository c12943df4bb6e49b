"""pytest plugin: the ``apigw`` fixture and the ``apigw`` marker (registered under the ``pytest11`` entry point)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .mock import MockApiGateway


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker so ``--strict-markers`` accepts it."""
    config.addinivalue_line(
        "markers",
        "apigw(account_id=None, raise_handler_errors=True): settings for the apigw fixture's MockApiGateway",
    )


@pytest.fixture
def apigw(request: pytest.FixtureRequest) -> Iterator[MockApiGateway]:
    """A started :class:`~mockapigw.MockApiGateway`, stopped after the test.

    ``@pytest.mark.apigw(account_id="111122223333")`` on the test (or its class or module) configures it;
    ``@pytest.mark.apigw(raise_handler_errors=False)`` gives AWS's answers to a handler's exceptions instead of
    raising them in the test.
    """
    marker = request.node.get_closest_marker("apigw")
    settings = dict(marker.kwargs) if marker is not None else {}
    with MockApiGateway(**settings) as gw:
        yield gw
