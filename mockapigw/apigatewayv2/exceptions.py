"""The apigatewayv2 model's error shapes, raised by the operations."""

from __future__ import annotations

from ..core.errors import ServiceError


class BadRequestException(ServiceError):
    """400: the request is not valid."""


class AccessDeniedException(ServiceError):
    """403: access denied."""


class NotFoundException(ServiceError):
    """404: the resource specified in the request was not found."""


class ConflictException(ServiceError):
    """409: the operation would conflict with the current state of a resource."""


class TooManyRequestsException(ServiceError):
    """429: a limit has been exceeded."""
