"""The factor-method engine: formula, largest-remainder rounding, validation, floors, caps."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from jixiao.core.allocation import (
    AllocationError,
    AllocationSpec,
    allocate,
    allocation_errors,
)

COUNTIES = ["天等县", "龙州县", "宁明县", "富川瑶族自治县", "昭平县",
            "融水苗族自治县", "融安县", "三江侗族自治县", "忻城县", "金秀瑶族自治县"]


def spec(
    values: list[dict[str, Any]] | list[int],
    factors: list[dict[str, Any]] | None = None,
    total: str = "100",
    base_share: str = "0",
    **extra: Any,
) -> AllocationSpec:
    """A spec with recipients r0, r1, … ; bare numbers are values of a single factor 'x'."""
    factors = factors or [{"name": "x", "weight": D(1), "category": "客观因素"}]
    recipients = []
    for i, v in enumerate(values):
        row = {"values": {"x": D(v)}} if isinstance(v, int) else v
        recipients.append({"name": f"r{i}", **row})
    return AllocationSpec.model_validate(
        {"total": D(total), "base_share": D(base_share), "factors": factors,
         "recipients": recipients, **extra}
    )


def amounts(result: Any) -> list[D]:
    return [a.amount for a in result.allocations]


def errors_of(s: AllocationSpec) -> dict[tuple[Any, ...], str]:
    return dict(allocation_errors(s))


# --- the formula -------------------------------------------------------------------------------


def test_seed_case_gives_each_county_a_4000_base_and_distributes_10000_by_factors():
    factors = [
        {"name": "脱贫人口", "weight": D("0.5"), "category": "客观因素"},
        {"name": "重点帮扶县", "weight": D("0.2"), "category": "政策因素"},
        {"name": "考核结果", "weight": D("0.3"), "category": "绩效因素"},
    ]
    rows = [
        {"name": name, "values": {"脱贫人口": D(30000 + 7919 * i % 90000),
                                  "重点帮扶县": D(i % 2), "考核结果": D("1.0") + D(i % 3) / 10}}
        for i, name in enumerate(COUNTIES)
    ]
    result = allocate(spec(rows, factors, total="50000", base_share="0.8"))
    assert [a.base for a in result.allocations] == [D(4000)] * 10
    assert sum(a.exact_fraction() - 4000 for a in result.allocations) == 10000
    factor = sum(a.factor_amount for a in result.allocations)
    assert factor == pytest.approx(D(10000), abs=D("1e-9"))
    assert sum(amounts(result)) == D("50000.00")
    assert all(a.amount >= 4000 for a in result.allocations)
    assert sum((a.exact_fraction() for a in result.allocations), Fraction(0)) == 50000
    for f in factors:
        assert sum(Fraction(a.shares[f["name"]]) for a in result.allocations) == pytest.approx(1)


def test_amount_is_base_plus_pool_times_weighted_share():
    # T = 100, b = 0.5: base 25 each; pool 50 split 1 : 3.
    result = allocate(spec([1, 3], base_share="0.5"))
    a, b = result.allocations
    assert (a.base, a.factor_amount, a.amount) == (D(25), D("12.5"), D("37.50"))
    assert (b.base, b.factor_amount, b.amount) == (D(25), D("37.5"), D("62.50"))
    assert a.shares == {"x": D("0.25")} and b.shares == {"x": D("0.75")}


def test_inverse_factor_uses_reciprocals():
    factors = [{"name": "人均财力", "weight": D(1), "category": "客观因素",
                "direction": "inverse"}]
    rows = [{"name": "甲", "values": {"人均财力": D(1)}},
            {"name": "乙", "values": {"人均财力": D(3)}}]
    result = allocate(spec(rows, factors))
    # 1/1 : 1/3 = 3 : 1
    assert amounts(result) == [D("75.00"), D("25.00")]
    assert result.allocations[0].shares["人均财力"] == D("0.75")


def test_chinese_direction_words_are_accepted():
    factors = [{"name": "x", "weight": D(1), "category": "客观因素", "direction": "逆向"}]
    assert spec([1, 3], factors).factors[0].direction == "inverse"


def test_weighted_mix_of_factors():
    factors = [
        {"name": "人口", "weight": D("0.6"), "category": "客观因素"},
        {"name": "考核", "weight": D("0.4"), "category": "绩效因素"},
    ]
    rows = [{"name": "甲", "values": {"人口": D(1), "考核": D(1)}},
            {"name": "乙", "values": {"人口": D(3), "考核": D(1)}}]
    result = allocate(spec(rows, factors, total="1000"))
    # 甲: 0.6·1/4 + 0.4·1/2 = 0.35 ; 乙: 0.6·3/4 + 0.4·1/2 = 0.65
    assert amounts(result) == [D("350.00"), D("650.00")]
    assert result.allocations[0].weighted_share == D("0.35")


def test_exact_amount_keeps_every_digit_and_rounds_only_for_display():
    result = allocate(spec([1, 1, 1], total="1"))
    assert all(a.exact_fraction() == Fraction(1, 3) for a in result.allocations)
    assert result.allocations[0].exact == D("0.333333333333")


def test_largest_remainder_ties_go_by_listed_order():
    assert amounts(allocate(spec([1, 1, 1], total="1"))) == [D("0.34"), D("0.33"), D("0.33")]
    assert amounts(allocate(spec([1, 1, 1], total="0.02"))) == [D("0.01"), D("0.01"), D("0")]


def test_largest_remainder_gives_units_to_the_largest_remainders():
    # exact: 0.0625·k for k = 1, 2, 5, 8 → 0.0625, 0.125, 0.3125, 0.5 ; T = 1
    result = allocate(spec([1, 2, 5, 8], total="1"))
    assert amounts(result) == [D("0.06"), D("0.13"), D("0.31"), D("0.50")]
    assert sum(amounts(result)) == 1


def test_precision_of_one_yuan():
    result = allocate(spec([1, 1, 1], total="100", precision=D(1), unit="元"))
    assert amounts(result) == [D(34), D(33), D(33)]
    assert all(a.amount.as_tuple().exponent == 0 for a in result.allocations)


def test_amounts_keep_the_places_of_the_precision():
    result = allocate(spec([1, 1], total="100"))
    assert [str(a) for a in amounts(result)] == ["50.00", "50.00"]


def test_zero_total_gives_zero_to_everyone():
    assert amounts(allocate(spec([1, 2], total="0"))) == [D("0.00"), D("0.00")]


def test_base_share_one_splits_equally_and_ignores_factors():
    result = allocate(spec([1, 99], total="10", base_share="1"))
    assert amounts(result) == [D("5.00"), D("5.00")]
    assert all(a.factor_amount == 0 for a in result.allocations)


def test_float_input_is_read_through_its_repr_never_as_binary():
    s = spec([{"name": "甲", "values": {"x": 0.1}}, {"name": "乙", "values": {"x": 0.2}}])
    assert s.recipients[0].values["x"] == D("0.1")
    assert amounts(allocate(s)) == [D("33.33"), D("66.67")]


def test_large_inverse_columns_stay_exact():
    factors = [
        {"name": "a", "weight": D("0.5"), "category": "客观因素", "direction": "inverse"},
        {"name": "b", "weight": D("0.5"), "category": "客观因素", "direction": "inverse"},
    ]
    rows = [{"name": f"r{i}", "values": {"a": D(1000 + 7 * i) / 100, "b": D(97 + i)}}
            for i in range(200)]
    result = allocate(spec(rows, factors, total="1000000"))
    total = sum((a.exact_fraction() for a in result.allocations), Fraction(0))
    assert total == 1_000_000 and sum(amounts(result)) == 1_000_000
    sa = sum(Fraction(1) / Fraction(r["values"]["a"]) for r in rows)
    expected = 1_000_000 * (Fraction(1, 2) / Fraction(rows[0]["values"]["a"]) / sa
                            + Fraction(1, 2) / 97 / sum(Fraction(1, 97 + i) for i in range(200)))
    assert result.allocations[0].exact_fraction() == expected


# --- validation --------------------------------------------------------------------------------


def test_weights_must_sum_to_one():
    factors = [{"name": "x", "weight": D("0.9"), "category": "客观因素"}]
    assert errors_of(spec([1, 2], factors)) == {("factors",): "各因素权重合计应为 1，实际为 0.9"}
    with pytest.raises(AllocationError, match=r"实际为 0\.9"):
        allocate(spec([1, 2], factors))


def test_duplicate_recipient_and_factor_names():
    factors = [{"name": "x", "weight": D("0.5"), "category": "客观因素"}] * 2
    s = spec([{"name": "甲", "values": {"x": D(1)}}, {"name": "甲", "values": {"x": D(2)}}],
             factors)
    errors = errors_of(s)
    assert errors[("recipients", 1, "name")] == "名称「甲」重复"
    assert errors[("factors", 1, "name")] == "因素名称「x」重复"


def test_missing_and_unknown_values_are_named():
    s = spec([{"name": "甲", "values": {"y": D(1)}}, {"name": "乙", "values": {"x": D(2)}}])
    errors = errors_of(s)
    assert errors[("recipients", 0, "values", "x")] == "缺少因素「x」的数值"
    assert errors[("recipients", 0, "values", "y")] == "「y」不是 factors 中列出的因素"


def test_inverse_factor_with_a_zero_value():
    factors = [{"name": "x", "weight": D(1), "category": "客观因素", "direction": "inverse"}]
    errors = errors_of(spec([1, 0], factors))
    assert errors == {("recipients", 1, "values", "x"): "逆向因素「x」按倒数计算，数值不能为 0"}


def test_positive_column_summing_to_zero():
    message = "因素「x」各对象数值合计为 0，无法计算占比"
    assert errors_of(spec([0, 0])) == {("columns", "x"): message}


def test_a_zero_weight_factor_may_sum_to_zero_and_changes_nothing():
    factors = [{"name": "x", "weight": D(1), "category": "客观因素"},
               {"name": "z", "weight": D(0), "category": "客观因素"}]
    rows = [{"values": {"x": D(1), "z": D(0)}}, {"values": {"x": D(3), "z": D(0)}}]
    result = allocate(spec(rows, factors))
    assert [a.amount for a in result.allocations] == [D("25.00"), D("75.00")]
    assert [a.shares["z"] for a in result.allocations] == [D(0), D(0)]
    without = allocate(spec([1, 3]))
    assert [a.exact for a in result.allocations] == [a.exact for a in without.allocations]


def test_total_must_be_a_whole_number_of_precision_units():
    errors = errors_of(spec([1, 2], total="100.005"))
    assert "不是取整精度 0.01 的整数倍" in errors[("total",)]


@pytest.mark.parametrize(
    ("change", "loc"),
    [
        ({"base_share": D("1.2")}, ("base_share",)),
        ({"base_share": D("-0.1")}, ("base_share",)),
        ({"total": D("-1")}, ("total",)),
        ({"precision": D(0)}, ("precision",)),
        ({"unit": "美元"}, ("unit",)),
        ({"factors": []}, ("factors",)),
        ({"recipients": []}, ("recipients",)),
    ],
)
def test_schema_rejects_bad_parameters(change, loc):
    data = {"total": D(100), "base_share": D("0.5"),
            "factors": [{"name": "x", "weight": D(1), "category": "客观因素"}],
            "recipients": [{"name": "甲", "values": {"x": D(1)}}], **change}
    with pytest.raises(ValidationError) as exc:
        AllocationSpec.model_validate(data)
    assert [e["loc"] for e in exc.value.errors()] == [loc]


def test_schema_rejects_negative_values_bools_and_unknown_categories():
    data = {"total": D(100), "base_share": D("0.5"),
            "factors": [{"name": "x", "weight": D(1), "category": "其他因素"}],
            "recipients": [{"name": "甲", "values": {"x": D(-1)}},
                           {"name": "乙", "values": {"x": True}}]}
    with pytest.raises(ValidationError) as exc:
        AllocationSpec.model_validate(data)
    locs = {e["loc"] for e in exc.value.errors()}
    assert locs == {("factors", 0, "category"), ("recipients", 0, "values", "x"),
                    ("recipients", 1, "values", "x")}


# --- floors and caps ---------------------------------------------------------------------------


def bounded(floors_caps: list[tuple[str | None, str | None]], values: list[int], **kw: Any):
    rows = [
        {"name": f"r{i}", "values": {"x": D(v)},
         **({"floor": D(f)} if f else {}), **({"cap": D(c)} if c else {})}
        for i, (v, (f, c)) in enumerate(zip(values, floors_caps, strict=True))
    ]
    return spec(rows, **kw)


def test_no_binding_bound_changes_nothing():
    free = allocate(spec([1, 2, 3], total="600"))
    loose = allocate(bounded([("50", "500"), (None, None), (None, "400")], [1, 2, 3], total="600"))
    assert amounts(loose) == amounts(free) and loose.factor_pool == 600


def test_cap_excess_goes_to_the_others_in_proportion_to_their_factor_amounts():
    # Unbounded: 100, 200, 300. Cap r2 at 240: the 60 goes 1 : 2 to r0 and r1.
    result = allocate(bounded([(None, None), (None, None), (None, "240")], [1, 2, 3],
                              total="600"))
    assert amounts(result) == [D("120.00"), D("240.00"), D("240.00")]
    assert result.factor_pool == 720 and result.bounded


def test_floor_shortfall_is_taken_from_the_others_in_proportion():
    # b = 0.5, T = 600: base 100 each, factor 50/100/150. Floor r0 at 200 needs 50 more.
    result = allocate(bounded([("200", None), (None, None), (None, None)], [1, 2, 3],
                              total="600", base_share="0.5"))
    assert amounts(result) == [D("200.00"), D("180.00"), D("220.00")]
    assert all(a.amount >= a.base for a in result.allocations)


def test_bounds_met_in_a_chain_reach_one_consistent_solution():
    # Capping r3 pushes r2 over its cap too; both end at their caps, r0/r1 share the rest 1 : 2.
    result = allocate(bounded([(None, None), (None, None), (None, "310"), (None, "350")],
                              [1, 2, 3, 4], total="1000"))
    assert amounts(result) == [D("113.33"), D("226.67"), D("310.00"), D("350.00")]
    assert sum(amounts(result)) == 1000


def test_cap_below_the_base_binds():
    result = allocate(bounded([(None, "10"), (None, None)], [1, 1], total="100",
                              base_share="0.8"))
    assert amounts(result) == [D("10.00"), D("90.00")]
    assert result.allocations[0].factor_amount == D(-30)


def test_rounded_amounts_respect_floors_and_caps():
    result = allocate(bounded([(None, "33.33"), ("33.34", None), (None, None)], [1, 1, 1],
                              total="100"))
    a = amounts(result)
    assert a[0] <= D("33.33") and a[1] >= D("33.34") and sum(a) == 100


def test_floors_that_need_more_than_the_pool_are_infeasible():
    s = bounded([("60", None), ("60", None)], [1, 1], total="100")
    assert errors_of(s) == {("recipients",): "各对象保底金额合计 120 超过分配总额 100"}
    s = bounded([("95", None), (None, None)], [1, 1], total="100", base_share="0.5")
    with pytest.raises(AllocationError, match="保底金额无法满足") as exc:
        allocate(s)
    assert exc.value.errors[0][0] == ("recipients",)


def test_caps_that_leave_money_unallocatable_are_infeasible():
    s = bounded([(None, "40"), (None, "40")], [1, 1], total="100")
    with pytest.raises(AllocationError, match="上限金额过低"):
        allocate(s)


def test_zero_factor_recipient_takes_no_redistributed_money():
    s = bounded([(None, "50"), (None, None), (None, None)], [2, 1, 0], total="90")
    result = allocate(s)
    assert amounts(result) == [D("50.00"), D("40.00"), D("0.00")]


def test_bound_errors():
    s = bounded([("50", "40"), ("0.001", None)], [1, 1], total="100")
    errors = errors_of(s)
    assert errors[("recipients", 0, "floor")] == "保底金额 50 大于上限金额 40"
    assert errors[("recipients", 1, "floor")] == "保底金额 0.001 应为取整精度 0.01 的整数倍"


def test_without_a_factor_pool_money_freed_by_a_cap_goes_by_weighted_share():
    # b = 1: bases 30 each; the cap frees 10, which r1 and r2 share 1 : 2.
    result = allocate(bounded([(None, "20"), (None, None), (None, None)], [1, 1, 2],
                              total="90", base_share="1"))
    assert amounts(result) == [D("20.00"), D("33.33"), D("36.67")]
