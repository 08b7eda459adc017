"""The checks engine: recompute every total, rate, score and grade; report what disagrees.

A check is a `Comparison` in the spirit of DHIS2 validation rules: an expected side, an
actual side, an operator, the decimal places the comparison is made at, and the severity of
a violation. One judge (`judge`) turns comparisons into `Finding`s:

- equal after rounding both sides half-up to ``places``: no finding;
- off by no more than one unit of the last shown digit, at one or more decimal places:
  ``warning`` (a rounding slip, such as 399.99 against 400 or 99.23 written for 99.2358);
- further off: the comparison's severity (``error`` unless said otherwise).

Rule builders below read the dossier and the scorecard and never judge anything themselves:
each makes its comparisons with the ``compare`` it is given, `Comparison` unless the caller
wants them judged as they are made (`judged`, which builds nothing for a comparison that
holds).
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from jixiao.core import rates
from jixiao.core.allocation import allocate
from jixiao.core.dossier import (
    Arrival,
    Dossier,
    GradeBand,
    Recipient,
    ScoringConventions,
    Severity,
    Spending,
    TemplateItem,
    walk_recipients,
)
from jixiao.core.numbers import (
    HUNDRED,
    UnitMismatch,
    agree_rounded,
    convert,
    fmt,
    places,
    round_half_up,
    step,
)
from jixiao.core.phrases import Phrase, Said, made, template, word
from jixiao.core.scoring import IndicatorScore, Scorecard, execution_rate

ZERO = Decimal(0)


# Rule ids and what each asserts, for users (shown by `jixiao rules` and in reports).
RULES: dict[str, str] = {
    "weights.children_sum": "下级指标分值之和等于上级指标分值",
    "scores.children_sum": "下级指标所列得分之和等于上级指标所列得分",
    "score.within_weight": "得分不超过分值",
    "score.stated": "所列得分等于按评分规则计算的得分（按所列小数位）",
    "score.rounded": "所列得分是计算得分四舍五入后的结果（提示）",
    "rate.stated": "所列得分率等于 得分 ÷ 分值",
    "score.reason": "未得满分的指标须说明扣分理由",
    "qualitative.band": "定性指标得分落在其达成档次的区间内",
    "quantitative.over_target": "大幅超额完成须说明原因",
    "deduction.balance": "扣分合计等于 分值（或计算得分）− 得分；有上限、扣完为止时按实扣",
    "survey.rate": "所列满意度等于 满意人数 ÷ 有效问卷数",
    "deduction.problem": "每项扣分对应一个存在的问题",
    "problem.measure": "每个问题都有改进意见",
    "template.weights": "一级指标及分值符合权重模板",
    "total.weight": "一级指标分值合计等于模板总分",
    "total.stated": "所列总得分等于计算的总得分",
    "total.rate": "所列总得分率等于 总得分 ÷ 总分",
    "grade.stated": "所列绩效等级与总得分相符",
    "spending.by_use": "分用途支出之和等于资金来源合计",
    "spending.stated_total": "所列支出合计不超过资金来源合计（未支出部分为结转）",
    "spending.carried_over": "资金来源合计等于 支出合计 + 结转（两者均列明时）",
    "figure.parts": "分项之和等于总数",
    "figure.same_as": "同一数量以不同单位表述时一致",
    "figure.items": "所列个数等于列举的事项数",
    "recipients.count": "所列县数（及各类下级个数）等于列举的个数",
    "recipients.agreements": "所列协议数等于下级协议数之和",
    "recipients.arrivals": "所列到位资金等于下级到位资金之和（逐级）",
    "recipients.spending": "所列支出等于下级支出之和（逐级）",
    "budget.agreements": "该层级协议数合计等于全年预算数",
    "budget.arrivals": "到位数等于各笔到位资金之和",
    "budget.execution_rate": "所列执行率等于 执行数 ÷ 预算数",
    "budget.arrival_rate": "所列到位率等于 到位数 ÷ 全年预算数",
    "budget.executed_le_arrived": "执行数不超过到位数",
    "budget.rows": "年度资金总额等于其中各行之和",
    "plan_actual.rate": "所列完成率等于 实际 ÷ 计划",
    "allocation.stated": "所列分配金额等于因素法计算结果",
}


# Comparison and Finding are frozen dataclasses (compared, hashed, printed and refused an
# assignment as dataclasses are) with an `__init__` of their own that fills the instance's
# `__dict__`: the generated one sets each field through `object.__setattr__`, which made
# building the 116 comparisons of the seed about an eighth of its evaluation.


@dataclass(frozen=True, init=False)
class Finding:
    """Something that does not add up: which rule, how bad, where, expected and found.

    ``message`` is the Chinese every caller prints; ``phrase``, where the finding was worded
    by the core, is the same message as a template with named parameters, so a page can say
    it in its own language (`jixiao.core.phrases`)."""

    rule: str
    severity: Severity
    where: str
    expected: Decimal | str | None
    actual: Decimal | str | None
    message: str
    phrase: Phrase | None = field(default=None, compare=False, repr=False)

    def __init__(
        self, rule: str, severity: Severity, where: str, expected: Decimal | str | None,
        actual: Decimal | str | None, message: str, phrase: Phrase | None = None,
    ) -> None:
        fields = self.__dict__
        fields["rule"] = rule
        fields["severity"] = severity
        fields["where"] = where
        fields["expected"] = expected
        fields["actual"] = actual
        fields["message"] = message
        fields["phrase"] = phrase


def found(
    rule: str, severity: Severity, where: str, expected: Decimal | str | None,
    actual: Decimal | str | None, phrase: Phrase,
) -> Finding:
    """A finding worded by a phrase: its message is the phrase's Chinese."""
    return Finding(rule, severity, where, expected, actual, str(phrase), phrase)


