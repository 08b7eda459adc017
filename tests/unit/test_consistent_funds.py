"""Consistent funds raise no false errors: money carried over, rates at the shown precision,
deviations explained in 偏差原因分析, first-level names in the form's own words."""

from __future__ import annotations

from decimal import Decimal as D

from builders import budget, dossier, findings, mof_tree, only, quant


def test_spending_below_its_sources_is_execution_not_an_error():
    # 96.65% executed: the rest is carried over.
    spending = [{"id": "s", "recipient": "c", "stated_total": "2900", "carried_over": "100.5",
                 "sources": [{"label": "中央", "amount": "3000.5"}],
                 "by_use": [{"category": "产业", "amount": "2900"}]}]
    recipients = [{"id": "c", "name": "甲县", "kind": "county"}]
    d = dossier(spending=spending, recipients=recipients)
    assert [f for f in findings(d) if f.severity != "info"] == []


def test_spending_above_its_sources_is_an_error():
    spending = [{"id": "s", "recipient": "c", "stated_total": "3100",
                 "sources": [{"label": "中央", "amount": "3000"}]}]
    d = dossier(spending=spending, recipients=[{"id": "c", "name": "甲县", "kind": "county"}])
    (f,) = only(d, "spending.stated_total")
    assert f.severity == "error"


def test_sources_must_equal_spent_plus_carried_over_where_both_are_stated():
    spending = [{"id": "s", "recipient": "c", "stated_total": "2900", "carried_over": "80",
                 "sources": [{"label": "中央", "amount": "3000"}]}]
    d = dossier(spending=spending, recipients=[{"id": "c", "name": "甲县", "kind": "county"}])
    (f,) = only(d, "spending.carried_over")
    assert (f.severity, f.expected, f.actual) == ("error", D(3000), D(2980))


def test_an_execution_rate_written_to_whole_percent_is_judged_at_whole_percent():
    d = dossier(budget=budget(1000, "862", stated_execution_rate="86%"))
    assert only(d, "budget.execution_rate") == []
    d = dossier(budget=budget(1000, "862", stated_execution_rate="87%"))
    (f,) = only(d, "budget.execution_rate")
    assert f.severity == "error"


def test_arrival_and_total_rates_are_judged_at_their_written_precision():
    d = dossier(budget=budget(1000, 800, arrived="862", stated_arrival_rate="86.2%"))
    assert only(d, "budget.arrival_rate") == []
    plan = [{"id": "m", "name": "培训", "plan": "3", "actual": "2", "stated_rate": "66.7%"}]
    assert only(dossier(plan_actual=plan), "plan_actual.rate") == []


def test_a_deviation_explained_in_the_analysis_needs_no_separate_reason():
    tree = mof_tree(满意度指标=quant("满意度指标", 10, ">=", 90, 81,
                                    analysis="问卷样本偏少，满意度未达预期"))
    assert only(dossier(tree), "score.reason") == []


def test_official_first_level_names_match_the_template_by_synonym():
    tree = mof_tree()
    tree[-1] = {**tree[-1], "name": "服务对象满意度指标"}
    assert only(dossier(tree), "template.weights") == []


def test_a_first_level_cost_indicator_shares_the_output_weight() -> None:
    from builders import group, leaf

    tree = mof_tree()
    tree[1] = group("产出指标", 40, leaf("数量指标", 40))
    tree.insert(2, group("成本指标", 10, leaf("经济成本指标", 10)))
    assert [f for f in findings(dossier(tree)) if f.severity != "info"] == []


def test_uses_are_checked_against_sources_less_carried_over() -> None:
    spending = [{"id": "s", "recipient": "c", "carried_over": "100",
                 "sources": [{"label": "中央", "amount": "3000"}],
                 "by_use": [{"category": "产业", "amount": "2900"}]}]
    d = dossier(spending=spending, recipients=[{"id": "c", "name": "甲县", "kind": "county"}])
    assert [f for f in findings(d) if f.severity != "info"] == []
    spending[0]["by_use"][0]["amount"] = "2950"
    d = dossier(spending=spending, recipients=[{"id": "c", "name": "甲县", "kind": "county"}])
    (f,) = only(d, "spending.by_use")
    assert (f.expected, f.actual) == (D(2900), D(2950))


def test_spending_a_cent_above_its_sources_is_a_rounding_warning() -> None:
    spending = [{"id": "s", "recipient": "c", "stated_total": "3000.01",
                 "sources": [{"label": "中央", "amount": "3000.00"}]}]
    d = dossier(spending=spending, recipients=[{"id": "c", "name": "甲县", "kind": "county"}])
    (f,) = only(d, "spending.stated_total")
    assert f.severity == "warning"
