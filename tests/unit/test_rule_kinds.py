"""Rule kinds as deployed practice writes them: stepped, range, per-unit and per-occurrence
deductions with caps and floors, deductions on a computed score, 加分/减分, 一票否决, survey
counts, not-applicable weight re-spread inside its parent, grades on non-100 templates.

Every expected score is computed by hand in exact decimals."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from builders import default_bands, dossier, evaluate, group, leaf, mof_tree, only, quant
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from jixiao.core.dossier import Step, UnitDeduction
from jixiao.core.scoring import range_score, stepped_score, unit_deduction_score

STEPS = [  # ≥90% 计5分；80%(含)–90% 计4分；60%–80% 计2分；其余 0 分
    {"at_least": "90", "score": "5"},
    {"at_least": "80", "score": "4"},
    {"at_least": "60", "score": "2"},
]


def score_of(indicator: dict[str, Any], **sections: Any) -> D:
    return evaluate(dossier([indicator], template=inline(indicator), **sections)) \
        .scorecard.indicators[0].score


def inline(indicator: dict[str, Any], total: str | None = None) -> dict[str, Any]:
    w = total or indicator["weight"]
    return {"id": "t", "name": "单项", "total": w,
            "items": [{"name": indicator["name"], "weight": indicator["weight"]}]}


def stepped(actual: str, **fields: Any) -> dict[str, Any]:
    return leaf("验收合格率", 5, "stepped", actual=D(actual), steps=STEPS, **fields)


# --- stepped (分段) ----------------------------------------------------------------------


@pytest.mark.parametrize(("actual", "score"), [
    ("95", "5"), ("90", "5"), ("89.99", "4"), ("80", "4"), ("79", "2"), ("59.9", "0"),
])
def test_a_stepped_indicator_scores_the_first_step_that_holds(actual: str, score: str) -> None:
    assert score_of(stepped(actual, reason="未达最高档")) == D(score)


def test_a_stepped_indicator_can_step_on_the_completion_rate() -> None:
    ind = leaf("完成率", 5, "stepped", target=D(200), actual=D(170), steps=STEPS,
               step_on="completion", reason="完成 85%")
    assert score_of(ind) == D(4)


def test_a_stated_score_off_the_step_is_an_error() -> None:
    ind = stepped("85", stated_score="4.5", reason="未达最高档")
    d = dossier([ind], template=inline(ind))
    (f,) = only(d, "score.stated")
    assert (f.severity, f.expected, f.actual) == ("error", D(4), D("4.5"))


def test_a_step_worth_more_than_the_weight_is_refused() -> None:
    with pytest.raises(ValidationError):
        dossier([leaf("x", 3, "stepped", actual=D(1), steps=STEPS)])


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-50, max_value=200, places=2))
def test_a_stepped_score_always_lies_on_a_step(value: D) -> None:
    steps = [Step.model_validate(s) for s in STEPS]
    assert stepped_score(steps, value) in {D(5), D(4), D(2), D(0)}


# --- range (区间型) ---------------------------------------------------------------------


def test_a_range_indicator_is_full_inside_and_follows_its_rule_outside() -> None:
    base = {"lower": D(95), "upper": D(105), "reason": "超出区间"}
    assert score_of(leaf("单价", 10, "range", actual=D(100), outside="zero", **base)) == D(10)
    assert score_of(leaf("单价", 10, "range", actual=D(105), outside="zero", **base)) == D(10)
    assert score_of(leaf("单价", 10, "range", actual=D(106), outside="zero", **base)) == D(0)
    # proportional: (1 − 9.5/95) × 10 = 9
    assert score_of(leaf("单价", 10, "range", actual=D("85.5"), outside="proportional",
                         **base)) == D(9)
    # per unit: 2 points per unit above 105: 107.5 → 10 − 5 = 5
    per = {"points": "2"}
    assert score_of(leaf("单价", 10, "range", actual=D("107.5"), per_unit=per, **base)) == D(5)


def test_a_range_needs_its_outside_rule() -> None:
    with pytest.raises(ValidationError):
        dossier([leaf("单价", 10, "range", actual=D(1), lower=D(0), upper=D(2))])


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=-100, max_value=300, places=2),
       st.sampled_from(["zero", "proportional"]))
def test_a_range_score_lies_between_zero_and_the_weight(actual: D, outside: str) -> None:
    score = range_score(D(50), D(150), actual, D(10), outside, None)
    assert D(0) <= score <= D(10)
    if D(50) <= actual <= D(150):
        assert score == D(10)


# --- per-unit deductions and ≤0 targets -------------------------------------------------


def test_a_nonpositive_ceiling_loses_points_per_unit_over_it() -> None:
    # 三公经费变动率 ≤ 0，每超过一个百分点扣0.5分：+3.4% → 10 − 1.70 = 8.30
    ind = quant("三公经费变动率", 10, "<=", 0, "3.4", per_unit={"points": "0.5"},
                reason="超支")
    assert score_of(ind) == D("8.30")
    whole = quant("三公经费变动率", 10, "<=", 0, "3.4",
                  per_unit={"points": "0.5", "count": "whole"}, reason="超支")
    assert score_of(whole) == D("8.50")
    started = quant("三公经费变动率", 10, "<=", 0, "3.4",
                    per_unit={"points": "0.5", "count": "started"}, reason="超支")
    assert score_of(started) == D(8)
    below = quant("三公经费变动率", 10, "<=", 0, "-2.1", per_unit={"points": "0.5"})
    assert score_of(below) == D(10)


def test_a_nonpositive_ceiling_met_scores_full_under_any_convention() -> None:
    for convention in ("linear", "ratio"):
        met = quant("三公经费变动率", 10, "<=", 0, "-3.5", reverse_convention=convention)
        assert score_of(met) == D(10)
        missed = quant("三公经费变动率", 10, "<=", 0, 1, reverse_convention=convention,
                       reason="超支")
        assert score_of(missed) == D(0)


def test_a_per_unit_rule_needs_no_reverse_convention() -> None:
    ind = quant("三公经费变动率", 10, "<=", 0, "1.2", per_unit={"points": "0.5"}, reason="超支")
    assert only(dossier([ind], template=inline(ind)), "score.stated") == []
    assert score_of(ind) == D("9.40")


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=0, max_value=500, places=2),
       st.decimals(min_value="0.01", max_value=5, places=2),
       st.one_of(st.none(), st.decimals(min_value="0.5", max_value=8, places=1)))
def test_a_per_unit_deduction_never_exceeds_its_cap_or_the_weight(
    gap: D, points: D, cap: D | None
) -> None:
    rule = UnitDeduction(points=points, cap=cap)
    score = unit_deduction_score(gap, D(10), rule)
    assert D(0) <= score <= D(10)
    if cap is not None:
        assert D(10) - score <= cap


# --- per-occurrence deductions, caps, floors, deductions on a computed score ------------


def occurrences(count: int, points: str, **fields: Any) -> dict[str, Any]:
    return leaf("安全事故", 5, "deduction", per_occurrence={"points": points, "count": count},
                reason="发生事故", **fields)


def test_each_occurrence_takes_points_until_nothing_is_left() -> None:
    assert score_of(occurrences(3, "1")) == D(2)
    assert score_of(occurrences(7, "1")) == D(0)  # 扣完为止


def test_a_capped_deduction_takes_at_most_its_cap() -> None:
    assert score_of(occurrences(3, "0.5", deduction_cap="2")) == D("3.50")
    assert score_of(occurrences(6, "0.5", deduction_cap="2")) == D(3)


def test_a_floor_keeps_the_score_above_it() -> None:
    assert score_of(occurrences(9, "1", floor="1")) == D(1)


def test_a_deduction_on_top_of_a_computed_score_comes_off_after_rounding() -> None:
    # 8/9 × 10 = 8.888… → 8.89; less 1.5 (目标值设定偏低) = 7.39
    ind = quant("培训人次", 10, ">=", 9, 8, reason="目标偏低",
                deductions=[{"points": "1.5", "reason": "目标值设定偏低", "problem": "P1"}])
    d = dossier([ind], template=inline(ind), problems=[{"id": "P1", "title": "目标偏低"}],
                improvements=[{"id": "M1", "title": "合理设定目标", "problems": ["P1"]}])
    ev = evaluate(d)
    assert ev.scorecard.indicators[0].score == D("7.39")
    assert [f for f in ev.findings if f.severity != "info"] == []


def test_a_stated_score_that_ignores_a_deduction_on_a_computed_score_is_flagged() -> None:
    ind = quant("培训人次", 10, ">=", 9, 8, reason="目标偏低", stated_score="8.89",
                deductions=[{"points": "1.5", "reason": "目标值设定偏低", "problem": "P1"}])
    d = dossier([ind], template=inline(ind), problems=[{"id": "P1", "title": "目标偏低"}],
                improvements=[{"id": "M1", "title": "合理设定目标", "problems": ["P1"]}])
    rules = {f.rule for f in evaluate(d).findings if f.severity == "error"}
    assert {"deduction.balance", "score.stated"} <= rules


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 30), st.decimals(min_value="0.1", max_value=3, places=1),
       st.one_of(st.none(), st.decimals(min_value="0.5", max_value=4, places=1)))
def test_a_capped_occurrence_deduction_never_exceeds_its_cap(
    count: int, points: D, cap: D | None
) -> None:
    score = score_of(occurrences(count, str(points), **({"deduction_cap": str(cap)} if cap
                                                         else {})))
    assert D(0) <= score <= D(5)
    if cap is not None:
        assert D(5) - score <= cap
    assert D(5) - score <= points * count


# --- 加分/减分 and 一票否决 ---------------------------------------------------------------


def test_bonus_and_penalty_points_move_the_total_within_their_caps() -> None:
    adjustments = [{"kind": "bonus", "points": "3", "reason": "机制创新"},
                   {"kind": "bonus", "points": "4", "reason": "经验推广"},
                   {"kind": "penalty", "points": "1.5", "reason": "资料报送迟缓"}]
    ev = evaluate(dossier(adjustments=adjustments, scoring={"bonus_cap": "5"}))
    card = ev.scorecard
    assert (card.base_score, card.bonus, card.penalty, card.score) == (
        D(100), D(5), D("1.5"), D("103.5"))
    capped = evaluate(dossier(adjustments=adjustments,
                              scoring={"bonus_cap": "5", "cap_total": True})).scorecard
    assert capped.score == D(100)


def test_a_stated_total_is_checked_with_its_adjustments() -> None:
    adjustments = [{"kind": "penalty", "points": "10", "reason": "数据作假"}]
    d = dossier(adjustments=adjustments, evaluation={"stated_total": "90", "stated_grade": "优"})
    assert [f for f in evaluate(d).findings if f.severity != "info"] == []


def test_a_veto_sets_the_grade() -> None:
    adjustments = [{"kind": "veto", "reason": "发生重大安全责任事故"}]
    ev = evaluate(dossier(adjustments=adjustments, evaluation={"stated_grade": "优"}))
    assert ev.scorecard.grade == "差"
    (f,) = only(ev.dossier, "grade.stated")
    assert f.expected == "差"
    configured = evaluate(dossier(adjustments=adjustments, scoring={"veto_grade": "不合格"}))
    assert configured.scorecard.grade == "不合格"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["bonus", "penalty", "veto"]), max_size=4),
       st.sampled_from(["差", "不合格"]))
def test_a_veto_always_yields_the_configured_grade(kinds: list[str], grade: str) -> None:
    adjustments = [{"kind": k, "reason": "事由", **({} if k == "veto" else {"points": "2"})}
                   for k in kinds]
    card = evaluate(dossier(adjustments=adjustments, scoring={"veto_grade": grade})).scorecard
    if "veto" in kinds:
        assert card.grade == grade
    else:
        assert card.grade == "优"


# --- satisfaction from survey counts ----------------------------------------------------


def test_satisfaction_is_computed_from_survey_counts() -> None:
    # 412 of 450 valid questionnaires: 91.555…% against ≥ 95 → 91.5556/95 × 10 = 9.64
    ind = leaf("满意度指标", 10, "quantitative", direction=">=", target=D(95),
               survey={"satisfied": 412, "valid": 450}, reason="未达目标")
    assert score_of(ind) == D("9.64")


def test_a_stated_satisfaction_that_disagrees_with_the_counts_is_an_error() -> None:
    ind = leaf("满意度指标", 10, "quantitative", direction=">=", target=D(95), actual=D("93.5"),
               survey={"satisfied": 412, "valid": 450}, reason="未达目标")
    (f,) = only(dossier([ind], template=inline(ind)), "survey.rate")
    assert f.severity == "error"
    right = {**ind, "actual": D("91.56")}
    assert only(dossier([right], template=inline(right)), "survey.rate") == []


# --- not-applicable weight re-spread inside its parent ----------------------------------


def test_not_applicable_weight_is_re_spread_inside_its_parent() -> None:
    # 产出 50 = 数量 20 + 质量 20 + 时效 10 (不适用) → 数量 25, 质量 25.
    # 数量: 8/10 of 25 = 20; 质量 达成 = 25; 产出 = 45; total 10 + 45 + 30 + 10 = 95.
    tree = mof_tree(产出指标=group(
        "产出指标", 50,
        quant("数量指标", 20, ">=", 10, 8, reason="未完成"),
        leaf("质量指标", 20, "qualitative", level="达成"),
        leaf("时效指标", 10, applicable=False),
    ))
    card = evaluate(dossier(tree, scoring={"not_applicable": "within_parent"})).scorecard
    assert card.find("产出指标/数量指标").score == D(20)
    assert card.find("产出指标/数量指标").effective_weight == D(25)
    assert card.find("产出指标").score == D(45)
    assert (card.score, card.rescaled) == (D(95), False)
    # the recorded default rescales the total instead: 35/40 … (10 + 35 + 30 + 10)/90 × 100
    default = evaluate(dossier(tree)).scorecard
    assert default.find("产出指标").score == D(36)
    assert (default.score, default.rescaled) == (D("95.56"), True)


def test_a_re_spread_parent_raises_no_false_findings() -> None:
    tree = mof_tree(产出指标=group(
        "产出指标", 50,
        quant("数量指标", 20, ">=", 10, 8, reason="未完成", stated_score="20"),
        leaf("质量指标", 20, "qualitative", level="达成", stated_score="25"),
        leaf("时效指标", 10, applicable=False), stated_score="45",
    ))
    d = dossier(tree, scoring={"not_applicable": "within_parent"})
    assert [f for f in evaluate(d).findings if f.severity != "info"] == []


# --- grades on a template whose total is not 100 ----------------------------------------


def test_a_template_out_of_50_is_graded_on_its_rate() -> None:
    items = [{"name": "甲", "weight": "30"}, {"name": "乙", "weight": "20"}]
    tree = [leaf("甲", 30), leaf("乙", 20, score="14", reason="部分完成")]
    t = {"id": "t50", "name": "五十分制", "total": "50", "items": items}
    ev = evaluate(dossier(tree, template=t, evaluation={"stated_total": "44",
                                                        "stated_grade": "良"}))
    assert (ev.scorecard.score, ev.scorecard.grade) == (D(44), "良")  # 88%
    assert [f for f in ev.findings if f.severity != "info"] == []


def test_bands_are_the_default_ones() -> None:
    assert [b.grade for b in default_bands()] == ["优", "良", "中", "差"]


# --- more properties -------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10_000), st.integers(0, 10_000), st.decimals(min_value=1, max_value=30,
                                                                     places=1))
def test_an_equal_indicator_below_target_scores_actual_over_target(
    target: int, actual: int, weight: D
) -> None:
    from jixiao.core.numbers import round_half_up

    actual = min(actual, target)
    ind = quant("准确率", weight, "=", target, actual, reason="未达目标")
    assert score_of(ind) == round_half_up(D(actual) / D(target) * weight, 2)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2000), st.integers(0, 2000))
def test_a_survey_score_lies_between_zero_and_the_weight(valid: int, satisfied: int) -> None:
    satisfied = min(satisfied, valid)
    ind = leaf("满意度指标", 10, "quantitative", direction=">=", target=D(90),
               survey={"satisfied": satisfied, "valid": valid}, reason="未达目标")
    assert D(0) <= score_of(ind) <= D(10)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.decimals(min_value="0.5", max_value=5, places=1), max_size=5),
       st.decimals(min_value=0, max_value=6, places=1))
def test_bonus_points_never_exceed_their_cap(points: list[D], cap: D) -> None:
    adjustments = [{"kind": "bonus", "points": str(p), "reason": "加分"} for p in points]
    card = evaluate(dossier(adjustments=adjustments, scoring={"bonus_cap": str(cap)})).scorecard
    assert card.bonus <= cap
    assert card.score == D(100) + card.bonus


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 20), st.booleans()), min_size=2, max_size=5))
def test_re_spread_weight_keeps_a_full_parent_full(children: list[tuple[int, bool]]) -> None:
    from hypothesis import assume

    assume(any(applicable for _, applicable in children))
    weight = sum(w for w, _ in children)
    nodes = [leaf(f"子{i}", w, applicable=applicable)
             for i, (w, applicable) in enumerate(children)]
    tree = [group("甲", weight, *nodes), leaf("乙", 100 - weight)] if weight < 100 else \
        [group("甲", weight, *nodes)]
    t = {"id": "t", "name": "单项", "total": str(max(weight, 100)),
         "items": [{"name": n["name"], "weight": n["weight"]} for n in tree]}
    card = evaluate(dossier(tree, template=t, scoring={"not_applicable": "within_parent"})) \
        .scorecard
    parent = card.find("甲")
    # Each leaf is scored on its re-spread weight and rounded to 2 places (1.333… → 1.33), so
    # a full parent is full up to half a cent per applicable leaf, never above its weight.
    live = sum(1 for _, applicable in children if applicable)
    assert D(weight) - D("0.005") * live <= parent.score <= D(weight)
    assert parent.effective_weight == D(weight)
    assert not card.rescaled


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value=0, max_value=200, places=2), st.sampled_from([50, 80, 100, 150]))
def test_a_non_100_template_is_graded_on_its_rate(score: D, total: int) -> None:
    from jixiao.core.scoring import grade_for, grade_on

    bands = default_bands()
    assert grade_on(score, D(total), bands) == grade_for(score * 100 / D(total), bands)


def test_steps_may_be_written_as_a_share_of_the_weight() -> None:
    # 完成率≥100% 得满分；90%(含)–100% 得分值的80%；其余 0 分: 8 × 80% = 6.40
    steps = [{"at_least": "100", "rate": "100%"}, {"at_least": "90", "rate": "80%"}]
    ind = leaf("完成率", 8, "stepped", actual=D("93.5"), steps=steps, reason="未全部完成")
    assert score_of(ind) == D("6.40")
    with pytest.raises(ValidationError):
        dossier([leaf("x", 8, "stepped", actual=D(1), steps=[{"at_least": "1"}])])


def test_occurrences_of_several_kinds_each_take_their_points() -> None:
    # 一般问题 2 例 × 0.5 + 重大问题 1 例 × 2 = 3 → 10 − 3 = 7
    ind = leaf("资金管理", 10, "deduction", reason="存在问题",
               per_occurrence=[{"points": "0.5", "count": 2}, {"points": "2", "count": 1}])
    assert score_of(ind) == D(7)
