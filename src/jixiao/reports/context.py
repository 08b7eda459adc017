"""What every part of the report builder shares: the evaluation, the wording, shown figures.

The report reproduces the dossier as the budget unit stated it: where an indicator carries a
stated score, that score is shown; otherwise the engine's computed score. Derived figures in
sentences (得分率 = shown score ÷ weight, 合计 rows, shares, completion rates) are computed
here from the shown values, never typed. Differences between stated and recomputed values are
listed in the 数据核对 appendix, not silently corrected.

The total and the grade follow the same rule. A stated total is shown as written; otherwise the
total is the sum of the shown first-level scores (rescaled to the template total when some
indicators were not applicable), so 表2-1 always adds up. A stated grade is shown as written;
otherwise the grade is *derived from the shown total* (the dossier's grade bands, the total
rounded half-up to 2 places first): grading the figure the reader sees is display logic, so
the report never pairs a stated total with the grade of a different, computed one. The
appendix says which of the two was stated and which derived.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.dossier import Dossier, Recipient, walk_recipients
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import percent, round_half_up
from jixiao.core.scoring import SCORE_PLACES, IndicatorScore, grade_for
from jixiao.formats.templates import resolve_bands
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
        """The stated total, else the sum of the shown first-level scores (rescaled to the
        template total when indicators were dropped, as the engine does)."""
        stated = self.d.evaluation.stated_total
        if stated is not None:
            return Shown(stated, display.as_written(stated))
        card = self.ev.scorecard
        raw = sum((self.score(n).value for n in card.indicators if n.applicable), Decimal(0))
        if card.rescaled:
            raw = round_half_up(raw * card.template.total / card.applicable_weight, SCORE_PLACES)
        return Shown(raw, display.computed(raw))

    @property
    def total_stated(self) -> bool:
        return self.d.evaluation.stated_total is not None

    @property
    def grade_stated(self) -> bool:
        return bool(self.d.evaluation.stated_grade)

    def total_rate(self) -> str:
        return display.rate(percent(self.total().value, self.ev.scorecard.template.total))

    def grade(self) -> str:
        """The stated grade, else the grade of the total the report shows (not the computed
        total, which may differ: that difference belongs to the appendix)."""
        if self.d.evaluation.stated_grade:
            return self.d.evaluation.stated_grade
        shown = round_half_up(self.total().value, SCORE_PLACES)
        return grade_for(shown, resolve_bands(self.d))

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
