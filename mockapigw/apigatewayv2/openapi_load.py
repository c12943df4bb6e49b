"""Read an OpenAPI document's text into plain JSON data, with the work bounded by the text's size.

A document is untrusted input: deep nesting would exhaust the parsers' recursion, and a few hundred bytes of YAML
aliases ("billion laughs") name an exponentially large tree. So nesting is capped at :data:`MAX_DEPTH` levels, and
YAML aliases may add no more nodes than the document itself writes (plus :data:`ALIAS_ALLOWANCE`), both counted
while composing, before anything is built. A YAML document without anchors cannot expand: libyaml composes it
alone (faster), and the depth is checked on the copy. What comes out is JSON's data model only (string keys; strings,
numbers, booleans, null, lists, objects), without shared parts, so everything after this can walk it freely.
"""

from __future__ import annotations

import datetime
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent

from .exceptions import BadRequestException
from .openapi_fast_yaml import fast_yaml

# Deeper than any real OpenAPI document (a schema nested ten objects deep is about 30 levels), and shallow enough
# that no parser or walker gets near Python's recursion limit.
MAX_DEPTH = 100
# YAML aliases may repeat, in all, as many nodes as the document writes, plus this many.
ALIAS_ALLOWANCE = 10_000

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


def _libyaml_limits_nesting() -> bool:
    """Whether libyaml composes here, and refuses nesting past 1,000 levels itself (libyaml 0.2.5 and later)."""
    try:
        from yaml import _yaml
    except ImportError:
        return False
    return _FAST_LOADER is not yaml.SafeLoader and tuple(_yaml.get_version()) >= (0, 2, 5)


# A document with no anchor or alias at all cannot expand, so libyaml may compose it on its own (in C, several
# times faster; its own nesting limit keeps its recursion safe). This finds every "&name" and "*name", and also
# some that are only text ("*/*" in a quoted string), which just take the slower, counting composer.
_MAY_ALIAS = re.compile(r"[&*][^\s,\[\]{}]")
_C_COMPOSER = _libyaml_limits_nesting()


def _too_deep() -> BadRequestException:
    return BadRequestException(f"Unable to parse the OpenAPI definition: it is nested deeper than {MAX_DEPTH} levels.")


class _BoundedLoader(_FAST_LOADER):  # type: ignore[valid-type,misc]  # a variable base class
    """PyYAML's safe loader whose composer counts depth and alias expansion as it goes.

    The composing methods are PyYAML's own (``Composer``), so they also run on top of libyaml's event parser;
    only :meth:`compose_node` is wrapped with the budget.
    """

    get_single_node = Composer.get_single_node
    compose_document = Composer.compose_document
    compose_scalar_node = Composer.compose_scalar_node
    compose_sequence_node = Composer.compose_sequence_node
    compose_mapping_node = Composer.compose_mapping_node

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.anchors: dict[str, yaml.Node] = {}
        self._depth = 0
        self._reach = 0  # the deepest level reached so far inside the node being composed
        self._written = 0  # nodes written in the text
        self._repeated = 0  # nodes that aliases add by naming an anchored node again
        self._composed: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded size, height)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(AliasEvent):
            self._repeat(self.peek_event())
            return Composer.compose_node(self, parent, index)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _too_deep()
        outer_reach, self._reach = self._reach, self._depth
        written, repeated = self._written, self._repeated
        self._written += 1
        node = Composer.compose_node(self, parent, index)
        size = (self._written - written) + (self._repeated - repeated)
        self._composed[id(node)] = (size, self._reach - self._depth + 1)
        self._reach = max(outer_reach, self._reach)
        self._depth -= 1
        return node

    def _repeat(self, event: AliasEvent) -> None:
        node = self.anchors.get(str(event.anchor))
        if node is None:
            return  # PyYAML's own composer reports the undefined alias
        if id(node) not in self._composed:
            raise BadRequestException(
                f"Unable to parse the OpenAPI definition: the alias *{event.anchor} refers to a node that contains it."
            )
        size, height = self._composed[id(node)]
        self._repeated += size
        if self._repeated > self._written + ALIAS_ALLOWANCE:
            raise BadRequestException(
                "Unable to parse the OpenAPI definition: its aliases repeat more nodes than the document writes "
                f"(more than {self._written + ALIAS_ALLOWANCE:,})."
            )
        if self._depth + height > MAX_DEPTH:
            raise _too_deep()
        self._reach = max(self._reach, self._depth + height)


