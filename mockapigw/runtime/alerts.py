"""The warning the runtimes give when a test's set-up makes a request fail the way it would on AWS."""

from __future__ import annotations

from ..core.hints import MockApiGatewayWarning, hint, listing, logger

__all__ = ["MockApiGatewayWarning", "listing", "logger", "warn"]


def warn(message: str, stacklevel: int | None = None) -> None:
    """Log *message* and raise it as a :class:`MockApiGatewayWarning` at the user's line.

    *stacklevel* is ignored: the location is found by walking out of library frames (kept for old callers).
    """
    del stacklevel
    hint(message)
