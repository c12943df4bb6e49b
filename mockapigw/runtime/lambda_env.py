"""The environment variables Lambda sets for a function, in ``os.environ`` while a handler runs.

``os.environ`` is one mapping for the whole process, so handlers that run at the same time in several threads
share it. The rule: while at least one handler runs, ``os.environ`` holds the variables of the most recently
started handler that is still running; when the last one returns, every variable is back to what it was
before the first one started (removed if it was unset). A handler that needs its own identity reliably under
concurrency reads it from ``context``, which is per call. Nothing is held locked while a handler runs, so a
handler may call other handlers (nested, or from other threads) without deadlock.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

_lock = threading.Lock()
_running: dict[int, Mapping[str, str]] = {}  # token -> variables, in start order (dicts keep insertion order)
_saved: dict[str, str | None] = {}  # each variable's value before the first running handler set it
_tokens = itertools.count()


def lambda_variables(
    *, region: str, function_name: str, version: str, memory_mb: int, log_group: str, log_stream: str
) -> dict[str, str]:
    """The variables Lambda sets for a function that handler code reads.

    Left out on purpose: credentials (the test's own stay in force), and ``AWS_EXECUTION_ENV`` and
    ``LAMBDA_TASK_ROOT``, which libraries read to switch to their in-Lambda behaviour (X-Ray tracing...).
    """
    return {
        "AWS_REGION": region,
        "AWS_DEFAULT_REGION": region,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": version,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": log_group,
        "AWS_LAMBDA_LOG_STREAM_NAME": log_stream,
    }


def _apply(variables: Mapping[str, str]) -> None:
    # A variable that already holds its value is not set again: os.environ keeps the process environment equal
    # to itself (only os.putenv/os.unsetenv called directly, which its documentation tells not to, can make
    # them differ), so setting it would change nothing. Reading costs less than setting (no encoding of the
    # value, no putenv), and the first handler has to read each variable's value before anyway.
    environ = os.environ
    saved = _saved
    for name, value in variables.items():
        try:  # environ[name], not environ.get(name): one frame less on every variable of every invocation
            current: str | None = environ[name]
        except KeyError:
            current = None
        if name not in saved:
            saved[name] = current
        if current != value:
            environ[name] = value


def _restore() -> None:
    # On every invocation's path: plain try statements (not contextlib.suppress, a context manager per variable).
    environ = os.environ
    for name, value in _saved.items():
        if value is None:
            try:  # del, not os.environ.pop, which reads the value first
                del environ[name]
            except KeyError:  # gone already (the handler removed it)
                continue
        else:
            try:  # a variable that holds its value already is not set again (see _apply)
                if environ[name] == value:
                    continue
            except KeyError:  # the handler removed it
                pass
            environ[name] = value
    _saved.clear()


def enter(variables: Mapping[str, str]) -> int:
    """Set *variables* in ``os.environ`` for one handler call; give the token to :func:`leave` afterwards."""
    with _lock:
        token = next(_tokens)
        _running[token] = variables
        _apply(variables)
    return token


def leave(token: int) -> None:
    """End the handler call *token*: the environment of the latest call still running, or the original."""
    with _lock:
        del _running[token]
        if _running:
            _apply(next(reversed(_running.values())))
        else:
            _restore()


@contextmanager
def lambda_environment(variables: Mapping[str, str]) -> Iterator[None]:
    """Set *variables* in ``os.environ`` for the duration of one handler call (see the module's rule)."""
    token = enter(variables)
    try:
        yield
    finally:
        leave(token)
