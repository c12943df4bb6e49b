"""Hints for the user: a warning raised at the user's own line, never at a library frame.

Backends, the front door and the runtimes all explain refusals that come from the test's set-up. The warning's
location is the first frame outside mockapigw and the HTTP/AWS libraries it runs under, so that pytest's warning
summary (and ``-W error``) points at the ``requests.get``, ``ws.send`` or management call in the test.
"""

from __future__ import annotations

import difflib
import logging
import os
import sys
import threading
import warnings
from collections.abc import Sequence

logger = logging.getLogger("mockapigw")
# A library does not configure logging: without this, an application that has not configured it either gets every
# hint twice on stderr (the warning, and the message from logging's last-resort handler).
logger.addHandler(logging.NullHandler())

HINT_LIST_LIMIT = 20


class MockApiGatewayWarning(UserWarning):
    """Something in the test's set-up makes API Gateway refuse or fail a request, as it would on AWS."""


def _package_dir(name: str) -> str | None:
    module = sys.modules.get(name)
    path = getattr(module, "__file__", None)
    return os.path.dirname(path) + os.sep if isinstance(path, str) else None


_MOCKAPIGW_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
# The libraries a request passes through between the user's line and the mock.
_LIBRARIES = ("requests", "responses", "botocore", "boto3", "urllib3", "moto")


def _library_dirs() -> tuple[str, ...]:
    found = (_package_dir(name) for name in _LIBRARIES)
    return (_MOCKAPIGW_DIR, *(path for path in found if path is not None))


def user_stacklevel() -> int:
    """The ``stacklevel`` for a ``warnings.warn`` in the caller that points at the user's innermost frame.

    That is the innermost frame outside mockapigw and the libraries a request runs under.
    """
    libraries = _library_dirs()
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(libraries):
        frame = frame.f_back
        level += 1
    return level


_no_caller = threading.local()


def mark_no_caller() -> None:
    """Mark this thread as one no test called into (server mode's workers): hints are only logged there."""
    _no_caller.active = True


def has_caller() -> bool:
    """Whether this thread runs on behalf of a caller to warn or raise to (not a server worker)."""
    return not getattr(_no_caller, "active", False)


def listing(items: Sequence[str], near: str | None = None, limit: int = HINT_LIST_LIMIT) -> str:
    """*items* for a hint, comma-separated: all of them up to *limit*; past that, the *limit* closest to *near* (or
    the first ones) and how many more there are."""
    if not items:
        return "none"
    if len(items) <= limit:
        return ", ".join(items)
    shown = difflib.get_close_matches(near, items, n=limit, cutoff=0) if near is not None else list(items[:limit])
    return f"{', '.join(shown)} ... and {len(items) - len(shown)} more"


def hint(message: str) -> None:
    """Log *message* and raise it as a :class:`MockApiGatewayWarning` located at the user's line."""
    logger.warning(message)
    if has_caller():
        warnings.warn(message, MockApiGatewayWarning, stacklevel=user_stacklevel())
