"""Every figure of `allocate` against a straightforward implementation of the rule in plain
fractions (no common denominator, no intervals, no column tricks): amounts, exact amounts,
factor amounts, shares, weighted and adjusted shares, exact rationals and the factor pool,
on generated specs with inverse factors, zero-weight factors, zero values, floors, caps,
policy coefficients and many ties."""

from __future__ import annotations

import math
from decimal import Context, Decimal
from fractions import Fraction
from typing import Any

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from test_allocation_properties import PRECISIONS

from jixiao.core.allocation import (
    AllocationError,
    AllocationSpec,
    _allocate_free,
    allocate,
    allocation_errors,
)

PLACES = 12


def shown(value: Fraction) -> str:
    """value ≥ 0 rounded half-up to 12 places, trailing zeros dropped, as text."""
    q = math.floor(value * 10**PLACES + Fraction(1, 2))
    whole, frac = divmod(q, 10**PLACES)
    return str(Decimal(f"{whole}.{frac:0{PLACES}d}".rstrip("0").rstrip(".")))


def oracle(data: dict[str, Any]) -> dict[str, Any] | None:
    """The rule, term by term; None when floors and caps cannot be met."""
    rows, factors = data["recipients"], data["factors"]
    n = len(rows)
    total, b, step = (Fraction(data[k]) for k in ("total", "base_share", "precision"))
    shares: list[list[Fraction]] = []
    for f in factors:
        ys = [Fraction(r["values"][f["name"]]) for r in rows]
        if f["direction"] == "inverse":
            ys = [1 / y for y in ys]
        s = sum(ys)
        shares.append([y / s if s else Fraction(0) for y in ys])
    omega = [sum((Fraction(f["weight"]) * col[i] for f, col in zip(factors, shares,
                                                                    strict=True)), Fraction(0))
             for i in range(n)]
    with_coefficients = any(r.get("coefficient") is not None for r in rows)
    adjusted = omega
    if with_coefficients:
        c = [Fraction(r.get("coefficient", 1)) for r in rows]
        s = sum(w * x for w, x in zip(omega, c, strict=True))
        if s:
            adjusted = [w * x / s for w, x in zip(omega, c, strict=True)]
    base = total * b / n
    lo = [None if r.get("floor") is None else Fraction(r["floor"]) for r in rows]
    hi = [None if r.get("cap") is None else Fraction(r["cap"]) for r in rows]

    def amounts(pool: Fraction) -> list[Fraction]:
        out = []
        for w, a, c in zip(adjusted, lo, hi, strict=True):
            x = base + pool * w
            x = max(x, a) if a is not None else x
            out.append(min(x, c) if c is not None else x)
        return out

    # Σ amounts(P) is continuous and non-decreasing in P ≥ 0, linear between the points
    # where someone meets a bound: find the piece that reaches the total and solve it.
    points = sorted({Fraction(0)} | {(bound - base) / w for w, a, c in zip(adjusted, lo, hi,
                                                                          strict=True)
                                     if w for bound in (a, c)
                                     if bound is not None and bound > base})
    if sum(amounts(Fraction(0))) > total:
        return None
    pool = None
    for left, right in zip(points, [*points[1:], None], strict=True):
        at_left = sum(amounts(left))
        if right is None:
            slope = sum(amounts(left + 1)) - at_left
        else:
            at_right = sum(amounts(right))
            if at_right < total:
                continue
            slope = (at_right - at_left) / (right - left)
        if at_left == total:
            pool = left
        elif slope > 0:
            pool = left + (total - at_left) / slope
        break
    if pool is None:
        return None
    exact = amounts(pool)
    units = [math.floor(e / step) for e in exact]
    missing = int(total / step) - sum(units)
    order = sorted(range(n), key=lambda i: (-(exact[i] / step - units[i]), i))
    for i in order[:missing]:
        units[i] += 1
    exponent = Decimal(data["precision"]).as_tuple().exponent
    assert isinstance(exponent, int)
    wide = Context(prec=80)
    return {
        "amount": [str(Decimal(u * int(step / Fraction(10) ** exponent)).scaleb(exponent))
                   for u in units],
        "exact": [shown(e) for e in exact],
        "factor_amount": [str(wide.subtract(Decimal(shown(e)), Decimal(shown(base))))
                          for e in exact],
        "base": shown(base),
        "weighted": [shown(w) for w in omega],
        "adjusted": [shown(w) for w in adjusted] if with_coefficients else None,
        "shares": [{f["name"]: shown(col[i]) for f, col in zip(factors, shares, strict=True)}
                   for i in range(n)],
        "fraction": exact,
    }


