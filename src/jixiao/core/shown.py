"""Shown figures: the one owner of every figure that a report, a form, a page, the CLI, the
JSON or the monitor shows.

Every entry point asks this module which figure to show, so they cannot disagree (in the manner
of saleor's ``checkout/calculations.py``: one function per figure, every caller goes through it).

The rule: a figure the budget unit stated is shown as stated; a figure it did not state is
derived from the *shown* figures below it, so that what a reader sees adds up.

- score of an indicator: its stated score, else the engine's computed score;
- 得分率: the shown score ÷ the weight that counts, as shown (`rates.weight_as_shown`: full
  marks 16.67 on a re-spread 50/3 are 100%, not 100.02%);
- total: the stated total, else the sum of the shown first-level scores (rescaled to the
  template total, as the engine does, when indicators were not applicable) with its 加分/减分;
- grade: the stated grade, else the grade of the shown total (rounded 四舍五入 to 2 places
  first), so a stated total is never paired with the grade of a different, computed one;
- 执行率: the stated rate, else executed ÷ the stated basis;
- 完成率: `rates.completion` (direction-aware) and `rates.plan_completion`;
- a recipient's 协议数: as stated for it (at the level asked), else the sum over its subtree;
- a recipient's 支出合计: the stated total, else the sum of its sources, else the sum by use.

The engine's recomputed figures (``Scorecard.score``, ``Scorecard.grade``) stay beside these
as "计算" figures; where the two differ, a finding says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core import rates
from jixiao.core.dossier import (
    Budget,
    Dossier,
    Recipient,
    Spending,
    counties_in,
    subtree_agreements,
)
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import round_half_up
from jixiao.core.scoring import SCORE_PLACES, IndicatorScore, adjust, execution_rate

ZERO = Decimal(0)


@dataclass(frozen=True)
class Shown:
    """A figure as shown, and whether the unit stated it (else jixiao derived it)."""

    value: Decimal
    stated: bool


@dataclass(frozen=True)
class ShownGrade:
    grade: str
    stated: bool


# --- scores, total, grade ------------------------------------------------------------------


def score(node: IndicatorScore) -> Shown:
    """The stated score where the unit gives one, else the computed one."""
    if node.stated_score is not None:
        return Shown(node.stated_score, True)
    return Shown(node.score, False)


def score_rate(node: IndicatorScore) -> Decimal | None:
    """得分率 of the shown score; None for a not-applicable indicator."""
    if not node.applicable:
        return None
    shown = score(node).value
    return rates.score_rate(shown, rates.weight_as_shown(node.effective_weight, shown))


def total(ev: Evaluation) -> Shown:
    """The stated total, else the sum of the shown first-level scores (rescaled when some
    indicators were not applicable)."""
    stated = ev.dossier.evaluation.stated_total
    if stated is not None:
        return Shown(stated, True)
    card = ev.scorecard
    raw = sum((score(n).value for n in card.indicators if n.applicable), ZERO)
    if card.rescaled:
        raw = round_half_up(raw * card.template.total / card.applicable_weight, SCORE_PLACES)
    if card.base_score is not None:  # 加分/减分 on the shown sum, as the engine does
        d = ev.dossier
        raw = adjust(raw, d.adjustments, d.scoring, card.template.total)[0]
    return Shown(raw, False)


def total_rate(ev: Evaluation) -> Decimal | None:
    """总得分率: the shown total ÷ the template total."""
    return rates.score_rate(total(ev).value, ev.scorecard.template.total)


def grade(ev: Evaluation) -> ShownGrade:
    """The stated grade, else the grade of the shown total."""
    stated = ev.dossier.evaluation.stated_grade
    if stated:
        return ShownGrade(stated, True)
    shown = round_half_up(total(ev).value, SCORE_PLACES)
    return ShownGrade(ev.scorecard.grade_of(shown, list(ev.bands)), False)


# --- money -----------------------------------------------------------------------------------


def execution(budget: Budget) -> Shown | None:
    """执行率: as stated, else executed ÷ the budget's stated basis; None without a base."""
    if budget.stated_execution_rate is not None:
        return Shown(budget.stated_execution_rate, True)
    rate = execution_rate(budget)
    return None if rate is None else Shown(rate, False)


def recipient_agreements(d: Dossier, node: Recipient, level: str | None) -> Shown:
    """A recipient's 协议数: as stated for it (at this level), else its subtree's sum."""
    st = node.stated
    if st is not None and st.agreements is not None and st.level in (None, level):
        return Shown(st.agreements, True)
    return Shown(sum(subtree_agreements(d, [node], level), ZERO), False)


def county_count(node: Recipient) -> Shown:
    """How many counties a recipient covers: as stated, else counted in its subtree."""
    if node.stated is not None and node.stated.counties is not None:
        return Shown(Decimal(node.stated.counties), True)
    return Shown(Decimal(counties_in(node)), False)


def spending_total(s: Spending) -> Shown:
    """A recipient's 支出合计: stated, else the sum of its sources (what a report writes after
    listing them), else the sum by use."""
    if s.stated_total is not None:
        return Shown(s.stated_total, True)
    parts = [x.amount for x in s.sources] or [u.amount for u in s.by_use]
    return Shown(sum(parts, ZERO), False)