def _parse(text: str) -> Any:
    if text.startswith("{"):
        return json.loads(text)
    quick = fast_yaml(text)  # rapidyaml, only where it provably reads the text as PyYAML does
    if quick is not None:
        return quick.data
    if _C_COMPOSER and not _MAY_ALIAS.search(text):
        return yaml.load(text, Loader=_FAST_LOADER)  # a safe loader
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


# json.JSONDecodeError is a ValueError, so are huge integers. PyYAML's constructors, given explicit tags with values
# they do not expect, raise more: IndexError ("!!int" empty), KeyError ("!!bool" empty), AttributeError
# ("!!timestamp" not a date), OverflowError, TypeError.
_UNPARSABLE = (ValueError, IndexError, KeyError, AttributeError, OverflowError, TypeError, yaml.YAMLError)


@dataclass
class Loaded:
    """A document in JSON's data model, and every ``$ref`` in it: the path of the object holding it, its value."""

    document: Any
    references: list[tuple[list[str], str]] = field(default_factory=list)


def load_document(body: str) -> Loaded:
    """Parse *body* as JSON (when it starts with ``{``) or YAML into plain JSON data; ``BadRequestException``."""
    text = body.strip()
    if not text:
        raise BadRequestException("The OpenAPI definition is empty.")
    try:
        # YAML as written: stripping would drop the last block scalar's final line break ("|" keeps it)
        parsed = _parse(text if text.startswith("{") else body)
    except RecursionError:  # json's C decoder guards its recursion; libyaml has none, which MAX_DEPTH covers
        raise _too_deep() from None
    except _UNPARSABLE as problem:
        raise BadRequestException(f"Unable to parse the OpenAPI definition: {problem}") from None
    loaded = Loaded(None)
    loaded.document = _plain(parsed, loaded.references)
    return loaded


def _key(key: Any) -> str:
    """A YAML key as the string JSON would have: ``200`` -> ``"200"``, ``true`` -> ``"true"``."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool):
        return json.dumps(key)
    if isinstance(key, (int, float, datetime.date)):
        return key.isoformat() if isinstance(key, datetime.date) else str(key)
    raise BadRequestException(f"Unable to parse the OpenAPI definition: a key of type {type(key).__name__}.")


Where = tuple[Any, str] | None  # (the parent's Where, key): a path built only when a message needs it


def _keys(where: Where) -> list[str]:
    keys: list[str] = []
    while where is not None:
        where, key = where
        keys.append(key)
    return keys[::-1]


def _path(where: Where) -> str:
    return ".".join(_keys(where)) or "the top"


def _scalar(value: Any, where: Where) -> Any:
    if isinstance(value, str):
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadRequestException(
                    f"Unable to parse the OpenAPI definition: the string at {_path(where)} is not "
                    "valid Unicode (a lone surrogate)."
                ) from None
        return value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, datetime.date):  # YAML timestamps: keep the text JSON would have
        return value.isoformat()
    raise BadRequestException(
        f"Unable to parse the OpenAPI definition: a value of type {type(value).__name__} at "
        f"{_path(where)}; only JSON's types are allowed."
    )


def _plain(parsed: Any, references: list[tuple[list[str], str]]) -> Any:
    """A copy of *parsed* in JSON's data model, refusing nesting beyond MAX_DEPTH; iterative, so depth is free.

    Every ``$ref`` met on the way is added to *references*. Scalars are copied where they are met (most of a
    document), containers go on the stack.
    """
    if not isinstance(parsed, (dict, list)):
        return _scalar(parsed, None)
    root: list[Any] = [None]
    # (source, where to put its copy, the key there, its path, depth)
    stack: list[tuple[Any, Any, Any, Where, int]] = [(parsed, root, 0, None, 1)]
    while stack:
        source, target, slot, where, depth = stack.pop()
        if source and depth + 1 > MAX_DEPTH:  # its members would be one level deeper
            raise _too_deep()
        copy: Any
        if type(source) is dict:
            copy = target[slot] = {}
            reference = source.get("$ref")
            if isinstance(reference, str):
                references.append((_keys(where), reference))
            pairs: Any = source.items()
        else:
            copy = target[slot] = [None] * len(source)
            pairs = enumerate(source)
        for key, value in pairs:
            name = key if type(key) is str or type(copy) is list else _key(key)
            kind = type(value)
            if kind is str and value.isascii():
                copy[name] = value
            elif kind is dict or kind is list:
                copy[name] = None
                stack.append((value, copy, name, (where, str(name)), depth + 1))
            else:
                copy[name] = _scalar(value, (where, str(name)))
    return root[0]
