"""Route a request to an operation by HTTP method and path, as AWS's front end does.

AWS answers a control-plane request from its method and path, not from the name of the SDK method that built
it (aws-behaviour.md §9.4): ``get_api(ApiId="")`` sends ``GET /v2/apis/``, which AWS answers as GetApis. A
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

from collections.abc import Callable, Iterable
from operator import itemgetter
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
    __slots__ = ("greedy", "labels", "query", "single", "target")

    def __init__(self, target: T, kinds: tuple[int, ...], names: tuple[str, ...], query: frozenset[str]) -> None:
        self.target = target
        self.query = query
        places = [index for index, kind in enumerate(kinds) if kind != _LITERAL]
        pairs = list(zip(names, places, strict=True))
        # (label name, segment index) of the one-segment labels; (name, first index) of a greedy label
        self.greedy = pairs.pop() if kinds and kinds[-1] == _GREEDY else None
        self.labels = tuple(pairs)
        self.single = pairs[0] if len(pairs) == 1 and self.greedy is None else None

    def labels_of(self, tail: list[str]) -> dict[str, str]:
        """The labels of a path whose segments after the base path are *tail*, by label name, as sent."""
        if self.single is not None:  # most templates: /v2/apis/{apiId}, /@connections/{connectionId}
            name, index = self.single
            return {name: tail[index]}
        labels = {name: tail[index] for name, index in self.labels}
        if self.greedy is not None:
            name, index = self.greedy
            labels[name] = "/".join(tail[index:])
        return labels


class _Shape(Generic[T]):
    """Templates alike but for their literal segments: where the literals and labels are, and the greedy label.

    Looking a path up is then one dict lookup per shape, keyed by the path's segments at the literal places.
    """

    __slots__ = ("greedy", "key", "order", "table")

    def __init__(self, kinds: tuple[int, ...]) -> None:
        self.order = kinds
        literals = [index for index, kind in enumerate(kinds) if kind == _LITERAL]
        self.greedy = len(kinds) - 1 if kinds and kinds[-1] == _GREEDY else None
        # itemgetter builds the key in C: the segment itself for one literal, a tuple for several
        self.key: Callable[[list[str]], object] = itemgetter(*literals) if literals else _no_literals
        # key -> method -> endpoints, those needing more query keys first
        self.table: dict[object, dict[str, list[_Endpoint[T]]]] = {}

    def fits(self, count: int) -> bool:
        """Whether a path of *count* segments can have this shape."""
        return count == len(self.order) if self.greedy is None else count > self.greedy


def _no_literals(segments: list[str]) -> object:
    return ()


_LITERAL, _LABEL, _GREEDY = 0, 1, 2
_CACHED_LENGTHS = 64
_NO_KEYS: frozenset[str] = frozenset()


def _split(path: str) -> list[str]:
    if path[:1] == "/" and "//" not in path and path[-1:] != "/":
        return path[1:].split("/")
    return [segment for segment in path.split("/") if segment]


def _query_keys(query: str) -> frozenset[str]:
    return frozenset(pair.partition("=")[0] for pair in query.split("&") if pair)


class Router(Generic[T]):
    """Method-and-path routing over ``requestUri`` templates, compiled once."""

    def __init__(self, templates: Iterable[tuple[str, str, T]]) -> None:
        shapes: dict[tuple[int, ...], _Shape[T]] = {}
        self._wants_query = False
        for method, request_uri, target in templates:
            path, _, query = request_uri.partition("?")
            keys = _query_keys(query)
            self._wants_query |= bool(keys)
            kinds, segments, labels = _parse_template(path, request_uri)
            shape = shapes.get(kinds)
            if shape is None:
                shape = shapes[kinds] = _Shape(kinds)
            endpoints = shape.table.setdefault(shape.key(segments), {}).setdefault(method, [])
            endpoints.append(_Endpoint(target, kinds, labels, keys))
            endpoints.sort(key=lambda endpoint: -len(endpoint.query))
        # Literal before label before greedy label, at the first place two shapes differ.
        self._shapes = sorted(shapes.values(), key=lambda shape: shape.order)
        self._by_length: dict[int, list[_Shape[T]]] = {}

    def _candidates(self, count: int) -> list[_Shape[T]]:
        shapes = self._by_length.get(count)
        if shapes is None:
            shapes = [shape for shape in self._shapes if shape.fits(count)]
            if count <= _CACHED_LENGTHS:
                self._by_length[count] = shapes
        return shapes

    def match(self, method: str, path: str, query: str = "") -> Route[T] | None:
        """The route of ``method path?query``, or ``None`` when no template matches both method and path."""
        segments = _split(path)
        keys = _query_keys(query) if self._wants_query and query else _NO_KEYS
        count = len(segments)
        by_length = self._by_length
        tail = segments
        for start in range(count + 1):  # the shortest base path first
            if start:
                tail = segments[start:]
            shapes = by_length.get(count - start)
            if shapes is None:
                shapes = self._candidates(count - start)
            for shape in shapes:
                by_method = shape.table.get(shape.key(tail))
                if by_method is None:
                    continue
                for endpoint in by_method.get(method) or ():  # those needing more query keys first
                    if endpoint.query <= keys:
                        base_path = "/" + "/".join(segments[:start]) if start else ""
                        return Route(endpoint.target, endpoint.labels_of(tail), base_path)
        return None

    def allows_path(self, path: str) -> bool:
        """Whether some template matches *path* with some method (then only the method is wrong)."""
        segments = _split(path)
        for start in range(len(segments) + 1):
            tail = segments[start:]
            if any(shape.key(tail) in shape.table for shape in self._candidates(len(tail))):
                return True
        return False


def _parse_template(path: str, request_uri: str) -> tuple[tuple[int, ...], list[str], tuple[str, ...]]:
    """A template's shape (the kind of each segment), its segments and its label names."""
    kinds: list[int] = []
    labels: list[str] = []
    segments = [segment for segment in path.split("/") if segment]
    for index, segment in enumerate(segments):
        if not (segment.startswith("{") and segment.endswith("}")):
            kinds.append(_LITERAL)
            continue
        name = segment[1:-1]
        if name.endswith("+"):
            if index != len(segments) - 1:
                raise ValueError(f"a greedy label must end the template: {request_uri!r}")
            kinds.append(_GREEDY)
            labels.append(name[:-1])
        else:
            kinds.append(_LABEL)
            labels.append(name)
    return tuple(kinds), segments, tuple(labels)
