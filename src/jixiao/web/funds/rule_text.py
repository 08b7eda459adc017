"""An indicator's rule-specific settings (``Indicator.rule``) in words, read-only on the
indicator page, so a user sees how the score is computed: "分段（完成率）：≥90% 计8分；…",
"每例扣0.5分（3例），最多扣2分"."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from jixiao.core.dossier import PerOccurrence, Step, Survey, UnitDeduction
from jixiao.web.funds import models as m
from jixiao.web.funds.mapping import rule_settings


def _n(value: Decimal) -> str:
    return f"{value:f}"


def _bounds(step: Step, unit: str) -> str:
    parts = [f"{sign}{_n(v)}{unit}" for sign, v in (
        ("≥", step.at_least), (">", step.above), ("≤", step.at_most), ("<", step.below),
    ) if v is not None]
    return gettext("且").join(parts) or gettext("其余")


def _step(step: Step, unit: str) -> str:
    if step.score is not None:
        points = gettext("计%(score)s分") % {"score": _n(step.score)}
    else:
        points = gettext("计分值的%(rate)s%%") % {"rate": _n(step.rate or Decimal(0))}
    return f"{_bounds(step, unit)} {points}"


def _unit_rule(rule: UnitDeduction, unit: str) -> str:
    text = gettext("每偏离%(per)s%(unit)s扣%(points)s分") % {
        "per": _n(rule.per), "unit": unit, "points": _n(rule.points)}
    if rule.count == "whole":
        text += gettext("（满一个单位才扣）")
    elif rule.count == "started":
        text += gettext("（不足一个单位按一个计）")
    if rule.cap is not None:
        text += gettext("，最多扣%(cap)s分") % {"cap": _n(rule.cap)}
    return text


EQUAL = {"ratio": gettext_lazy("min(实际÷目标, 1)×分值"),
         "proportional": gettext_lazy("按偏差比例扣减"), "zero": gettext_lazy("不得分")}


def describe(row: m.Indicator) -> list[str]:
    """One line per setting; empty when the indicator has none beyond its form fields."""
    rule: dict[str, Any] = rule_settings(row)
    unit = row.unit or ""
    lines: list[str] = []
    steps = [Step.model_validate(s) for s in rule.get("steps") or []]
    if steps:
        on_completion = rule.get("step_on") == "completion"
        basis = gettext("完成率") if on_completion else gettext("实际完成值")
        shown = "%" if on_completion else unit
        lines.append(gettext("分段（依据%(basis)s，自上而下取第一个成立的档）：%(steps)s；"
                             "均不成立计0分") % {
            "basis": basis, "steps": "；".join(_step(s, shown) for s in steps)})
    lower, upper = rule.get("lower"), rule.get("upper")
    if lower is not None and upper is not None:
        outside = {"zero": gettext("区间外计0分"),
                   "proportional": gettext("区间外按偏离界值的比例扣减")}.get(
            rule.get("outside") or "", "")
        text = gettext("区间：%(lower)s%(unit)s–%(upper)s%(unit)s（含）内得满分") % {
            "lower": _n(lower), "upper": _n(upper), "unit": unit}
        lines.append(f"{text}；{outside}" if outside else text)
    if rule.get("per_unit") is not None:
        lines.append(_unit_rule(UnitDeduction.model_validate(rule["per_unit"]), unit))
    occurrences = rule.get("per_occurrence") or []
    if isinstance(occurrences, dict):
        occurrences = [occurrences]
    each = [PerOccurrence.model_validate(o) for o in occurrences]
    cap, floor = rule.get("deduction_cap"), rule.get("floor")
    limits = ""
    if cap is not None:
        limits += gettext("，最多扣%(cap)s分") % {"cap": _n(cap)}
    if floor:
        limits += gettext("，扣分后最低%(floor)s分") % {"floor": _n(floor)}
    if each:
        lines.append("；".join(
            gettext("每例扣%(points)s分（%(count)s例）") % {"points": _n(o.points),
                                                      "count": o.count}
            for o in each) + limits)
    elif limits:
        lines.append(gettext("扣分") + limits)
    if rule.get("survey") is not None:
        survey = Survey.model_validate(rule["survey"])
        lines.append(gettext("满意度调查：满意%(satisfied)s人，有效问卷%(valid)s份，"
                             "满意度%(rate)s%%") % {
            "satisfied": survey.satisfied, "valid": survey.valid,
            "rate": _n(survey.rate.quantize(Decimal("0.01")))})
    if rule.get("equal_convention"):
        lines.append(gettext("等于型未相等时：%(how)s") % {
            "how": EQUAL.get(rule["equal_convention"], rule["equal_convention"])})
    return lines
