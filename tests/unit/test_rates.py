"""One definition of each rate (jixiao.core.rates)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from jixiao.core import rates

positive = st.decimals(min_value=D("0.01"), max_value=D("1e9"), places=2)


def test_completion_of_a_floor_indicator_is_actual_over_target():
    assert rates.completion(">=", D(80), D(100)) == D(125)
    assert rates.completion("=", D(80), D(40)) == D(50)


def test_completion_of_a_ceiling_indicator_is_target_over_actual():
    assert rates.completion("<=", D(80), D(100)) == D(80)
    assert rates.completion("<=", D(80), D(40)) == D(200)
    assert rates.completion("<=", D(0), D(0)) == D(100)  # "≤0" met exactly


def test_completion_without_a_base_is_none():
    assert rates.completion(">=", D(0), D(5)) is None


@given(positive, positive)
def test_a_ceiling_indicator_reaches_100_exactly_when_the_ceiling_is_met(target, actual):
    rate = rates.completion("<=", target, actual)
    assert rate is not None
    assert (rate >= 100) == (actual <= target)
