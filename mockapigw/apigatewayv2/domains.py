"""Custom domain names and their API mappings."""

from __future__ import annotations

from ..core.collection import Collection
from .apis import Api
from .records import Record


class DomainName(Record):
    """A custom domain name."""


class ApiMapping(Record):
    """A mapping of a domain name path to an API stage."""


class DomainOperations:
    """The DomainName and ApiMapping operations of the backend."""

    account_id: str
    region: str
    apis: Collection[Api]
    domain_names: Collection[DomainName]

    def api(self, api_id: str) -> Api:
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def remove_mappings_to(self, api: Api) -> None:
        """Drop the API mappings that point at a deleted API."""