@dataclass(frozen=True, init=False)
class Comparison:
    """``actual op expected``, compared at ``places`` decimals; ``what`` names the figure
    compared (a phrase where the core words it, plain text where a reader quotes it)."""

    rule: str
    where: str
    what: str | Phrase | Said
    expected: Decimal | None
    actual: Decimal | None
    op: str = "=="
    places: int = 2
    severity: Severity = "error"
    unit: str = ""

    def __init__(
        self, rule: str, where: str, what: str | Phrase | Said, expected: Decimal | None,
        actual: Decimal | None, op: str = "==", places: int = 2, severity: Severity = "error",
        unit: str = "",
    ) -> None:
        fields = self.__dict__
        fields["rule"] = rule
        fields["where"] = where
        fields["what"] = what
        fields["expected"] = expected
        fields["actual"] = actual
        fields["op"] = op
        fields["places"] = places
        fields["severity"] = severity
        fields["unit"] = unit


_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt,
    "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
# What a violated inequality says, one whole template per operator.
_OP_PHRASES = {
    "!=": template("{what}：{actual}，不应等于 {expected}"),
    "<": template("{what}：{actual}，应小于 {expected}"),
    "<=": template("{what}：{actual}，应不超过 {expected}"),
    ">": template("{what}：{actual}，应大于 {expected}"),
    ">=": template("{what}：{actual}，应不少于 {expected}"),
}
# Units the checks attach to figures, besides a fund's money unit and a figure's own unit,
# which may be any of these or something else (shown as written).
UNITS = ("分", "元", "万元", "亿元", "千元", "人", "万人", "人次", "户", "亩", "万亩", "次", "项")


def amount(value: str, unit: str) -> str | Phrase:
    """A formatted figure with its unit: "9.5分", "97.74%", "3个" (a count: its number alone
    in a language without counting words), the unit a word a catalogue may translate."""
    if not unit:
        return value
    if unit == "%":
        return Phrase("{n}%", n=value)
    if unit == "个":
        return Phrase("{n}个", n=value)
    return Phrase("{n}{unit}", n=value, unit=_unit_word(unit))


_UNIT_WORDS: dict[str, Phrase] = {}


def _unit_word(unit: str) -> Phrase:
    """``word(unit, "unit")``, made once per unit (a phrase is immutable)."""
    made_word = _UNIT_WORDS.get(unit)
    if made_word is None:
        made_word = _UNIT_WORDS[unit] = word(unit, "unit")
    return made_word


def _comparison_finding(
    c: Comparison, said: str, severity: Severity, figures: tuple[tuple[str, str], ...]
) -> Finding:
    """The finding of a failed comparison: ``said`` with what was compared and the shown
    figures (with the comparison's unit). The message is worded straight from the texts:
    a figure with its unit reads as the figure followed by the unit (`amount`), so it is
    the phrase's Chinese without rendering each nested phrase again."""
    what = made(c.what)
    unit = c.unit
    params: dict[str, str | Phrase] = {"what": what}
    texts = {"what": str(what)}
    for name, text in figures:
        params[name] = amount(text, unit)
        texts[name] = text + unit
    return Finding(c.rule, severity, c.where, c.expected, c.actual, said.format_map(texts),
                   Phrase.of(said, params))


def judge(c: Comparison) -> Finding | None:
    """The one place a comparison becomes a finding (or not)."""
    expected, actual = c.expected, c.actual
    if expected is None or actual is None:
        return None
    if c.op == "==":
        if agree_rounded(actual, expected, c.places):
            return None
    elif _OPS[c.op](actual, expected):
        return None
    return _failed(c, expected, actual)


