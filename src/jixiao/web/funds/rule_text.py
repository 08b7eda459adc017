"""An indicator's rule-specific settings (``Indicator.rule``) in words: `describe` shows
them on the indicator page, translated ("分段（完成率）：≥90% 计8分；…", "每例扣0.5分（3例）");
`rule_words` / `read_rule_words` and `deduction_words` / `read_deduction_words` let the page
edit them as the Chinese wording the 自评表's 评分标准 column carries, through the one parser
of rule text (`jixiao.formats.rule_text`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy
from pydantic import ValidationError

from jixiao.core import vocabulary
from jixiao.core.dossier import Indicator as DIndicator
from jixiao.core.dossier import PerOccurrence, Step, Survey, UnitDeduction
from jixiao.formats import rule_text as words
from jixiao.web.funds import mapping
from jixiao.web.funds import models as m
from jixiao.web.funds.codec import decode, encode
from jixiao.web.funds.mapping import rule_settings
from jixiao.web.kernel.errors import Code, Refused


def _bounds(step: Step, unit: str) -> str:
    return words.bounds(step, unit, gettext("且"), gettext("其余"))


def _step(step: Step, unit: str) -> str:
    if step.score is not None:
        points = gettext("计%(score)s分") % {"score": words.plain(step.score)}
    else:
        points = gettext("计分值的%(rate)s%%") % {"rate": words.plain(step.rate or Decimal(0))}
    return f"{_bounds(step, unit)} {points}"


def _unit_rule(rule: UnitDeduction, unit: str) -> str:
    text = gettext("每偏离%(per)s%(unit)s扣%(points)s分") % {
        "per": words.plain(rule.per), "unit": unit, "points": words.plain(rule.points)}
    if rule.count == "whole":
        text += gettext("（满一个单位才扣）")
    elif rule.count == "started":
        text += gettext("（不足一个单位按一个计）")
    if rule.cap is not None:
        text += gettext("，最多扣%(cap)s分") % {"cap": words.plain(rule.cap)}
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
            "lower": words.plain(lower), "upper": words.plain(upper), "unit": unit}
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
        limits += gettext("，最多扣%(cap)s分") % {"cap": words.plain(cap)}
    if floor:
        limits += gettext("，扣分后最低%(floor)s分") % {"floor": words.plain(floor)}
    if each:
        lines.append("；".join(
            gettext("每例扣%(points)s分（%(count)s例）") % {"points": words.plain(o.points),
                                                      "count": o.count}
            for o in each) + limits)
    elif limits:
        lines.append(gettext("扣分") + limits)
    if rule.get("survey") is not None:
        survey = Survey.model_validate(rule["survey"])
        lines.append(gettext("满意度调查：满意%(satisfied)s人，有效问卷%(valid)s份，"
                             "满意度%(rate)s%%") % {
            "satisfied": survey.satisfied, "valid": survey.valid,
            "rate": words.plain(survey.rate.quantize(Decimal("0.01")))})
    if rule.get("equal_convention"):
        lines.append(gettext("等于型未相等时：%(how)s") % {
            "how": EQUAL.get(rule["equal_convention"], rule["equal_convention"])})
    return lines


# --- editing: the same words the 自评表's 评分标准 column carries (`jixiao.formats.rule_text`)

def _indicator(row: m.Indicator) -> DIndicator | None:
    """The row's rule settings as a core indicator (unvalidated as a whole: a row being
    edited may be inconsistent until saved), or None when a setting cannot be read."""
    rule: dict[str, Any] = rule_settings(row)
    occurrences = rule.get("per_occurrence") or []
    if isinstance(occurrences, dict):
        occurrences = [occurrences]
    try:
        codes: dict[str, Any] = {"method": row.method or None,
                                 "direction": row.direction or None}
        return DIndicator.model_construct(
            name=row.name, weight=row.weight, unit=row.unit or None, **codes,
            steps=[Step.model_validate(s) for s in rule.get("steps") or []],
            step_on=rule.get("step_on") or "actual", lower=rule.get("lower"),
            upper=rule.get("upper"), outside=rule.get("outside"),
            per_unit=(UnitDeduction.model_validate(rule["per_unit"])
                      if rule.get("per_unit") else None),
            per_occurrence=[PerOccurrence.model_validate(o) for o in occurrences],
            deduction_cap=rule.get("deduction_cap"), floor=rule.get("floor") or Decimal(0),
            survey=Survey.model_validate(rule["survey"]) if rule.get("survey") else None,
            equal_convention=rule.get("equal_convention"),
        )
    except ValidationError:
        return None


def rule_words(row: m.Indicator) -> str:
    """The row's rule settings as editable text, one clause a line (Chinese, as on the form)."""
    ind = _indicator(row)
    return "\n".join(words.settings_lines(ind)) if ind is not None else ""


