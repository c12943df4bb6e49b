"""rapidyaml reads a YAML OpenAPI document only where it gives what PyYAML gives: a differential test of the two
paths of openapi_load on generated YAML (tricky YAML 1.1 scalars included), and hostile input that must neither
crash nor hang rapidyaml and still gets PyYAML's answer."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import documents
from mockapigw.apigatewayv2 import openapi_load
from mockapigw.apigatewayv2.exceptions import BadRequestException
from mockapigw.apigatewayv2.openapi_fast_yaml import fast_yaml


def _words(text: str) -> list[str]:
    return text.split()


# Plain scalars YAML 1.1 (PyYAML, resolver.py) and rapidyaml may type differently, and some both read alike.
TRICKY = [
    *_words("yes Yes YES no No NO on On ON off Off OFF y n true True TRUE false False FALSE null Null NULL ~"),
    *_words("0 -0 +0 00 007 0x10 -0x1F 0o17 0b101 1_000 +12 -12 190:20:30 1:30 12345678901234567890 1e3 1E3"),
    *_words("1.0 -1.5 1.50 1. .5 -.5 +1.5 1.0e+3 1.0e3 1e-3 6.8523015e+5 685.230_15e+03 190:20:30.15 .inf -.inf"),
    *_words(".Inf +.inf .nan .NaN nan NaN inf Infinity = << - -- --- ... 3.0.1 10.0.0.1 2001-12-14"),
    "2001-12-14t21:59:43.10-05:00",
    "2001-12-14 21:59:43.10 -5",
    *_words("a:b http://x/y arn:aws:lambda:us-east-1:123456789012:function:f 200 '200' \"yes\" 'no' \"1e3\" ''"),
    *_words("!!str !!int !!binary &a *a ? : @x `x %x #x x#y a,b [a] {a:1} {a: 1} [1,2] [] {}"),
    *_words('\\d+ \'\\d+\' "\\d+" "\\\\" "\\u00e9" "\\ud800" "\\x41" "a\\"b" "\\/" "\\t" "\\N" é 😀'),
]


def pyyaml_only(text: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The outcome of load_document on the PyYAML path: its JSON (keys in order) and references, or the error."""
    with monkeypatch.context() as patch:
        patch.setattr(openapi_load, "fast_yaml", lambda text: None)
        return outcome(text)


def outcome(text: str) -> str:
    try:
        loaded = openapi_load.load_document(text)
    except BadRequestException as error:
        return f"refused: {error}"
    return json.dumps([loaded.document, loaded.references])  # NaN and key order included


