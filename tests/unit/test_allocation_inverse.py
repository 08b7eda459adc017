"""Inverse factors without a giant common denominator: `allocate` encloses each amount in a
narrow fixed-point interval and works out exactly only what the intervals cannot decide
(`_allocate_free`). Its results must be those of the exact method (`_allocate_exact`, every
amount an integer over one common denominator), digit for digit: amounts, exact amounts,
shares, weighted shares and exact rationals, on generated specs full of ties."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_allocation_properties import PRECISIONS

from jixiao.core import allocation as allocation_module
from jixiao.core.allocation import (
    AllocationError,
    AllocationResult,
    AllocationSpec,
    _allocate_exact,
    _allocate_free,
    _units_decimals,
    allocate,
    allocation_errors,
)


def summary(result: AllocationResult) -> list[tuple[Any, ...]]:
    """Every figure of every recipient, Decimals as their text (so 0.5 and 0.50 differ)."""
    return [
        (a.name, str(a.base), str(a.factor_amount), str(a.exact), str(a.amount),
         {k: str(v) for k, v in a.shares.items()}, str(a.weighted_share), a.adjusted_share,
         a.exact_fraction())
        for a in result.allocations
    ] + [str(result.factor_pool), result.bounded, result.coefficients]


@st.composite
def inverse_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Specs with at least one inverse factor; values drawn from a few, so recipients often
    tie (equal remainders, amounts that are whole units)."""
    k = draw(st.integers(1, 3))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1)))
    weights = [D(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    directions = ["inverse", *draw(st.lists(st.sampled_from(["positive", "inverse"]),
                                            min_size=k - 1, max_size=k - 1))]
    factors = [{"name": f"f{j}", "weight": w, "category": "客观因素", "direction": d}
               for j, (w, d) in enumerate(zip(weights, directions, strict=True))]
    pool = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=4))
    n = draw(st.integers(1, 12))
    places = draw(st.sampled_from([0, 1, 2]))
    recipients = [
        {"name": f"r{i}", "values": {f["name"]: D(draw(st.sampled_from(pool))).scaleb(-places)
                                     for f in factors}}
        for i in range(n)
    ]
    if draw(st.booleans()):  # policy coefficients on some recipients (0 included)
        for r in recipients:
            coefficient = draw(st.sampled_from([None, D(0), D(1), D("1.2"), D("0.35")]))
            if coefficient is not None:
                r["coefficient"] = coefficient
    precision = draw(st.sampled_from(PRECISIONS))
    total = precision * draw(st.one_of(st.integers(0, 10**9), st.sampled_from([n, 2 * n, 60])))
    base_share = D(draw(st.integers(0, 100))) / 100
    return {"total": total, "base_share": base_share, "precision": precision,
            "factors": factors, "recipients": recipients}


def identical(data: dict[str, Any]) -> None:
    spec = AllocationSpec.model_validate(data)
    fast = _allocate_free(spec)
    assert summary(fast) == summary(_allocate_exact(spec))
    assert summary(allocate(spec)) == summary(fast)


def spec(values: list[int], total: str = "100", base: str = "0", precision: str = "0.01",
         ) -> dict[str, Any]:
    return {"total": D(total), "base_share": D(base), "precision": D(precision),
            "factors": [{"name": "人均财力", "weight": D(1), "category": "客观因素",
                         "direction": "inverse"}],
            "recipients": [{"name": f"县{i}", "values": {"人均财力": D(v)}}
                           for i, v in enumerate(values)]}


@settings(max_examples=400, deadline=None)
@given(inverse_specs())
@example(spec([7] * 9))  # every remainder equal: each decided exactly, by the listed order
@example(spec([3, 6, 9, 3, 6, 9], total="6.00"))  # whole units: floors decided exactly
@example(spec([1, 2, 3, 4, 5, 6, 7], total="0.03", base="0.5"))
@example(spec([10, 12, 20], total="7", precision="1"))  # 3 whole, 2.5, 1.5: one unit to r1
@example({**spec([2, 3, 5, 7]), "recipients": [  # coefficients, one of them 0
    {"name": f"县{i}", "values": {"人均财力": D(v)}, "coefficient": c}
    for i, (v, c) in enumerate([(2, D("1.2")), (3, D(0)), (5, D(1)), (7, D("0.5"))])]})
