"""The scoring engine against RULES §2 (财预〔2020〕10号)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from builders import (
    bands,
    budget,
    deduct,
    default_bands,
    dossier,
    evaluate,
    group,
    leaf,
    mof_tree,
    qual,
    quant,
    template,
)

from jixiao.core.dossier import Budget, ScoringConventions
from jixiao.core.evaluation import EvaluationError
from jixiao.core.scoring import (
    Scorecard,
    ScoringError,
    execution_rate,
    grade_for,
    quantitative_score,
    score_tree,
)
from jixiao.formats.templates import catalogue


def card(*indicators, **sections) -> Scorecard:
    return evaluate(dossier(list(indicators) if indicators else None, **sections)).scorecard


def score_of(indicator, **sections) -> D:
    """The computed score of a single leaf, scored inside a throwaway tree."""
    return card(indicator, **sections).indicators[0].score


# --- quantitative, positive (≥) ---------------------------------------------------------


def test_a_positive_indicator_below_target_scores_its_share_of_the_weight():
    assert quantitative_score(">=", D(10), D(8), D(20), None, "zero") == D(16)


def test_a_positive_indicator_over_target_is_capped_at_full_weight():
    assert quantitative_score(">=", D(246), D(381), D(10), None, "zero") == D(10)


def test_a_positive_indicator_with_nothing_achieved_scores_zero():
    assert quantitative_score(">=", D(50), D(0), D(10), None, "zero") == D(0)


def test_a_positive_indicator_with_a_non_positive_target_cannot_be_scored():
    with pytest.raises(ScoringError):
        quantitative_score(">=", D(-5), D(3), D(10), None, "zero")


def test_a_positive_quantitative_leaf_records_its_completion_rate():
    node = card(quant("数量", 10, ">=", 246, 381)).indicators[0]
    assert node.score == D("10.00")
    assert node.completion == D(381) * 100 / D(246)


# --- quantitative, reverse (≤) ----------------------------------------------------------


@pytest.mark.parametrize("convention", ["linear", "ratio", None])
def test_a_reverse_indicator_at_or_under_target_scores_full(convention):
    assert quantitative_score("<=", D(90), D(90), D(10), convention, "zero") == D(10)
    assert quantitative_score("<=", D(90), D(60), D(10), convention, "zero") == D(10)


def test_a_reverse_indicator_over_target_loses_points_linearly():
    # (1 − (actual − target) / target) × weight
    assert quantitative_score("<=", D(10), D(11), D(10), "linear", "zero") == D(9)
    assert quantitative_score("<=", D(10), D(15), D(10), "linear", "zero") == D(5)


def test_a_linear_reverse_indicator_reaches_zero_at_twice_the_target_and_stays_there():
    assert quantitative_score("<=", D(10), D(20), D(10), "linear", "zero") == D(0)
    assert quantitative_score("<=", D(10), D(35), D(10), "linear", "zero") == D(0)


def test_a_reverse_indicator_under_the_ratio_convention_scores_target_over_actual():
    exact = quantitative_score("<=", D(10), D(15), D(10), "ratio", "zero")
    assert exact == D(10) / D(15) * D(10)
    assert score_of(quant("成本", 10, "<=", 10, 15, reverse_convention="ratio")) == D("6.67")


def test_a_reverse_indicator_over_target_with_no_convention_raises():
    with pytest.raises(ScoringError):
        quantitative_score("<=", D(10), D(15), D(10), None, "zero")


def test_a_dossier_with_an_unconventioned_reverse_indicator_over_target_cannot_be_evaluated():
    d = dossier([quant("成本", 10, "<=", 10, 15)])
    with pytest.raises(EvaluationError):
        evaluate(d)


def test_the_dossier_wide_reverse_convention_applies_to_every_reverse_indicator():
    d_scoring = {"reverse": "linear"}
    assert score_of(quant("成本", 10, "<=", 10, 15), scoring=d_scoring) == D("5.00")


def test_an_indicators_own_reverse_convention_overrides_the_dossiers():
    ind = quant("成本", 10, "<=", 10, 15, reverse_convention="ratio")
    assert score_of(ind, scoring={"reverse": "linear"}) == D("6.67")


def test_the_reverse_convention_used_is_recorded_in_the_notes():
    node = card(quant("成本", 10, "<=", 10, 15, reverse_convention="linear")).indicators[0]
    assert any("linear" in note for note in node.notes)


# --- quantitative, equal (=) ------------------------------------------------------------


def test_an_equal_indicator_that_hits_the_target_scores_full():
    assert quantitative_score("=", D(100), D(100), D(10), None, "zero") == D(10)
    assert quantitative_score("=", D(100), D(100), D(10), None, "proportional") == D(10)


def test_an_equal_indicator_that_misses_scores_zero_when_all_or_nothing_is_chosen():
    assert quantitative_score("=", D(100), D(99), D(10), None, "zero") == D(0)
    assert score_of(quant("准确率", 10, "=", 100, 99), scoring={"equal": "zero"}) == D(0)
    assert score_of(quant("准确率", 10, "=", 100, 99, equal_convention="zero")) == D(0)


def test_an_equal_indicator_scores_actual_over_target_by_default():
    # Deployed platforms: round(actual / target × weight, 2), at most the weight.
    assert score_of(quant("准确率", 10, "=", 100, 99)) == D("9.90")
    assert score_of(quant("到位率", 7, "=", 100, "86.37")) == D("6.05")
    assert score_of(quant("培训人数", 10, "=", 500, 520)) == D(10)
    assert quantitative_score("=", D(500), D(520), D(10), None, "ratio") == D(10)
    # the symmetric convention penalises overshoot as well: (1 − 20/500) × 10
    assert score_of(quant("培训人数", 10, "=", 500, 520), scoring={"equal": "proportional"}) \
        == D("9.60")


def test_an_equal_indicator_that_misses_loses_points_in_proportion_when_configured():
    assert quantitative_score("=", D(10), D(12), D(10), None, "proportional") == D(8)
    assert quantitative_score("=", D(10), D(8), D(10), None, "proportional") == D(8)
    assert score_of(quant("准确率", 10, "=", 10, 12), scoring={"equal": "proportional"}) == D(8)


def test_a_proportional_equal_indicator_never_goes_below_zero():
    assert quantitative_score("=", D(10), D(25), D(10), None, "proportional") == D(0)


def test_an_equal_indicator_with_a_zero_target_scores_full_only_when_hit():
    assert quantitative_score("=", D(0), D(0), D(10), None, "proportional") == D(10)
    assert quantitative_score("=", D(0), D(1), D(10), None, "proportional") == D(0)


# --- qualitative, deduction, manual -----------------------------------------------------


def test_a_qualitative_indicator_achieved_without_a_score_gets_the_full_weight():
    node = card(qual("资金管理", "13.30")).indicators[0]
    assert node.score == D("13.30")
    assert node.notes


def test_a_qualitative_indicator_keeps_the_score_given_to_it():
    assert score_of(qual("资金管理", 10, "达成", score="9", reason="略有不足")) == D(9)
    assert score_of(qual("资金管理", 10, "部分达成", score="7", reason="部分")) == D(7)
    assert score_of(qual("资金管理", 10, "未达成", score="3", reason="未达成")) == D(3)


def test_a_deduction_indicator_scores_its_weight_less_the_points_deducted():
    assert score_of(deduct("质量指标", "13.30", "0.30")) == D("13.00")
    assert score_of(deduct("质量指标", 10, "0.5", "1.25")) == D("8.25")


def test_a_deduction_indicator_without_deductions_scores_full():
    assert score_of(deduct("质量指标", "13.30")) == D("13.30")


def test_a_deduction_indicator_is_floored_at_zero():
    assert score_of(deduct("质量指标", 2, 1, "1.5")) == D(0)


def test_a_manual_indicator_keeps_its_score():
    assert score_of(leaf("人工", 10, score="7.5", reason="理由")) == D("7.50")


def test_a_manual_score_above_its_weight_is_not_counted_silently():
    # RULES §2: an indicator's score lies between 0 and its weight. A manual score of 15 on a
    # weight of 10 must either be capped or be reported; it may not lift the total past 100.
    tree = mof_tree(预算执行率=leaf("预算执行率", 10, score="15"))
    ev = evaluate(dossier(tree))
    node = ev.scorecard.find("预算执行率")
    assert node is not None
    flagged = any(f.severity == "error" and f.where.endswith("预算执行率") for f in ev.findings)
    assert node.score <= node.weight or flagged
    assert ev.scorecard.score <= D(100) or flagged


# --- budget execution -------------------------------------------------------------------


def test_execution_scores_862_percent_as_862_of_10_not_9():
    root = card(leaf("预算执行率", 10, "execution"), budget=budget(1000, 862)).indicators[0]
    assert root.completion == D("86.2")
    assert root.score == D("8.62")


def test_execution_rate_is_on_the_annual_budget_by_default():
    b = Budget.model_validate(budget(1000, 760, arrived="800"))
    assert b.basis == "annual"
    assert execution_rate(b) == D(76)


def test_execution_rate_can_be_on_the_arrived_amount():
    b = Budget.model_validate(budget(1000, 760, arrived="800", basis="arrived"))
    assert execution_rate(b) == D(95)
    ind = leaf("预算执行率", 10, "execution")
    assert score_of(ind, budget=budget(1000, 760, arrived="800", basis="arrived")) == D("9.50")
    assert score_of(ind, budget=budget(1000, 760, arrived="800", basis="annual")) == D("7.60")


def test_execution_on_the_arrived_basis_without_an_arrived_amount_has_no_rate():
    b = Budget.model_validate(budget(1000, 760, basis="arrived"))
    assert execution_rate(b) is None
    with pytest.raises(EvaluationError):
        evaluate(dossier([leaf("预算执行率", 10, "execution")], budget=budget(
            1000, 760, basis="arrived")))


def test_execution_over_budget_is_capped_at_full_weight():
    assert score_of(leaf("预算执行率", 10, "execution"), budget=budget(1000, 1200)) == D(10)


def test_execution_without_a_budget_cannot_be_evaluated():
    with pytest.raises(EvaluationError):
        evaluate(dossier([leaf("预算执行率", 10, "execution")], budget=None))


# --- rounding and roll-up ---------------------------------------------------------------


def test_leaf_scores_are_rounded_to_two_places_half_up():
    assert score_of(quant("数量", 10, ">=", 3, 2)) == D("6.67")
    # 1/8 × 1 = 0.125: half-up gives 0.13 where banker's rounding gives 0.12
    assert score_of(quant("数量", 1, ">=", 8, 1)) == D("0.13")


def test_parents_are_exact_sums_of_their_rounded_children():
    parent = group(
        "产出", 30,
        quant("一", 10, ">=", 3, 2), quant("二", 10, ">=", 3, 2), quant("三", 10, ">=", 3, 2),
    )
    node = card(parent).indicators[0]
    assert [c.score for c in node.children] == [D("6.67")] * 3
    assert node.score == D("20.01")  # not round(3 × 20/3) = 20.00


def test_the_total_is_the_exact_sum_of_the_top_level_scores():
    tree = mof_tree(满意度指标=quant("满意度指标", 10, ">=", 3, 2))
    c = card(*tree)
    assert c.score == sum((r.score for r in c.indicators), D(0)) == D("96.67")
    assert not c.rescaled


def test_a_three_level_tree_rolls_up_level_by_level():
    tree = group(
        "产出", 40,
        group("数量", "13.40", qual("a", "4.50"), qual("b", "4.50"), qual("c", "4.40")),
        deduct("质量", "13.30", "0.30"),
        qual("时效", "13.30"),
    )
    node = card(tree).indicators[0]
    assert [c.score for c in node.children] == [D("13.40"), D("13.00"), D("13.30")]
    assert node.score == D("39.70")
    assert [c.level for c in node.walk()] == [1, 2, 3, 3, 3, 2, 2]


def test_the_score_rate_is_score_over_weight_in_percent():
    node = card(deduct("质量", "13.30", "0.30")).indicators[0]
    assert node.rate == D(13) * 100 / D("13.30")


def test_find_locates_an_indicator_by_its_path():
    c = card(*mof_tree())
    found = c.find("产出指标/质量指标")
    assert found is not None and found.weight == D(20)
    assert c.find("产出指标/不存在") is None


# --- grades -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", "优"), ("90.00", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"),
        ("79.99", "中"), ("60", "中"), ("60.00", "中"), ("59.99", "差"), ("0", "差"),
    ],
)
def test_grade_bands_are_90_80_60_and_a_boundary_belongs_to_the_higher_grade(score, grade):
    assert grade_for(D(score), default_bands()) == grade


def test_a_score_below_every_band_gets_the_lowest_grade():
    assert grade_for(D(-1), default_bands()) == "差"
    assert grade_for(D(10), bands(A=85, B=70, C=50)) == "C"


def test_custom_bands_are_used_whatever_their_order():
    custom = bands(C=0, A=85, B=70)
    assert grade_for(D(85), custom) == "A"
    assert grade_for(D("84.99"), custom) == "B"
    assert grade_for(D(70), custom) == "B"
    assert grade_for(D("69.99"), custom) == "C"


def test_a_dossier_can_bring_its_own_grade_bands():
    tree = mof_tree(满意度指标=leaf("满意度指标", 10, score="2", reason="满意度低"))
    assert card(*tree).score == D(92)
    assert card(*tree).grade == "优"
    custom = [{"grade": "A", "min": 95}, {"grade": "B", "min": 0}]
    assert evaluate(dossier(tree, grade_bands=custom)).scorecard.grade == "B"


def test_the_scorecard_grade_follows_the_total():
    c = card(*mof_tree(满意度指标=leaf("满意度指标", 10, score="0", reason="未开展")))
    assert c.score == D(90)
    assert c.grade == "优"


# --- not applicable and rescaling -------------------------------------------------------


def test_a_not_applicable_top_level_indicator_is_dropped_and_the_total_rescaled_to_100():
    tree = mof_tree(满意度指标=qual("满意度指标", 10, applicable=False))
    tree[1] = group("产出指标", 50, leaf("数量指标", 50, score="40", reason="部分完成"))
    c = card(*tree)
    assert c.raw_score == D(80)
    assert c.applicable_weight == D(90)
    assert c.rescaled
    assert c.score == D("88.89")  # 80 × 100 / 90 = 88.888…, half-up
    assert c.grade == "良"


def test_a_not_applicable_child_is_dropped_from_its_parents_score_and_weight():
    tree = mof_tree(产出指标=group(
        "产出指标", 50,
        leaf("数量指标", 30, score="27", reason="部分完成"),
        qual("质量指标", 20, applicable=False),
    ))
    c = card(*tree)
    parent = c.find("产出指标")
    assert parent is not None
    assert parent.score == D(27)
    assert parent.effective_weight == D(30)
    assert parent.rate == D(90)
    assert c.rescaled
    assert c.score == D("96.25")  # 77 × 100 / 80


def test_with_everything_applicable_nothing_is_rescaled():
    c = card(*mof_tree())
    assert not c.rescaled
    assert c.score == c.raw_score == D(100)


def test_a_template_may_turn_rescaling_off():
    inline = {
        "id": "no-rescale", "name": "不折算", "rescale_not_applicable": False,
        "items": [{"name": "甲", "weight": 60}, {"name": "乙", "weight": 40}],
    }
    tree = [leaf("甲", 60, score="50", reason="部分"), qual("乙", 40, applicable=False)]
    c = card(*tree, template=inline)
    assert not c.rescaled
    assert c.score == D(50)


def test_score_tree_can_be_called_without_a_dossier():
    from jixiao.core.dossier import Indicator

    inds = [Indicator.model_validate(leaf("甲", 100, score="95", reason="r"))]
    c = score_tree(inds, ScoringConventions(), template("mof-2020"), default_bands())
    assert c.score == D(95)
    assert c.grade == "优"
    assert c.rate == D(95)


# --- templates --------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", ["mof-2020", "guangdong-2022", "sichuan"])
def test_the_bundled_templates_exist_and_total_100(template_id):
    t = template(template_id)
    assert t.total == D(100)
    assert sum((i.weight for i in t.items), D(0)) == D(100)


def test_the_mof_template_uses_the_standard_weights():
    weights = {i.name: i.weight for i in template("mof-2020").items}
    assert weights == {"预算执行率": 10, "产出指标": 50, "效益指标": 30, "满意度指标": 10}


def test_the_guangdong_and_sichuan_templates_use_their_local_weights():
    assert [(i.name, i.weight) for i in template("guangdong-2022").items] == [
        ("过程", 20), ("产出", 40), ("效益", 40)]
    assert [(i.name, i.weight) for i in template("sichuan").items] == [
        ("预算执行", 10), ("绩效指标", 90)]


def test_the_bundled_grade_bands_are_90_80_60_0():
    assert {(b.grade, b.min) for b in catalogue().grade_bands} == {
        ("优", 90), ("良", 80), ("中", 60), ("差", 0)}


def test_a_dossier_uses_the_mof_template_unless_it_names_another():
    assert card(*mof_tree()).template.id == "mof-2020"
    tree = [leaf("过程", 20), leaf("产出", 40), leaf("效益", 40)]
    assert card(*tree, template="guangdong-2022").template.id == "guangdong-2022"
