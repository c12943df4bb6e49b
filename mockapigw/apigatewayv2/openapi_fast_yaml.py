"""Read YAML with rapidyaml (C++, about twenty times faster than PyYAML), only where it means what PyYAML reads.

PyYAML (YAML 1.1, as AWS's Java parser) and rapidyaml (YAML 1.2-ish) type some plain scalars differently (``yes``,
``~``, ``0x10``, ``1e3``, ``1:30``, timestamps, ``<<``), rapidyaml ignores tags and does not expand aliases, and
it accepts some text PyYAML refuses. So :func:`fast_yaml` declines (answers None, and the caller reads the text with
PyYAML) a text with anything whose meaning could differ. Two linear scans with compiled regular expressions decide:

- of the YAML text, for what rapidyaml drops or reads where PyYAML refuses: characters PyYAML does not take (tabs,
  controls, NEL, LS, PS, a byte order mark, a lone CR), escapes other than ``\\\\ \\" \\/ \\n \\t``, tags,
  anchors, aliases, directives, document markers, explicit keys, reserved indicators, merge keys;
- of the JSON rapidyaml writes, for every value that may be typed differently: any string (a key or a value) that
  YAML 1.1 could read as a boolean, null, number or timestamp (``"yes"``, ``"~"``, ``"0x10"``, ``"1.50"`` as a
  key, ``"2001-12-14"``), and any number that is not a plain decimal (``1e3``).

Both scans look at text, not at YAML's grammar, so they also decline for what sits inside quoted strings and
comments: that costs only speed. A text must end with a line break (rapidyaml gives a block scalar that ends the
text without one a final line break, PyYAML does not). Anything rapidyaml fails on (bad YAML, nesting past its
JSON emitter's 64 levels, JSON it writes badly) is declined too, so every error message is PyYAML's.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import ryml  # type: ignore[import-untyped]  # no type information

# Bytes PyYAML takes in ASCII: newline, CR, printable; the rest are checked apart (the scans below take a literal
# first byte, which the regex engine finds fast, or are bytes.translate: milliseconds for megabytes).
_TAKEN = bytes([10, 13, *range(0x20, 0x7F), *range(0x80, 0x100)])
# NEL and the other C1 controls, LS, PS (breaks only in YAML 1.1), a byte order mark, U+FFFE, U+FFFF.
_ODD_UTF8 = [re.compile(o) for o in (rb"\xc2[\x80-\x9f]", rb"\xe2\x80[\xa8\xa9]", rb"\xef(?:\xbb\xbf|\xbf[\xbe\xbf])")]
# A lone CR; escapes other than \\ \" \/ \n \t; a merge key; document markers; a signed number without integer
# part (-.5 is a string to YAML 1.1, rapidyaml writes -0.5); and, each on its own, an indicator starting a scalar:
# tag, anchor, alias, directive, reserved, explicit key.
_UNSURE_YAML = [
    re.compile(unsure) for unsure in (rb"\r(?!\n)", rb'\\[^\\"/nt]', rb"<<", rb"\n(?:---|\.\.\.)", rb"-\.", rb"\+\.")
]
_UNSURE_YAML += [re.compile(re.escape(bytes([c])) + rb"(?<=[\s\[\]{},:].)") for c in b"!&*%@`?"]
# A flow indicator where a scalar would begin ("k: ]"): rapidyaml reads a string, PyYAML refuses.
_UNSURE_YAML += [re.compile(re.escape(bytes([c])) + rb"(?<=[\s:].)") for c in b"]},"]
_UNSURE_YAML_START = re.compile(rb"[!&*%@`?\]},:]|---|\.\.\.")
# A JSON string that YAML 1.1 types when plain: its booleans and nulls in their three spellings (true, false and
# null are the same in both), the empty key ("": PyYAML's null), or a string starting like a number or a special
# (~, =, .inf, <<), which is then looked at whole (_SAME_STRING).
_SPECIAL = "|".join(f"{word}|{word.title()}|{word.upper()}" for word in ("yes", "no", "on", "off"))
_UNSURE_STRING = re.compile(rf'"(?:[-+.0-9~=<]|(?:{_SPECIAL}|True|TRUE|False|FALSE|Null|NULL)"|":)')
# Strings starting like a number that PyYAML reads as strings too: decimal integers (keys, which PyYAML reads as
# integers and the loader writes back as the same text), versions such as 3.0.1, and decimal values (rapidyaml
# writes plain decimals as numbers, so such a string was quoted); not a timestamp, which may hold spaces.
_SAME_STRING = re.compile(
    r'"(?:(?:0|-?[1-9][0-9]*)"|[0-9]+(?:\.[0-9]+){2,}"|-?(?:0|[1-9][0-9]*)\.[0-9]+"(?!:)'
    r"|(?![0-9]{4}-[0-9][0-9]?-[0-9][0-9]?)[0-9][^\s\"\\]*\s)"
)
_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]+")


@dataclass
class Parsed:
    """What rapidyaml read: JSON's data model (string keys, no shared parts), as PyYAML's safe loader would."""

    data: Any


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # rapidyaml wrote NaN or Infinity: let PyYAML read the text


def _decimal(number: str) -> float:
    """A JSON number with a fraction or exponent: only plain decimals are read alike by YAML 1.1 (not 1e3)."""
    if not _DECIMAL.fullmatch(number):
        raise ValueError(f"{number} may be read differently by YAML 1.1")
    return float(number)


def _unsure_yaml(text: str, encoded: bytes) -> bool:
    if encoded.translate(None, _TAKEN) or _UNSURE_YAML_START.match(encoded):
        return True
    if not text.isascii() and any(odd.search(encoded) for odd in _ODD_UTF8):
        return True
    return any(unsure.search(encoded) for unsure in _UNSURE_YAML)


def _unsure_json(out: str) -> bool:
    if out[:1] in "-+.0123456789~=<":
        return True
    return any(not _SAME_STRING.match(out, found.start()) for found in _UNSURE_STRING.finditer(out))


def fast_yaml(text: str) -> Parsed | None:
    """Read *text* with rapidyaml where it means what PyYAML's safe loader reads; None where it may not, or fails."""
    if not text.endswith("\n"):
        return None  # a block scalar ending the text without a line break: rapidyaml adds one, PyYAML does not
    try:
        encoded = text.encode()  # strict: a lone surrogate fails
        if _unsure_yaml(text, encoded):
            return None
        tree = ryml.parse_in_arena(encoded)
        buffer = bytearray(ryml.compute_json_length(tree))
        ryml.emit_json_in_place(tree, buffer)  # refuses nesting past 64 levels (ExceptionVisit)
        out = buffer.decode()  # strict UTF-8
        if _unsure_json(out):
            return None
        # JSON's integers are decimal, as YAML 1.1 reads them; other numbers are checked one by one (few)
        return Parsed(json.loads(out, parse_float=_decimal, parse_constant=_no_constant))
    except Exception:  # noqa: BLE001  # any failure (bad YAML, too deep, JSON written badly): PyYAML decides
        return None
