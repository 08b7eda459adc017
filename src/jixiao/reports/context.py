"""What every part of the report builder shares: the evaluation, the wording, shown figures.

Which figure the report shows is decided by `jixiao.core.shown` (stated figures as written,
unstated ones derived from the shown figures), the same owner the 自评表 writer, the web pages,
the CLI and the JSON use; this module only turns those figures into text. Differences between
stated and recomputed values are listed in the 数据核对 appendix, not silently corrected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core import shown
from jixiao.core.dossier import Dossier, Recipient, walk_recipients
from jixiao.core.evaluation import Evaluation
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
        return _text(shown.score(node))

    def rate(self, node: IndicatorScore) -> str:
        """得分率 of the shown score against the weight that counts."""
        if not node.applicable:
            return "—"
        return display.rate(shown.score_rate(node))

    def total(self) -> Shown:
        """The stated total, else the sum of the shown first-level scores."""
        return _text(shown.total(self.ev))

    @property
    def total_stated(self) -> bool:
        return self.d.evaluation.stated_total is not None

    @property
    def grade_stated(self) -> bool:
        return bool(self.d.evaluation.stated_grade)

    def total_rate(self) -> str:
        return display.rate(shown.total_rate(self.ev))

    def grade(self) -> str:
        """The stated grade, else the grade of the total the report shows."""
        return shown.grade(self.ev).grade

    # --- money ----------------------------------------------------------------------

    def money(self, value: Decimal | None) -> str:
        """An amount from the dossier or a sum of such amounts, as written."""
        return display.as_written(value)


def _text(figure: shown.Shown) -> Shown:
    """A stated figure as written; a derived one to 2 places."""
    text = display.as_written(figure.value) if figure.stated else display.computed(figure.value)
    return Shown(figure.value, text)


def sentence(text: str) -> str:
    """End a piece of prose with a full stop when it has none."""
    text = text.strip()
    if not text or text[-1] in "。！？；…":
        return text
    return text + "。"
