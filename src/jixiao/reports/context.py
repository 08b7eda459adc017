"""What every part of the report builder shares: the evaluation, the wording, shown figures.

The report reproduces the dossier as the budget unit stated it: where an indicator carries a
stated score, that score is shown; otherwise the engine's computed score. Derived figures in
sentences (得分率 = shown score ÷ weight, 合计 rows, shares, completion rates) are computed
here from the shown values, never typed. Differences between stated and recomputed values are
listed in the 数据核对 appendix, not silently corrected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.dossier import Dossier, Recipient, walk_recipients
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import percent
from jixiao.core.scoring import IndicatorScore
from jixiao.reports import display
from jixiao.reports.wording import Wording


@dataclass(frozen=True)
class Shown:
    """A figure as the report shows it: its value and its text."""

    value: Decimal
    text: str


class Context:
    def __init__(self, ev: Evaluation, wording: Wording) -> None:
        self.ev = ev
        self.w = wording
        self.recipients: dict[str, Recipient] = {
            r.id: r for r, _ in walk_recipients(ev.dossier.recipients)
        }

    @property
    def d(self) -> Dossier:
        return self.ev.dossier

    @property
    def unit(self) -> str:
        return self.d.fund.money_unit

    @property
    def fund(self) -> str:
        return self.d.fund.name

    def narrative(self, part: str) -> str | None:
        key = self.w.narrative_keys.get(part)
        text = self.d.narrative.get(key) if key else None
        return text.strip() if text and text.strip() else None

    def recipient_name(self, rid: str) -> str:
        r = self.recipients.get(rid)
        return r.name if r else rid

    # --- scores ---------------------------------------------------------------------

    def score(self, node: IndicatorScore) -> Shown:
        """The stated score where the report gives one, else the computed one."""
        if node.stated_score is not None:
            return Shown(node.stated_score, display.as_written(node.stated_score))
        return Shown(node.score, display.computed(node.score))

    def rate(self, node: IndicatorScore) -> str:
        """得分率 of the shown score against the weight that counts."""
        if not node.applicable:
            return "—"
        return display.rate(percent(self.score(node).value, node.effective_weight))

    def total(self) -> Shown:
        stated = self.d.evaluation.stated_total
        if stated is not None:
            return Shown(stated, display.as_written(stated))
        card = self.ev.scorecard
        return Shown(card.score, display.computed(card.score))

    def total_rate(self) -> str:
        return display.rate(percent(self.total().value, self.ev.scorecard.template.total))

    def grade(self) -> str:
        return self.d.evaluation.stated_grade or self.ev.scorecard.grade

    # --- money ----------------------------------------------------------------------

    def money(self, value: Decimal | None) -> str:
        """An amount from the dossier or a sum of such amounts, as written."""
        return display.as_written(value)


def sentence(text: str) -> str:
    """End a piece of prose with a full stop when it has none."""
    text = text.strip()
    if not text or text[-1] in "。！？；…":
        return text
    return text + "。"
