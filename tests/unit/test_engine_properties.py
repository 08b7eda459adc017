"""Properties of the scoring and checks engines over generated indicator trees."""

from __future__ import annotations

import itertools
from decimal import Decimal as D
from typing import Any

from builders import budget, default_bands, dossier, findings, mof_tree, template
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jixiao.core.checks import Comparison, judge
from jixiao.core.dossier import Budget, GradeBand, Indicator, ScoringConventions
from jixiao.core.numbers import round_half_up
from jixiao.core.scoring import Scorecard, grade_for, score_tree

ALL_METHODS = ("quantitative", "qualitative", "deduction", "manual", "execution")
# Methods whose leaf score is exact at 2 places whenever the weights, points and scores are
# (see test_rescaling_every_weight_keeps_the_rates_and_the_grade).
EXACT_METHODS = ("qualitative", "deduction", "manual")
ZERO = D(0)


# --- strategies -------------------------------------------------------------------------


@st.composite
def decimals(draw: st.DrawFn, low_cents: int = 1, high_cents: int = 1_000_000) -> D:
    """A Decimal written with 0, 1 or 2 places."""
    n_places = draw(st.sampled_from([0, 1, 2]))
    units = draw(st.integers(low_cents, high_cents))
    if n_places == 0:
        return D(units // 100 or (1 if low_cents > 0 else 0))
    if n_places == 1:
        return D(units // 10 or (1 if low_cents > 0 else 0)).scaleb(-1)
    return D(units).scaleb(-2)


def weights() -> st.SearchStrategy[D]:
    return decimals(1, 5_000)  # 0.01 … 50


@st.composite
def share_of(draw: st.DrawFn, weight: D) -> D:
    """A score between 0 and ``weight`` with at most 2 places."""
    cents = draw(st.integers(0, int(weight * 100)))
    return D(cents).scaleb(-2)


@st.composite
def leaf_specs(draw: st.DrawFn, methods: tuple[str, ...]) -> dict[str, Any]:
    w = draw(weights())
    method = draw(st.sampled_from(methods))
    node: dict[str, Any] = {"weight": w, "method": method}
    if method == "quantitative":
        direction = draw(st.sampled_from([">=", "<=", "="]))
        target = draw(decimals(1, 1_000_000))
        actual = draw(st.one_of(st.just(target), decimals(0, 2_000_000)))
        node.update(direction=direction, target=target, actual=actual)
        if direction == "<=":
            node["reverse_convention"] = draw(st.sampled_from(["linear", "ratio"]))
    elif method == "qualitative":
        level = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
        node["level"] = level
        if level != "达成" or draw(st.booleans()):
            node["score"] = draw(share_of(w))
    elif method == "deduction":
        points = draw(st.lists(decimals(1, 3_000), max_size=3))
        node["deductions"] = [{"points": p, "reason": "扣分"} for p in points]
    elif method == "manual":
        node["score"] = draw(share_of(w))
    node["applicable"] = draw(st.sampled_from([True, True, True, False]))
    return node


@st.composite
def node_specs(draw: st.DrawFn, methods: tuple[str, ...], depth: int = 1) -> dict[str, Any]:
    """A node at ``depth`` (1–3). A parent's weight is the sum of its children's: a valid
    tree (a tree whose weights do not add up is a data fault, flagged by weights.children_sum,
    and its parent may then score above its own weight)."""
    if depth == 3 or draw(st.booleans()):
        return draw(leaf_specs(methods))
    children = draw(st.lists(node_specs(methods, depth + 1), min_size=1, max_size=3))
    return {
        "weight": sum((c["weight"] for c in children), ZERO),
        "children": children,
        "applicable": draw(st.sampled_from([True, True, True, False])),
    }


def trees(methods: tuple[str, ...] = ALL_METHODS) -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(node_specs(methods), min_size=1, max_size=4)


def conventions() -> st.SearchStrategy[ScoringConventions]:
    return st.builds(
        ScoringConventions,
        reverse=st.sampled_from([None, "linear", "ratio"]),
        equal=st.sampled_from(["zero", "proportional"]),
    )


def budgets() -> st.SearchStrategy[Budget]:
    return st.builds(
        lambda annual, executed: Budget(annual=annual, executed=executed),
        decimals(1, 10_000_000), decimals(0, 20_000_000),
    )


def named(specs: list[dict[str, Any]], prefix: str = "指标") -> list[dict[str, Any]]:
    out = []
    for i, spec in enumerate(specs, 1):
        node = {**spec, "name": f"{prefix}{i}"}
        if "children" in spec:
            node["children"] = named(spec["children"], f"{prefix}{i}.")
        out.append(node)
    return out


def build(specs: list[dict[str, Any]]) -> list[Indicator]:
    return [Indicator.model_validate(n) for n in named(specs)]


def scaled(spec: dict[str, Any], k: D) -> dict[str, Any]:
    """Every weight, given score and deduction × k; targets and actuals unchanged."""
    out = {**spec, "weight": spec["weight"] * k}
    if "score" in spec:
        out["score"] = spec["score"] * k
    if "deductions" in spec:
        out["deductions"] = [{**d, "points": d["points"] * k} for d in spec["deductions"]]
    if "children" in spec:
        out["children"] = [scaled(c, k) for c in spec["children"]]
    return out


def score(specs: list[dict[str, Any]], conv: ScoringConventions | None = None,
          b: Budget | None = None) -> Scorecard:
    return score_tree(
        build(specs), conv or ScoringConventions(), template("mof-2020"), default_bands(), b
    )


# --- scores stay within their weights ---------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(trees(), conventions(), budgets())
def test_a_computed_score_never_exceeds_its_weight_and_is_never_negative(specs, conv, b):
    card = score(specs, conv, b)
    for node in card.walk():
        assert ZERO <= node.score <= node.weight, node.path
        assert node.score == round_half_up(node.score, 2)
        if node.rate is not None:
            assert ZERO <= node.rate <= 100
    assert card.score >= ZERO
    if card.rescaled:
        assert card.score <= card.template.total
    else:
        assert card.score <= sum((r.weight for r in card.indicators if r.applicable), ZERO)


@settings(max_examples=200, deadline=None)
@given(trees(), conventions(), budgets())
def test_a_parent_scores_the_exact_sum_of_its_applicable_children(specs, conv, b):
    for node in score(specs, conv, b).walk():
        if node.children:
            assert node.score == sum((c.score for c in node.children if c.applicable), ZERO)


# --- rescaling weights ------------------------------------------------------------------
#
# What should hold, and why the strategy is restricted:
# - Only qualitative, deduction and manual leaves. Their exact score is a weight, a weight less
#   points, or a given score, so with ≤ 2-place inputs it already has ≤ 2 places and the
#   leaf's 四舍五入 to 2 places changes nothing. A quantitative (or execution) leaf scores
#   ratio × weight, which is rounded: 2/3 of 10 is 6.67 (66.70%) while 2/3 of 30 is 20.00
#   (66.67%), so its rate legitimately moves at the second decimal when weights are rescaled.
# - The factor k is a positive integer, so scaled weights, points and scores keep ≤ 2 places
#   (k = 0.5 would make 0.01 into 0.005, which a leaf then rounds).
# - The grade: bands are in points out of 100, and a scaled tree no longer totals 100 (that
#   is a total.weight finding), so an unscaled grade of its raw points means nothing. What
#   holds is the grade of the 百分制 result, raw score ÷ applicable weight × 100, and, when an
#   indicator is not applicable and the engine itself rescales to the template total, the
#   engine's own total and grade.


@settings(max_examples=200, deadline=None)
@given(trees(EXACT_METHODS), st.integers(2, 20))
def test_rescaling_every_weight_keeps_the_rates_and_the_grade(specs, k):
    before = score(specs)
    after = score([scaled(s, D(k)) for s in specs])
    for a, b in zip(before.walk(), after.walk(), strict=True):
        assert b.score == a.score * k
        if a.rate is None:
            assert b.rate is None
        else:
            assert b.rate is not None
            assert round_half_up(b.rate, 2) == round_half_up(a.rate, 2), a.path
    assert after.rescaled == before.rescaled
    if before.applicable_weight > 0:
        pct_before = before.raw_score * 100 / before.applicable_weight
        pct_after = after.raw_score * 100 / after.applicable_weight
        assert pct_after == pct_before
        assert grade_for(pct_after, default_bands()) == grade_for(pct_before, default_bands())
    if before.rescaled:
        assert after.score == before.score
        assert after.grade == before.grade


# --- grades -----------------------------------------------------------------------------


@st.composite
def band_sets(draw: st.DrawFn) -> list[GradeBand]:
    mins = draw(st.lists(decimals(0, 10_000), min_size=1, max_size=5, unique=True))
    ordered = sorted(mins, reverse=True)
    return [GradeBand(grade=f"g{i}", min=m) for i, m in enumerate(ordered)]


scores = decimals(0, 12_000).map(lambda v: v - 10)  # −10 … 110, 0–2 places


def rank(grade: str) -> int:
    return int(grade[1:])  # g0 is the highest grade


@settings(max_examples=200, deadline=None)
@given(band_sets(), scores, scores)
def test_the_grade_never_falls_as_the_score_rises(bands, x, y):
    low, high = sorted([x, y])
    assert rank(grade_for(high, bands)) <= rank(grade_for(low, bands))


@settings(max_examples=200, deadline=None)
@given(band_sets(), scores, scores)
def test_the_grade_changes_only_across_a_band_edge(bands, x, y):
    low, high = sorted([x, y])
    if not any(low < b.min <= high for b in bands):
        assert grade_for(low, bands) == grade_for(high, bands)


@settings(max_examples=200, deadline=None)
@given(band_sets())
def test_a_band_edge_belongs_to_the_higher_grade(bands):
    for band in bands:
        assert grade_for(band.min, bands) == band.grade
    for above, below in itertools.pairwise(bands):
        assert grade_for(above.min - D("0.01"), bands) == below.grade


@settings(max_examples=200, deadline=None)
@given(scores)
def test_the_default_grade_is_the_band_holding_the_score(value):
    expected = "优" if value >= 90 else "良" if value >= 80 else "中" if value >= 60 else "差"
    assert grade_for(value, default_bands()) == expected


# --- judge ------------------------------------------------------------------------------

any_decimal = st.integers(-10**9, 10**9).flatmap(
    lambda n: st.integers(0, 4).map(lambda p: D(n).scaleb(-p))
)


@settings(max_examples=200, deadline=None)
@given(any_decimal, any_decimal, st.integers(0, 4),
       st.sampled_from(["error", "warning", "info"]))
def test_judge_is_symmetric_in_severity_under_swapping_sides(x, y, n_places, severity):
    forward = judge(Comparison("r", "w", "c", x, y, places=n_places, severity=severity))
    backward = judge(Comparison("r", "w", "c", y, x, places=n_places, severity=severity))
    assert (forward is None) == (backward is None)
    if forward is not None and backward is not None:
        assert forward.severity == backward.severity
        assert (forward.expected, forward.actual) == (backward.actual, backward.expected)


@settings(max_examples=200, deadline=None)
@given(any_decimal, st.integers(0, 4))
def test_judge_never_flags_a_figure_against_itself(x, n_places):
    assert judge(Comparison("r", "w", "c", x, x, places=n_places)) is None


# --- parts that add up ------------------------------------------------------------------

parts_lists = st.lists(decimals(1, 10_000_000), min_size=1, max_size=8)


@settings(max_examples=200, deadline=None)
@given(parts_lists, parts_lists, parts_lists)
def test_parts_summing_exactly_to_their_total_never_produce_a_finding(fig, uses, rows):
    assume(sum(rows, ZERO) > 0)
    fig_total = sum(fig, ZERO)
    use_total = sum(uses, ZERO)
    row_total = sum(rows, ZERO)
    city_amounts = fig  # reuse: agreements of cities summing to the province's stated total
    d = dossier(
        mof_tree(),
        budget=budget(row_total, row_total,
                      rows=[{"item": f"行{i}", "annual": r} for i, r in enumerate(rows)]),
        figures=[{"id": "f", "label": "总数", "value": fig_total, "unit": "万元",
                  "parts": [{"label": f"项{i}", "value": p} for i, p in enumerate(fig)]}],
        spending=[{"id": "s", "recipient": "P",
                   "sources": [{"label": "来源", "amount": use_total}],
                   "by_use": [{"category": f"用途{i}", "amount": u}
                              for i, u in enumerate(uses)]}],
        recipients=[{
            "id": "P", "name": "省", "kind": "province",
            "stated": {"agreements": fig_total},
            "children": [{"id": f"c{i}", "name": f"市{i}", "kind": "city"}
                         for i in range(len(city_amounts))],
        }],
        agreements=[{"recipient": f"c{i}", "level": "省级", "amount": a}
                    for i, a in enumerate(city_amounts)],
    )
    assert findings(d) == []
