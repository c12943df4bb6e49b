"""Load botocore service models once per process."""

from __future__ import annotations

from functools import cache

from botocore.loaders import Loader
from botocore.model import ServiceModel


@cache
def _loader() -> Loader:
    return Loader()


@cache
def service_model(service_name: str) -> ServiceModel:
    """Return botocore's model of *service_name* (e.g. ``"apigatewayv2"``)."""
    data = _loader().load_service_model(service_name, "service-2")
    return ServiceModel(data, service_name=service_name)
