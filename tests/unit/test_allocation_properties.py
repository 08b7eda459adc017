"""Properties of the factor-method engine over generated specs (hypothesis)."""

from __future__ import annotations

import math
from decimal import Decimal as D
from fractions import Fraction
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.core.allocation import AllocationError, AllocationResult, AllocationSpec, allocate

PRECISIONS = [D("0.01"), D("1"), D("0.1"), D("100")]


@st.composite
def values(draw: st.DrawFn, inverse: bool) -> D:
    """A factor value written with 0, 1 or 2 places; inverse factors are never 0."""
    n_places = draw(st.sampled_from([0, 1, 2]))
    low = 1 if inverse else 0
    return D(draw(st.integers(low, 100_000))).scaleb(-n_places)


@st.composite
def specs(draw: st.DrawFn, max_n: int = 10) -> dict[str, Any]:
    """Plain spec data (so a test can change it before validation)."""
    k = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1)))
    weights = [D(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    directions = draw(st.lists(st.sampled_from(["positive", "inverse"]), min_size=k,
                               max_size=k))
    factors = [
        {"name": f"f{j}", "weight": w, "category": "客观因素", "direction": d}
        for j, (w, d) in enumerate(zip(weights, directions, strict=True))
    ]
    n = draw(st.integers(1, max_n))
    recipients = [
        {"name": f"r{i}", "values": {f["name"]: draw(values(f["direction"] == "inverse"))
                                     for f in factors}}
        for i in range(n)
    ]
    for f in factors:
        assume(any(r["values"][f["name"]] for r in recipients))
    precision = draw(st.sampled_from(PRECISIONS))
    total = precision * draw(st.integers(0, 10**9))
    base_share = D(draw(st.integers(0, 100))) / 100
    return {"total": total, "base_share": base_share, "precision": precision,
            "factors": factors, "recipients": recipients}


def run(data: dict[str, Any]) -> AllocationResult:
    return allocate(AllocationSpec.model_validate(data))


def by_name(result: AllocationResult) -> dict[str, Any]:
    return {a.name: a for a in result.allocations}


def reference(data: dict[str, Any]) -> list[Fraction]:
    """The issue's formula, term by term, in plain fractions."""
    total, b = Fraction(data["total"]), Fraction(data["base_share"])
    rows, n = data["recipients"], len(data["recipients"])
    out = [total * b / n] * n
    for f in data["factors"]:
        xs = [Fraction(r["values"][f["name"]]) for r in rows]
        if f["direction"] == "inverse":
            xs = [1 / x for x in xs]
        s = sum(xs)
        out = [o + (1 - b) * total * Fraction(f["weight"]) * x / s for o, x in zip(out, xs,
                                                                                  strict=True)]
    return out


@settings(max_examples=300, deadline=None)
@given(specs())
def test_exact_amounts_follow_the_formula_and_parts_sum_exactly(data):
    result = run(data)
    exact = [a.exact_fraction() for a in result.allocations]
    assert exact == reference(data)
    assert sum(a.amount for a in result.allocations) == data["total"]
    step = Fraction(data["precision"])
    for a, e in zip(result.allocations, exact, strict=True):
        units = Fraction(a.amount) / step
        assert units.denominator == 1
        assert abs(Fraction(a.amount) - e) < step
        assert isinstance(a.amount, D) and isinstance(a.exact, D)


@settings(max_examples=200, deadline=None)
@given(specs())
def test_rounding_is_largest_remainder_with_ties_in_listed_order(data):
    result = run(data)
    step = Fraction(data["precision"])
    units = [e / step for e in (a.exact_fraction() for a in result.allocations)]
    floors = [math.floor(u) for u in units]
    missing = int(Fraction(data["total"]) / step) - sum(floors)
    order = sorted(range(len(units)), key=lambda i: (-(units[i] - floors[i]), i))
    expected = [f + (i in order[:missing]) for i, f in enumerate(floors)]
    assert [Fraction(a.amount) / step for a in result.allocations] == expected


@settings(max_examples=200, deadline=None)
@given(specs())
def test_each_amount_covers_its_base(data):
    result = run(data)
    step = Fraction(data["precision"])
    base = Fraction(data["total"]) * Fraction(data["base_share"]) / len(data["recipients"])
    for a in result.allocations:
        assert a.exact_fraction() >= base
        # Rounding can only take away what lies below the base's last whole unit.
        assert Fraction(a.amount) >= math.floor(base / step) * step


@settings(max_examples=200, deadline=None)
@given(specs(), st.data())
def test_raising_a_positive_factor_never_lowers_the_amount(data, draw):
    positive = [f["name"] for f in data["factors"] if f["direction"] == "positive"]
    assume(positive)
    name = draw.draw(st.sampled_from(positive))
    i = draw.draw(st.integers(0, len(data["recipients"]) - 1))
    before = run(data).allocations[i]
    raised = dict(data, recipients=[dict(r, values=dict(r["values"])) for r in
                                    data["recipients"]])
    raised["recipients"][i]["values"][name] += draw.draw(values(inverse=True))
    after = run(raised).allocations[i]
    assert after.exact_fraction() >= before.exact_fraction()
    assert after.amount >= before.amount


@settings(max_examples=200, deadline=None)
@given(specs(), st.data())
def test_scaling_a_factor_column_changes_nothing(data, draw):
    k = draw.draw(st.integers(0, len(data["factors"]) - 1))
    scale = draw.draw(st.sampled_from([D(3), D("0.1"), D(1000), D("7.5"), D("0.0001")]))
    name = data["factors"][k]["name"]
    scaled = dict(data, recipients=[
        dict(r, values={**r["values"], name: r["values"][name] * scale})
        for r in data["recipients"]
    ])
    a, b = run(data), run(scaled)
    assert [x.exact_fraction() for x in a.allocations] == [x.exact_fraction()
                                                           for x in b.allocations]
    assert [(x.amount, x.shares, x.base) for x in a.allocations] == [
        (x.amount, x.shares, x.base) for x in b.allocations]


@settings(max_examples=200, deadline=None)
@given(specs(), st.randoms(use_true_random=False))
def test_permuting_rows_changes_nothing_but_tie_order(data, rnd):
    rows = list(data["recipients"])
    rnd.shuffle(rows)
    a, b = by_name(run(data)), by_name(run(dict(data, recipients=rows)))
    step = Fraction(data["precision"])
    changed = []
    for name, x in a.items():
        y = b[name]
        assert x.exact_fraction() == y.exact_fraction() and x.shares == y.shares
        if x.amount != y.amount:
            assert abs(x.amount - y.amount) == data["precision"]
            changed.append(x.exact_fraction() / step % 1)
    # Only recipients with the same remainder (a tie) can trade the last unit.
    assert len(set(changed)) <= 1


@st.composite
def bounded_specs(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(specs(max_n=8))
    step = data["precision"]
    fair = data["total"] / len(data["recipients"])
    for r in data["recipients"]:
        if draw(st.booleans()):
            r["floor"] = step * int(fair * D(draw(st.integers(0, 150))) / 100 / step)
        if draw(st.booleans()):
            r["cap"] = step * int(fair * D(draw(st.integers(50, 300))) / 100 / step)
        if "floor" in r and "cap" in r and r["floor"] > r["cap"]:
            r["floor"], r["cap"] = r["cap"], r["floor"]
    return data


def weighted_shares(data: dict[str, Any]) -> list[Fraction]:
    rows = data["recipients"]
    out = [Fraction(0)] * len(rows)
    for f in data["factors"]:
        xs = [Fraction(r["values"][f["name"]]) for r in rows]
        if f["direction"] == "inverse":
            xs = [1 / x for x in xs]
        out = [o + Fraction(f["weight"]) * x / sum(xs) for o, x in zip(out, xs, strict=True)]
    return out


def clamp(x: Fraction, lo: D | None, hi: D | None) -> Fraction:
    x = max(x, Fraction(lo)) if lo is not None else x
    return min(x, Fraction(hi)) if hi is not None else x


@settings(max_examples=300, deadline=None)
@given(bounded_specs())
def test_floors_and_caps_hold_or_the_spec_is_refused(data):
    total = Fraction(data["total"])
    base = total * Fraction(data["base_share"]) / len(data["recipients"])
    omega = weighted_shares(data)
    rows = data["recipients"]
    # Feasible exactly when the total lies between the sums at P′ = 0 and at P′ → ∞.
    least = sum(clamp(base, r.get("floor"), r.get("cap")) for r in rows)
    # What each recipient can reach as P′ grows: a zero factor share never lifts it above
    # its clamped base; otherwise its cap, or without a cap no limit (None).
    most = [
        clamp(base, r.get("floor"), r.get("cap")) if not w
        else Fraction(r["cap"]) if r.get("cap") is not None else None
        for r, w in zip(rows, omega, strict=True)
    ]
    feasible = least <= total and (None in most or sum(most) >= total)
    try:
        result = run(data)
    except AllocationError as err:
        assert not feasible
        assert err.errors and all(isinstance(m, str) and m for _, m in err.errors)
        return
    assert feasible
    assert sum(a.amount for a in result.allocations) == data["total"]
    assert sum((a.exact_fraction() for a in result.allocations), Fraction(0)) == total
    pool = result.factor_pool
    assert pool >= 0
    for a, r, w in zip(result.allocations, rows, omega, strict=True):
        # Everyone gets clamp(base + P′·ω, floor, cap) with one common P′.
        assert a.exact_fraction() == clamp(base + pool * w, r.get("floor"), r.get("cap"))
        if r.get("floor") is not None:
            assert a.amount >= r["floor"]
        if r.get("cap") is not None:
            assert a.amount <= r["cap"]
        else:
            # Bases are never cut: only a cap can push an amount below its base.
            assert a.exact_fraction() >= base


@settings(max_examples=200, deadline=None)
@given(bounded_specs())
def test_bounds_that_do_not_bind_change_nothing(data):
    free = dict(data, recipients=[
        {"name": r["name"], "values": r["values"]} for r in data["recipients"]
    ])
    unbounded = run(free)
    loose = dict(free, recipients=[
        dict(r, floor=D(0), cap=data["total"]) for r in free["recipients"]
    ])
    assert [a.amount for a in run(loose).allocations] == [
        a.amount for a in unbounded.allocations]