def deduction_words(row: m.Indicator) -> str:
    """The row's listed deductions, one "扣1分：事由" line each."""
    listed = decode(row.deductions) if isinstance(row.deductions, list) else []
    return "\n".join(words.deduction_line(d["points"], d["reason"]) for d in listed)


_DEFAULTS: dict[str, Any] = {"step_on": "actual", "floor": Decimal(0)}


_PARTS: dict[str, type[Step] | type[UnitDeduction] | type[PerOccurrence] | type[Survey]] = {
    "steps": Step, "per_unit": UnitDeduction, "per_occurrence": PerOccurrence, "survey": Survey,
}


def _normal(key: str, value: Any) -> Any:
    """A setting as an import stores it: through its core model, defaults left out."""
    part = _PARTS.get(key)
    if part is None:
        return value
    try:
        if isinstance(value, list):
            return [part.model_validate(v).model_dump(mode="python", exclude_defaults=True)
                    for v in value]
        return part.model_validate(value).model_dump(mode="python", exclude_defaults=True)
    except ValidationError:
        return value  # the dossier's validation names what is wrong


def read_rule_words(row: m.Indicator, text: str, method: str) -> dict[str, Any]:
    """The row's new ``rule`` (encoded) from edited text: the settings the text shows are
    replaced by what it says now; settings it cannot show (of another method) are kept.
    Refused, naming the line, when a line is no rule wording or names another method."""
    shown = words.parse_rule(rule_words(row))
    rule = words.parse_rule(text) if text.strip() else words.Rule()
    if rule is None:
        line = words.unreadable_line(text) or text
        raise Refused(Code.INVALID_VALUE, gettext(
            "计分规则无法识别：“%(line)s”（写法如“分段（按完成率，取第一个成立的档）：≥90%%计8分；"
            "≥80%%计6分”“每例扣0.5分（3例）”“最多扣2分”“满意度调查：满意452人，有效问卷480份”）"
        ) % {"line": line})
    implied = rule.method if rule.method in ("stepped", "range", "deduction") else None
    if implied is not None and implied != method:
        raise Refused(Code.INVALID_VALUE, gettext(
            "计分规则是“%(rule)s”的写法，评分方法却选了“%(method)s”") % {
            "rule": vocabulary.METHOD_LABELS[implied],
            "method": vocabulary.METHOD_LABELS.get(method, method)})
    old = rule_settings(row)
    replaced = set(shown.fields) if shown is not None else set()
    new = {k: v for k, v in old.items() if k not in replaced}
    new.update({k: _normal(k, v) for k, v in rule.fields.items() if k in mapping.RULE_FIELDS})
    new = {k: v for k, v in new.items() if k not in _DEFAULTS or v != _DEFAULTS[k]}
    encoded: dict[str, Any] = encode(new)
    return encoded


def read_deduction_words(row: m.Indicator, text: str) -> list[Any]:
    """The row's new ``deductions`` (encoded) from "扣1分：事由" lines; a deduction whose
    reason is unchanged keeps the problem it is tied to. Refused, naming the line, when a
    line is not of that form."""
    old = decode(row.deductions) if isinstance(row.deductions, list) else []
    problems = {d["reason"]: d.get("problem") for d in old}
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parsed = words.parse_deduction_line(line)
        if parsed is None:
            raise Refused(Code.INVALID_VALUE, gettext(
                "扣分项无法识别：“%(line)s”（每行写成“扣1分：事由”）") % {"line": line.strip()})
        points, reason, _, _ = parsed
        out.append({"points": points, "reason": reason, "problem": problems.get(reason)})
    encoded: list[Any] = encode(out)
    return encoded
