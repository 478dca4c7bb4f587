"""kg.jsontext: the same text as json.dumps(..., sort_keys=True, indent=N), for any JSON value."""

import json
from enum import IntEnum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.jsontext import dumps_indented


def _reference(value, indent=2):
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=indent)


_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_values, st.sampled_from([0, 1, 2, 4]))
def test_any_json_value_gives_the_standard_text(value, indent):
    assert dumps_indented(value, indent) == _reference(value, indent)


def test_an_extraction_record_with_chinese_text_controls_and_quotes():
    record = {
        "source": "區(qū)交通运输局.txt, line 3",
        "quote": '牵头单位:"区发改局"\n\t<script>alert(1)</script>\u2028\x00',
        "span": [2472, 2500],
        "support": [],
        "nested": {"empty": {}, "ratio": 0.1, "big": 10**30, "tiny": 1e-300, "flag": False},
        "tuple": ("a", 1),
    }
    assert dumps_indented(record) == _reference(record)


def test_keys_and_types_json_converts_are_left_to_json():
    class Level(IntEnum):
        HIGH = 2

    assert dumps_indented({2: "a", 1: "b"}) == _reference({2: "a", 1: "b"})
    assert dumps_indented({"level": Level.HIGH}) == _reference({"level": Level.HIGH})
    assert dumps_indented([float("nan"), float("inf")]) == _reference([float("nan"), float("inf")])


def test_what_json_rejects_raises_json_error():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"when": object()})
    cycle: list = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented(cycle)
