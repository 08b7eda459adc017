"""Random and mutated dossiers: every outcome is a result or a clear InputError, never a crash."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import services
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.formats.errors import InputError
from jixiao.formats.yaml_loader import load_yaml

EXAMPLE_TEXT = services.example_dossier().read_text(encoding="utf-8")
EXAMPLE_LINES = EXAMPLE_TEXT.splitlines()
EXAMPLE_DATA, _ = load_yaml(EXAMPLE_TEXT)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=8),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**6,
                max_value=10**6),
    st.sampled_from(["", "97.74%", "≥50个", "-", "1e999", "2021-13-45", "优", "达成"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                  max_size=3),
    max_leaves=8,
)


def run_all_the_way(text: str) -> None:
    """Read, validate and evaluate; only InputError may come out."""
    try:
        data, lines = load_yaml(text, "fuzz.yaml")
        services.evaluate(parse_dossier(data, lines, "fuzz.yaml"), "fuzz.yaml")
    except InputError as err:
        assert err.problems and all(p.message for p in err.problems)


def paths(node: Any, here: tuple = ()) -> list[tuple]:
    out = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, (*here, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += paths(value, (*here, i))
    return out


EXAMPLE_PATHS = [p for p in paths(EXAMPLE_DATA) if p]


def replaced(data: Any, path: tuple, value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(EXAMPLE_PATHS), value=values)
def test_a_value_replaced_anywhere_never_crashes(path, value):
    data = replaced(EXAMPLE_DATA, path, value)
    try:
        services.evaluate(parse_dossier(data, None, "fuzz.yaml"), "fuzz.yaml")
    except InputError as err:
        assert err.problems


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    drop=st.lists(st.integers(0, len(EXAMPLE_LINES) - 1), max_size=4),
    cut=st.integers(0, len(EXAMPLE_TEXT)),
    junk=st.text(max_size=12),
    where=st.integers(0, len(EXAMPLE_TEXT)),
)
def test_mangled_text_never_crashes(drop, cut, junk, where):
    kept = "\n".join(line for i, line in enumerate(EXAMPLE_LINES) if i not in set(drop))
    run_all_the_way(kept)
    run_all_the_way(EXAMPLE_TEXT[:cut])
    run_all_the_way(EXAMPLE_TEXT[:where] + junk + EXAMPLE_TEXT[where:])


@settings(max_examples=100, deadline=None)
@given(value=values)
def test_random_documents_never_crash(value):
    try:
        services.evaluate(parse_dossier(value, None, "fuzz.yaml"), "fuzz.yaml")
    except InputError as err:
        assert err.problems


def test_numbers_in_the_example_are_never_floats():
    def no_floats(node: Any) -> None:
        assert not isinstance(node, float)
        if isinstance(node, dict):
            for v in node.values():
                no_floats(v)
        elif isinstance(node, list):
            for v in node:
                no_floats(v)

    no_floats(EXAMPLE_DATA)
    assert EXAMPLE_DATA["spending"][0]["by_use"][0]["amount"] == Decimal("23312.50")
