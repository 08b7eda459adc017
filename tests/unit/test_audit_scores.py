"""Score statements, deductions, totals, grades, tables and heading numbering in small texts."""

from __future__ import annotations

from pathlib import Path

from jixiao.audit import audit_text

CLEAN_SCORES = """\
二、评价结论
本项目绩效自评得分为92.50分，绩效等级为“优”。
1.决策。指标分值20分，自评得分20分，得分率为100%。
（1）项目立项。指标分值10分，自评得分10分，得分率为100%。
（2）绩效目标。指标分值10分，自评得分10分，得分率为100%。
2.产出。指标分值50分，自评得分47.50分，得分率为95%。
（1）数量指标。该指标分值25分，自评得分25分，得分率为100%。
一是新建渠道。该指标12.50分，自评得分12.50分，得分率100%。
二是维修泵站。该指标12.50分，自评得分12.50分，得分率100%。
（2）质量指标。该指标分值25分，自评得分22.50分，得分率为90%。验收一次合格率偏低，扣2.50分。
3.效益。指标分值30分，自评得分25分，得分率为83.33%。
（1）经济效益。该指标分值15分，自评得分12分，得分率为80%。
（2）满意度。该指标分值15分，自评得分13分，得分率为86.67%。
"""


def found(text: str) -> list[tuple[str, str, str]]:
    return [(f.finding.rule, f.finding.severity, f.finding.where)
            for f in audit_text(text).findings]


def test_a_consistent_score_section_gives_nothing() -> None:
    assert found(CLEAN_SCORES) == []


def test_children_weights_and_scores_against_the_parent() -> None:
    text = CLEAN_SCORES.replace("（2）满意度。该指标分值15分，自评得分13分，得分率为86.67%。",
                                "（2）满意度。该指标分值12分，自评得分10分，得分率为83.33%。")
    got = found(text)
    assert ("weights.children_sum", "error", "paragraph 11") in got
    assert ("scores.children_sum", "error", "paragraph 11") in got


def test_stated_rate_against_score_over_weight() -> None:
    text = CLEAN_SCORES.replace("得分率为83.33%。\n（1）", "得分率为83.30%。\n（1）")
    assert found(text) == [("rate.stated", "error", "paragraph 11")]


def test_rate_off_by_one_in_the_last_place_is_a_warning() -> None:
    text = CLEAN_SCORES.replace("得分率为86.67%", "得分率为86.66%")
    assert found(text) == [("rate.stated", "warning", "paragraph 13")]


def test_deduction_against_weight_minus_score() -> None:
    text = CLEAN_SCORES.replace("扣2.50分", "扣3分")
    assert found(text) == [("deduction.balance", "error", "paragraph 10")]


def test_score_above_weight() -> None:
    text = CLEAN_SCORES.replace("一是新建渠道。该指标12.50分，自评得分12.50分",
                                "一是新建渠道。该指标12.50分，自评得分13.50分")
    got = found(text)
    assert ("score.within_weight", "error", "paragraph 8") in got


def test_item_weights_under_a_sub_indicator() -> None:
    text = CLEAN_SCORES.replace("二是维修泵站。该指标12.50分，自评得分12.50分",
                                "二是维修泵站。该指标11.50分，自评得分11.50分")
    got = found(text)
    assert ("weights.children_sum", "error", "paragraph 7") in got


def test_total_against_top_level_scores() -> None:
    text = CLEAN_SCORES.replace("得分为92.50分", "得分为93.50分")
    assert found(text) == [("total.stated", "error", "paragraph 2")]


def test_grade_against_the_bands() -> None:
    text = CLEAN_SCORES.replace("绩效等级为“优”", "绩效等级为“良”")
    assert found(text) == [("grade.stated", "error", "paragraph 2")]


def test_grade_boundary_belongs_to_the_higher_grade() -> None:
    assert found("本项目绩效自评得分为90分，绩效等级为“优”。") == []
    assert found("本项目绩效自评得分为89.99分，绩效等级为“优”。") == [
        ("grade.stated", "error", "paragraph 1")]


def test_unscored_heading_closes_the_section() -> None:
    text = CLEAN_SCORES + "三、存在的问题\n1.资金拨付滞后。指标分值5分，自评得分5分。\n"
    assert found(text) == []


# --- what counts as a stated figure, and how a finding quotes it -------------------------


def test_a_recomputation_sentence_is_not_a_stated_total() -> None:
    text = ("（一）自评分数\n绩效自评得分为96.7分，绩效等级为“优”。\n"
            "表2-1 一级指标自评得分情况表\n"
            "| 一级指标 | 分值 | 得分 |\n| 总得分 | 100 | 96.7 |\n| 过程 | 20 | 20 |\n"
            "| 产出 | 40 | 36.7 |\n| 效益 | 40 | 40 |\n"
            "按评分规则重新计算，总得分为90.00分（等级“优”）。\n")
    assert not [f for f in audit_text(text).findings if f.finding.rule == "total.stated"]


def test_a_table_caption_is_quoted_whole(tmp_path: Path) -> None:
    text = ("（一）自评分数\n绩效自评得分为95分，绩效等级为“优”。\n"
            "表2-1 一级指标自评得分情况表\n"
            "| 一级指标 | 分值 | 得分 |\n| 总得分 | 100 | 96.7 |\n| 过程 | 20 | 20 |\n"
            "| 产出 | 40 | 36.7 |\n| 效益 | 40 | 40 |\n")
    messages = [f.finding.message for f in audit_text(text).findings
                if f.finding.rule == "total.stated"]
    assert messages and all("表2-1 一级指标自评得分情况表“总得分”" in m for m in messages)


def test_the_grade_message_grades_the_displayed_figure() -> None:
    findings = audit_text("绩效自评总得分为89.995分，绩效等级为“良”。\n").findings
    grade = [f for f in findings if f.finding.rule == "grade.stated"]
    assert grade and "总得分 90.00 分对应等级“优”" in grade[0].finding.message


def test_a_rate_on_the_applicable_weight_is_audited_on_that_weight() -> None:
    text = ("1.产出。该指标下设一项具体指标，分值50分，自评得分20.00分，得分率为80%"
            "（其中不适用指标25分不计，按25分计算得分率）。\n")
    assert not [f for f in audit_text(text).findings if f.finding.rule == "rate.stated"]
    wrong = text.replace("得分率为80%", "得分率为40%")
    assert [f for f in audit_text(wrong).findings if f.finding.rule == "rate.stated"]
