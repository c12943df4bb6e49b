"""Stages (route settings, access logs, stage variables) and deployments (snapshots, auto-deploy)."""

from __future__ import annotations

from ..core.collection import Collection
from .apis import Api
from .records import Record


class Stage(Record):
    """One stage of an API."""


class Deployment(Record):
    """One deployment of an API: a snapshot of its configuration that stages serve."""


class StageOperations:
    """The Stage and Deployment operations of the backend."""

    account_id: str
    region: str
    apis: Collection[Api]

    def api(self, api_id: str) -> Api:
        raise NotImplementedError  # pragma: no cover - provided by the backend class

    def auto_deploy(self, api: Api) -> None:
        """Deploy *api* to each of its stages with AutoDeploy after a configuration change."""
