"""Route responses of WebSocket routes: CreateRouteResponse ... DeleteRouteResponse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .apis import Api
from .exceptions import BadRequestException, ConflictException, NotFoundException
from .part import BackendPart
from .records import Record, new_id, not_found, page_of, pick

if TYPE_CHECKING:
    from .routes import Route

# "You can only define the $default route response for WebSocket APIs" (aws-facts §3.3).
DEFAULT_ROUTE_RESPONSE_KEY = "$default"
_MEMBERS = ("ModelSelectionExpression", "ResponseModels", "ResponseParameters", "RouteResponseKey")


class RouteResponse(Record):
    """The route response of a WebSocket route: it makes the route two-way."""

    @property
    def route_response_id(self) -> str:
        """The route response's id."""
        return str(self.fields["RouteResponseId"])


def check_model_names(api: Api, models: Mapping[str, str] | None, member: str) -> None:
    """Each value of *models* (content type -> model name) must name a model of *api*."""
    if not models:
        return
    known = {model.get("Name") for model in api.models}
    for name in models.values():
        if name not in known:
            raise NotFoundException(f"Unable to find Model by name {name} within the provided {member}")


def _check_key(key: str) -> None:
    if key != DEFAULT_ROUTE_RESPONSE_KEY:
        raise BadRequestException("You can only define the $default route response for WebSocket APIs")


class RouteResponseOperations(BackendPart):
    """The RouteResponse operations of the backend; route responses live on their route.

    WebSocket routes use them; HTTP APIs accept and keep them too, as no rejection by AWS is known (§9.3).
    """

    def route(self, api: Api, route_id: str) -> Route:
        raise NotImplementedError  # pragma: no cover - provided by RouteOperations

    def _route_response(self, api: Api, params: dict[str, Any]) -> tuple[Route, RouteResponse]:
        route = self.route(api, params["RouteId"])
        response = route.responses.get(params["RouteResponseId"])
        if response is None:
            raise not_found("RouteResponse", params["RouteResponseId"])
        return route, response

    def create_route_response(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        route = self.route(api, params["RouteId"])
        key = params["RouteResponseKey"]
        _check_key(key)
        if any(existing.get("RouteResponseKey") == key for existing in route.responses):
            raise ConflictException(f"Route response with key {key} already exists for this route")
        check_model_names(api, params.get("ResponseModels"), "ResponseModels")
        response_id = new_id(route.responses, 6)
        response = RouteResponse({**pick(params, _MEMBERS), "RouteResponseId": response_id})
        route.responses.add(response_id, response)
        self.api_changed(api)
        return response.describe()

    def get_route_response(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._route_response(self.api(params["ApiId"]), params)[1].describe()

    def get_route_responses(self, params: dict[str, Any]) -> dict[str, Any]:
        route = self.route(self.api(params["ApiId"]), params["RouteId"])
        return page_of(route.responses, params)

    def update_route_response(self, params: dict[str, Any]) -> dict[str, Any]:
        api = self.api(params["ApiId"])
        _, response = self._route_response(api, params)
        if "RouteResponseKey" in params:
            _check_key(params["RouteResponseKey"])
        check_model_names(api, params.get("ResponseModels"), "ResponseModels")
        response.apply(params, _MEMBERS)
        self.api_changed(api)
        return response.describe()

    def delete_route_response(self, params: dict[str, Any]) -> None:
        api = self.api(params["ApiId"])
        route, response = self._route_response(api, params)
        route.responses.remove(response.route_response_id)
        self.api_changed(api)