def _failed(c: Comparison, expected: Decimal, actual: Decimal) -> Finding:
    """The finding of a comparison that does not hold."""
    n = c.places
    if c.op != "==":
        shown_places = max(n, places(expected), places(actual))
        return _comparison_finding(c, _OP_PHRASES[c.op], c.severity, (
            ("actual", fmt(actual, shown_places)), ("expected", fmt(expected, shown_places))))
    shown_expected, shown_actual = fmt(expected, n), fmt(actual, n)
    diff = actual - expected
    # Whole-number figures (counts, integral amounts) are never rounded, so any gap is real.
    rounding_slip = n > 0 and abs(diff) <= step(n)
    severity: Severity = "warning" if rounding_slip and c.severity == "error" else c.severity
    said = (template("{what}：应为 {expected}，实为 {actual}（相差 {diff}，属尾数误差）")
            if rounding_slip else template("{what}：应为 {expected}，实为 {actual}（相差 {diff}）"))
    return _comparison_finding(c, said, severity, (
        ("expected", shown_expected), ("actual", shown_actual),
        ("diff", fmt(diff, min(max(n, places(diff)), n + 2)))))


def judged(
    rule: str, where: str, what: str | Phrase | Said, expected: Decimal | None,
    actual: Decimal | None, op: str = "==", places: int = 2, severity: Severity = "error",
    unit: str = "",
) -> Finding | None:
    """``judge(Comparison(...))`` with the same arguments, without making the comparison
    when it holds (most do: a check of the seed that passes no longer builds an object)."""
    if expected is None or actual is None:
        return None
    if op == "==":
        if actual == expected or agree_rounded(actual, expected, places):
            return None
    elif _OPS[op](actual, expected):
        return None
    return _failed(Comparison(rule, where, what, expected, actual, op, places, severity, unit),
                   expected, actual)


# How a rule builder makes each comparison: `Comparison` (the default: the builders yield
# the comparisons, for a caller to judge or to look at) or `judged` (the finding, or None
# when it holds, as `evaluate_dossier` wants them).
Compare = Callable[..., Comparison | Finding | None]


