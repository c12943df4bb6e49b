"""Hints: a warning at the user's line and a record on the ``mockapigw`` logger, never more noise than that."""

from __future__ import annotations

import subprocess
import sys

from mockapigw.core.hints import HINT_LIST_LIMIT, listing


def test_a_hint_outside_any_logging_set_up_reaches_stderr_once() -> None:
    """With no logging configured (a script, not pytest), logging's last-resort handler would print every hint a
    second time, under the warning; the package's logger has a NullHandler, as a library's should."""
    script = "from mockapigw.core.hints import hint\nhint('the-one-hint')\n"
    done = subprocess.run(
        [sys.executable, "-W", "always", "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stderr.count("the-one-hint") == 1, done.stderr
    assert "MockApiGatewayWarning: the-one-hint" in done.stderr


def test_a_short_list_is_given_whole_and_in_order() -> None:
    keys = [f"GET /k{n}" for n in range(HINT_LIST_LIMIT)]
    assert listing(keys, near="GET /k7") == ", ".join(keys)
    assert listing([], near="GET /x") == "none"


def test_a_long_list_gives_the_closest_to_what_was_sent_and_how_many_more() -> None:
    keys = [f"GET /item{n}" for n in range(250)] + ["POST /orders"]
    text = listing(keys, near="POST /order")
    shown, _, rest = text.partition(" ... and ")
    assert shown.split(", ")[0] == "POST /orders"  # the closest first
    assert len(shown.split(", ")) == HINT_LIST_LIMIT
    assert rest == f"{len(keys) - HINT_LIST_LIMIT} more"
    assert listing(keys).startswith("GET /item0, GET /item1, ")  # nothing sent to compare: the first ones