def figures(data: dict[str, Any], result: Any) -> dict[str, Any]:
    allocations = result.allocations
    coefficients = any(r.get("coefficient") is not None for r in data["recipients"])
    return {
        "amount": [str(a.amount) for a in allocations],
        "exact": [str(a.exact) for a in allocations],
        "factor_amount": [str(a.factor_amount) for a in allocations],
        "base": str(allocations[0].base),
        "weighted": [str(a.weighted_share) for a in allocations],
        "adjusted": [str(a.adjusted_share) for a in allocations] if coefficients else None,
        "shares": [{k: str(v) for k, v in a.shares.items()} for a in allocations],
        "fraction": [a.exact_fraction() for a in allocations],
    }


@st.composite
def any_specs(draw: st.DrawFn) -> dict[str, Any]:
    """Up to 4 factors (some inverse, some of weight 0, zero values in positive columns),
    values drawn from a few (ties), optional coefficients, floors and caps."""
    k = draw(st.integers(1, 4))
    cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=k - 1, max_size=k - 1)))
    weights = [Decimal(b - a) / 100 for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    directions = draw(st.lists(st.sampled_from(["positive", "inverse"]), min_size=k,
                               max_size=k))
    factors = [{"name": f"f{j}", "weight": w, "category": "客观因素", "direction": d}
               for j, (w, d) in enumerate(zip(weights, directions, strict=True))]
    pool = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=4))
    n = draw(st.integers(1, 10))
    places = draw(st.sampled_from([0, 1, 2]))
    recipients: list[dict[str, Any]] = [
        {"name": f"r{i}", "values": {
            f["name"]: Decimal(max(draw(st.sampled_from(pool)),
                                   1 if f["direction"] == "inverse" else 0)).scaleb(-places)
            for f in factors}}
        for i in range(n)
    ]
    precision = draw(st.sampled_from(PRECISIONS))
    total = precision * draw(st.one_of(st.integers(0, 10**9), st.sampled_from([n, 2 * n, 60])))
    if draw(st.booleans()):
        for r in recipients:
            coefficient = draw(st.sampled_from([None, Decimal(0), Decimal(1), Decimal("1.2"),
                                                Decimal("0.35")]))
            if coefficient is not None:
                r["coefficient"] = coefficient
    if draw(st.booleans()):
        fair = total / n
        for r in recipients:
            if draw(st.booleans()):
                r["floor"] = precision * int(fair * draw(st.integers(0, 150)) / 100 / precision)
            if draw(st.booleans()):
                r["cap"] = precision * int(fair * draw(st.integers(30, 300)) / 100 / precision)
            if "floor" in r and "cap" in r and r["floor"] > r["cap"]:
                r["floor"], r["cap"] = r["cap"], r["floor"]
    return {"total": total, "base_share": Decimal(draw(st.integers(0, 100))) / 100,
            "precision": precision, "factors": factors, "recipients": recipients}


def one_inverse(values: list[int], **extra: Any) -> dict[str, Any]:
    return {"total": Decimal("100"), "base_share": Decimal("0.2"), "precision": Decimal("0.01"),
            "factors": [{"name": "人均财力", "weight": Decimal(1), "category": "客观因素",
                         "direction": "inverse"}],
            "recipients": [{"name": f"县{i}", "values": {"人均财力": Decimal(v)}, **extra}
                           for i, v in enumerate(values)]}


@settings(max_examples=500, deadline=None)
@given(any_specs())
@example(one_inverse([7] * 9))  # every remainder equal
@example(one_inverse([3, 6, 9, 3, 6, 9]))
@example(one_inverse([2, 3, 5, 7, 11], cap=Decimal("21.00")))  # caps re-spread
@example(one_inverse([2, 3, 5, 7, 11], floor=Decimal("19.50")))
def test_every_figure_is_the_straightforward_rule_s(data):
    spec = AllocationSpec.model_validate(data)
    assume(not allocation_errors(spec))
    expected = oracle(data)
    try:
        result = allocate(spec)
    except AllocationError:
        assert expected is None
        return
    assert expected is not None
    assert figures(data, result) == expected
    assert result.bounded == any(r.get("floor") is not None or r.get("cap") is not None
                                 for r in data["recipients"])
    if not result.bounded:
        assert result.factor_pool == Fraction(data["total"]) * (1 - Fraction(data["base_share"]))
        if any(f["direction"] == "inverse" for f in data["factors"]):
            assert figures(data, _allocate_free(spec)) == expected


def test_a_result_survives_pickling_with_every_figure():
    """A cache pickles what it keeps: the figures worked out on first read come along."""
    import pickle

    data = one_inverse([2, 3, 5, 7, 11], coefficient=Decimal("1.2"))
    spec = AllocationSpec.model_validate(data)
    result = allocate(spec)
    copy = pickle.loads(pickle.dumps(result))
    assert figures(data, copy) == figures(data, result) == oracle(data)
    assert copy.allocations == result.allocations
