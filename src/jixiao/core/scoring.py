"""The scoring engine (财预〔2020〕10号): leaf scores by method, roll-up, 得分率, grade.

Each leaf's score is awarded to two decimals (四舍五入), as a finance office writes it; parents
and the total are exact sums of those, so displayed parts always add up to displayed totals.
Conventions that templates disagree on (reverse indicators, "=" indicators, grade bands,
qualitative bands) come in as data through `ScoringConventions` and `GradeBand`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from jixiao.core import rates
from jixiao.core.dossier import (
    Adjustment,
    Budget,
    GradeBand,
    Indicator,
    ScoringConventions,
    Step,
    UnitDeduction,
    WeightTemplate,
)
from jixiao.core.numbers import HUNDRED, fmt, round_half_up
from jixiao.core.phrases import Phrase, template, word

SCORE_PLACES = 2
ZERO = Decimal(0)


class ScoringError(ValueError):
    """An indicator that cannot be scored with the data given; its one argument is the
    `Phrase` saying why (``str(error)`` is its Chinese)."""


@dataclass(frozen=True, init=False)
class IndicatorScore:
    """One scored indicator. ``score`` is computed; ``stated_*`` is what the report says.

    A frozen dataclass with an `__init__` of its own that fills the instance's `__dict__`
    (the generated one sets each of the 18 fields through `object.__setattr__`)."""

    path: str
    name: str
    level: int
    weight: Decimal
    score: Decimal
    method: str | None
    applicable: bool = True
    stated_score: Decimal | None = None
    stated_rate: Decimal | None = None
    completion: Decimal | None = None  # 完成率 (`rates.completion`) or 执行率, in percent
    # How the score came about ("满意度 = 95 ÷ 100", "扣完为止"), as phrases (`notes`: in words).
    note_phrases: tuple[Phrase, ...] = ()
    children: tuple[IndicatorScore, ...] = ()
    source: Indicator | None = field(default=None, compare=False, repr=False)
    # The weight after a not-applicable sibling's weight was re-spread inside the parent
    # (``scoring.not_applicable: within_parent``); None when nothing was re-spread.
    counted_weight: Decimal | None = None
    # The computed score before deductions (deductions on top of a computed score) and the
    # points those deductions took off after their cap and floor; None/0 without deductions.
    base: Decimal | None = None
    deducted: Decimal = Decimal(0)
    # `effective_weight`, worked out once by `score_indicator` (None: work it out on use), so
    # checks asking for it at every node do not walk every subtree again.
    known_effective_weight: Decimal | None = field(default=None, compare=False, repr=False)
    whole: bool | None = field(default=None, compare=False, repr=False)  # all applicable

    def __init__(
        self, path: str, name: str, level: int, weight: Decimal, score: Decimal,
        method: str | None, applicable: bool = True, stated_score: Decimal | None = None,
        stated_rate: Decimal | None = None, completion: Decimal | None = None,
        note_phrases: tuple[Phrase, ...] = (), children: tuple[IndicatorScore, ...] = (),
        source: Indicator | None = None, counted_weight: Decimal | None = None,
        base: Decimal | None = None, deducted: Decimal = ZERO,
        known_effective_weight: Decimal | None = None, whole: bool | None = None,
    ) -> None:
        self.__dict__.update(
            path=path, name=name, level=level, weight=weight, score=score, method=method,
            applicable=applicable, stated_score=stated_score, stated_rate=stated_rate,
            completion=completion, note_phrases=note_phrases, children=children,
            source=source, counted_weight=counted_weight, base=base, deducted=deducted,
            known_effective_weight=known_effective_weight, whole=whole,
        )

    @property
    def notes(self) -> tuple[str, ...]:
        """The scoring notes in Chinese."""
        return tuple(str(p) for p in self.note_phrases)

    @property
    def effective_weight(self) -> Decimal:
        """The weight that counts: the stated weight, unless some indicator below is not
        applicable, in which case the applicable children's weights (or the re-spread
        weight, when the parent absorbs a not-applicable child's weight)."""
        if self.known_effective_weight is not None:
            return self.known_effective_weight
        return _effective_weight(self)

    @property
    def rate(self) -> Decimal | None:
        """得分率 of the computed score in percent, exact."""
        return rates.score_rate(self.score, self.effective_weight)

    def walk(self) -> Iterator[IndicatorScore]:
        """This node and everything under it, depth first (without nested generators, whose
        cost grows with the depth)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))


def _all_applicable(node: IndicatorScore) -> bool:
    if node.whole is not None:
        return node.whole
    return all(n.applicable for n in node.walk())


def _effective_weight(node: IndicatorScore) -> Decimal:
    if node.counted_weight is not None:
        return node.counted_weight
    if not node.children or _all_applicable(node):
        return node.weight
    return sum((c.effective_weight for c in node.children if c.applicable), ZERO)


@dataclass(frozen=True)
class Scorecard:
    """The scored tree, the total and the grade."""

    indicators: tuple[IndicatorScore, ...]
    template: WeightTemplate
    raw_score: Decimal  # plain sum of applicable top-level scores
    applicable_weight: Decimal
    score: Decimal  # rescaled to the template total when indicators were dropped, adjusted
    grade: str
    rescaled: bool
    base_score: Decimal | None = None  # before 加分/减分; None when there are no adjustments
    bonus: Decimal = Decimal(0)  # after its cap
    penalty: Decimal = Decimal(0)  # after its cap
    veto_grade: str | None = None  # the grade a one-vote veto (一票否决) sets
    note_phrases: tuple[Phrase, ...] = ()  # 加分/减分 caps, the veto

    @property
    def notes(self) -> tuple[str, ...]:
        """The total's notes in Chinese."""
        return tuple(str(p) for p in self.note_phrases)

    @property
    def rate(self) -> Decimal | None:
        return rates.score_rate(self.score, self.template.total)

    def grade_of(self, score: Decimal, bands: list[GradeBand]) -> str:
        """The grade of a total on this template: the veto's grade when vetoed; else the
        band of the score, or of the 得分率 when the template's total is not 100."""
        return self.veto_grade or grade_on(score, self.template.total, bands)

    def walk(self) -> Iterator[IndicatorScore]:
        for node in self.indicators:
            yield from node.walk()

    def find(self, path: str) -> IndicatorScore | None:
        """The first node (depth first) with this path; an index is built on the first call,
        so looking up every node is not quadratic."""
        index: dict[str, IndicatorScore] | None = self.__dict__.get("_paths")
        if index is None:
            index = {}
            for node in self.walk():
                index.setdefault(node.path, node)
            object.__setattr__(self, "_paths", index)  # a cache, not a field
        return index.get(path)


