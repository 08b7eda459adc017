"""The scoring engine (财预〔2020〕10号): leaf scores by method, roll-up, 得分率, grade.

Each leaf's score is awarded to two decimals (四舍五入), as a finance office writes it; parents
and the total are exact sums of those, so displayed parts always add up to displayed totals.
Conventions that templates disagree on (reverse indicators, "=" indicators, grade bands,
qualitative bands) come in as data through `ScoringConventions` and `GradeBand`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial

from jixiao.core import rates
from jixiao.core.dossier import (
    Budget,
    GradeBand,
    Indicator,
    ScoringConventions,
    WeightTemplate,
)
from jixiao.core.numbers import HUNDRED, round_half_up

SCORE_PLACES = 2
ZERO = Decimal(0)


class ScoringError(ValueError):
    """An indicator that cannot be scored with the data given."""


@dataclass(frozen=True)
class IndicatorScore:
    """One scored indicator. ``score`` is computed; ``stated_*`` is what the report says."""

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
    notes: tuple[str, ...] = ()
    children: tuple[IndicatorScore, ...] = ()
    source: Indicator | None = field(default=None, compare=False, repr=False)

    @property
    def effective_weight(self) -> Decimal:
        """The weight that counts: the stated weight, unless some indicator below is not
        applicable, in which case the applicable children's weights."""
        if not self.children or all(n.applicable for n in self.walk()):
            return self.weight
        return sum((c.effective_weight for c in self.children if c.applicable), ZERO)

    @property
    def rate(self) -> Decimal | None:
        """得分率 of the computed score in percent, exact."""
        return rates.score_rate(self.score, self.effective_weight)

    def walk(self) -> Iterator[IndicatorScore]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Scorecard:
    """The scored tree, the total and the grade."""

    indicators: tuple[IndicatorScore, ...]
    template: WeightTemplate
    raw_score: Decimal  # plain sum of applicable top-level scores
    applicable_weight: Decimal
    score: Decimal  # rescaled to the template total when indicators were dropped
    grade: str
    rescaled: bool

    @property
    def rate(self) -> Decimal | None:
        return rates.score_rate(self.score, self.template.total)

    def walk(self) -> Iterator[IndicatorScore]:
        for node in self.indicators:
            yield from node.walk()

    def find(self, path: str) -> IndicatorScore | None:
        return next((n for n in self.walk() if n.path == path), None)


def grade_for(score: Decimal, bands: list[GradeBand]) -> str:
    """The grade whose band holds ``score``; a boundary belongs to the higher grade."""
    for band in sorted(bands, key=lambda b: b.min, reverse=True):
        if score >= band.min:
            return band.grade
    return sorted(bands, key=lambda b: b.min)[0].grade


def _clamp(value: Decimal, weight: Decimal) -> Decimal:
    return min(max(value, ZERO), weight)


def quantitative_score(
    direction: str,
    target: Decimal,
    actual: Decimal,
    weight: Decimal,
    reverse: str | None,
    equal: str,
) -> Decimal:
    """Exact score of a quantitative indicator (RULES §2), between 0 and the weight."""
    if direction == ">=":
        if target <= 0:
            raise ScoringError("正向指标的目标值应大于 0")  # the dossier validation refuses it
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
        raise ScoringError("反向指标须在 scoring.reverse 或指标的 reverse_convention 中选定算法")
    if actual == target:
        return weight
    if equal == "proportional" and target != 0:
        return _clamp((1 - abs(actual - target) / abs(target)) * weight, weight)
    return ZERO


def execution_rate(budget: Budget) -> Decimal | None:
    """执行率 in percent on the budget's stated basis (全年预算数 or 到位数)."""
    base = budget.annual if budget.basis == "annual" else budget.arrived
    return rates.execution(budget.executed, base)


