"""A rule in words (the 自评表's 评分标准) and back: what jixiao writes it reads, the common
hand-written variants too, and a remark is no rule."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from jixiao.core.dossier import Indicator, ScoringConventions
from jixiao.formats.rule_text import (
    deduction_line,
    parse_deduction_line,
    parse_rule,
    rule_lines,
)

CONV = ScoringConventions()


def back(fields: dict[str, Any]) -> Indicator:
    """An indicator, its rule written and read back onto the same form columns."""
    ind = Indicator.model_validate({"name": "甲", "weight": "10", **fields})
    rule = parse_rule("\n".join(rule_lines(ind, CONV)))
    assert rule is not None
    kept = {k: v for k, v in fields.items()
            if k in ("direction", "target", "actual", "unit", "stated_score")}
    method = rule.method or fields["method"]
    return Indicator.model_validate({"name": "甲", "weight": "10", "method": method, **kept,
                                     **rule.fields})


RULES: list[dict[str, Any]] = [
    {"method": "stepped", "step_on": "completion", "target": D(100), "actual": D(92),
     "unit": "亩", "steps": [{"at_least": 100, "score": 10}, {"at_least": 90, "below": 100,
                                                              "rate": 80}, {"score": 0}]},
    {"method": "stepped", "actual": D("3.5"), "unit": "天",
     "steps": [{"at_most": 3, "score": 10}, {"above": 3, "at_most": 5, "score": "6.5"}]},
    {"method": "range", "lower": D(1450), "upper": D(1550), "actual": D(1600), "unit": "元/亩",
     "outside": "proportional"},
    {"method": "range", "lower": D(-5), "upper": D(5), "actual": D(9), "unit": "%",
     "per_unit": {"points": "0.5", "per": "2", "count": "started", "cap": "3"}},
    {"method": "quantitative", "direction": "<=", "target": D(0), "actual": D("1.2"),
     "unit": "%", "per_unit": {"points": "0.5"}},
    {"method": "deduction", "per_occurrence": [{"points": "0.5", "count": 3},
                                               {"points": 2, "count": 1}],
     "deduction_cap": "2", "floor": "1"},
    {"method": "quantitative", "direction": ">=", "target": D(95), "unit": "%",
     "survey": {"satisfied": 452, "valid": 480}},
    {"method": "qualitative", "level": "部分达成", "score": "7"},
    {"method": "quantitative", "direction": "=", "target": D(100), "actual": D(90),
     "equal_convention": "zero"},
    {"method": "quantitative", "direction": "<=", "target": D(30), "actual": D(32),
     "reverse_convention": "ratio", "deduction_cap": "1",
     "deductions": [{"points": 1, "reason": "目标偏低"}]},
]

RULE_FIELDS = ("method", "steps", "step_on", "lower", "upper", "outside", "per_unit",
               "per_occurrence", "deduction_cap", "floor", "survey", "level", "score",
               "equal_convention", "reverse_convention")


@pytest.mark.parametrize("fields", RULES, ids=lambda f: f["method"])
def test_every_rule_kind_reads_back_as_written(fields: dict[str, Any]) -> None:
    original = Indicator.model_validate({"name": "甲", "weight": "10", **fields})
    read = back(fields)
    for name in RULE_FIELDS:
        assert getattr(read, name) == getattr(original, name), name


def test_the_words_are_what_a_finance_office_writes() -> None:
    ind = Indicator.model_validate({"name": "甲", "weight": "10", **RULES[0]})
    assert rule_lines(ind, CONV) == [
        "分段（按完成率，取第一个成立的档）：≥100%计10分；≥90%且<100%计分值的80%；其余计0分；"
        "均不成立计0分"]
    ind = Indicator.model_validate({"name": "甲", "weight": "10", **RULES[5]})
    assert rule_lines(ind, CONV) == [
        "扣分法：以分值为满分扣分", "每例扣0.5分（3例）；每例扣2分（1例）",
        "最多扣2分，扣分后最低1分"]


@pytest.mark.parametrize(("text", "fields"), [
    ("每超过一个百分点扣0.5分", {"per_unit": {"points": D("0.5")}}),
    ("每出现一例扣1分（3例），扣完为止", {"per_occurrence": [{"points": D(1), "count": 3}]}),
    ("每例扣0.5分（2例）\n扣分上限2分。", {"per_occurrence": [{"points": D("0.5"), "count": 2}],
                                 "deduction_cap": D(2)}),
    ("满意度调查：满意 90 人，有效问卷 100 份，满意度90%",
     {"survey": {"satisfied": 90, "valid": 100}}),
])
def test_hand_written_variants_are_read(text: str, fields: dict[str, Any]) -> None:
    rule = parse_rule(text)
    assert rule is not None and rule.fields == fields


@pytest.mark.parametrize("text", ["完成得满分，未完成酌情扣分", "每出现一例扣1分，扣完为止",
                                  "见附件", "分段：优秀计10分", "", "区间：合理即可"])
def test_a_remark_is_no_rule(text: str) -> None:
    assert parse_rule(text) is None


def test_a_deduction_line_carries_its_problem_and_measures() -> None:
    line = deduction_line(D("0.30"), "派驻时间不足：2个月", "派驻时间过短",
                          ["延长派驻", "加强考核"])
    assert line == ("扣0.30分：派驻时间不足：2个月"
                    "（问题：派驻时间过短；改进措施：延长派驻；加强考核）")
    assert parse_deduction_line(line) == (D("0.30"), "派驻时间不足：2个月", "派驻时间过短",
                                          ["延长派驻", "加强考核"])
    assert parse_deduction_line("扣1分：未按期完成") == (D(1), "未按期完成", None, [])
    assert parse_deduction_line("受益农户超出目标") is None


def test_the_unreadable_line_is_named() -> None:
    from jixiao.formats.rule_text import unreadable_line

    assert unreadable_line("每例扣0.5分（3例）\n完成得满分\n最多扣2分") == "完成得满分"
    assert unreadable_line("每例扣0.5分（3例）\n最多扣2分") is None