def grade_for(score: Decimal, bands: list[GradeBand]) -> str:
    """The grade whose band holds ``score``; a boundary belongs to the higher grade."""
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if score >= band.min:
            return band.grade
    return sorted(bands, key=lambda b: b.min)[0].grade


def grade_on(score: Decimal, total: Decimal, bands: list[GradeBand]) -> str:
    """The grade of a total: bands are read on the score out of 100, so a template whose
    total is not 100 is graded on its 得分率 (score ÷ total × 100)."""
    if total == HUNDRED or total <= 0:
        return grade_for(score, bands)
    return grade_for(score * HUNDRED / total, bands)


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return min(max(value, ZERO), weight)


def units(amount: Decimal, rule: UnitDeduction) -> Decimal:
    """How many units of ``rule.per`` an amount counts as (exact, whole or started)."""
    n = amount / rule.per
    if rule.count == "whole":
        return n.to_integral_value(ROUND_FLOOR)
    if rule.count == "started":
        return n.to_integral_value(ROUND_CEILING)
    return n


def unit_deduction_score(gap: Decimal, weight: Decimal, rule: UnitDeduction) -> Decimal:
    """The weight less ``points`` per unit of the gap, at most ``cap``, never below 0."""
    taken = units(max(gap, ZERO), rule) * rule.points
    if rule.cap is not None:
        taken = min(taken, rule.cap)
    return _clamp(weight - taken, weight)


def range_score(
    lower: Decimal, upper: Decimal, actual: Decimal, weight: Decimal,
    outside: str | None, per_unit: UnitDeduction | None,
) -> Decimal:
    """区间型: full inside [lower, upper]; outside by the stated rule (RULES: per unit, 0, or
    in proportion to the distance from the bound it crossed)."""
    if lower <= actual <= upper:
        return weight
    bound, gap = (lower, lower - actual) if actual < lower else (upper, actual - upper)
    if per_unit is not None:
        return unit_deduction_score(gap, weight, per_unit)
    if outside == "proportional" and bound != 0:
        return _clamp((1 - gap / abs(bound)) * weight, weight)
    return ZERO


