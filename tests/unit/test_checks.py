"""The checks engine: judge() and every built-in rule, one planted fault at a time."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest
from builders import (
    budget,
    clean_data,
    deduct,
    dossier,
    evaluate,
    findings,
    from_data,
    group,
    leaf,
    mof_tree,
    qual,
    quant,
)

from jixiao.core.checks import RULES, Comparison, Finding, judge
from jixiao.core.evaluation import EvaluationError
from jixiao.core.numbers import places, round_half_up


def ind(data: dict[str, Any], *names: str) -> dict[str, Any]:
    """An indicator of ``data`` by its path of names."""
    nodes = data["indicators"]
    node: dict[str, Any] = {}
    for name in names:
        node = next(n for n in nodes if n["name"] == name)
        nodes = node.get("children", [])
    return node


def by_id(items: list[dict[str, Any]], key: str) -> dict[str, Any]:
    return next(i for i in items if i.get("id") == key)


def found(data: dict[str, Any]) -> list[Finding]:
    return findings(from_data(data))


def single(result: list[Finding], rule: str, severity: str = "error") -> Finding:
    """The one finding a planted fault should cause."""
    assert [(f.rule, f.severity) for f in result] == [(rule, severity)], result
    return result[0]


def rules_of(result: list[Finding]) -> dict[str, str]:
    return {f.rule: f.severity for f in result}


# --- judge ------------------------------------------------------------------------------


def cmp(expected: str | None, actual: str | None, **kw: Any) -> Comparison:
    return Comparison(
        "test.rule", "here", "测试", None if expected is None else D(expected),
        None if actual is None else D(actual), **kw,
    )


def test_judge_finds_nothing_when_both_sides_agree_after_rounding():
    assert judge(cmp("97.7443609", "97.74")) is None
    assert judge(cmp("400", "400.00")) is None
    assert judge(cmp("99.2358", "99.24")) is None


def test_judge_calls_a_difference_of_one_unit_of_the_last_place_a_rounding_warning():
    f = judge(cmp("400", "399.99"))
    assert f is not None
    assert f.severity == "warning"
    assert "尾数误差" in f.message


def test_judge_calls_a_truncation_a_rounding_warning():
    f = judge(cmp("99.2358", "99.23"))  # 992358 人 written as 99.23 万人
    assert f is not None and f.severity == "warning"


def test_judge_calls_a_larger_difference_an_error():
    f = judge(cmp("35000", "45641.20"))
    assert f is not None
    assert f.severity == "error"
    assert "尾数误差" not in f.message
    f = judge(cmp("400", "399.98"))
    assert f is not None and f.severity == "error"


def test_judge_compares_at_the_places_it_is_given():
    assert judge(cmp("154.878", "155", places=0)) is None
    f = judge(cmp("154.878", "155", places=2))
    assert f is not None and f.severity == "error"


def test_judge_keeps_a_softer_severity_for_a_large_difference():
    f = judge(cmp("10", "20", severity="warning"))
    assert f is not None and f.severity == "warning"
    f = judge(cmp("10", "10.01", severity="info"))
    assert f is not None and f.severity == "info"


@pytest.mark.parametrize(
    ("op", "expected", "actual", "violated"),
    [
        ("<=", "10", "10", False), ("<=", "10", "9.99", False), ("<=", "10", "10.01", True),
        (">=", "10", "10", False), (">=", "10", "10.01", False), (">=", "10", "9.99", True),
        ("<", "10", "9", False), ("<", "10", "10", True),
        (">", "10", "11", False), (">", "10", "10", True),
        ("!=", "10", "11", False), ("!=", "10", "10", True),
    ],
)
def test_judge_applies_ordering_operators_as_actual_op_expected(op, expected, actual, violated):
    f = judge(cmp(expected, actual, op=op))
    assert (f is not None) is violated
    if f is not None:
        assert f.severity == "error"
        assert f.expected == D(expected) and f.actual == D(actual)


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
@pytest.mark.parametrize(("expected", "actual"), [(None, "1"), ("1", None), (None, None)])
def test_judge_finds_nothing_when_a_side_is_missing(op, expected, actual):
    assert judge(cmp(expected, actual, op=op)) is None


def test_a_finding_carries_rule_severity_where_expected_actual_and_message():
    f = judge(Comparison("spending.by_use", "spending/x", "分用途支出之和", D(35000),
                         D("45641.20"), unit="万元"))
    assert f is not None
    assert (f.rule, f.severity, f.where, f.expected, f.actual) == (
        "spending.by_use", "error", "spending/x", D(35000), D("45641.20"))
    assert "35000.00万元" in f.message and "45641.20万元" in f.message


# --- a clean dossier ----------------------------------------------------------------------


def test_a_clean_dossier_gives_no_finding():
    ev = evaluate(from_data(clean_data()))
    assert ev.findings == ()
    assert ev.scorecard.score == D("98.70")


def test_the_minimal_full_marks_dossier_gives_no_finding():
    assert findings(dossier()) == []


# --- indicator tree ---------------------------------------------------------------------


def test_children_weights_that_do_not_add_up_to_the_parent_are_an_error():
    data = clean_data()
    ind(data, "效益指标")["weight"] = "33"  # 15 + 15 ≠ 33 (and the template says 30)
    result = found(data)
    assert rules_of(result)["weights.children_sum"] == "error"
    f = next(f for f in result if f.rule == "weights.children_sum")
    assert (f.where, f.expected, f.actual) == ("indicators/效益指标", D(33), D(30))


def test_the_seeds_benefit_block_of_8_8_5_8_8_under_40_is_an_error():
    # The seed: 效益 40 over 8 + 8 + 5 + 8 + 8 = 37.
    block = group("效益", 40, *(qual(f"b{i}", w) for i, w in enumerate([8, 8, 5, 8, 8])))
    result = findings(dossier([block], template="guangdong-2022"))
    wf = [f for f in result if f.rule == "weights.children_sum"]
    assert len(wf) == 1 and wf[0].severity == "error"
    assert (wf[0].expected, wf[0].actual) == (D(40), D(37))


def test_a_not_applicable_child_does_not_make_the_stated_weights_disagree():
    # RULES §2: dropping a not-applicable indicator is a template convention. The weights the
    # report states (30 + 20 = 50) still add up, so no weights.children_sum finding.
    tree = mof_tree(产出指标=group(
        "产出指标", 50,
        quant("数量指标", 30, ">=", 10, 10),
        qual("质量指标", 20, applicable=False),
    ))
    result = findings(dossier(tree))
    assert [f for f in result if f.rule == "weights.children_sum"] == []


def test_children_stated_scores_that_do_not_add_up_to_the_parents_stated_score_are_an_error():
    data = clean_data()
    ind(data, "产出指标", "质量指标")["stated_score"] = "19.60"
    ind(data, "产出指标", "质量指标").pop("stated_rate")
    result = found(data)
    f = next(f for f in result if f.rule == "scores.children_sum")
    assert f.severity == "error"
    assert (f.expected, f.actual) == (D("49.70"), D("49.60"))


def test_a_stated_score_above_the_weight_is_an_error():
    data = clean_data()
    ind(data, "效益指标", "社会效益指标")["stated_score"] = "16"
    ind(data, "效益指标")["stated_score"] = "30"
    result = found(data)
    assert rules_of(result)["score.within_weight"] == "error"
    f = next(f for f in result if f.rule == "score.within_weight")
    assert f.where == "indicators/效益指标/社会效益指标"


def test_a_stated_score_that_differs_from_the_computed_one_is_an_error():
    data = clean_data()
    ind(data, "满意度指标")["stated_score"] = "9"
    ind(data, "满意度指标")["reason"] = "部分不满意"
    f = single(found(data), "score.stated")
    assert (f.expected, f.actual) == (D(10), D(9))


def test_a_stated_score_off_by_one_hundredth_is_a_rounding_warning():
    data = clean_data()
    ind(data, "满意度指标")["stated_score"] = "9.99"
    ind(data, "满意度指标")["reason"] = "尾数"
    single(found(data), "score.stated", "warning")


def test_an_execution_score_rounded_up_from_862_to_9_is_pointed_out_but_not_an_error():
    # Issue 13: "9" for 8.62 is right at the whole-number precision shown; RULES §2 still
    # wants the rounding flagged, so it is info with both figures.
    tree = mof_tree(预算执行率=leaf("预算执行率", 10, "execution", stated_score="9",
                                  reason="执行进度滞后"))
    f = single(findings(dossier(tree, budget=budget(1000, 862))), "score.rounded", "info")
    assert (f.expected, f.actual) == (D("8.62"), D(9))


def test_a_whole_number_score_off_by_more_than_rounding_is_an_error():
    tree = mof_tree(预算执行率=leaf("预算执行率", 10, "execution", stated_score="9",
                                  reason="执行进度滞后"))
    f = single(findings(dossier(tree, budget=budget(1000, 840))), "score.stated")
    assert (f.expected, f.actual) == (D("8.40"), D(9))


def test_a_right_stated_rate_gives_nothing():
    # The seed: 该指标分值13.30分，自评得分13分，得分率为97.74%
    tree = [deduct("质量指标", "13.30", "0.30", stated_score="13", stated_rate="97.74%")]
    result = findings(dossier(tree, template="sichuan",
                              problems=[{"id": "P1", "title": "问题"}],
                              improvements=[{"id": "M1", "title": "措施", "problems": ["P1"]}]))
    assert [f for f in result if f.rule.startswith(("rate", "score", "deduction"))] == []


def test_a_stated_rate_off_by_a_hundredth_is_a_rounding_warning():
    data = clean_data()
    ind(data, "产出指标", "质量指标")["stated_rate"] = "98.51%"
    single(found(data), "rate.stated", "warning")


def test_a_wrong_stated_rate_is_an_error():
    data = clean_data()
    ind(data, "产出指标", "质量指标")["stated_rate"] = "97.74%"
    f = single(found(data), "rate.stated")
    assert f.expected == D("19.70") * 100 / D(20)
    assert f.actual == D("97.74")


def test_a_parents_stated_rate_is_checked_too():
    data = clean_data()
    ind(data, "产出指标")["stated_rate"] = "99.70%"
    f = single(found(data), "rate.stated")
    assert f.where == "indicators/产出指标"


def test_a_score_below_full_without_a_reason_is_an_error():
    data = clean_data()
    ind(data, "效益指标", "经济效益指标").pop("reason")
    f = single(found(data), "score.reason")
    assert f.where == "indicators/效益指标/经济效益指标"


def test_a_quantitative_shortfall_without_a_reason_is_an_error():
    tree = mof_tree(满意度指标=quant("满意度指标", 10, ">=", 90, 81))
    single(findings(dossier(tree)), "score.reason")


def test_a_deduction_without_a_problem_is_an_error():
    data = clean_data()
    ind(data, "产出指标", "质量指标")["deductions"][0].pop("problem")
    f = single(found(data), "deduction.problem")
    assert f.where == "indicators/产出指标/质量指标/deductions/0"


def test_a_problem_without_an_improvement_measure_is_an_error():
    data = clean_data()
    data["problems"].append({"id": "P2", "title": "品牌培育不足"})
    f = single(found(data), "problem.measure")
    assert f.where == "problems/P2"


def test_deductions_that_do_not_add_up_to_weight_less_stated_score_are_an_error():
    data = clean_data()
    ind(data, "效益指标", "经济效益指标").update(
        method="manual", deductions=[{"points": "0.5", "reason": "品牌", "problem": "P1"}])
    ind(data, "效益指标", "经济效益指标").pop("level")
    f = single(found(data), "deduction.balance")
    assert (f.expected, f.actual) == (D(1), D("0.5"))


def test_a_deduction_leaf_whose_stated_score_ignores_the_deductions_is_flagged_twice():
    data = clean_data()
    ind(data, "产出指标", "质量指标")["stated_score"] = "19.50"
    ind(data, "产出指标", "质量指标").pop("stated_rate")
    ind(data, "产出指标")["stated_score"] = "49.50"
    ind(data, "产出指标").pop("stated_rate")
    data["evaluation"] = {"stated_total": "98.50"}
    result = rules_of(found(data))
    assert result["deduction.balance"] == "error"
    assert result["score.stated"] == "error"


@pytest.mark.parametrize(
    ("level", "score", "inside"),
    [
        ("达成", "10", True), ("达成", "8", True), ("达成", "7.99", False),
        ("部分达成", "8", False), ("部分达成", "7.99", True), ("部分达成", "6", True),
        ("部分达成", "5.99", False),
        ("未达成", "6", False), ("未达成", "5.99", True), ("未达成", "0", True),
    ],
)
def test_a_qualitative_score_must_fall_inside_its_band(level, score, inside):
    tree = mof_tree(满意度指标=qual("满意度指标", 10, level, score=score, reason="理由"))
    result = [f for f in findings(dossier(tree)) if f.rule == "qualitative.band"]
    assert (result == []) is inside
    if result:
        assert result[0].severity == "error"


def test_the_qualitative_bands_are_configurable():
    tree = mof_tree(满意度指标=qual("满意度指标", 10, "达成", score="8.5", reason="理由"))
    custom = {"qualitative_bands": {"达成": [90, 100], "部分达成": [60, 90], "未达成": [0, 60]}}
    result = findings(dossier(tree, scoring=custom))
    assert [f.rule for f in result] == ["qualitative.band"]


@pytest.mark.parametrize(
    ("target", "actual", "explained", "flagged"),
    [
        (246, 381, False, True),   # 154.88%
        (100, 130, False, True),   # exactly 130% counts
        (10000, 12999, False, False),  # 129.99%
        (246, 381, True, False),
    ],
)
def test_over_achievement_at_130_percent_without_analysis_is_an_info(
    target, actual, explained, flagged
):
    extra = {"analysis": "目标偏低，下年调整"} if explained else {}
    tree = mof_tree(满意度指标=quant("满意度指标", 10, ">=", target, actual, **extra))
    result = findings(dossier(tree))
    if flagged:
        f = single(result, "quantitative.over_target", "info")
        assert f.where == "indicators/满意度指标"
    else:
        assert result == []


def test_the_over_achievement_threshold_is_configurable():
    tree = mof_tree(满意度指标=quant("满意度指标", 10, ">=", 100, 125))
    assert findings(dossier(tree)) == []
    single(findings(dossier(tree, scoring={"explain_over": "120%"})),
           "quantitative.over_target", "info")


def test_a_reverse_indicator_far_under_target_needs_no_over_achievement_analysis():
    tree = mof_tree(满意度指标=quant("满意度指标", 10, "<=", 100, 10,
                                   reverse_convention="linear"))
    assert findings(dossier(tree)) == []


def _respread_thirds(score: str) -> list[dict[str, Any]]:
    """产出 50 = 甲 10 + 乙 10 + 丙 10 + 丁 20 (不适用): each live leaf weighs 50/3 once 丁's
    weight is re-spread inside 产出 (16.666…); 甲 states ``score``."""
    return mof_tree(产出指标=group(
        "产出指标", 50,
        leaf("甲", 10, stated_score=score), leaf("乙", 10), leaf("丙", 10),
        leaf("丁", 20, applicable=False),
    ))


@pytest.mark.parametrize("score", ["16.67", "16.667", "16.666"])
def test_full_marks_on_a_repeating_re_spread_weight_are_within_the_weight_as_shown(score):
    # 16.67 is 50/3 shown at two places (四舍五入): not above the weight as shown.
    d = dossier(_respread_thirds(score), scoring={"not_applicable": "within_parent"})
    assert [f for f in findings(d) if f.rule == "score.within_weight"] == []


def test_full_marks_on_a_repeating_re_spread_weight_raise_no_finding():
    d = dossier(_respread_thirds("16.67"), scoring={"not_applicable": "within_parent"})
    assert [f for f in findings(d) if f.severity != "info"] == []


def test_full_marks_stated_on_every_repeating_re_spread_child_add_up_to_the_parent():
    # 16.67 + 16.67 + 16.67 = 50.01 states 50 as each child is 50/3 rounded (四舍五入).
    tree = _respread_thirds("16.67")
    for child in tree[1]["children"][1:3]:
        child["stated_score"] = "16.67"
    tree[1]["stated_score"] = "50"
    d = dossier(tree, scoring={"not_applicable": "within_parent"})
    assert [f for f in findings(d) if f.severity != "info"] == []
    tree[1]["stated_score"] = "49.5"  # a gap beyond the children's rounding still counts
    [f] = [f for f in findings(dossier(tree, scoring={"not_applicable": "within_parent"}))
           if f.rule == "scores.children_sum"]
    assert (f.severity, f.expected, f.actual) == ("error", D("49.5"), D("50.01"))


@pytest.mark.parametrize("rate", ["100.00", "100"])
def test_the_rate_of_full_marks_on_a_repeating_re_spread_weight_is_100_percent(rate):
    # 16.67 is the computed 50/3 as shown; its rate is that of the score it shows: 100.00%.
    tree = _respread_thirds("16.67")
    tree[1]["children"][0]["stated_rate"] = rate
    d = dossier(tree, scoring={"not_applicable": "within_parent"})
    assert [f for f in findings(d) if f.severity != "info"] == []


def test_a_wrong_rate_on_a_repeating_re_spread_weight_is_still_an_error():
    tree = _respread_thirds("15")  # 15 ÷ 16.666… = 90.00%
    tree[1]["children"][0].update(stated_rate="95.00", score="9", reason="部分完成")
    d = dossier(tree, scoring={"not_applicable": "within_parent"})
    f = single(findings(d), "rate.stated")
    assert (round_half_up(f.expected, 2), f.actual) == (D("90.00"), D("95.00"))


@pytest.mark.parametrize("score", ["16.68", "17", "16.7", "16.670"])
def test_a_score_above_a_repeating_re_spread_weight_as_shown_is_still_an_error(score):
    # Scores are judged at no fewer than two places (the weight shows as 16.67), so a whole
    # 17 or a 16.7 is above it.
    d = dossier(_respread_thirds(score), scoring={"not_applicable": "within_parent"})
    [f] = [f for f in findings(d) if f.rule == "score.within_weight"]
    assert (f.severity, f.where, f.actual) == ("error", "indicators/产出指标/甲", D(score))
    assert f.expected == round_half_up(D(50) / 3, max(2, places(D(score))))
    assert "6666" not in f.message  # the weight as shown, not 28 digits


# --- template and totals ------------------------------------------------------------------


def test_top_level_weights_adjusted_from_the_template_are_warnings_while_the_total_holds():
    # RULES §2: a template's weights may be adjusted as long as the total stays 100.
    tree = mof_tree(
        产出指标=group("产出指标", 45, quant("数量指标", 25, ">=", 10, 10), qual("质量指标", 20)),
        效益指标=group("效益指标", 35, deduct("社会效益指标", 35)),
    )
    result = findings(dossier(tree))
    assert sorted((f.rule, f.severity, f.where) for f in result) == [
        ("template.weights", "warning", "indicators/产出指标"),
        ("template.weights", "warning", "indicators/效益指标"),
    ]


def test_a_top_level_indicator_missing_from_or_foreign_to_the_template_is_a_warning():
    tree = mof_tree()
    tree[3] = quant("服务对象满意度", 10, ">=", 90, 95)
    result = findings(dossier(tree))
    assert sorted((f.rule, f.severity, f.where) for f in result) == [
        ("template.weights", "warning", "indicators"),
        ("template.weights", "warning", "indicators/服务对象满意度"),
    ]


def test_top_level_weights_that_do_not_total_100_are_an_error():
    inline = {"id": "x", "name": "自定义", "items": [
        {"name": "甲", "weight": 60}, {"name": "乙", "weight": 50}]}
    f = single(findings(dossier([leaf("甲", 60), leaf("乙", 50)], template=inline)),
               "total.weight")
    assert (f.expected, f.actual) == (D(100), D(110))


def test_a_stated_total_that_differs_from_the_computed_total_is_an_error():
    data = clean_data()
    data["evaluation"] = {"stated_total": "99.70"}
    f = single(found(data), "total.stated")
    assert (f.expected, f.actual) == (D("98.70"), D("99.70"))


def test_a_stated_total_off_by_a_hundredth_is_a_rounding_warning():
    data = clean_data()
    data["evaluation"] = {"stated_total": "98.71"}
    single(found(data), "total.stated", "warning")


def test_a_wrong_stated_total_rate_is_an_error():
    data = clean_data()
    data["evaluation"]["stated_rate"] = "97%"
    single(found(data), "total.rate")


def test_a_stated_grade_that_does_not_match_the_total_is_an_error():
    data = clean_data()
    data["evaluation"]["stated_grade"] = "良"
    f = single(found(data), "grade.stated")
    assert (f.expected, f.actual) == ("优", "良")


def test_a_stated_grade_is_checked_at_the_90_boundary():
    def at(total_missing: str, grade: str) -> list[Finding]:
        tree = mof_tree(满意度指标=leaf("满意度指标", 10, score=total_missing, reason="r"))
        return findings(dossier(tree, evaluation={"stated_grade": grade}))

    assert at("0", "优") == []  # 90.00 is 优
    tree = mof_tree(
        满意度指标=leaf("满意度指标", 10, score="0", reason="r"),
        效益指标=group("效益指标", 30, deduct("社会效益指标", 30, "0.01", reason="r")),
    )
    data_ok = dossier(tree, evaluation={"stated_grade": "良"},
                      problems=[{"id": "P1", "title": "t"}],
                      improvements=[{"id": "M1", "title": "m", "problems": ["P1"]}])
    assert evaluate(data_ok).scorecard.score == D("89.99")
    assert findings(data_ok) == []
    data_bad = dossier(tree, evaluation={"stated_grade": "优"},
                       problems=[{"id": "P1", "title": "t"}],
                       improvements=[{"id": "M1", "title": "m", "problems": ["P1"]}])
    f = single(findings(data_bad), "grade.stated")
    assert (f.expected, f.actual) == ("良", "优")


def test_a_stated_grade_that_fits_a_wrong_stated_total_is_still_flagged_against_the_computed():
    data = clean_data()
    ind(data, "效益指标", "经济效益指标")["score"] = "4"
    ind(data, "效益指标", "经济效益指标")["level"] = "未达成"
    # computed total 88.70 (良); the report still says 98.70 and 优
    result = found(data)
    grade = [f for f in result if f.rule == "grade.stated"]
    assert len(grade) == 1
    assert (grade[0].expected, grade[0].actual) == ("良", "优")
    assert rules_of(result)["total.stated"] == "error"


# --- spending ---------------------------------------------------------------------------


def test_spending_by_use_that_exceeds_its_sources_is_an_error():
    # The seed's 贵州: uses sum to 45641.20 against 30000 + 5000.
    data = clean_data()
    use = by_id(data["spending"], "P-use")
    use.pop("stated_total")
    use["sources"] = [{"label": "省级", "amount": "30000"}, {"label": "市级", "amount": "5000"}]
    use["by_use"] = [{"category": "产业帮扶", "amount": "40641.20"},
                     {"category": "其他", "amount": "5000"}]
    data["rules"] = []
    f = single(found(data), "spending.by_use")
    assert (f.where, f.expected, f.actual) == ("spending/P-use", D(35000), D("45641.20"))


def test_spending_by_use_off_by_one_fen_of_wanyuan_is_a_warning():
    # The seed's 粤桂 work team: 102 + 2.32 + 29.27 + 14.96 + 251.44 = 399.99 against 400.
    data = clean_data()
    by_id(data["spending"], "T-use")["by_use"][-1]["amount"] = "251.44"
    f = single(found(data), "spending.by_use", "warning")
    assert (f.expected, f.actual) == (D(400), D("399.99"))


def test_a_stated_spending_total_that_differs_from_the_sources_is_an_error():
    data = clean_data()
    use = by_id(data["spending"], "P-use")
    use["stated_total"] = "31000"
    use["by_use"][0]["amount"] = "21000.50"  # the uses agree with the stated total
    data["rules"] = []
    f = single(found(data), "spending.stated_total")
    assert (f.expected, f.actual) == (D(30000), D(31000))


# --- figures ----------------------------------------------------------------------------


def test_figure_parts_that_do_not_add_up_are_an_error():
    data = clean_data()
    data["figures"].append({"id": "funds", "label": "工作经费", "value": "800", "unit": "万元",
                            "parts": [{"label": "粤桂", "value": "400"},
                                      {"label": "粤黔", "value": "300"}]})
    f = single(found(data), "figure.parts")
    assert (f.where, f.expected, f.actual) == ("figures/funds", D(800), D(700))


def test_figure_parts_off_by_one_unit_of_the_last_place_are_a_warning():
    # The seed: 33.41 + 56.84 + 8.97 = 99.22 against 99.23 万人 (itself compared with 992358 人).
    data = clean_data()
    data["figures"][0]["value"] = "992300"  # keep same_as quiet: 99.23 万人 = 992300 人
    fig = by_id(data["figures"], "jobs-wan")
    fig["value"] = "99.23"
    fig["parts"][-1]["value"] = "8.97"
    f = single(found(data), "figure.parts", "warning")
    assert (f.expected, f.actual) == (D("99.23"), D("99.22"))


def test_a_figure_truncated_instead_of_rounded_in_another_unit_is_a_warning():
    # 992358 人 written as 99.23 万人 (四舍五入 gives 99.24).
    data = clean_data()
    fig = by_id(data["figures"], "jobs-wan")
    fig["value"] = "99.23"
    fig["parts"][-1]["value"] = "8.98"
    f = single(found(data), "figure.same_as", "warning")
    assert f.expected == D("99.2358")
    assert f.actual == D("99.23")


def test_the_same_money_in_wanyuan_and_yiyuan_gives_nothing():
    # 3916400 万元 = 391.64 亿元 (in the clean dossier); also the other way round.
    data = clean_data()
    data["figures"].append({"id": "invest-yi", "label": "投资", "value": "391.64",
                            "unit": "亿元", "same_as": "invest-wan"})
    assert found(data) == []


def test_the_same_quantity_far_off_in_another_unit_is_an_error():
    data = clean_data()
    by_id(data["figures"], "invest-wan")["value"] = "3900000"
    single(found(data), "figure.same_as")


def test_the_same_quantity_in_units_that_cannot_convert_is_an_error():
    data = clean_data()
    by_id(data["figures"], "invest-wan")["unit"] = "万人"
    f = single(found(data), "figure.same_as")
    assert f.where == "figures/invest-wan"


def test_a_figure_whose_item_count_differs_from_its_value_is_an_error():
    data = clean_data()
    by_id(data["figures"], "provinces")["value"] = "4"
    f = single(found(data), "figure.items")
    assert (f.expected, f.actual) == (D(2), D(4))


def test_a_count_one_more_than_the_items_listed_is_an_error_not_a_rounding_slip():
    # A count of listed items is exact: "4个" over three listed items is a missing item, not a
    # 尾数误差 of the last digit.
    data = clean_data()
    by_id(data["figures"], "provinces")["value"] = "3"
    single(found(data), "figure.items", "error")


# --- recipients -------------------------------------------------------------------------


def test_a_stated_county_count_far_from_the_counties_listed_is_an_error():
    data = clean_data()
    data["recipients"][0]["stated"]["counties"] = 5
    f = single(found(data), "recipients.count")
    assert (f.where, f.expected, f.actual) == ("recipients/P", D(3), D(5))


def test_a_stated_county_count_one_off_the_counties_listed_is_an_error_not_a_rounding_slip():
    data = clean_data()
    data["recipients"][0]["children"][0]["stated"]["counties"] = 3
    single(found(data), "recipients.count", "error")


def test_a_stated_agreement_total_counts_only_the_stated_level():
    data = clean_data()
    data["recipients"][0]["stated"]["agreements"] = "30000"  # adds 市级 5000, but level 省级
    f = single(found(data), "recipients.agreements")
    assert (f.expected, f.actual) == (D(25000), D(30000))


def test_a_stated_agreement_total_without_a_level_counts_every_level():
    data = clean_data()
    data["recipients"][0]["stated"] = {"agreements": "30000"}
    assert found(data) == []
    data["recipients"][0]["stated"] = {"agreements": "25000"}
    f = single(found(data), "recipients.agreements")
    assert (f.expected, f.actual) == (D(30000), D(25000))


def test_the_recipient_totals_row_sums_the_groups_but_not_the_work_teams():
    data = clean_data()
    data["recipient_totals"]["agreements"] = "25400"
    f = single(found(data), "recipients.agreements")
    assert (f.where, f.expected, f.actual) == ("recipient_totals", D(25000), D(25400))


def test_the_recipient_totals_row_counts_every_county():
    data = clean_data()
    data["recipient_totals"]["counties"] = 16
    f = single(found(data), "recipients.count")
    assert (f.where, f.expected, f.actual) == ("recipient_totals", D(3), D(16))


# --- budget -----------------------------------------------------------------------------


def test_agreements_at_the_budget_level_that_differ_from_the_annual_budget_are_an_error():
    data = clean_data()
    data["agreements"][2]["amount"] = "500"  # 省级 now 25500 against an annual 25400
    data["recipients"][1]["stated"] = None
    f = single(found(data), "budget.agreements")
    assert (f.expected, f.actual) == (D(25400), D(25500))


def test_arrivals_that_do_not_add_up_to_the_arrived_amount_are_an_error():
    data = clean_data()
    data["arrivals"][1]["amount"] = "300"
    f = single(found(data), "budget.arrivals")
    assert (f.expected, f.actual) == (D(25400), D(25300))


def test_executing_more_than_arrived_is_an_error():
    b = budget(1000, 1000, arrived="900")
    f = single(findings(dossier(budget=b)), "budget.executed_le_arrived")
    assert (f.expected, f.actual) == (D(900), D(1000))


def test_a_right_stated_execution_rate_gives_nothing():
    tree = mof_tree(预算执行率=leaf("预算执行率", 10, "execution", reason="进度滞后"))
    for stated in ("86.2%", "86.20%", "86.2"):
        b = budget(1000, 862, stated_execution_rate=stated)
        assert findings(dossier(tree, budget=b)) == []


@pytest.mark.parametrize(("stated", "severity"), [("86.21%", "warning"), ("90%", "error")])
def test_a_wrong_stated_execution_rate_is_flagged(stated, severity):
    tree = mof_tree(预算执行率=leaf("预算执行率", 10, "execution", reason="进度滞后"))
    b = budget(1000, 862, stated_execution_rate=stated)
    f = single(findings(dossier(tree, budget=b)), "budget.execution_rate", severity)
    assert f.expected == D("86.2")


def test_the_stated_execution_rate_is_checked_on_the_budgets_basis():
    b = budget(1000, 800, arrived="800", basis="arrived", stated_execution_rate="100%")
    assert findings(dossier(budget=b)) == []
    b = budget(1000, 800, arrived="800", basis="annual", stated_execution_rate="100%")
    result = rules_of(findings(dossier(budget=b)))
    assert result["budget.execution_rate"] == "error"


def test_a_wrong_stated_arrival_rate_is_an_error():
    right = budget(1000, 1000, arrived="1000", stated_arrival_rate="100%")
    assert findings(dossier(budget=right)) == []
    b = budget(1000, 800, arrived="800", stated_arrival_rate="85%")
    result = findings(dossier(budget=b))
    f = next(f for f in result if f.rule == "budget.arrival_rate")
    assert (f.severity, f.expected, f.actual) == ("error", D(80), D(85))


def test_a_right_stated_arrival_rate_gives_nothing():
    data = clean_data()
    data["budget"]["stated_arrival_rate"] = "100%"
    assert found(data) == []


def test_budget_rows_that_do_not_add_up_to_the_total_are_an_error():
    data = clean_data()
    data["budget"]["rows"][1]["annual"] = "300"
    f = single(found(data), "budget.rows")
    assert (f.where, f.expected, f.actual) == ("budget/annual", D(25400), D(25300))


def test_budget_rows_are_checked_column_by_column():
    data = clean_data()
    data["budget"]["rows"][0]["initial"] = "24000"
    data["budget"]["rows"][0]["executed"] = "24000"
    result = sorted(f.where for f in found(data))
    assert result == ["budget/executed", "budget/initial"]


# --- plan vs actual -----------------------------------------------------------------------


def test_a_right_completion_rate_gives_nothing():
    # 381 / 246 = 154.878…% → 154.88%
    assert found(clean_data()) == []


def test_a_completion_rate_written_to_whole_percent_is_judged_at_whole_percent():
    # A rate is judged at the precision it was written with (README, How checks judge):
    # "155%" for 154.88% is right at whole percent; "154%" is not, and at 0 places no gap is
    # a rounding slip.
    data = clean_data()
    data["plan_actual"][0]["stated_rate"] = "155%"
    assert [f for f in found(data) if f.rule == "plan_actual.rate"] == []
    data["plan_actual"][0]["stated_rate"] = "154%"
    f = single(found(data), "plan_actual.rate")
    assert f.actual == D(154)
    assert f.expected == D(381) * 100 / D(246)


def test_a_truncated_completion_rate_is_a_warning():
    data = clean_data()
    data["plan_actual"][0]["stated_rate"] = "154.87%"
    single(found(data), "plan_actual.rate", "warning")


def test_a_plan_actual_without_a_stated_rate_gives_nothing():
    data = clean_data()
    data["plan_actual"][0].pop("stated_rate")
    assert found(data) == []


# --- custom rules -------------------------------------------------------------------------


def rule(left: str, op: str, right: str, **kw: Any) -> dict[str, Any]:
    return {"id": kw.pop("id", "r1"), "description": "自定义规则", "left": left, "op": op,
            "right": right, **kw}


def with_rules(*rules: dict[str, Any], **changes: Any) -> list[Finding]:
    data = clean_data()
    data["rules"] = list(rules)
    data.update(changes)
    return found(data)


def test_a_custom_rule_that_holds_gives_nothing():
    assert with_rules(rule("{spending.P-use.by_use}", "==", "{spending.P-use.sources}")) == []


def test_a_custom_rule_that_fails_is_reported_under_its_id():
    f = single(with_rules(rule("{budget.executed}", "<", "{budget.arrived}", id="strict")),
               "custom.strict")
    assert f.where == "rules/strict"
    assert (f.expected, f.actual) == (D(25400), D(25400))
    assert f.message.startswith("自定义规则")


def test_a_custom_rule_uses_its_own_severity_and_places():
    r = rule("{figures.jobs} / 10000", "==", "{figures.jobs-wan}", severity="warning",
             places=1)
    assert with_rules(r) == []  # 99.2358 and 99.24 agree at one place
    r = rule("{figures.jobs} / 10000", "==", "99.0", severity="warning", places=1)
    single(with_rules(r), "custom.r1", "warning")


def test_a_custom_rule_can_do_arithmetic_over_facts():
    r = rule("{agreements.省级} - {agreements.total}", "==", "-5000")
    assert with_rules(r) == []
    r = rule("{agreements.省级} - {agreements.total}", "==", "-4000")
    single(with_rules(r), "custom.r1")


def test_a_custom_rule_checking_a_stated_rate_against_its_quotient_accepts_the_right_rate():
    # The expression language's own example: ({plan_actual.x.actual} / {plan_actual.x.plan}) * 100
    # The stated 154.88% is the right 2-place rate of 381 / 246.
    r = rule("{plan_actual.cadres.stated_rate}", "==",
             "({plan_actual.cadres.actual} / {plan_actual.cadres.plan}) * 100")
    assert with_rules(r) == []


def test_skip_if_any_skips_a_rule_when_a_fact_is_missing():
    # budget.initial is missing (None) once removed from the budget.
    data_budget = {**clean_data()["budget"]}
    data_budget.pop("initial")
    data_budget["rows"] = []
    r = rule("{budget.initial}", "==", "{budget.annual}")
    assert with_rules(r, budget=data_budget) == []


def test_skip_if_all_counts_a_missing_fact_as_zero_when_another_is_present():
    data_budget = {**clean_data()["budget"], "rows": []}
    data_budget.pop("initial")
    r = rule("{budget.initial}", "==", "{budget.annual}", missing="skip_if_all")
    f = single(with_rules(r, budget=data_budget), "custom.r1")
    assert (f.expected, f.actual) == (D(25400), D(0))


def test_skip_if_all_skips_a_rule_when_every_fact_is_missing():
    data_budget = {**clean_data()["budget"], "rows": []}
    data_budget.pop("initial")
    data_budget.pop("stated_execution_rate")
    r = rule("{budget.initial} + 5", "==", "{budget.stated_execution_rate}",
             missing="skip_if_all")
    assert with_rules(r, budget=data_budget) == []


def test_zero_counts_every_missing_fact_as_zero():
    data_budget = {**clean_data()["budget"], "rows": []}
    data_budget.pop("initial")
    data_budget.pop("stated_execution_rate")
    r = rule("{budget.initial} + 5", "==", "{budget.stated_execution_rate}", missing="zero")
    f = single(with_rules(r, budget=data_budget), "custom.r1")
    assert (f.expected, f.actual) == (D(0), D(5))
    r = rule("{budget.initial}", "==", "{budget.stated_execution_rate}", missing="zero")
    assert with_rules(r, budget=data_budget) == []


def test_a_custom_rule_with_an_unknown_fact_cannot_be_evaluated():
    with pytest.raises(EvaluationError) as err:
        with_rules(rule("{budget.nonsense}", "==", "1"))
    assert err.value.where == "rules[0]"
    assert "budget.nonsense" in err.value.message


def test_a_custom_rule_that_does_not_parse_cannot_be_evaluated():
    with pytest.raises(EvaluationError):
        with_rules(rule("{budget.executed} +", "==", "1"))


def test_custom_rules_can_refer_to_indicator_scores_and_the_total():
    r = rule("{indicator.产出指标.score}", "==", "{indicator.产出指标.stated_score}")
    assert with_rules(r) == []
    r = rule("{total.score}", "<=", "{total.weight}")
    assert with_rules(r) == []
    r = rule("{indicator.产出指标/质量指标.score}", "==", "20")
    f = single(with_rules(r), "custom.r1")
    assert f.actual == D("19.70")


# --- every finding ------------------------------------------------------------------------


def everything_wrong() -> dict[str, Any]:
    data = clean_data()
    ind(data, "效益指标")["weight"] = "33"
    ind(data, "效益指标", "经济效益指标").pop("reason")
    ind(data, "产出指标", "质量指标")["deductions"][0].pop("problem")
    ind(data, "满意度指标").pop("analysis", None)
    ind(data, "满意度指标")["actual"] = D(200)
    data["problems"].append({"id": "P2", "title": "无措施"})
    data["evaluation"] = {"stated_total": "90", "stated_rate": "91%", "stated_grade": "良"}
    data["spending"][1]["by_use"][-1]["amount"] = "251.44"
    data["figures"][-1]["value"] = "5"
    data["budget"]["arrived"] = "25000"
    data["plan_actual"][0]["stated_rate"] = "150%"
    data["rules"].append(rule("{total.score}", ">", "{total.weight}", id="never"))
    return data


def test_every_finding_carries_rule_severity_where_expected_actual_and_message():
    result = found(everything_wrong())
    assert len(result) >= 10
    for f in result:
        assert f.rule in RULES or f.rule.startswith("custom.")
        assert f.severity in {"error", "warning", "info"}
        assert f.where
        assert f.message
        assert f.expected is not None or f.actual is not None


def test_findings_come_errors_first_then_warnings_then_infos():
    order = {"error": 0, "warning": 1, "info": 2}
    result = found(everything_wrong())
    ranks = [order[f.severity] for f in result]
    assert ranks == sorted(ranks)
    assert {"error", "warning", "info"} <= {f.severity for f in result}


def test_every_built_in_rule_id_is_described():
    assert all(isinstance(v, str) and v for v in RULES.values())
    assert {"weights.children_sum", "score.stated", "budget.execution_rate",
            "plan_actual.rate", "figure.same_as"} <= RULES.keys()


def test_the_shown_rate_of_full_marks_on_a_repeating_re_spread_weight_is_100_percent():
    # Reports, forms and pages show 16.67 against the weight 16.67: 100%, never 100.02%.
    from jixiao.core import shown

    d = dossier(_respread_thirds("16.67"), scoring={"not_applicable": "within_parent"})
    nodes = [n for top in evaluate(d).scorecard.indicators for n in top.children]
    respread = [n for n in nodes if n.applicable and n.effective_weight != n.weight]
    assert respread
    for node in respread:
        rate = shown.score_rate(node)
        assert rate is not None and round_half_up(rate, 2) <= D("100.00")
    assert any(round_half_up(shown.score_rate(n) or D(0), 2) == D("100.00") for n in respread)
