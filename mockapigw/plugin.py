"""pytest plugin: the ``apigw`` fixture and the ``apigw`` marker (registered under the ``pytest11`` entry point)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
    raising them in the test. Markers at several levels combine; the closest one wins for a setting they share.
    """
    with MockApiGateway(**_settings(request.node)) as gw:
        yield gw


_SETTINGS = ("account_id", "raise_handler_errors")


def _settings(node: pytest.Item) -> dict[str, Any]:
    """The ``apigw`` markers' settings: each one from the closest marker that gives it (test, class, module)."""
    settings: dict[str, Any] = {}
    for marker in node.iter_markers("apigw"):  # closest first
        if marker.args:
            raise TypeError(
                f"@pytest.mark.apigw takes keyword arguments only ({', '.join(f'{name}=...' for name in _SETTINGS)}), "
                f"got {marker.args!r}"
            )
        unknown = sorted(set(marker.kwargs) - set(_SETTINGS))
        if unknown:
            raise TypeError(f"@pytest.mark.apigw got unknown settings {unknown}; it takes {', '.join(_SETTINGS)}")
        for name, value in marker.kwargs.items():
            settings.setdefault(name, value)
    return settings