def stepped_score(steps: list[Step], value: Decimal, weight: Decimal | None = None) -> Decimal:
    """分段: the score of the first step whose bounds hold (a ``rate`` step on ``weight``);
    0 when none does."""
    step = next((s for s in steps if s.holds(value)), None)
    if step is None:
        return ZERO
    return step.points(weight if weight is not None else ZERO)


def quantitative_score(
    direction: str,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
    reverse: str | None,
    equal: str,
    per_unit: UnitDeduction | None = None,
) -> Decimal:
    """Exact score of a quantitative indicator (RULES §2), between 0 and the weight."""
    if per_unit is not None:
        gap = {">=": target - actual, "<=": actual - target}.get(direction, abs(actual - target))
        return unit_deduction_score(gap, weight, per_unit)
    if direction == ">=":
        if target <= 0:
            # the dossier validation refuses it
            raise ScoringError(Phrase("正向指标的目标值应大于 0"))
        return _clamp(actual / target * weight, weight)
    if direction == "<=":
        if actual <= target:
            return weight
        if reverse == "linear":
            if target <= 0:
                return ZERO
            return _clamp((1 - (actual - target) / target) * weight, weight)
        if reverse == "ratio":
            return _clamp(target / actual * weight, weight) if actual > 0 else weight
        raise ScoringError(
            Phrase("反向指标须在 scoring.reverse 或指标的 reverse_convention 中选定算法"))
    if actual == target:
        return weight
    if equal == "ratio" and target > 0:  # deployed platforms: round(actual/target × w, 2)
        return _clamp(actual / target * weight, weight)
    if equal == "proportional" and target != 0:
        return _clamp((1 - abs(actual - target) / abs(target)) * weight, weight)
    return ZERO


def execution_rate(budget: Budget) -> Decimal | None:
    """执行率 in percent on the budget's stated basis (全年预算数 or 到位数)."""
    base = budget.annual if budget.basis == "annual" else budget.arrived
    return rates.execution(budget.executed, base)


def measured(ind: Indicator) -> Decimal | None:
    """The indicator's actual value: the survey's 满意度 when counts are given, else the
    stated actual."""
    if ind.survey is not None:
        return ind.survey.rate
    return ind.actual if isinstance(ind.actual, Decimal) else None


def _leaf_score(
    ind: Indicator, conv: ScoringConventions, budget: Budget | None, w: Decimal
) -> tuple[Decimal, Decimal | None, list[Phrase]]:
    """(exact score before deductions, completion % or None, notes) of a leaf on weight w."""
    notes: list[Phrase] = []
    actual = measured(ind)
    if ind.survey is not None:
        notes.append(Phrase("满意度 = {satisfied} ÷ {valid}", satisfied=str(ind.survey.satisfied),
                            valid=str(ind.survey.valid)))
    if ind.method == "quantitative":
        assert isinstance(ind.target, Decimal) and actual is not None
        reverse = ind.reverse_convention or conv.reverse
        equal = ind.equal_convention or conv.equal
        score = quantitative_score(
            ind.direction or ">=", ind.target, actual, w, reverse, equal, ind.per_unit
        )
        completion = rates.completion(ind.direction, ind.target, actual)
        if ind.per_unit is not None:
            notes.append(Phrase("每偏离 {per} 扣 {points} 分", per=fmt(ind.per_unit.per),
                                points=fmt(ind.per_unit.points)))
        elif ind.direction == "<=" and reverse:
            notes.append(Phrase("反向指标，按 {reverse} 算法计分", reverse=reverse))
        elif ind.direction == "=":
            rule = {"zero": template("等于型指标，未相等得 0 分"),
                    "ratio": template("等于型指标，按 实际 ÷ 目标 计分")}.get(
                equal, template("等于型指标，按偏离比例计分"))
            notes.append(Phrase(rule))
        return score, completion, notes
    if ind.method == "range":
        assert ind.lower is not None and ind.upper is not None and actual is not None
        score = range_score(ind.lower, ind.upper, actual, w, ind.outside, ind.per_unit)
        return score, None, notes
    if ind.method == "stepped":
        assert actual is not None
        value, completion = actual, None
        if ind.step_on == "completion":
            assert isinstance(ind.target, Decimal)
            completion = rates.completion(ind.direction, ind.target, actual)
            value = completion if completion is not None else ZERO
        factor = w / ind.weight if ind.weight else ZERO  # re-spread weight scales the steps
        return stepped_score(ind.steps, value, ind.weight) * factor, completion, notes
    # A score given against the stated weight grows with a re-spread weight.
    given = None if ind.score is None else (
        ind.score if w == ind.weight else ind.score * w / ind.weight
    )
    if ind.method == "qualitative":
        if given is not None:
            return _clamp(given, w), None, notes
        _, high = conv.qualitative_bands[ind.level or "达成"]
        notes.append(Phrase("达成年度指标，按满分计"))
        return w * high / HUNDRED, None, notes
    if ind.method == "deduction":
        return w, None, notes  # the deductions come off in `_deduct`
    if ind.method == "manual":
        assert given is not None
        if given > w:
            notes.append(Phrase("给定得分超过分值，按分值计"))
        return _clamp(given, w), None, notes
    if ind.method == "execution":
        if budget is None:
            raise ScoringError(
                Phrase("指标「{name}」按预算执行率计分，但档案没有 budget", name=ind.name))
        rate = execution_rate(budget)
        if rate is None:
            empty = (template("指标「{name}」按执行率计分，但全年预算数为空或为 0")
                     if budget.basis == "annual"
                     else template("指标「{name}」按执行率计分，但到位数为空或为 0"))
            raise ScoringError(Phrase(empty, name=ind.name))
        notes.append(Phrase("得分 = min(执行率, 100%) × 分值"))
        return _clamp(min(rate, HUNDRED) / HUNDRED * w, w), rate, notes
    raise ScoringError(Phrase("未知的评分方法 {method}", method=str(ind.method)))


