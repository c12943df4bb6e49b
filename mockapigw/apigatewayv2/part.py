"""What every group of operations may use of the backend it is mixed into."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..core.collection import Collection

if TYPE_CHECKING:
    from .apis import Api
    from .domains import DomainName
    from .vpc_links import VpcLink


class BackendPart:
    """Base of the operation mixins: the backend's state and the hooks it provides, declared for type checking.

    ``ApiGatewayV2Backend`` combines the mixins and supplies all of it.
    """

    account_id: str
    region: str
    lock: threading.RLock  # held by every control-plane call; deployed snapshots build their views under it
    apis: Collection[Api]
    domain_names: Collection[DomainName]
    vpc_links: Collection[VpcLink]

    def api(self, api_id: str) -> Api:
        """The API with *api_id*, or AWS's ``NotFoundException`` (provided by ``ApiOperations``)."""
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def api_changed(self, api: Api) -> None:
        """Called after every change to an API's configuration (provided by the backend class)."""
        raise NotImplementedError  # pragma: no cover - provided by the backend class
