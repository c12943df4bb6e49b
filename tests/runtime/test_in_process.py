"""Discovery GETs that only something in the process may answer: a ``responses`` mock answers, the network never."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import responses

from mockapigw.runtime.in_process import NothingAnswered, get_json

JWKS = "https://issuer.example.com/.well-known/jwks.json"


def test_a_responses_mock_answers_and_the_json_is_parsed(no_network: list[Any]) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(JWKS, json={"keys": [{"kid": "k1"}]})
        assert get_json(JWKS, timeout=1) == {"keys": [{"kid": "k1"}]}
    assert no_network == []


@pytest.mark.parametrize("url", [JWKS, "http://192.0.2.10/openid-configuration"])
def test_without_a_mock_nothing_answers_and_no_socket_is_opened(no_network: list[Any], url: str) -> None:
    with pytest.raises(NothingAnswered, match="does not go online") as caught:
        get_json(url, timeout=1)
    assert url in str(caught.value)
    assert isinstance(caught.value, requests.ConnectionError)  # callers that catch requests' errors still do
    assert no_network == []


def test_a_mock_that_passes_the_request_through_still_never_reaches_the_network(no_network: list[Any]) -> None:
    with responses.RequestsMock() as rsps:
        rsps.add_passthru("https://issuer.example.com")
        with pytest.raises(NothingAnswered):
            get_json(JWKS, timeout=1)
    assert no_network == []