def deductions_of(ind: Indicator) -> Decimal:
    """Points an indicator's deductions take off before cap and floor: the listed ones and
    每例扣分 × 例数."""
    listed = sum((d.points for d in ind.deductions), ZERO)
    for kind in ind.per_occurrence:
        listed += kind.points * kind.count
    return listed


def _deduct(ind: Indicator, base: Decimal) -> tuple[Decimal, Decimal, list[Phrase]]:
    """(score, points taken off, notes): deductions on top of a computed score, at most
    ``deduction_cap`` (最多扣), never below ``floor`` (扣完为止 = 0) unless the base is."""
    notes: list[Phrase] = []
    wanted = deductions_of(ind)
    taken = wanted
    if ind.deduction_cap is not None and taken > ind.deduction_cap:
        taken = ind.deduction_cap
        notes.append(Phrase("扣分 {wanted} 分超过上限，按最多扣 {cap} 分计", wanted=fmt(wanted),
                            cap=fmt(ind.deduction_cap)))
    low = min(ind.floor, base)
    if base - taken < low:
        taken = base - low
        notes.append(Phrase("扣完为止") if low == 0
                     else Phrase("扣分后不低于 {low} 分", low=fmt(low)))
    return base - taken, taken, notes


def score_indicator(
    ind: Indicator,
    conv: ScoringConventions,
    budget: Budget | None,
    parent_path: str = "",
    level: int = 1,
    scale: Decimal | None = None,
) -> IndicatorScore:
    """Score one indicator. ``scale`` multiplies its weight when a not-applicable sibling's
    weight was re-spread inside the parent (None: nothing re-spread above)."""
    path = f"{parent_path}/{ind.name}" if parent_path else ind.name
    counted = None if scale is None else ind.weight * scale
    w = ind.weight if counted is None else counted
    if ind.children:
        child_scale = scale
        live = sum((c.weight for c in ind.children if c.applicable), ZERO)
        respread = conv.not_applicable == "within_parent" and live > 0 and ind.applicable
        if respread and any(not c.applicable for c in ind.children):
            child_scale = w / live
        children = tuple(
            score_indicator(c, conv, budget, path, level + 1, child_scale) for c in ind.children
        )
        total = sum((c.score for c in children if c.applicable), ZERO)
        notes: tuple[Phrase, ...] = ()
        if child_scale is not scale:
            notes = (Phrase("不适用指标的分值按比例分给同级其他指标"),)
        if total > w:  # children overshoot (flagged by weights.children_sum)
            total, notes = w, (*notes, Phrase("下级得分合计超过分值，按分值计"))
        weight = ind.weight if child_scale is not scale and counted is None else counted
        whole = ind.applicable and all(c.whole for c in children)
        effective = weight if weight is not None else ind.weight if whole else sum(
            (c.effective_weight for c in children if c.applicable), ZERO)
        return IndicatorScore(
            path, ind.name, level, ind.weight, total, None, ind.applicable, ind.stated_score,
            ind.stated_rate, None, notes, children, ind, weight,
            known_effective_weight=effective, whole=whole)
    exact, completion, leaf_notes = _leaf_score(ind, conv, budget, w)
    base: Decimal | None = None
    deducted = ZERO
    if ind.method != "manual" and (ind.deductions or ind.per_occurrence):
        base = exact
        exact, deducted, more = _deduct(ind, exact)
        leaf_notes.extend(more)
    return IndicatorScore(
        path, ind.name, level, ind.weight, round_half_up(exact, SCORE_PLACES), ind.method,
        ind.applicable, ind.stated_score, ind.stated_rate, completion, tuple(leaf_notes), (),
        ind, counted, base, deducted, w, ind.applicable,
    )


