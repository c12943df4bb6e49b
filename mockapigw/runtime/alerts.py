"""The warning the runtimes give when a test's set-up makes an integration fail the way it would on AWS."""

from __future__ import annotations

import logging
import warnings

logger = logging.getLogger("mockapigw")


class MockApiGatewayWarning(UserWarning):
    """Something in the test's set-up makes an integration or authorizer fail, as it would on AWS."""


def warn(message: str, stacklevel: int = 4) -> None:
    """Log *message* and raise it as a :class:`MockApiGatewayWarning` at the caller of the runtime."""
    logger.warning(message)
    warnings.warn(message, MockApiGatewayWarning, stacklevel=stacklevel + 1)
