"""The runtimes' warning: raised at the user's line whatever ``stacklevel`` old callers pass, and logged."""

from __future__ import annotations

import inspect
import logging
import threading

import pytest

import mockapigw
from mockapigw.core.hints import mark_no_caller
from mockapigw.runtime.alerts import MockApiGatewayWarning, warn


@pytest.mark.parametrize("stacklevel", [None, 1, 7])
def test_warn_points_at_the_callers_line_whatever_stacklevel_says(stacklevel: int | None) -> None:
    line = inspect.currentframe().f_lineno + 2  # type: ignore[union-attr]
    with pytest.warns(MockApiGatewayWarning, match="^set-up is wrong$") as record:
        warn("set-up is wrong", stacklevel=stacklevel)
    assert len(record) == 1
    assert (record[0].filename, record[0].lineno) == (__file__, line)


def test_warn_logs_the_message_on_the_mockapigw_logger(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="mockapigw"), pytest.warns(MockApiGatewayWarning):
        warn("GET /pets answered 404")
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mockapigw", logging.WARNING, "GET /pets answered 404")
    ]


def test_a_thread_no_test_called_into_only_logs(
    caplog: pytest.LogCaptureFixture, recwarn: pytest.WarningsRecorder
) -> None:
    def worker() -> None:
        mark_no_caller()
        warn("from a server worker")

    with caplog.at_level(logging.WARNING, logger="mockapigw"):
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert [r.getMessage() for r in caplog.records] == ["from a server worker"]
    assert not [w for w in recwarn if issubclass(w.category, MockApiGatewayWarning)]


def test_the_warning_class_is_the_public_one() -> None:
    assert MockApiGatewayWarning is mockapigw.MockApiGatewayWarning
    assert issubclass(MockApiGatewayWarning, UserWarning)  # so ``-W error::UserWarning`` catches it
