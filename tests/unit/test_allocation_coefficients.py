"""政策系数 as a multiplier on a recipient's weighted share (1.2 for 重点帮扶县)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from jixiao.core.allocation import AllocationSpec, allocate


def spec(coefficients: list[str | None], values: list[str], total: str = "1000",
         base: str = "0") -> AllocationSpec:
    return AllocationSpec.model_validate({
        "total": total, "base_share": base,
        "factors": [{"name": "人口", "weight": "1", "category": "客观因素"}],
        "recipients": [
            {"name": f"县{i}", "values": {"人口": v}, **({"coefficient": c} if c else {})}
            for i, (c, v) in enumerate(zip(coefficients, values, strict=True))
        ],
    })


def test_a_coefficient_multiplies_the_weighted_share_and_the_pool_is_renormalized():
    # shares .25 .25 .5; × 1.2, 1, 1 → .30 .25 .50 over 1.05:
    # 285.714…, 238.095…, 476.190… → floors 285.71 238.09 476.19 (999.99); the largest
    # remainder (县1, 0.52…) gets the last 0.01.
    result = allocate(spec(["1.2", None, None], ["1", "1", "2"]))
    assert [a.amount for a in result.allocations] == [D("285.71"), D("238.10"), D("476.19")]
    assert [a.weighted_share for a in result.allocations] == [D("0.25"), D("0.25"), D("0.5")]
    assert result.allocations[0].adjusted_share == D("0.285714285714")


def test_without_coefficients_nothing_changes():
    plain = allocate(spec([None, None], ["1", "3"]))
    ones = allocate(spec(["1", "1"], ["1", "3"]))
    assert [a.amount for a in plain.allocations] == [a.amount for a in ones.allocations]
    assert plain.allocations[0].adjusted_share is None and not plain.coefficients


def test_the_base_is_not_multiplied():
    # base 0.5 × 1000 / 2 = 250 each; pool 500 by shares .5/.5 × 2, 1 → 333.33…, 166.66…
    result = allocate(spec(["2", None], ["1", "1"], base="0.5"))
    assert [a.amount for a in result.allocations] == [D("583.33"), D("416.67")]


def test_the_table_reads_a_policy_coefficient_column(tmp_path: Path):
    from jixiao.formats.allocation_spec import load_allocation_spec

    (tmp_path / "counties.csv").write_text("名称,人口,政策系数\n甲县,1,1.2\n乙县,1,\n丙县,2,\n",
                                           encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        "total: 1000\nbase_share: 0\nrecipients: counties.csv\n"
        "factors:\n  - {name: 人口, weight: 1, category: 客观因素}\n", encoding="utf-8")
    loaded = load_allocation_spec(tmp_path / "spec.yaml")
    amounts = [a.amount for a in loaded.allocate().allocations]
    assert amounts == [D("285.71"), D("238.10"), D("476.19")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10_000), st.sampled_from([None, "0.8", "1.2", "1.5"])),
                min_size=1, max_size=8),
       st.sampled_from(["0", "0.2", "0.5"]))
def test_amounts_with_coefficients_always_add_up_to_the_total(
    rows: list[tuple[int, str | None]], base: str
) -> None:
    s = spec([c for _, c in rows], [str(v) for v, _ in rows], total="12345.67", base=base)
    result = allocate(s)
    assert sum((a.amount for a in result.allocations), D(0)) == D("12345.67")
    for a in result.allocations:
        assert abs(a.amount - a.exact) < D("0.01")
