"""Exact numbers: 四舍五入, places, unit conversion, Money."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from jixiao.core.numbers import (
    Money,
    UnitMismatch,
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


# --- money ----------------------------------------------------------------------------------


def test_money_defaults_to_wanyuan():
    assert Money(D(5)).unit == "万元"


def test_money_refuses_a_float():
    with pytest.raises(TypeError):
        Money(1.5, "元")  # type: ignore[arg-type]


def test_money_refuses_a_unit_that_is_not_money():
    with pytest.raises(UnitMismatch):
        Money(D(1), "人")


def test_money_converts_between_yuan_wanyuan_and_yiyuan_exactly():
    m = Money(D("391.64"), "亿元")
    assert m.to("万元") == Money(D(3916400), "万元")
    assert m.to("元").amount == D(39164000000)
    assert m.to("万元").to("亿元").amount == D("391.64")


def test_money_adds_in_the_left_unit():
    total = Money(D(80000), "万元") + Money(D(8000000), "元")
    assert total == Money(D(80800), "万元")


def test_money_displays_rounded_half_up_with_its_unit():
    assert Money(D("1234.565"), "万元").display() == "1234.57万元"
    assert Money(D(80800), "万元").display(0) == "80800万元"


def test_money_fen_is_whole_fen_rounded_half_up():
    assert Money(D("1.005"), "元").fen() == 101
    assert Money(D("13.30"), "万元").fen() == 13_300_000
    assert Money(D("0.00005"), "万元").fen() == 50


@pytest.mark.parametrize("amount", ["0", "0.01", "1234.56", "80800", "0.123456", "99999999.99"])
def test_money_round_trips_through_fen(amount):
    m = Money(D(amount), "万元")
    back = Money.from_fen(m.fen(), "万元")
    assert back.amount == m.amount
    assert back.unit == "万元"
    assert back.fen() == m.fen()


def test_money_from_fen_lands_in_the_requested_unit():
    assert Money.from_fen(12345, "元") == Money(D("123.45"), "元")
    assert Money.from_fen(12345, "万元").amount == D("0.012345")
    assert not isinstance(Money.from_fen(1, "亿元").amount, float)
