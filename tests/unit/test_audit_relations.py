"""The auditor on small report texts written for the purpose: one planted fault each, and
clean texts that must give no error."""

from __future__ import annotations

import pytest

from jixiao.audit import audit_text


def rules(text: str, severity: str | None = None) -> list[str]:
    return [f.finding.rule for f in audit_text(text).findings
            if severity is None or f.finding.severity == severity]


FAULTY = [
    pytest.param(
        "市财政下达乡村道路养护资金1200万元。其中：用于县道养护500万元；用于村道养护400万元；"
        "用于桥梁检测200万元。",
        "figure.parts", "error", id="breakdown-short"),
    pytest.param(
        "区级财政安排就业补助资金800万元，其中：技能培训补贴350.50万元；社保补贴250万元；"
        "岗位补贴199.49万元。",
        "figure.parts", "warning", id="breakdown-rounding"),
    pytest.param(
        "省级拨付专项资金6000万元，县级配套资金1000万元。主要用于农田改造。其中，用于土地平整"
        "3000万元；用于灌溉渠系2500万元；用于田间道路2000万元；其他支出600万元。",
        "figure.parts", "error", id="breakdown-two-sources"),
    pytest.param(
        "甲、乙两个工作组各200万元工作经费。其中甲工作组主要用于差旅费50万元，培训费60万元，"
        "其他80万元；乙工作组主要用于办公费120万元，其他80万元。",
        "figure.parts", "error", id="per-entity-groups"),
    pytest.param(
        "东、西两片区各300万元，共700万元。", "figure.parts", "error", id="per-entity-total"),
    pytest.param(
        "年初计划培训农民400人，实际培训520人，完成率为128%。",
        "plan_actual.rate", "error", id="completion-single"),
    pytest.param(
        "计划新建蓄水池20个和机耕路15个，实际建成蓄水池23个、机耕路15个，完成率分别为115%和"
        "110%。", "plan_actual.rate", "error", id="completion-pair"),
    pytest.param(
        "全年预算数500万元，全年执行数430万元，执行率为88%。",
        "budget.execution_rate", "error", id="execution-rate"),
    pytest.param(
        "资金已到位900万元，支出合计810万元，支出率为95%。",
        "rate.payment", "error", id="payment-rate"),
    pytest.param(
        "本年投入资金1320万元，较上年增加120万元、增长12%。",
        "change.rate", "error", id="change-rate"),
    pytest.param(
        "全市共有示范合作社5家，即青山社、绿水社、丰收社、满仓社。",
        "figure.items", "error", id="count-list"),
    pytest.param(
        "本项目覆盖乡镇4个（东镇、西镇、南镇）。", "figure.items", "error", id="count-parens"),
]

CLEAN = [
    "市财政下达乡村道路养护资金1100万元。其中：用于县道养护500万元；用于村道养护400万元；"
    "用于桥梁检测200万元。",
    "省级拨付专项资金6000万元，县级配套资金1000万元。主要用于农田改造。其中，用于土地平整"
    "3000万元；用于灌溉渠系2500万元；用于田间道路1000万元；其他支出500万元。",
    "甲、乙两个工作组各200万元工作经费。其中甲工作组主要用于差旅费50万元，培训费70万元，"
    "其他80万元；乙工作组主要用于办公费120万元，其他80万元。",
    "东、西两片区各300万元，共600万元。",
    "年初计划培训农民400人，实际培训520人，完成率为130%。",
    "全年预算数500万元，全年执行数430万元，执行率为86%。",
    "本年投入资金1320万元，较上年增加120万元、增长10%。",
    "全市共有示范合作社4家，即青山社、绿水社、丰收社、满仓社。",
    "全市示范合作社10家，包括青山社、绿水社等。",
    # Constructions deliberately not read (precision before recall):
    "项目总投资500万元，其中财政资金300万元，带动社会投资1000万元。",
    "计划投资1000万元，实际投资900万元。其中：甲标段500万元；乙标段300万元。",
    "安排资金200万元。其中：一季度下达80万元、二季度下达70万元；三季度下达90万元用于A和B两项"
    "各45万元。",
    "2021年5月4日下达资金，服务时间不足2个月，粤财农〔2021〕41号。",
]


@pytest.mark.parametrize(("text", "rule", "severity"), FAULTY)
def test_a_planted_fault_is_found(text: str, rule: str, severity: str) -> None:
    found = audit_text(text).findings
    assert [(f.finding.rule, f.finding.severity) for f in found] == [(rule, severity)], found
    assert found[0].location == {"paragraph": 1}
    assert found[0].quote and found[0].quote in text


@pytest.mark.parametrize("text", CLEAN)
def test_a_clean_text_gives_nothing(text: str) -> None:
    assert audit_text(text).findings == []


def test_truncated_conversion_is_a_warning() -> None:
    text = ("全年帮助农村劳动力实现就业123456人。\n"
            "另据统计，共有12.34万农村劳动力实现就业，比上年更多。")
    found = audit_text(text).findings
    assert [(f.finding.rule, f.finding.severity) for f in found] == [("figure.same_as", "warning")]


def test_conversion_is_not_forced_when_the_wording_is_ambiguous() -> None:
    text = ("吸纳农村劳动力就业6000人；另一园区吸纳农村劳动力就业7000人。\n"
            "共吸纳0.6万农村劳动力就业。")
    assert audit_text(text).findings == []


def test_findings_have_the_evaluate_json_shape_plus_quote_and_location() -> None:
    data = audit_text(FAULTY[0].values[0]).findings[0].as_dict()
    assert set(data) == {"rule", "severity", "where", "expected", "actual", "message", "quote",
                         "location"}
    assert data["expected"] == "1200" and data["actual"] == "1100"
    assert data["where"] == "paragraph 1"


def test_counts_by_phase_must_add_up_to_the_total() -> None:
    text = "本年度实施项目15个，年初安排8个，年中增加8个。"
    (finding,) = audit_text(text).findings
    assert finding.finding.rule == "figure.parts" and finding.finding.severity == "error"
    assert (finding.finding.expected, finding.finding.actual) == (15, 16)


def test_counts_by_phase_that_add_up_or_lack_a_total_give_nothing() -> None:
    assert audit_text("全年共实施项目15个。年初安排项目8个，年中增加项目7个。").findings == []
    assert audit_text("年初安排8个项目，年中增加8个。").findings == []
    assert audit_text("新建渠道15个，年初计划维修8个。").findings == []


def test_figures_are_compared_rounded_half_up_as_shown() -> None:
    """四舍五入, never banker's rounding: 0.125 shown at 2 places is 0.13 (half-even said 0.12)."""
    from decimal import Decimal

    from jixiao.audit.relations import _equal

    assert _equal(Decimal("0.125"), Decimal("0.13"), 2)
    assert not _equal(Decimal("0.125"), Decimal("0.12"), 2)
    assert _equal(Decimal("2.5"), Decimal("3"), 0)