def _leaf_score(
    ind: Indicator, conv: ScoringConventions, budget: Budget | None
) -> tuple[Decimal, Decimal | None, list[str]]:
    """(exact score, completion % or None, notes) of a leaf."""
    notes: list[str] = []
    w = ind.weight
    if ind.method == "quantitative":
        assert isinstance(ind.target, Decimal) and isinstance(ind.actual, Decimal)
        reverse = ind.reverse_convention or conv.reverse
        score = quantitative_score(
            ind.direction or ">=", ind.target, ind.actual, w, reverse, conv.equal
        )
        completion = rates.completion(ind.direction, ind.target, ind.actual)
        if ind.direction == "<=" and reverse:
            notes.append(f"反向指标，按 {reverse} 算法计分")
        return score, completion, notes
    if ind.method == "qualitative":
        if ind.score is not None:
            return _clamp(ind.score, w), None, notes
        _, high = conv.qualitative_bands[ind.level or "达成"]
        notes.append("达成年度指标，按满分计")
        return w * high / HUNDRED, None, notes
    if ind.method == "deduction":
        return _clamp(w - sum((d.points for d in ind.deductions), ZERO), w), None, notes
    if ind.method == "manual":
        assert ind.score is not None
        if ind.score > w:
            notes.append("给定得分超过分值，按分值计")
        return _clamp(ind.score, w), None, notes
    if ind.method == "execution":
        if budget is None:
            raise ScoringError(f"指标「{ind.name}」按预算执行率计分，但档案没有 budget")
        rate = execution_rate(budget)
        if rate is None:
            basis = "全年预算数" if budget.basis == "annual" else "到位数"
            raise ScoringError(f"指标「{ind.name}」按执行率计分，但{basis}为空或为 0")
        notes.append("得分 = min(执行率, 100%) × 分值")
        return _clamp(min(rate, HUNDRED) / HUNDRED * w, w), rate, notes
    raise ScoringError(f"未知的评分方法 {ind.method}")


def score_indicator(
    ind: Indicator,
    conv: ScoringConventions,
    budget: Budget | None,
    parent_path: str = "",
    level: int = 1,
) -> IndicatorScore:
    path = f"{parent_path}/{ind.name}" if parent_path else ind.name
    scored = partial(
        IndicatorScore,
        path=path, name=ind.name, level=level, weight=ind.weight, applicable=ind.applicable,
        stated_score=ind.stated_score, stated_rate=ind.stated_rate, source=ind,
    )
    if ind.children:
        children = tuple(score_indicator(c, conv, budget, path, level + 1) for c in ind.children)
        total = sum((c.score for c in children if c.applicable), ZERO)
        notes: tuple[str, ...] = ()
        if total > ind.weight:  # children overshoot (flagged by weights.children_sum)
            total, notes = ind.weight, ("下级得分合计超过分值，按分值计",)
        return scored(score=total, method=None, children=children, notes=notes)
    exact, completion, leaf_notes = _leaf_score(ind, conv, budget)
    return scored(
        score=round_half_up(exact, SCORE_PLACES), method=ind.method, completion=completion,
        notes=tuple(leaf_notes),
    )


def score_tree(
    indicators: list[Indicator],
    conv: ScoringConventions,
    template: WeightTemplate,
    bands: list[GradeBand],
    budget: Budget | None = None,
) -> Scorecard:
    """Score every indicator, roll up, rescale dropped weight to the template total, grade."""
    roots = tuple(score_indicator(i, conv, budget) for i in indicators)
    applicable = [r for r in roots if r.applicable]
    raw = sum((r.score for r in applicable), ZERO)
    weight = sum((r.effective_weight for r in applicable), ZERO)
    dropped = any(not n.applicable for r in roots for n in r.walk())
    rescaled = bool(dropped and template.rescale_not_applicable and weight > 0)
    total = round_half_up(raw * template.total / weight, SCORE_PLACES) if rescaled else raw
    return Scorecard(
        indicators=roots, template=template, raw_score=raw, applicable_weight=weight,
        score=total, grade=grade_for(total, bands), rescaled=rescaled,
    )