def _stated_score_checks(
    node: IndicatorScore, where: str, name: str, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    """The stated score against the computed one, judged at the places it was written with
    ("9" for 8.62 is right as shown); a whole-number score that only agrees once the computed
    one is rounded is pointed out as info, since forms often round scores up (RULES §2)."""
    stated = node.stated_score
    shown_places = places(stated) if stated is not None else 2
    yield compare(
        "score.stated", where,
        Said((template("「{name}」的所列得分（按规则计算）"),
               {"name": name})),
        node.score, stated,
        unit="分", places=shown_places,
    )
    if stated is not None and shown_places < 2 and stated != node.score and (
        round_half_up(node.score, shown_places) == stated
    ):
        precision = Phrase("整数") if shown_places == 0 else Phrase(
            "{n}位小数", n=str(shown_places))
        yield found(
            "score.rounded", "info", where, node.score, stated,
            Phrase("「{name}」所列得分 {stated} 是计算得分 {computed} 四舍五入到{precision}的结果",
                   name=name, stated=amount(fmt(stated, shown_places), "分"),
                   computed=amount(fmt(node.score), "分"), precision=precision),
        )


def _finest(*values: Decimal | None) -> int:
    """The most decimal places among the figures (as `places`, read inline: this runs for
    every sum a check compares)."""
    finest = 0
    for v in values:
        if v is None:
            continue
        text = str(v)
        if "E" in text:
            n = places(v)
        else:
            point = text.find(".")
            n = 0 if point < 0 else len(text) - point - 1
        if n > finest:
            finest = n
    return finest


def _re_spread_slack(children: list[IndicatorScore]) -> Decimal:
    """How far stated scores may add up away from their parent's: half a unit of the last
    shown digit for each child whose weight, re-spread from 不适用 siblings, does not end
    there (three children of 50/3 state 16.67 each: 50.01 for 50)."""
    slack = ZERO
    for c in children:
        if c.stated_score is not None:
            n = max(2, places(c.stated_score))
            if round_half_up(c.effective_weight, n) != c.effective_weight:
                slack += step(n) / 2
    return slack


def _sum(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO)


# --- indicators ------------------------------------------------------------------------


def indicator_checks(
    card: Scorecard, conv: ScoringConventions, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    for node in card.walk():
        yield from _node_checks(node, conv, compare)
    yield from _total_checks(card, compare)


def _node_checks(
    node: IndicatorScore, conv: ScoringConventions, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    where = f"indicators/{node.path}"
    name = node.path
    if not node.applicable:
        return
    effective = node.effective_weight
    if node.children:
        # Stated weights must add up whether or not a child is applicable; dropping and
        # rescaling happen in scoring.
        weights = [c.weight for c in node.children]
        yield compare(
            "weights.children_sum", where,
            Said((template("「{name}」的下级指标分值之和"),
                   {"name": name})),
            node.weight, _sum(weights), places=_finest(node.weight, *weights), unit="分",
        )
        live = [c for c in node.children if c.applicable]
        stated = [c.stated_score for c in live]
        if node.stated_score is not None and all(s is not None for s in stated):
            got = _sum(s for s in stated if s is not None)
            if abs(got - node.stated_score) > _re_spread_slack(live):
                yield compare(
                    "scores.children_sum", where,
                    Said((template("「{name}」的下级指标所列得分之和"), {"name": name})),
                    node.stated_score, got, unit="分",
                )
    yield compare(
        "score.within_weight", where, Said((template("「{name}」的所列得分"), {"name": name})),
        rates.weight_as_shown(effective, node.stated_score), node.stated_score,
        op="<=", unit="分",
    )
    yield from _stated_score_checks(node, where, name, compare)
    if node.stated_rate is not None and node.stated_score is not None:
        base = effective
        # A weight re-spread to a repeating decimal may be taken as shown (16.67 ÷ 16.67 =
        # 100.00% for full marks on 50/3) or exactly (100.02%): either agrees.
        shown_base = rates.weight_as_shown(base, node.stated_score)
        n = places(node.stated_rate)
        as_shown = rates.score_rate(node.stated_score, shown_base)
        if shown_base == base or as_shown is None or (
                round_half_up(as_shown, n) != node.stated_rate):
            yield compare(
                "rate.stated", where,
                Said((template("「{name}」的所列得分率（所列得分 ÷ 分值）"), {"name": name})),
                rates.score_rate(node.stated_score, base), node.stated_rate,
                places=n, unit="%",
            )
    source = node.source
    if node.children or source is None:
        return
    full = effective
    yield compare(
        "score.within_weight", where,
        Said((template("「{name}」评价人给定的得分"),
               {"name": name})),
        rates.weight_as_shown(full, source.score), source.score, op="<=", unit="分",
    )
    stated_or_computed = node.stated_score if node.stated_score is not None else node.score
    needs_reason = source.method != "execution"  # min(执行率, 1) × 分值 explains itself
    itemized = bool(source.deductions) or bool(source.per_occurrence)
    if (
        needs_reason and stated_or_computed < full
        and not source.reason and not source.analysis and not itemized
    ):
        yield found(
            "score.reason", "error", where, str(full), str(stated_or_computed),
            Phrase("「{name}」未得满分（{score}/{full}），但没有扣分理由",
                   name=name, score=fmt(stated_or_computed), full=fmt(full)),
        )
    if node.base is not None:
        # Deductions on top of a computed score (or of the weight, for 扣分 indicators):
        # the points taken off after their cap and floor.
        base = round_half_up(node.base, 2)
        balance = (
            template("「{name}」的扣分合计（分值 − 所列得分）") if source.method == "deduction"
            else template("「{name}」的扣分合计（计算得分 − 所列得分）"))
        yield compare(
            "deduction.balance", where, Said((balance, {"name": name})),
            base - stated_or_computed, node.deducted, unit="分",
        )
    elif source.deductions:
        yield compare(
            "deduction.balance", where,
            Said((template("「{name}」的扣分合计（分值 − 所列得分）"), {"name": name})),
            full - stated_or_computed, _sum(d.points for d in source.deductions), unit="分",
        )
    if source.survey is not None and isinstance(source.actual, Decimal):
        yield compare(
            "survey.rate", where,
            Said((template("「{name}」所列满意度（满意人数 ÷ 有效问卷）"),
                   {"name": name})),
            source.survey.rate, source.actual, places=places(source.actual), unit="%",
        )
    for k, ded in enumerate(source.deductions):
        if ded.problem is None:
            yield found(
                "deduction.problem", "error", f"{where}/deductions/{k}", None, str(ded.points),
                Phrase("「{name}」扣 {points} 分（{reason}），未对应任何存在的问题",
                       name=name, points=str(ded.points), reason=ded.reason),
            )
    if source.method == "qualitative" and source.level is not None and source.score is not None:
        low, high = conv.qualitative_bands[source.level]
        if source.weight > 0:
            rate = source.score * HUNDRED / source.weight
            top_ok = rate <= high if source.level == "达成" else rate < high
            if not (low <= rate and top_ok):
                band = f"[{low}%, {high}%{']' if source.level == '达成' else ')'}"
                yield found(
                    "qualitative.band", "error", where, band, f"{fmt(rate)}%",
                    Phrase("「{name}」评为「{level}」，得分率应在 {band} 内，实为 {rate}%",
                           name=name, level=word(source.level, "qualitative level"), band=band,
                           rate=fmt(rate)),
                )
    if (
        node.method == "quantitative" and source.direction == ">=" and node.completion is not None
        and node.completion >= conv.explain_over and not source.analysis
    ):
        yield found(
            "quantitative.over_target", "info", where, f"< {conv.explain_over}%",
            f"{fmt(node.completion)}%",
            Phrase("「{name}」完成率 {completion}%，超过 {limit}%，须说明超额原因（目标是否偏低）",
                   name=name, completion=fmt(node.completion), limit=str(conv.explain_over)),
        )


def _total_checks(
    card: Scorecard, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    weights = card.template
    def roots_for(item: TemplateItem) -> list[IndicatorScore]:
        named = [r for r in card.indicators if item.matches(r.name)]
        if not named:
            return []
        # First-level items a newer form lists beside this one (成本指标 beside 产出指标)
        # share its weight.
        return named + [r for r in card.indicators if r.name in item.includes]

    for item in weights.items:
        roots = roots_for(item)
        if not roots:
            yield found(
                "template.weights", "warning", "indicators", item.name, None,
                Phrase("权重模板「{template}」有一级指标「{item}」，档案中没有",
                       template=weights.name, item=item.name),
            )
        else:
            # Offices may adjust a template's weights (the total stays 100): a warning.
            names = "、".join(r.name for r in roots)
            yield compare(
                "template.weights", f"indicators/{roots[0].name}",
                Said((template("一级指标「{names}」的分值（模板 {id}「{item}」）"),
                       {"names": names, "id": weights.id, "item": item.name})), item.weight,
                _sum(r.weight for r in roots), unit="分", severity="warning",
            )
    for root in card.indicators:
        if not any(item.matches(root.name) or root.name in item.includes
                   for item in weights.items):
            yield found(
                "template.weights", "warning", f"indicators/{root.name}", None, root.name,
                Phrase("一级指标「{name}」不在权重模板「{template}」中",
                       name=root.name, template=weights.name),
            )
    yield compare(
        "total.weight", "total", Said((template("一级指标分值合计"), {})), weights.total,
        _sum(r.weight for r in card.indicators), unit="分",
    )


def stated_total_checks(
    d: Dossier, card: Scorecard, bands: list[GradeBand], compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    ev = d.evaluation
    yield compare(
        "total.stated", "total", Said((template("所列总得分"), {})), card.score,
        ev.stated_total, unit="分")
    if ev.stated_rate is not None and ev.stated_total is not None:
        yield compare(
            "total.rate", "total", Said((template("所列总得分率（所列总得分 ÷ 总分）"), {})),
            rates.score_rate(ev.stated_total, card.template.total), ev.stated_rate,
            places=places(ev.stated_rate), unit="%",
        )
    if ev.stated_grade is not None:
        # Grade the figure as displayed (2 places, half-up), as a reader of the report would.
        shown = round_half_up(ev.stated_total if ev.stated_total is not None else card.score, 2)
        expected = card.grade_of(shown, bands)
        if expected != ev.stated_grade:
            yield found(
                "grade.stated", "error", "total", expected, ev.stated_grade,
                Phrase("所列总得分 {score} 对应等级「{grade}」，报告所列为「{stated}」",
                       score=fmt(shown), grade=word(expected), stated=word(ev.stated_grade)),
            )
        computed = card.grade_of(card.score, bands)
        if computed != ev.stated_grade and computed != expected:
            yield found(
                "grade.stated", "error", "total", computed, ev.stated_grade,
                Phrase("按计算总得分 {score}，等级应为「{grade}」，报告所列为「{stated}」",
                       score=fmt(card.score), grade=word(computed),
                       stated=word(ev.stated_grade)),
            )


# --- problems and measures -------------------------------------------------------------


def link_checks(d: Dossier) -> Iterator[Finding]:
    answered = {ref for m in d.improvements for ref in m.problems}
    for p in d.problems:
        if p.id not in answered:
            yield found(
                "problem.measure", "error", f"problems/{p.id}", None, p.id,
                Phrase("问题 {id}「{title}」没有对应的改进意见", id=p.id, title=p.title),
            )


# --- money -----------------------------------------------------------------------------


def money_checks(
    d: Dossier, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    unit = d.fund.money_unit
    names = {r.id: r.name for r, _ in walk_recipients(d.recipients)}
    for s in d.spending:
        where = f"spending/{s.id}"
        who = names.get(s.recipient, s.recipient)
        sources = _sum(x.amount for x in s.sources) if s.sources else None
        total = s.stated_total if s.stated_total is not None else sources
        if s.stated_total is None and sources is not None and s.carried_over is not None:
            total = sources - s.carried_over  # spent = sources less what was carried over
        if s.stated_total is not None and sources is not None:
            # Spending below its sources is execution (money carried over), not an error:
            # the total may not exceed the sources, and where 结转 is stated the two add up.
            precision = _finest(s.stated_total, s.carried_over, *(x.amount for x in s.sources))
            # Above the sources it is judged as equality, so a one-unit slip is a warning.
            yield compare(
                "spending.stated_total", where,
                Said((template("{who}所列支出合计（资金来源合计）"), {"who": who})), sources,
                s.stated_total, op="==" if s.stated_total > sources else "<=",
                places=precision, unit=unit,
            )
            if s.carried_over is not None:
                yield compare(
                    "spending.carried_over", where,
                    Said((template("{who}支出合计与结转之和（资金来源合计）"), {"who": who})),
                    sources, s.stated_total + s.carried_over, places=precision, unit=unit,
                )
        if s.by_use and total is not None:
            uses = [u.amount for u in s.by_use]
            yield compare(
                "spending.by_use", where,
                Said((template("{who}分用途支出之和"),
                       {"who": who})), total,
                _sum(uses),
                places=_finest(total, *uses), unit=unit,
            )
    yield from _recipient_checks(d, compare)
    yield from _budget_checks(d, compare)


class _Tree:
    """What the recipient checks look up, indexed once per dossier: arrivals, spending tables
    and agreements by recipient id, and each node's subtree counts and rolled-up figures
    remembered, so no check rescans the dossier or a subtree per recipient."""

    def __init__(self, d: Dossier) -> None:
        self.d = d
        self.arrivals: dict[str, list[Decimal]] = defaultdict(list)
        for arrival in d.arrivals:
            self.arrivals[arrival.recipient].append(arrival.amount)
        self.spending: dict[str, list[Spending]] = defaultdict(list)
        for s in d.spending:
            self.spending[s.recipient].append(s)
        self.agreements: dict[str, list[int]] = defaultdict(list)
        for n, agreement in enumerate(d.agreements):
            self.agreements[agreement.recipient].append(n)
        # Keyed by the node object: ids are unique in a valid dossier, but the checks do not
        # rely on it.
        self._kinds: dict[int, dict[str, int]] = {}
        self._ids: dict[int, set[str]] = {}
        self._rolled: dict[tuple[str, int], Decimal | None] = {}

    def kinds(self, node: Recipient) -> dict[str, int]:
        """How many nodes of each kind the subtree holds, the node itself included (a kind
        it has none of is absent)."""
        known = self._kinds.get(id(node))
        if known is None:
            known = {node.kind: 1}
            for child in node.children:
                for kind, count in self.kinds(child).items():
                    known[kind] = known.get(kind, 0) + count
            self._kinds[id(node)] = known
        return known

    def ids(self, node: Recipient) -> set[str]:
        known = self._ids.get(id(node))
        if known is None:
            known = {node.id}
            for child in node.children:
                known |= self.ids(child)
            self._ids[id(node)] = known
        return known

    def agreed(self, node: Recipient, level: str | None) -> list[Decimal]:
        """The 协议数 amounts of the node's subtree at one level, in the dossier's order
        (as `subtree_agreements`)."""
        rows = sorted(n for rid in self.ids(node) for n in self.agreements.get(rid, ()))
        agreements = self.d.agreements
        return [agreements[n].amount for n in rows
                if level is None or agreements[n].level == level]

    def own_arrived(self, node: Recipient) -> Decimal | None:
        """What a recipient itself states as arrived: its stated figure, else its arrivals."""
        if node.stated is not None and node.stated.arrivals is not None:
            return node.stated.arrivals
        amounts = self.arrivals.get(node.id)
        return _sum(amounts) if amounts else None

    def own_spent(self, node: Recipient) -> Decimal | None:
        """What a recipient itself states as spent: its stated figure, else its spending
        tables' 支出合计 (or their sum by use); None where a table states neither."""
        if node.stated is not None and node.stated.spending is not None:
            return node.stated.spending
        values: list[Decimal] = []
        for s in self.spending.get(node.id, ()):
            if s.stated_total is not None:
                values.append(s.stated_total)
            elif s.by_use:
                values.append(_sum(u.amount for u in s.by_use))
            else:
                return None
        return _sum(values) if values else None

    def rolled(self, kind: str, node: Recipient) -> Decimal | None:
        """A recipient's figure (``kind`` "arrived" or "spent"): its own, else the sum of its
        children's (all of them known)."""
        key = (kind, id(node))
        if key in self._rolled:
            return self._rolled[key]
        mine = self.own_arrived(node) if kind == "arrived" else self.own_spent(node)
        if mine is None and node.children:
            parts = [self.rolled(kind, c) for c in node.children]
            if all(p is not None for p in parts):
                mine = _sum(p for p in parts if p is not None)
        self._rolled[key] = mine
        return mine


def _recipient_checks(
    d: Dossier, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    unit = d.fund.money_unit
    tree = _Tree(d)
    everything: list[Decimal] = []
    all_counties = 0
    for node, _ in walk_recipients(d.recipients):
        yield from _roll_up_checks(tree, node, compare)
        if node.stated is None:
            continue
        where = f"recipients/{node.id}"
        for kind, stated_count in node.stated.counts.items():
            counted = tree.kinds(node).get(kind, 0) - (node.kind == kind)
            yield compare(
                "recipients.count", where,
                Said((template("{name}所列{kind}数（列举的个数）"),
                       {"name": node.name, "kind": partial(_kind, kind)})),
                Decimal(counted), Decimal(stated_count), places=0, unit="个",
            )
        if node.stated.counties is not None:
            yield compare(
                "recipients.count", where,
                Said((template("{name}所列帮扶县数（列举的县名个数）"), {"name": node.name})),
                Decimal(tree.kinds(node).get("county", 0)), Decimal(node.stated.counties),
                places=0,
                unit="个",
            )
        if node.stated.agreements is not None:
            amounts = tree.agreed(node, node.stated.level)
            yield compare(
                "recipients.agreements", where,
                Said((template("{name}所列协议数（下级协议数之和）"), {"name": node.name})),
                _sum(amounts), node.stated.agreements,
                places=_finest(node.stated.agreements, *amounts), unit=unit,
            )
    totals = d.recipient_totals
    if totals is not None:
        # 表1-1 合计: the rows it totals are the top-level groups (provinces).
        for root in d.recipients:
            if root.kind != "work_team":
                everything.extend(tree.agreed(root, totals.level))
                all_counties += tree.kinds(root).get("county", 0)
        if totals.counties is not None:
            yield compare(
                "recipients.count", "recipient_totals", Said((template("合计所列帮扶县数"), {})),
                Decimal(all_counties),
                Decimal(totals.counties), places=0, unit="个",
            )
        groups = [r for r in d.recipients if r.kind != "work_team"]
        for kind, stated_count in totals.counts.items():
            counted = sum(tree.kinds(r).get(kind, 0) for r in groups)
            yield compare(
                "recipients.count", "recipient_totals",
                Said((template("合计所列{kind}数"), {"kind": partial(_kind, kind)})),
                Decimal(counted), Decimal(stated_count), places=0, unit="个",
            )
        for label, rule, stated_sum, figure in (
            (template("合计所列到位资金（各组之和）"), "recipients.arrivals", totals.arrivals,
             "arrived"),
            (template("合计所列支出（各组之和）"), "recipients.spending", totals.spending,
             "spent"),
        ):
            parts = [tree.rolled(figure, r) for r in groups]
            if stated_sum is not None and groups and all(p is not None for p in parts):
                known = [p for p in parts if p is not None]
                yield compare(
                    rule, "recipient_totals", Said((label, {})), _sum(known),
                    stated_sum, places=_finest(stated_sum, *known), unit=unit,
                )
        if totals.agreements is not None:
            yield compare(
                "recipients.agreements", "recipient_totals", Said((template("合计所列协议数"), {})),
                _sum(everything),
                totals.agreements, places=_finest(totals.agreements, *everything), unit=unit,
            )


KIND_WORDS = {
    "province": "省", "city": "市", "county": "县", "township": "乡镇", "work_team": "工作队",
    "unit": "单位",
}
# The context of a kind's word where nodes of that kind are counted ("the number of cities").
KIND_CONTEXT = "counted kind"


def _kind(kind: str) -> Phrase:
    return word(KIND_WORDS[kind], KIND_CONTEXT)


def _roll_up_checks(
    tree: _Tree, node: Recipient, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    """A recipient's own stated arrivals and spending against the sum of its children's, at
    every level of the tree; only where every child's figure is known."""
    unit = tree.d.fund.money_unit
    children = [c for c in node.children if c.kind != "work_team"]
    if not children:
        return
    for label, rule, figure in (
        (template("{name}所列到位资金（下级之和）"), "recipients.arrivals", "arrived"),
        (template("{name}所列支出（下级之和）"), "recipients.spending", "spent"),
    ):
        mine = tree.own_arrived(node) if figure == "arrived" else tree.own_spent(node)
        parts = [tree.rolled(figure, c) for c in children]
        if mine is None or any(p is None for p in parts):
            continue
        known = [p for p in parts if p is not None]
        yield compare(
            rule, f"recipients/{node.id}", Said((label, {"name": node.name})), _sum(known),
            mine, places=_finest(mine, *known), unit=unit,
        )


def _outermost_arrivals(d: Dossier) -> list[Arrival]:
    """The arrivals that make up the fund's 到位数: money passed down the tree is recorded
    again at each level, so an arrival counts only when no recipient above it has any."""
    with_own = {a.recipient for a in d.arrivals}
    above: dict[str, bool] = {}

    def visit(nodes: list[Recipient], covered: bool) -> None:
        for node in nodes:
            above[node.id] = covered
            visit(node.children, covered or node.id in with_own)

    visit(d.recipients, False)
    return [a for a in d.arrivals if not above.get(a.recipient, False)]


def _budget_checks(
    d: Dossier, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    b = d.budget
    unit = d.fund.money_unit
    if b is None:
        return
    if b.level is not None:
        amounts = [a.amount for a in d.agreements if a.level == b.level]
        if amounts:
            yield compare(
                "budget.agreements", "budget",
                Said((template("{level}协议数合计（全年预算数）"),
                       {"level": partial(word, b.level, "agreement level")})),
                b.annual,
                _sum(amounts), places=_finest(b.annual, *amounts), unit=unit,
            )
    if d.arrivals and b.arrived is not None:
        amounts = [a.amount for a in _outermost_arrivals(d)]
        yield compare(
            "budget.arrivals", "budget",
            Said((template("各笔到位资金之和（到位数）"), {})),
            b.arrived,
            _sum(amounts),
            places=_finest(b.arrived, *amounts), unit=unit,
        )
    if b.arrived is not None:
        yield compare(
            "budget.executed_le_arrived", "budget",
            Said((template("执行数（到位数）"), {})),
            b.arrived,
            b.executed,
            op="<=", places=_finest(b.arrived, b.executed), unit=unit,
        )
    if b.stated_execution_rate is not None:
        yield compare(
            "budget.execution_rate", "budget",
            Said((template("所列执行率"), {})),
            execution_rate(b),
            b.stated_execution_rate, places=places(b.stated_execution_rate), unit="%",
        )
    if b.stated_arrival_rate is not None and b.arrived is not None:
        yield compare(
            "budget.arrival_rate", "budget", Said((template("所列到位率"), {})),
            rates.arrival(b.arrived, b.annual),
            b.stated_arrival_rate, places=places(b.stated_arrival_rate), unit="%",
        )
    if b.rows:
        for column, label in (("initial", template("年初预算数其中各行之和")),
                              ("annual", template("全年预算数其中各行之和")),
                              ("executed", template("全年执行数其中各行之和"))):
            parts = [getattr(r, column) for r in b.rows if getattr(r, column) is not None]
            total = getattr(b, column)
            if parts and total is not None:
                yield compare(
                    "budget.rows", f"budget/{column}", Said((label, {})), total, _sum(parts),
                    places=_finest(total, *parts), unit=unit,
                )


# --- plan vs actual and other figures ---------------------------------------------------


def figure_checks(
    d: Dossier, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    for m in d.plan_actual:
        yield compare(
            "plan_actual.rate", f"plan_actual/{m.id}",
            Said((template("「{name}」所列完成率（实际 ÷ 计划）"), {"name": m.name})),
            rates.plan_completion(m.plan, m.actual), m.stated_rate,
            places=places(m.stated_rate) if m.stated_rate is not None else 2, unit="%",
        )
    figures = {f.id: f for f in d.figures}
    for f in d.figures:
        where = f"figures/{f.id}"
        if f.parts:
            values = [p.value for p in f.parts]
            yield compare(
                "figure.parts", where,
                Said((template("「{label}」的分项之和"), {"label": f.label})), f.value,
                _sum(values),
                places=_finest(f.value, *values), unit=f.unit,
            )
        if f.items:
            yield compare(
                "figure.items", where,
                Said((template("「{label}」所列个数（列举的事项数）"), {"label": f.label})),
                Decimal(len(f.items)), f.value, places=0,
            )
        if f.same_as is not None:
            other = figures[f.same_as]
            try:
                converted = convert(other.value, other.unit, f.unit)
            except UnitMismatch:
                yield found(
                    "figure.same_as", "error", where, other.unit, f.unit,
                    Phrase("「{label}」与「{other}」被标为同一数量，"
                           "但单位 {unit} 与 {other_unit} 无法换算",
                           label=f.label, other=other.label, unit=word(f.unit, "unit"),
                           other_unit=word(other.unit, "unit")),
                )
                continue
            yield compare(
                "figure.same_as", where,
                Said((template("「{label}」（{value} 换算为{unit}）"),
                       {"label": f.label,
                        "value": partial(amount, str(other.value), other.unit),
                        "unit": partial(word, f.unit, "unit")})),
                converted, f.value, places=places(f.value), unit=f.unit,
            )


# --- factor-method allocations ----------------------------------------------------------


def allocation_checks(
    d: Dossier, compare: Compare = Comparison
) -> Iterator[Comparison | Finding | None]:
    """Each stated allocation against the factor method's result for the same spec."""
    for plan in d.allocations:
        if not plan.stated:
            continue
        computed = {a.name: a.amount for a in allocate(plan.spec).allocations}
        for s in plan.stated:
            yield compare(
                "allocation.stated", f"allocations/{plan.id}/{s.name}",
                Said((template("「{name}」所列分配金额（因素法计算）"),
                       {"name": s.name})), computed.get(s.name),
                s.amount,
                places=max(places(s.amount), places(plan.spec.precision)), unit=plan.spec.unit,
            )
