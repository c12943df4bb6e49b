"""Exceptions that travel from backends back to the caller as modeled AWS errors."""

from __future__ import annotations

from typing import Any


class ServiceError(Exception):
    """An error the service answers with; the subclass name is the model's error shape name.

    ``message`` of ``None`` sends no message at all (AWS's ``GoneException`` has an empty body).
    ``fields`` are further members of the error shape, by model member name.
    ``status`` is only needed for errors the model does not declare.
    """

    code: str = ""
    status: int = 400

    def __init__(self, message: str | None = "", status: int | None = None, **fields: Any) -> None:
        super().__init__(message or self.code or type(self).__name__)
        self.message = message
        self.fields = fields
        if status is not None:
            self.status = status
        if not self.code:
            self.code = type(self).__name__


class UnsupportedOperation(NotImplementedError):
    """Raised to the caller for an operation the mock does not implement; nothing reaches the network."""

    def __init__(self, service: str, operation: str, reason: str = "") -> None:
        detail = f": {reason}" if reason else ""
        super().__init__(f"mockapigw does not implement {service} {operation}{detail}. The call was not sent anywhere.")
        self.service = service
        self.operation = operation
