"""`fields.bounded` counts a figure's places off its text and `fields.number` takes a whole
number without a Decimal round trip; both must say exactly what the definitions they replace
said (the exponent from `as_tuple`, every int through `Decimal` and `bounded`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.fields import LIMIT, MAX_PLACES, _oversized, bounded, number
from jixiao.core.numbers import MAX_EXPONENT, MAX_NUMBER_CHARS
from jixiao.core.phrases import Phrase


def _previous_bounded(value: Decimal) -> Decimal:
    """`bounded` as it was: the exponent read from `as_tuple`."""
    if not -LIMIT < value < LIMIT:
        raise ValueError(
            Phrase("数值过大（绝对值应小于 10^15），实际为 {value}", value=f"{value:E}"))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise ValueError(Phrase("小数位过多（最多 {n} 位）", n=str(MAX_PLACES)))
    return value if value else value + 0


def _outcome(fn: Any, value: Any) -> tuple[str, str]:
    try:
        return ("value", repr(fn(value)))
    except ValueError as err:
        said = err.args[0]
        assert isinstance(said, Phrase)
        return ("refused", f"{said!s}|{said!r}")


EDGES = [
    "0", "-0", "0.00", "-0.00", "0E+5", "-0E+5", "0E-28", "0E-29", "-0E-40", "1", "-1", "1.10",
    "23312.50", "1E-28", "1E-29", "-1E-29", "1E+3", "12E+3", "1.0000000000000000000000000000",
    "1.00000000000000000000000000000", "0.0000001", "0.00000001", "1E-7", "999999999999999.9",
    "999999999999999.99999999999999", "1E+15", "-1E+15", "9.99E+14", "-999999999999999",
    "1234567.1234567890123456789012", "0.0000000000000000000000000001",
    "0.00000000000000000000000000001",
]


@pytest.mark.parametrize("text", EDGES)
def test_bounded_says_what_it_said_at_the_edges(text: str) -> None:
    value = Decimal(text)
    assert _outcome(bounded, value) == _outcome(_previous_bounded, value)


@settings(max_examples=3000, deadline=None)
@given(st.integers(-(10**40), 10**40), st.integers(-45, 20))
def test_bounded_says_what_it_said_for_any_figure(coefficient: int, exponent: int) -> None:
    value = Decimal(coefficient).scaleb(exponent)
    assert _outcome(bounded, value) == _outcome(_previous_bounded, value)


def _no_handler(value: Any) -> Any:
    raise AssertionError("a whole number never goes to pydantic's Decimal")


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.integers(-(10**16), 10**16), st.integers(), st.sampled_from(
    [0, -1, 10**15, 10**15 - 1, -(10**15), -(10**15) + 1, 10**40])))
def test_a_whole_number_is_what_decimal_and_bounded_made_of_it(value: int) -> None:
    assert _outcome(lambda v: number(v, _no_handler), value) == _outcome(
        lambda v: _previous_bounded(Decimal(v)), value)


def _previous_oversized(text: str) -> bool:
    """`fields._oversized` as it was: every text of up to 40 characters parsed."""
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        return all(ch in "0123456789+-.eE_, " for ch in text)
    try:
        value = Decimal(text)
    except ArithmeticError:
        return False
    return value.is_finite() and abs(value.adjusted()) > MAX_EXPONENT


OVERSIZED_EDGES = [
    "1" * 31, "1" * 32, "-" + "1" * 31, "0." + "0" * 28 + "1", "0." + "0" * 29 + "1",
    "." + "0" * 29 + "1", "." + "0" * 30 + "1", "0." + "0" * 40, "1_000_000", "１２", "100%",
    "97.74%", "Infinity", "-inf", "NaN", "sNaN", "1e30", "1e31", "1E-31", " 12 ", "",
    "1" * 30 + ".5", "9" * 41, "1" + "0" * 30, "1" + "0" * 29,
]


@pytest.mark.parametrize("text", OVERSIZED_EDGES)
def test_oversized_says_what_it_said_at_the_edges(text: str) -> None:
    assert _oversized(text) == _previous_oversized(text)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789000000.-+_eE %１x", max_size=45))
def test_oversized_says_what_it_said_for_any_text(text: str) -> None:
    assert _oversized(text) == _previous_oversized(text)