def adjust(
    total: Decimal, adjustments: list[Adjustment], conv: ScoringConventions, full: Decimal
) -> tuple[Decimal, Decimal, Decimal, list[Phrase]]:
    """(adjusted total, bonus, penalty, notes): 加分 and 减分 with their caps; the total
    never below 0, and not above the template total when ``cap_total``."""
    notes: list[Phrase] = []

    def capped(kind: str, cap: Decimal | None, over: str) -> Decimal:
        points = sum((a.points or ZERO for a in adjustments if a.kind == kind), ZERO)
        if cap is not None and points > cap:
            notes.append(Phrase(over, points=fmt(points), cap=fmt(cap)))
            return cap
        return points

    bonus = capped("bonus", conv.bonus_cap, template("加分 {points} 分超过上限，按 {cap} 分计"))
    penalty = capped("penalty", conv.penalty_cap,
                     template("减分 {points} 分超过上限，按 {cap} 分计"))
    adjusted = max(total + bonus - penalty, ZERO)
    if conv.cap_total and adjusted > full:
        adjusted = full
        notes.append(Phrase("加分后总分不超过模板总分"))
    return adjusted, bonus, penalty, notes


def score_tree(
    indicators: list[Indicator],
    conv: ScoringConventions,
    template: WeightTemplate,
    bands: list[GradeBand],
    budget: Budget | None = None,
    adjustments: list[Adjustment] | None = None,
) -> Scorecard:
    """Score every indicator, roll up, rescale dropped weight to the template total, add
    加分/减分, grade (一票否决 sets the grade)."""
    roots = tuple(score_indicator(i, conv, budget) for i in indicators)
    applicable = [r for r in roots if r.applicable]
    raw = sum((r.score for r in applicable), ZERO)
    weight = sum((r.effective_weight for r in applicable), ZERO)
    dropped = any(not n.applicable for r in roots for n in r.walk())
    if conv.not_applicable == "within_parent":  # only a dropped top-level item rescales
        dropped = weight != sum((r.weight for r in roots), ZERO)
    rescaled = bool(dropped and template.rescale_not_applicable and weight > 0)
    total = round_half_up(raw * template.total / weight, SCORE_PLACES) if rescaled else raw
    adjustments = adjustments or []
    base: Decimal | None = None
    bonus = penalty = ZERO
    notes: list[Phrase] = []
    if any(a.kind != "veto" for a in adjustments):
        base = total
        total, bonus, penalty, notes = adjust(total, adjustments, conv, template.total)
    vetoes = [a for a in adjustments if a.kind == "veto"]
    veto_grade = conv.veto_grade if vetoes else None
    if vetoes:
        notes.append(Phrase("一票否决（{reason}），等级为「{grade}」", reason=vetoes[0].reason,
                            grade=word(conv.veto_grade)))
    grade = veto_grade or grade_on(total, template.total, bands)
    return Scorecard(
        indicators=roots, template=template, raw_score=raw, applicable_weight=weight,
        score=total, grade=grade, rescaled=rescaled, base_score=base, bonus=bonus,
        penalty=penalty, veto_grade=veto_grade, note_phrases=tuple(notes),
    )
