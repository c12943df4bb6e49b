"""HTTP GETs that only something in the process may answer: a ``responses`` mock, moto, or the mock itself.

JWT authorizers discover their issuer's keys (OIDC discovery, then the JWKS) through ``requests``, so that a
``responses`` mock or moto started by the test can answer. Whatever ``HTTPAdapter.send`` chain is in place runs
as usual; if the request gets to the end of the chain (the real adapter, about to open a socket), the adapter here
refuses instead. So discovery never reaches the network on its own, whatever was patched in which order.
"""

from __future__ import annotations

from typing import Any

import requests
import requests.adapters


class NothingAnswered(requests.ConnectionError):
    """No mock in the process answered the request, and it may not go to the network."""


class _NoNetworkAdapter(requests.adapters.HTTPAdapter):
    """An adapter whose send is whatever mocks patched in, and whose real transport refuses to connect."""

    def get_connection_with_tls_context(self, request: Any, verify: Any, proxies: Any = None, cert: Any = None) -> Any:
        raise NothingAnswered(f"nothing in the process answered {request.url}, and mockapigw does not go online")

    def get_connection(self, url: Any, proxies: Any = None) -> Any:  # older requests
        raise NothingAnswered(f"nothing in the process answered {url}, and mockapigw does not go online")


def get_json(url: str, timeout: float) -> Any:
    """GET *url* and parse JSON; :class:`NothingAnswered` when only the network could answer it."""
    with requests.Session() as session:
        adapter = _NoNetworkAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.get(url, timeout=timeout).json()
