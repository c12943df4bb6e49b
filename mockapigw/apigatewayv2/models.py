"""Models and GetModelTemplate."""

from __future__ import annotations

from ..core.collection import Collection
from .apis import Api
from .records import Record


class Model(Record):
    """One Model of an API."""


class ModelOperations:
    """The Model operations of the backend."""

    account_id: str
    region: str
    apis: Collection[Api]

    def api(self, api_id: str) -> Api:
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def api_changed(self, api: Api) -> None:
        raise NotImplementedError  # pragma: no cover - provided by the backend class