def test_the_interval_path_gives_the_exact_method_results(data):
    assume(not allocation_errors(AllocationSpec.model_validate(data)))  # e.g. every coefficient 0
    identical(data)


def test_many_distinct_inverse_values_are_allocated_exactly_and_quickly():
    """3,000 recipients with distinct values: the common denominator the exact method builds
    has thousands of digits; the interval path gives the same figures."""
    values = [1000 + 7 * i for i in range(3000)]
    identical(spec(values, total="123456789.01", base="0.2"))


@given(st.lists(st.integers(0, 10**15), max_size=5),
       st.sampled_from([*PRECISIONS, D("1E+2"), D("0.05"), D("0.001")]))
def test_amounts_keep_the_precision_s_exponent(units, precision):
    """Each amount is units × precision with the precision's exponent (0.00, not 0)."""
    sign, digits, exponent = precision.as_tuple()
    step_int = int("".join(map(str, digits)))
    expected = [D((sign, tuple(int(c) for c in str(u * step_int)), exponent)) for u in units]
    assert [str(x) for x in _units_decimals(units, precision)] == [str(x) for x in expected]


def outcome(allocator: Any, spec: AllocationSpec) -> Any:
    """Every figure, or the error's text when the bounds cannot be met."""
    try:
        return summary(allocator(spec))
    except AllocationError as error:
        return str(error)


@st.composite
def bounded_specs(draw: st.DrawFn) -> dict[str, Any]:
    """`inverse_specs` with floors and caps (multiples of the precision) on some recipients,
    near the even part so that they often bind, sometimes exactly at the unbounded amount."""
    data = draw(inverse_specs())
    precision, n = data["precision"], len(data["recipients"])
    even = int(data["total"] / precision) // n
    for r in data["recipients"]:
        kind = draw(st.sampled_from(["none", "floor", "cap", "both"]))
        low = draw(st.integers(0, 2 * even + 2))
        high = low + draw(st.integers(0, even + 2))
        if kind in ("floor", "both"):
            r["floor"] = precision * low
        if kind in ("cap", "both"):
            r["cap"] = precision * high
    return data


@settings(max_examples=400, deadline=None)
@given(bounded_specs())
@example({**spec([2, 3, 5, 7], total="100"), "recipients": [  # a floor exactly met, a cap
    {"name": f"县{i}", "values": {"人均财力": D(v)}, **b}
    for i, (v, b) in enumerate([(2, {"cap": D("30")}), (3, {"floor": D("20")}), (5, {}),
                                (7, {"floor": D("25")})])]})
def test_floors_and_caps_on_the_interval_path_give_the_exact_method_results(data):
    spec_ = AllocationSpec.model_validate(data)
    assume(not allocation_errors(spec_))
    assert outcome(_allocate_free, spec_) == outcome(_allocate_exact, spec_)
    assert outcome(allocate, spec_) == outcome(_allocate_exact, spec_)


def test_floors_and_caps_over_distinct_values_need_no_common_denominator(monkeypatch):
    """2,000 distinct inverse values with binding floors and caps: decided on the intervals
    alone (the common-denominator method is never called), with its figures."""
    values = [1000 + 7 * i for i in range(2000)]
    data = spec(values, total="2000000.00", base="0.5")
    for i, r in enumerate(data["recipients"]):
        if i % 10 == 0:
            r["cap"] = D("1100.00")
        if i % 10 == 5:
            r["floor"] = D("990.00")
    spec_ = AllocationSpec.model_validate(data)
    expected = summary(_allocate_exact(spec_))
    assert expected[-2] is True  # bounded

    def refuse(_spec: AllocationSpec) -> AllocationResult:
        raise AssertionError("the common-denominator method was called")

    monkeypatch.setattr(allocation_module, "_allocate_exact", refuse)
    result = allocate(spec_)
    assert summary(result) == expected
    assert any(a.amount == D("1100.00") for a in result.allocations)
    assert any(a.amount == D("990.00") for a in result.allocations)
