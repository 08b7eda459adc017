"""An indicator's scoring rule in words, both ways: the 评分标准 text the 自评表 carries.

`rule_lines` says in Chinese what the form's other columns cannot (分段 steps, a 区间, per-unit
and per-occurrence deductions with their cap and floor, survey counts, the qualitative level,
a convention chosen for one indicator); `parse_rule` reads exactly that wording back, plus the
common hand-written variants ("每出现一例扣1分，扣完为止", "扣分上限2分"). It is the one parser
of rule text: a reader that meets a 评分标准 cell asks it, and text it does not recognise as a
whole (a free remark) gives None, so the caller keeps its old reading instead of guessing.

One clause per line:

    分段（按完成率，取第一个成立的档）：≥100%计10分；≥90%计8分；均不成立计0分
    区间：1450元/亩至1550元/亩（含）得满分；区间外按偏离界值的比例扣减
    每偏离1%扣0.5分（满一个单位才扣），最多扣2分
    扣分法：以分值为满分扣分            (method deduction; listed deductions in 偏差原因)
    计算得分另扣所列扣分                (deductions on top of a computed score)
    所列扣分见偏差原因分析              (a manual score's listed deductions)
    每例扣0.5分（3例）；每例扣2分（1例）
    最多扣2分，扣分后最低1分
    满意度调查：满意452人，有效问卷480份
    定性：部分达成，评定14分
    人工评分：8分
    按预算执行率计分
    等于型未相等时：按偏离比例扣减
    反向指标按 ratio 算法计分

Listed deductions are written in the 偏差原因分析及改进措施 column as "扣1分：事由"
(`deduction_line`, `parse_deduction_line`), with the problem and its improvement measures in
brackets when the dossier links them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from jixiao.core.dossier import Indicator, ScoringConventions, Step
from jixiao.core.numbers import to_decimal

_NUM = r"[+-]?\d+(?:\.\d+)?"

STEP_BASIS = {"completion": "完成率", "actual": "实际完成值"}
OUTSIDE = {"zero": "区间外计0分", "proportional": "区间外按偏离界值的比例扣减"}
COUNT = {"whole": "（满一个单位才扣）", "started": "（不足一个单位按一个计）"}
EQUAL = {"ratio": "按实际÷目标计分", "proportional": "按偏离比例扣减", "zero": "不得分"}
DEDUCTION_HEAD = "扣分法：以分值为满分扣分"
ON_TOP = "计算得分另扣所列扣分"
LISTED = "所列扣分见偏差原因分析"
EXECUTION = "按预算执行率计分"


def plain(value: Decimal) -> str:
    """A figure as written, without exponent or padding (the rule words' one number format)."""
    return f"{value:f}"



# ============================================================================ writing


def bounds(step: Step, unit: str, both: str = "且", rest: str = "其余") -> str:
    """A step's bounds in words ("≥80%且<90%", or ``rest`` for the step that takes the rest);
    ``both`` and ``rest`` are the words a caller in another language passes."""
    parts = [f"{sign}{plain(v)}{unit}" for sign, v in (
        ("≥", step.at_least), (">", step.above), ("≤", step.at_most), ("<", step.below),
    ) if v is not None]
    return both.join(parts) or rest



def _step(step: Step, unit: str) -> str:
    if step.score is not None:
        return f"{bounds(step, unit)}计{plain(step.score)}分"
    return f"{bounds(step, unit)}计分值的{plain(step.rate or Decimal(0))}%"


def rule_lines(ind: Indicator, conv: ScoringConventions, shown: Decimal | None = None
               ) -> list[str]:
    """The 评分标准 of a leaf, one clause a line; empty when the form's columns say it all
    (a ≥/≤/= indicator scored by the dossier's conventions, a manual score). ``shown`` is the
    score the form's 得分 cell shows (None: 不适用 or blank)."""
    lines: list[str] = []
    if ind.method == "execution":
        lines.append(EXECUTION)
    elif ind.method == "qualitative":
        given = f"，评定{plain(ind.score)}分" if ind.score is not None else ""
        lines.append(f"定性：{ind.level}{given}")
    elif ind.method == "manual" and ind.score is not None and shown != ind.score:
        # The 得分 cell does not show the given score itself: 不适用, a stated score that
        # differs from it, a score above the weight, a weight re-spread from 不适用 siblings.
        lines.append(f"人工评分：{plain(ind.score)}分")
    elif ind.method == "deduction":
        lines.append(DEDUCTION_HEAD)
    lines.extend(settings_lines(ind, conv))
    if ind.method != "deduction" and ind.deductions:
        lines.append(LISTED if ind.method == "manual" else ON_TOP)
    if ind.reverse_convention is not None:
        lines.append(f"反向指标按 {ind.reverse_convention} 算法计分")
    return lines


def settings_lines(ind: Indicator, conv: ScoringConventions | None = None) -> list[str]:
    """The rule settings beyond an indicator's method, level and score, in words: 分段 steps,
    区间, per-unit and per-occurrence deductions with cap and floor, survey counts, the =
    convention (the leaf's own; also the dossier's ``conv`` when it is not the default).
    `parse_rule` reads them back; the web's indicator form edits them as this text."""
    lines: list[str] = []
    unit = ind.unit or ""
    if ind.method == "stepped" and ind.steps:
        on = "%" if ind.step_on == "completion" else unit
        steps = "；".join(_step(s, on) for s in ind.steps)
        lines.append(f"分段（按{STEP_BASIS[ind.step_on]}，取第一个成立的档）：{steps}；"
                     "均不成立计0分")
    elif ind.method == "range" and ind.lower is not None and ind.upper is not None:
        text = f"区间：{plain(ind.lower)}{unit}至{plain(ind.upper)}{unit}（含）得满分"
        lines.append(f"{text}；{OUTSIDE[ind.outside]}" if ind.outside else text)
    if ind.per_unit is not None:
        rule = ind.per_unit
        text = f"每偏离{plain(rule.per)}{unit}扣{plain(rule.points)}分{COUNT.get(rule.count, '')}"
        lines.append(text + (f"，最多扣{plain(rule.cap)}分" if rule.cap is not None else ""))
    if ind.per_occurrence:
        lines.append("；".join(f"每例扣{plain(o.points)}分（{o.count}例）"
                              for o in ind.per_occurrence))
    limits = []
    if ind.deduction_cap is not None:
        limits.append(f"最多扣{plain(ind.deduction_cap)}分")
    if ind.floor:
        limits.append(f"扣分后最低{plain(ind.floor)}分")
    if limits:
        lines.append("，".join(limits))
    if ind.survey is not None:
        lines.append(f"满意度调查：满意{ind.survey.satisfied}人，有效问卷{ind.survey.valid}份")
    if ind.direction == "=" and ind.method == "quantitative" and ind.per_unit is None:
        equal = ind.equal_convention or (conv.equal if conv is not None else None)
        if ind.equal_convention is not None or equal not in (None, "ratio"):
            lines.append(f"等于型未相等时：{EQUAL[str(equal)]}")
    return lines


def deduction_line(points: Decimal, reason: str, problem: str | None = None,
                   measures: list[str] | None = None) -> str:
    """"扣1分：事由（问题：…；改进措施：…；…）" for the 偏差原因 column."""
    text = f"扣{plain(points)}分：{reason}"
    if problem is not None:
        more = f"；改进措施：{'；'.join(measures)}" if measures else ""
        text += f"（问题：{problem}{more}）"
    return text


# ============================================================================ reading


@dataclass
class Rule:
    """What a 评分标准 text says: dossier fields of the indicator, the method it names
    (None: the form's columns decide), and whether listed deductions come with it."""

    fields: dict[str, Any] = field(default_factory=dict)
    method: str | None = None
    itemized: bool = False


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("≧", "≥").replace("≦", "≤").replace(">=", "≥").replace("<=", "≤")
    return re.sub(r"[ \t\u3000]+", "", text)


def _number(text: str) -> Decimal | None:
    match = re.match(_NUM, text)
    return to_decimal(match.group(0)) if match else None


_STEP = re.compile(rf"(.*?)计(?:(分值的)({_NUM})%|({_NUM})分)")
_BOUND = re.compile(rf"([≥>≤<])({_NUM})")
_BOUND_KEYS = {"≥": "at_least", ">": "above", "≤": "at_most", "<": "below"}


def _steps(body: str) -> list[dict[str, Any]] | None:
    steps: list[dict[str, Any]] = []
    for part in body.split(";"):
        if not part or (part == "均不成立计0分" and steps):
            continue
        match = _STEP.fullmatch(part)
        if match is None:
            return None
        bounds, share, rate, score = match.groups()
        step: dict[str, Any] = {"rate": Decimal(rate)} if share else {"score": Decimal(score)}
        if bounds not in ("", "其余", "否则"):
            for piece in bounds.split("且"):
                bound = _BOUND.match(piece)
                if bound is None or not _plausible_unit(piece[bound.end():]):
                    return None
                step[_BOUND_KEYS[bound.group(1)]] = Decimal(bound.group(2))
        steps.append(step)
    return steps or None


def _plausible_unit(text: str) -> bool:
    return len(text) <= 8 and not re.search(r"[;,。]", text)


def _limits(line: str, out: dict[str, Any]) -> bool:
    """"最多扣2分，扣分后最低1分" / "扣完为止" / "扣分上限2分" into the fields."""
    for part in filter(None, line.split(",")):
        cap = re.fullmatch(rf"(?:最多扣|扣分上限为?|最高扣)({_NUM})分(?:为止)?", part)
        floor = re.fullmatch(rf"扣分后最低(?:得)?({_NUM})分", part)
        if cap:
            out["deduction_cap"] = Decimal(cap.group(1))
        elif floor:
            out["floor"] = Decimal(floor.group(1))
        elif part not in ("扣完为止", "扣完即止", "扣完本项分值为止"):
            return False
    return True


def _line(line: str, rule: Rule) -> bool:
    """Read one clause into ``rule``; False when the line is not one jixiao can read."""
    out = rule.fields
    if line == EXECUTION:
        rule.method = "execution"
        return True
    if m := re.fullmatch(rf"定性:(达成|部分达成|未达成)(?:,评定({_NUM})分)?", line):
        rule.method = "qualitative"
        out["level"] = m.group(1)
        if m.group(2):
            out["score"] = Decimal(m.group(2))
        return True
    if m := re.fullmatch(rf"人工评分:({_NUM})分", line):
        rule.method = "manual"
        out["score"] = Decimal(m.group(1))
        return True
    if m := re.fullmatch(r"分段\(按(完成率|实际完成值)[^)]*\):(.+)", line):
        steps = _steps(m.group(2))
        if steps is None:
            return False
        rule.method = "stepped"
        out["step_on"] = "completion" if m.group(1) == "完成率" else "actual"
        out["steps"] = steps
        return True
    if m := re.fullmatch(rf"区间:({_NUM})(.{{0,8}}?)至({_NUM})(.{{0,8}}?)\(含\)(?:内)?得满分"
                         r"(?:;(区间外计0分|区间外按偏离界值的比例扣减))?", line):
        rule.method = "range"
        out["lower"], out["upper"] = Decimal(m.group(1)), Decimal(m.group(3))
        if m.group(5):
            out["outside"] = "zero" if m.group(5) == OUTSIDE["zero"] else "proportional"
        return True
    if m := re.fullmatch(rf"每(?:偏离|超过|低于|少)({_NUM})?(.{{0,8}}?)扣({_NUM})分"
                         rf"(\(满一个单位才扣\)|\(不足一个单位按一个计\))?(?:,最多扣({_NUM})分)?",
                         line):
        unit_rule: dict[str, Any] = {"points": Decimal(m.group(3))}
        if m.group(1):
            unit_rule["per"] = Decimal(m.group(1))
        if m.group(4):
            unit_rule["count"] = "whole" if "满一个" in m.group(4) else "started"
        if m.group(5):
            unit_rule["cap"] = Decimal(m.group(5))
        out["per_unit"] = unit_rule
        return True
    if line in (_clean(DEDUCTION_HEAD), "扣分法"):
        rule.method = "deduction"
        rule.itemized = True
        return True
    if line in (ON_TOP, LISTED):
        rule.itemized = True
        return True
    if line.startswith("每例扣") or line.startswith("每出现一例扣"):
        kinds, _, rest = line.partition(",")
        found = []
        for part in kinds.split(";"):
            m = re.fullmatch(rf"每(?:出现一)?例扣({_NUM})分\((\d+)例\)", part)
            if m is None:
                return False
            found.append({"points": Decimal(m.group(1)), "count": int(m.group(2))})
        if rest and not _limits(rest, out):
            return False
        rule.method = "deduction"
        out["per_occurrence"] = found
        return True
    if m := re.fullmatch(r"满意度调查:满意(\d+)人,有效问卷(\d+)份(?:,满意度[\d.]+%)?", line):
        out["survey"] = {"satisfied": int(m.group(1)), "valid": int(m.group(2))}
        return True
    if m := re.fullmatch(r"等于型未相等时:(.+)", line):
        found_equal = {_clean(v): k for k, v in EQUAL.items()}.get(m.group(1))
        if found_equal is None:
            return False
        out["equal_convention"] = found_equal
        return True
    if m := re.fullmatch(r"反向指标按(linear|ratio)算法计分", line):
        out["reverse_convention"] = m.group(1)
        return True
    return _limits(line, out) if re.search(r"扣|为止", line) else False


def parse_rule(text: str) -> Rule | None:
    """The rule a 评分标准 text states, or None when any line of it is not rule wording
    jixiao reads (then the text is a remark and the caller ignores it)."""
    rule = Rule()
    lines = [_clean(line) for line in text.splitlines()]
    lines = [line.rstrip("。;") for line in lines if line]
    if not lines:
        return None
    for line in lines:
        if not _line(line, rule):
            return None
    return rule


def unreadable_line(text: str) -> str | None:
    """The first line of a rule text that `parse_rule` cannot read (as written), if any."""
    for line in text.splitlines():
        cleaned = _clean(line).rstrip("。;")
        if cleaned and not _line(cleaned, Rule()):
            return line.strip()
    return None


_DEDUCTION = re.compile(
    rf"扣\s*({_NUM})\s*分\s*[:：](.+?)"
    r"(?:[(（]问题[:：](.+?)(?:[;；]改进措施[:：](.+))?[)）])?"
)


def parse_deduction_line(line: str) -> tuple[Decimal, str, str | None, list[str]] | None:
    """(points, reason, problem title, measure titles) of a "扣1分：事由（问题：…）" line."""
    match = _DEDUCTION.fullmatch(line.strip().rstrip("。"))
    if match is None:
        return None
    points = to_decimal(match.group(1))
    if points is None or points <= 0:
        return None
    measures = [m.strip() for m in re.split(r"[;；]", match.group(4) or "") if m.strip()]
    return points, match.group(2).strip(), match.group(3), measures