def assert_same(text: str, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Both paths of load_document agree on *text*; whether rapidyaml read it."""
    assert outcome(text) == pyyaml_only(text, monkeypatch)
    return fast_yaml(text) is not None


def test_the_benchmark_document_is_read_by_rapidyaml_as_pyyaml_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    text = documents.large_yaml(100_000)
    assert assert_same(text, monkeypatch)
    quick = fast_yaml(text)
    assert quick is not None and quick.data == yaml.safe_load(text)


@pytest.mark.parametrize("word", TRICKY)
@pytest.mark.parametrize("form", ["k: {}\n", "{}: v\n", "- {}\n", "[{}]\n", "{{k: {}}}\n", "k:\n  {}: 1\n"])
def test_each_tricky_scalar_reads_alike_on_both_paths(monkeypatch: pytest.MonkeyPatch, form: str, word: str) -> None:
    assert_same("openapi: 3.0.1\n" + form.format(word) if form[0] == "k" else form.format(word), monkeypatch)


@pytest.mark.parametrize("word", ["yes", "~", "0x10", "1e3", "1:30", "2001-12-14", "<<", "Null", "1.50:", "!!str 5"])
def test_what_yaml_1_1_types_differently_is_left_to_pyyaml(word: str) -> None:
    assert fast_yaml(f"a: 1\nb: {word}\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # aliases keep the alias budget
        "a: b\n---\nc: d\n",  # several documents: PyYAML refuses
        "%YAML 1.1\n---\na: b\n",
        "a:\n\tb: 1\n",  # a tab
        "a: \x85b\n",  # NEL: a break in YAML 1.1
        "a: @x\n",  # reserved
        'a: "\\ud800"\n',  # a lone surrogate, refused after PyYAML reads it
        'a: "x\\0y"\n',
        "\ufeffa: b\n",
        "a: x\rb: y\r",
        "a: |\n  yes",  # a block scalar without a final line break
    ],
)
def test_texts_rapidyaml_may_read_differently_are_declined(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert fast_yaml(text) is None
    assert not assert_same(text, monkeypatch)


@pytest.mark.parametrize("text", ["y: |\n  yes\n", "y: |+\n  yes\n\n\n", "y: >\n  a\n  b\n\n", "  b: |-\n    x\n"])
def test_block_scalars_ending_the_text_read_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert assert_same("openapi: 3.0.1\n" + text if text[0] != " " else text, monkeypatch)


def test_a_lone_surrogate_escape_is_still_refused() -> None:
    with pytest.raises(BadRequestException, match="Unicode"):
        openapi_load.load_document('openapi: 3.0.1\nx: "\\ud800"\n')


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        "{" * 100_000,
        "[" * 100_000 + "]" * 100_000,
        "k: " + "[" * 70 + "]" * 70,  # past rapidyaml's JSON emitter (64 levels), within MAX_DEPTH
        "".join("  " * level + f"k{level}:\n" for level in range(2_000)),
        "".join("  " * level + "-\n" for level in range(2_000)),
        "- " * 5_000 + "x\n",
    ],
)
def test_deep_nesting_neither_crashes_nor_differs(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(text, monkeypatch)


# Generated documents: mappings and sequences, block and flow, of keys and scalars drawn from TRICKY and from
# arbitrary words, written by hand (not by yaml.safe_dump, which quotes whatever it would type).
WORDS = st.one_of(
    st.sampled_from(TRICKY),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8),
    st.text("abc019.:-+_ eE#'\"[]{},&*!?|>\\\t\r~=<", max_size=8),
)


def _scalar(word: str) -> str:
    return word if "\n" not in word else json.dumps(word)


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    lines: list[str] = []

    def block(depth: int, indent: str) -> None:
        for _ in range(draw(st.integers(1, 4))):
            key = _scalar(draw(WORDS))
            kind = draw(st.sampled_from(["scalar", "flow", "map", "seq", "block"] if depth < 3 else ["scalar"]))
            if kind == "scalar":
                lines.append(f"{indent}{key}: {_scalar(draw(WORDS))}")
            elif kind == "flow":
                items = ", ".join(_scalar(draw(WORDS)) for _ in range(draw(st.integers(0, 3))))
                lines.append(f"{indent}{key}: " + draw(st.sampled_from(["[{}]", "{{{}}}"])).format(items))
            elif kind == "block":
                lines.append(f"{indent}{key}: " + draw(st.sampled_from(["|", ">", "|-", ">+", "|2"])))
                lines.extend(f"{indent}  {_scalar(draw(WORDS))}" for _ in range(draw(st.integers(1, 3))))
            elif kind == "map":
                lines.append(f"{indent}{key}:")
                block(depth + 1, indent + "  ")
            else:
                lines.append(f"{indent}{key}:")
                for _ in range(draw(st.integers(1, 3))):
                    lines.append(f"{indent}- {_scalar(draw(WORDS))}")

    lines.append("openapi: 3.0.1")
    block(0, "")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n# end\n"]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=yaml_texts())
def test_generated_documents_read_alike_on_both_paths(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(text, monkeypatch)


SMALL = documents.large_yaml(3_000)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_documents_read_alike_on_both_paths(data: st.DataObject, monkeypatch: pytest.MonkeyPatch) -> None:
    text = SMALL
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 3))
        text = text[:at] + data.draw(st.text(st.characters(codec="utf-8"), max_size=3)) + text[at + cut :]
    assert_same(text, monkeypatch)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200))
def test_random_bytes_read_alike_on_both_paths(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(raw.decode("utf-8", "surrogateescape"), monkeypatch)


def test_a_document_with_many_plain_values_takes_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> None:
    document: dict[str, Any] = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}}
    document["x-values"] = {"n": [0, -3, 12, 1.5, -0.25], "t": True, "f": False, "z": None, "s": "plain text 1"}
    text = yaml.safe_dump(document, sort_keys=False)
    assert assert_same(text, monkeypatch)
