"""Route a request to an operation by HTTP method and path, as AWS's front end does.

AWS answers a control-plane request from its method and path, not from the name of the SDK method that built
it (aws-facts §9.4): ``get_api(ApiId="")`` sends ``GET /v2/apis/``, which AWS answers as GetApis. A
:class:`Router` is compiled once from ``(method, requestUri, target)`` triples, the ``http`` traits of a
botocore model, and knows nothing of any service: server mode routes raw HTTP requests with it unchanged.

The rules, in the order they apply:

* **Segments.** The path is split on ``/`` and empty segments are dropped, so a trailing slash and repeated
  slashes do not count: ``/v2/apis/`` is ``/v2/apis`` [OBSERVED: ``get_api(ApiId="")`` answers like GetApis],
  and ``/v2/apis//routes`` is ``/v2/apis/routes`` (API Gateway's front end merges repeated slashes: the events of
  HTTP APIs show one slash where clients sent several, brefphp/symfony-bridge#53; for the control plane this
  is a choice). An empty label therefore shifts the segments after it, and the request lands wherever the
  remaining segments lead: ``get_routes(ApiId="")`` becomes GetApi of an API named ``routes``,
  ``get_route(ApiId=a, RouteId="")`` becomes GetRoutes of ``a``, ``reimport_api(ApiId="")`` becomes ImportApi,
  and ``delete_api(ApiId="")`` meets a path with no DELETE.
* **Labels.** Segments are compared as sent, still percent-encoded, so an encoded ``/`` (``%2F``) stays inside
  its label (the resource ARN in ``/v2/tags/{resource-arn}``). A label matches one segment; a greedy label
  (``{key+}``, only last in a template) matches all the remaining ones, at least one. Labels are returned as
  sent: decoding them is the codec's job, which knows what bad input is answered with.
* **Priority.** A literal segment beats a label at the same place; among templates that match method and path,
  one whose ``requestUri`` names query keys (``/things?versions``) needs them all present and beats one that
  names fewer.
* **Base path.** A base path may precede the template: a client's endpoint URL may carry one (the @connections
  endpoint ``https://{domain}/{stage}`` always does). The match with the shortest base path wins.
* **No match.** A path no template matches, or a known path with a method none of its templates allow, gives
  ``None``; :meth:`Router.allows_path` tells the two apart. AWS's front end answers both alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Route(Generic[T]):
    """A match: the template's *target*, its labels (by label name, as sent) and the base path before it."""

    __slots__ = ("base_path", "labels", "target")

    def __init__(self, target: T, labels: dict[str, str], base_path: str) -> None:
        self.target = target
        self.labels = labels
        self.base_path = base_path

    def __repr__(self) -> str:
        return f"Route({self.target!r}, {self.labels!r}, base_path={self.base_path!r})"


class _Endpoint(Generic[T]):
    __slots__ = ("labels", "query", "target")

    def __init__(self, target: T, labels: tuple[str, ...], query: frozenset[str]) -> None:
        self.target = target
        self.labels = labels
        self.query = query


class _Node(Generic[T]):
    """One segment position of the templates: literal children, a label child, and what ends here by method."""

    __slots__ = ("endpoints", "greedy", "label", "literals")

    def __init__(self) -> None:
        self.literals: dict[str, _Node[T]] = {}
        self.label: _Node[T] | None = None
        self.greedy: dict[str, list[_Endpoint[T]]] = {}
        self.endpoints: dict[str, list[_Endpoint[T]]] = {}


def _split(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


def _query_keys(query: str) -> frozenset[str]:
    return frozenset(pair.partition("=")[0] for pair in query.split("&") if pair)


class Router(Generic[T]):
    """Method-and-path routing over ``requestUri`` templates, compiled once."""

    def __init__(self, templates: Iterable[tuple[str, str, T]]) -> None:
        self._root: _Node[T] = _Node()
        self._wants_query = False
        for method, request_uri, target in templates:
            self._add(method, request_uri, target)

    def _add(self, method: str, request_uri: str, target: T) -> None:
        path, _, query = request_uri.partition("?")
        keys = _query_keys(query)
        self._wants_query |= bool(keys)
        node = self._root
        labels: list[str] = []
        segments = _split(path)
        for index, segment in enumerate(segments):
            if not (segment.startswith("{") and segment.endswith("}")):
                node = node.literals.setdefault(segment, _Node())
                continue
            name = segment[1:-1]
            if name.endswith("+"):
                if index != len(segments) - 1:
                    raise ValueError(f"a greedy label must end the template: {request_uri!r}")
                labels.append(name[:-1])
                _insert(node.greedy.setdefault(method, []), _Endpoint(target, tuple(labels), keys))
                return
            labels.append(name)
            if node.label is None:
                node.label = _Node()
            node = node.label
        _insert(node.endpoints.setdefault(method, []), _Endpoint(target, tuple(labels), keys))

    def match(self, method: str, path: str, query: str = "") -> Route[T] | None:
        """The route of ``method path?query``, or ``None`` when no template matches both method and path."""
        segments = _split(path)
        keys = _query_keys(query) if self._wants_query and query else frozenset()
        for start in range(len(segments) + 1):
            values: list[str] = []
            endpoint = _find(self._root, segments, start, method, keys, values)
            if endpoint is not None:
                labels = dict(zip(endpoint.labels, values, strict=True))
                base_path = "/" + "/".join(segments[:start]) if start else ""
                return Route(endpoint.target, labels, base_path)
        return None

    def allows_path(self, path: str) -> bool:
        """Whether some template matches *path* with some method (then only the method is wrong)."""
        segments = _split(path)
        return any(_reaches(self._root, segments, start) for start in range(len(segments) + 1))


def _insert(endpoints: list[_Endpoint[T]], endpoint: _Endpoint[T]) -> None:
    """Keep the endpoints that need more query keys first, so the most specific one is tried first."""
    endpoints.append(endpoint)
    endpoints.sort(key=lambda e: -len(e.query))


def _pick(endpoints: list[_Endpoint[T]] | None, keys: frozenset[str]) -> _Endpoint[T] | None:
    if endpoints:
        for endpoint in endpoints:
            if endpoint.query <= keys:
                return endpoint
    return None


def _find(
    node: _Node[T], segments: list[str], index: int, method: str, keys: frozenset[str], values: list[str]
) -> _Endpoint[T] | None:
    """Depth-first, literal before label before greedy label; *values* collects the labels on the way."""
    if index == len(segments):
        return _pick(node.endpoints.get(method), keys)
    segment = segments[index]
    child = node.literals.get(segment)
    if child is not None:
        found = _find(child, segments, index + 1, method, keys, values)
        if found is not None:
            return found
    if node.label is not None:
        values.append(segment)
        found = _find(node.label, segments, index + 1, method, keys, values)
        if found is not None:
            return found
        values.pop()
    if node.greedy:
        endpoint = _pick(node.greedy.get(method), keys)
        if endpoint is not None:
            values.append("/".join(segments[index:]))
            return endpoint
    return None


def _reaches(node: _Node[T], segments: list[str], index: int) -> bool:
    if index == len(segments):
        return bool(node.endpoints)
    child = node.literals.get(segments[index])
    if child is not None and _reaches(child, segments, index + 1):
        return True
    if node.label is not None and _reaches(node.label, segments, index + 1):
        return True
    return bool(node.greedy)
