"""Exact numbers: 四舍五入, places, unit conversion, Chinese numerals."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.core.numbers import (
    UnitMismatch,
    cn_numeral,
    convert,
    fmt,
    fmt_natural,
    percent,
    places,
    round_half_up,
    split_unit,
    step,
    to_decimal,
)

# --- rounding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "n", "expected"),
    [
        ("1234.565", 2, "1234.57"),  # banker's rounding would give 1234.56
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("-2.5", 0, "-3"),
        ("0.125", 2, "0.13"),
        ("97.74436", 2, "97.74"),
        ("99.2358", 2, "99.24"),
        ("8.62", 0, "9"),
        ("0.005", 2, "0.01"),
        ("-0.005", 2, "-0.01"),
    ],
)
def test_round_half_up_is_sishe_wuru_never_bankers_rounding(value, n, expected):
    result = round_half_up(D(value), n)
    assert result == D(expected)
    assert str(result) == expected


def test_round_half_up_defaults_to_two_places():
    assert str(round_half_up(D("13.305"))) == "13.31"


def test_round_half_up_pads_to_the_requested_places():
    assert str(round_half_up(D("13.3"), 2)) == "13.30"
    assert str(round_half_up(D("100"), 2)) == "100.00"


# --- places and steps -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13.30", 2), ("13.3", 1), ("80000", 0), ("0.001", 3), ("1E+3", 0), ("-4.50", 2)],
)
def test_places_counts_the_decimals_a_figure_was_written_with(text, expected):
    assert places(D(text)) == expected


def test_step_is_one_unit_of_the_last_shown_digit():
    assert step(2) == D("0.01")
    assert step(0) == D(1)
    assert step(4) == D("0.0001")


# --- percentages and display ----------------------------------------------------------------


def test_percent_is_exact_and_none_on_a_zero_base():
    assert percent(D(13), D("13.30")) == D(13) * 100 / D("13.30")
    assert round_half_up(percent(D(13), D("13.30"))) == D("97.74")
    assert percent(D(5), D(0)) is None


def test_fmt_rounds_half_up_to_fixed_places_without_exponent():
    assert fmt(D("1234.565")) == "1234.57"
    assert fmt(D("1E+5"), 0) == "100000"
    assert fmt(None) == "—"


def test_fmt_natural_keeps_the_places_a_figure_was_written_with():
    assert fmt_natural(D("13.30")) == "13.30"
    assert fmt_natural(D("1E+2")) == "100"
    assert fmt_natural(None) == "—"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("13.30", D("13.30")), (" 80,000 ", D(80000)), ("abc", None), ("NaN", None),
     ("Infinity", None), ("", None)],
)
def test_to_decimal_parses_a_literal_or_gives_none(text, expected):
    assert to_decimal(text) == expected


# --- units ----------------------------------------------------------------------------------


def test_split_unit_reads_wan_and_yi_as_scale_prefixes():
    assert split_unit("万元") == ("元", 10**4)
    assert split_unit("亿元") == ("元", 10**8)
    assert split_unit("人") == ("人", 1)
    assert split_unit("万人") == ("人", 10**4)


@pytest.mark.parametrize(
    ("value", "src", "dst", "expected"),
    [
        ("992358", "人", "万人", "99.2358"),
        ("99.23", "万人", "人", "992300"),
        ("391.64", "亿元", "万元", "3916400"),
        ("3916400", "万元", "亿元", "391.64"),
        ("1", "亿元", "元", "100000000"),
        ("12345.67", "元", "万元", "1.234567"),
        ("80800", "万元", "万元", "80800"),
    ],
)
def test_convert_is_exact_between_scaled_units_of_one_base(value, src, dst, expected):
    assert convert(D(value), src, dst) == D(expected)


def test_converting_people_to_money_raises_unit_mismatch():
    with pytest.raises(UnitMismatch):
        convert(D(1), "人", "元")
    with pytest.raises(UnitMismatch):
        convert(D(1), "万人", "亿元")


def test_unit_mismatch_is_a_value_error():
    assert issubclass(UnitMismatch, ValueError)


# --- Chinese numerals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "text"),
    [(0, "零"), (1, "一"), (10, "十"), (12, "十二"), (20, "二十"), (23, "二十三"), (99, "九十九")],
)
def test_chinese_numerals_for_headings_and_counts(n, text):
    assert cn_numeral(n) == text


def test_numbers_beyond_ninety_nine_are_written_in_digits():
    assert cn_numeral(100) == "100" and cn_numeral(-1) == "-1"
