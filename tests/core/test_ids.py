"""Identifier formats: what AWS's look like, and unaffected by the test's own random.seed()."""

from __future__ import annotations

import random
import re
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from mockapigw.core import ids

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=(1 << 128) - 1))
def test_request_id_is_a_version_4_uuid_whatever_the_random_bits(bits: int) -> None:
    generator = random.Random()
    generator.getrandbits = lambda k: bits  # type: ignore[method-assign]
    saved, ids._rng = ids._rng, generator
    try:
        text = ids.request_id()
    finally:
        ids._rng = saved
    parsed = uuid.UUID(text)
    assert _UUID.match(text), text
    assert (parsed.version, parsed.variant, str(parsed)) == (4, uuid.RFC_4122, text)


def test_request_ids_differ_and_ignore_random_seed() -> None:
    random.seed(0)
    first = ids.request_id()
    random.seed(0)
    second = ids.request_id()
    assert first != second
    assert len({ids.request_id() for _ in range(1000)}) == 1000


def test_connection_style_ids_have_aws_shape() -> None:
    for _ in range(200):
        assert re.match(r"^[A-Za-z0-9_-]{15}=$", ids.connection_style())


def test_a_forked_child_does_not_repeat_the_parents_ids() -> None:
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return  # no fork on this platform: nothing to repeat
    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    child = context.Process(target=lambda: writer.send((ids.request_id(), ids.lower_alnum(10))))
    child.start()
    from_child = reader.recv()
    child.join(10)
    assert from_child != (ids.request_id(), ids.lower_alnum(10))
