"""Kept timestamps: what botocore's own parser gives, every time, in every environment it depends on."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.parsers
import freezegun
import pytest
import time_machine
from botocore.utils import parse_timestamp
from hypothesis import given, settings
from hypothesis import strategies as st

from mockapigw import MockApiGateway
from mockapigw.core import timestamps
from mockapigw.core.codec import _iso8601
from mockapigw.core.timestamps import keeping

kept = keeping(parse_timestamp)


def _outcome(parse: Any, value: Any) -> tuple[str, str, str]:
    """What *parse* makes of *value*, down to the classes of the result and of its time zone."""
    try:
        parsed = parse(value)
    except Exception as error:  # noqa: BLE001 - the exception is the outcome compared
        return "raised", type(error).__name__, str(error)
    return _described(parsed)


def _described(parsed: Any) -> tuple[str, str, str]:
    return repr(parsed), type(parsed).__qualname__, type(getattr(parsed, "tzinfo", None)).__qualname__


_SENT = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.timezone.utc)
).map(_iso8601)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_SENT, st.text(max_size=30), st.integers(), st.floats(allow_nan=False, width=32)))
def test_kept_timestamps_are_what_botocore_parses(value: Any) -> None:
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)  # the second time, from what was kept


@pytest.mark.parametrize(
    "value",
    ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00.250Z", "2024-02-30T12:00:00Z", "2024-05-01T24:00:00Z"],
)
def test_the_mocks_own_form_and_impossible_dates(value: str) -> None:
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)


@pytest.fixture
def new_york() -> Iterator[None]:
    """The process's local time zone is New York's while the test runs."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_change_of_local_time_zone_is_followed(new_york: None) -> None:
    value = "2024-05-01T12:00:00.123Z"
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)
    os.environ["TZ"] = "UTC"
    time.tzset()
    assert _outcome(kept, value) == _outcome(parse_timestamp, value)


def test_freezegun_and_time_machine_get_their_own_datetimes() -> None:
    value = "2024-05-01T12:00:00Z"
    plain = _outcome(kept, value)
    with freezegun.freeze_time("2020-01-01"):
        assert _outcome(kept, value) == _outcome(parse_timestamp, value) != plain  # FakeDatetime
    with time_machine.travel("2020-01-01"):
        assert _outcome(kept, value) == _outcome(parse_timestamp, value) == plain
    assert _outcome(kept, value) == plain


def test_the_kept_timestamps_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timestamps, "KEPT_TIMESTAMPS", 10)
    monkeypatch.setattr(timestamps, "_kept", {})
    for second in range(25):
        value = f"2024-05-01T12:00:{second:02d}Z"
        assert kept(value) == parse_timestamp(value)
        assert len(timestamps._kept) <= 10


def test_a_session_timestamp_parser_is_used_as_set(apigw: MockApiGateway) -> None:
    session = boto3.session.Session()
    session._session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=str)
    v2 = session.client("apigatewayv2", region_name="us-east-1")
    api = v2.create_api(Name="raw", ProtocolType="HTTP")
    assert isinstance(api["CreatedDate"], str)
    assert v2.get_api(ApiId=api["ApiId"])["CreatedDate"] == api["CreatedDate"]


def test_a_replaced_default_timestamp_parser_is_called_for_every_timestamp(
    apigw: MockApiGateway, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only botocore's own parser is known to give the same answer every time: one put in its place (botocore's
    # module default replaced) is called as botocore calls it, and each response gets its own result.
    seen: list[str] = []

    class Raw(str):
        """The text as sent, as its own object."""

    def parse(value: str) -> Raw:
        seen.append(value)
        return Raw(value)

    monkeypatch.setattr(botocore.parsers, "DEFAULT_TIMESTAMP_PARSER", parse)
    v2 = boto3.client("apigatewayv2", region_name="us-east-1")
    api_id = v2.create_api(Name="raw", ProtocolType="HTTP")["ApiId"]
    first, second = (v2.get_api(ApiId=api_id)["CreatedDate"] for _ in range(2))
    assert first == second and first is not second
    assert len(seen) == 3 and len(set(seen)) == 1


def test_boto3_gets_botocores_datetimes(apigw: MockApiGateway, v2: Any) -> None:
    api = v2.create_api(Name="http", ProtocolType="HTTP")
    for _ in range(2):
        got = v2.get_api(ApiId=api["ApiId"])["CreatedDate"]
        assert got == api["CreatedDate"]
        assert _described(got) == _outcome(parse_timestamp, _iso8601(got))
    with freezegun.freeze_time("2020-01-01"):
        got = v2.get_api(ApiId=api["ApiId"])["CreatedDate"]
        assert _described(got) == _outcome(parse_timestamp, _iso8601(api["CreatedDate"]))
        assert type(got).__name__ == "FakeDatetime"  # freezegun's own class, as botocore builds it then
