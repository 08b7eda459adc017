"""共性指标 rows and indicators whose value is bounded by what they measure.

The rule of the block: an indicator row whose name is a 共性指标 of `labels.COMMON_ROWS`
(预算执行率, 资金到位率 …, in 宁夏 and other local forms the amount block restated as an
indicator) states, as its actual value, a figure the amount block also gives: the two must
agree at the precision written. Its 得分 follows 分值 × that rate (capped at 100%); a score
that does not is a warning, since some provinces score the rate by tiers.

An indicator whose name says it is a share of a whole (`labels.BOUNDED_RATES`: 合格率,
覆盖率, 满意度 …) cannot have a target or an actual value above 100% (an error with both
figures). A new 共性指标 or a new share word is one more entry in labels.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.dossier import Severity
from jixiao.core.numbers import HUNDRED, fmt, places
from jixiao.core.phrases import Phrase, template, word
from jixiao.formats.forms.cells import Sheet, label, number, percent_value, text
from jixiao.formats.forms.findings import agrees, finding, severity_of, shown
from jixiao.formats.forms.labels import BOUNDED_RATES, COMMON_ROWS, USUALLY_BOUNDED_RATES

_FIGURE_WORDS = {"rate": "执行率", "arrival": "资金到位率"}
# A column's name said inside a sentence ("…: target value 120% is above 100%"), apart from
# the same word as a column heading (指标值 → "Target value")
IN_SENTENCE = "figure in a sentence"
# A share above 100%: one that cannot be, or one that seldom is.
_OVER_100 = template("{where}：{what} {value}% 超过 100%（该指标是比率，不能超过 100%）")
_USUALLY_NOT_OVER_100 = template("{where}：{what} {value}% 超过 100%（该比率通常不超过 100%，"
                                 "请核实计算口径）")


@dataclass(frozen=True)
class MoneyFigures:
    """The amount block's figures a 共性指标 row may restate (percentages)."""

    rate: Decimal | None = None  # 执行数 ÷ 预算数
    arrival: Decimal | None = None  # 到位数 ÷ 预算数
    stated_rate: Decimal | None = None  # 执行率 as the amount block writes it
    # 执行数 over each base the block lists (全年预算数, 年初预算数, 到位数): 宁夏 and the
    # 共性指标 framework take 预算执行率 = 实际支出 ÷ 实际到位资金
    other_rates: tuple[Decimal, ...] = ()

    def get(self, kind: str) -> Decimal | None:
        return self.rate if kind == "rate" else self.arrival if kind == "arrival" else None


def row_names(sheet: Sheet, r: int, roles: dict[str, int]) -> list[str]:
    return [label(sheet.cell(r, roles[k])) for k in ("level3", "level2") if k in roles]


def common_kind(names: list[str]) -> str | None:
    for name in names:
        if name in COMMON_ROWS:
            return COMMON_ROWS[name]
    return None


def _percent(sheet: Sheet, r: int, c: int | None, unit_c: int | None) -> Decimal | None:
    """A cell's value as a percentage when it is written as one (%, 百分比, a % unit column,
    or a number cell stored as a fraction)."""
    if c is None:
        return None
    item = number(sheet.cell(r, c))
    if item is None:
        return None
    unit = text(sheet.cell(r, unit_c)) if unit_c is not None else ""
    if item.percent or unit in ("%", "百分比") or (item.from_cell and not unit):
        return percent_value(sheet.cell(r, c))
    return None  # another unit (天, 分, 人 …): not a percentage


def check_common_row(sheet: Sheet, r: int, roles: dict[str, int], where: str | Phrase,
                     money: MoneyFigures) -> list[Finding]:
    """A 共性指标 row against the amount block, and its score against 分值 × rate."""
    kind = common_kind(row_names(sheet, r, roles))
    if kind is None:
        return []
    out: list[Finding] = []
    figure = word(_FIGURE_WORDS[kind], "rate in a sentence")
    actual_c = roles.get("actual")
    stated = _percent(sheet, r, actual_c, roles.get("unit"))
    known = money.get(kind)
    if stated is not None and known is not None and actual_c is not None:
        n = places(stated)
        accepted = [known]
        if kind == "rate":
            accepted += [*money.other_rates,
                         *([money.stated_rate] if money.stated_rate is not None else [])]
        if not any(agrees(stated, x, n) for x in accepted):
            # (a row that repeats the amount block's own wrong rate is reported there)
            out.append(finding(
                "form.common_rate", severity_of(stated, known, n), sheet.ref(r, actual_c),
                known, stated,
                Phrase("{where}（共性指标）：实际完成值 {stated}%，与资金表中的{figure} "
                       "{known}% 不符",
                       where=where, stated=shown(stated), figure=figure, known=fmt(known)),
            ))
    rate = stated if stated is not None else known
    weight_c, score_c = roles.get("weight"), roles.get("score")
    if rate is None or weight_c is None or score_c is None:
        return out
    weight, score = number(sheet.cell(r, weight_c)), number(sheet.cell(r, score_c))
    if weight is None or score is None or weight.value == 0 or score.value > weight.value:
        return out
    expected = weight.value * min(rate, HUNDRED) / HUNDRED
    n = places(score.value)
    if not agrees(score.value, expected, n):
        out.append(finding(
            "form.common_score", "warning", sheet.ref(r, score_c), expected, score.value,
            Phrase("{where}（共性指标）得分：所列 {score}，按分值 {weight} × {figure} {rate}% "
                   "应为 {expected}（如按分档等其他规则计分，请在说明中注明）", where=where,
                   score=shown(score.value), weight=shown(weight.value), figure=figure,
                   rate=fmt(rate), expected=fmt(expected)),
        ))
    return out


def bounded(name: str) -> Severity | None:
    """"error" for a share that cannot exceed 100%, "warning" for one that official
    statistics sometimes put above it, None for any other name."""
    if name and any(name.endswith(w) for w in BOUNDED_RATES):
        return "error"
    if name and any(name.endswith(w) for w in USUALLY_BOUNDED_RATES):
        return "warning"
    return None


def check_bounded(sheet: Sheet, r: int, roles: dict[str, int], where: str | Phrase
                  ) -> list[Finding]:
    """A share (合格率, 覆盖率, 满意度 …) written above 100%: its target or its actual value."""
    severity = bounded(label(sheet.cell(r, roles["level3"]))) if "level3" in roles else None
    if severity is None:
        return []
    unit_c = roles.get("unit")
    target_c = roles.get("target")
    if "nature" in roles and roles["nature"] == target_c:
        target_c = roles.get("target_value", target_c + 1 if target_c is not None else None)
    target = _percent(sheet, r, target_c, unit_c)
    out: list[Finding] = []
    for c, what, actual in ((target_c, word("指标值", IN_SENTENCE), False),
                            (roles.get("actual"), word("实际完成值", IN_SENTENCE), True)):
        value = _percent(sheet, r, c, unit_c)
        if value is None and c is not None and actual and target is not None:
            item = number(sheet.cell(r, c))  # "96" under a "≥95%" target: a percentage too
            value = item.value if item is not None and not item.unit else None
        if value is None or c is None or value <= HUNDRED:
            continue
        out.append(finding(
            "form.bounded_rate", severity, sheet.ref(r, c), HUNDRED, value,
            Phrase(_OVER_100 if severity == "error" else _USUALLY_NOT_OVER_100, where=where,
                   what=what, value=shown(value)),
        ))
    return out
