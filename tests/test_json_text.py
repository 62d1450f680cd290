"""nichiro writes and reads JSON without importing json on the common lines (docs/performance.md):
the text must be exactly json's, byte for byte, and every value read must be what json.loads reads."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nichiro import render, store

# What the output escapes, for the reference below: json.dumps leaves these raw with ensure_ascii off.
UNSAFE = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def reference(data: Any) -> str:
    """What to_json wrote before it was nichiro's own: json.dumps, then the unsafe characters escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return re.sub(UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)


# Every character json or the escaping treats apart: quotes, backslashes, C0 and C1 controls, DEL,
# separators, bidi marks, a lone surrogate (a file name's undecodable byte), Japanese, Cyrillic, emoji.
SPECIAL = (
    '"\\/\x00\x01\x1f\n\t\r\x7f\x80\x85\x9b\x9f\xa0'
    "\u061c\u200b\u200e\u200f\u2028\u2029\u202a\u202e\u2066\u2069\udc80\ufeff日露Шикотан😀é"
)
texts = st.text(alphabet=st.one_of(st.characters(), st.sampled_from(SPECIAL)), max_size=12)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
keys = st.one_of(texts, st.integers(), st.floats(), st.booleans(), st.none())
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(keys, inner, max_size=4),
    ),
    max_leaves=25,
)


@given(values)
def test_to_json_writes_what_json_dumps_writes(data: Any) -> None:
    assert render.to_json(data) == reference(data)


def test_to_json_of_the_whole_fact_base() -> None:
    from nichiro.factbase import load_factbase
    from nichiro.views import dump

    data = dump(load_factbase())
    assert render.to_json(data) == reference(data)


@pytest.mark.parametrize("data", [{"a": {1, 2}}, [object()], {(1, 2): "tuple key"}, b"bytes"])
def test_what_json_cannot_write_is_a_type_error_as_in_json(data: Any) -> None:
    with pytest.raises(TypeError):
        json.dumps(data)
    with pytest.raises(TypeError):
        render.to_json(data)


@given(values)
def test_the_store_reads_what_json_loads_reads(data: Any) -> None:
    blob = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")
    expected, got = json.loads(blob), store._loads(blob)
    assert repr(got) == repr(expected)  # repr: NaN is not equal to itself
    assert type(got) is type(expected)


@pytest.mark.parametrize("blob", [b"", b"{", b'{"a": 1} x', b"[1, 2,]", b"\xff{}", b'"\\ud800"', b" [1] "])
def test_a_blob_json_would_refuse_is_refused_as_json_refuses_it(blob: bytes) -> None:
    try:
        expected: Any = json.loads(blob)
    except ValueError as exc:
        with pytest.raises(type(exc)) as raised:
            store._loads(blob)
        assert str(raised.value) == str(exc)
    else:
        got = store._loads(blob)
        assert repr(got) == repr(expected) or (isinstance(got, float) and math.isnan(got))


def test_subclasses_are_written_by_their_base_type_as_in_json() -> None:
    from nichiro.errors import ExitCode

    class Text(str):
        def __str__(self) -> str:
            return "not this"

    class Number(float):
        def __repr__(self) -> str:
            return "not this"

    data = {"code": ExitCode.USAGE, ExitCode.NOT_FOUND: [Text("t\u2028"), Number(1.5)], 1.0: True, None: -0.0}
    assert render.to_json(data) == reference(data)
