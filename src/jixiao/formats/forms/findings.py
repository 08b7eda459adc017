"""How a received form's figures become findings: judged at the precision written."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.dossier import Severity
from jixiao.core.numbers import fmt, places, round_half_up, step
from jixiao.core.phrases import Phrase


def shown(value: Decimal) -> str:
    """A figure as the form wrote it (its own places, no float noise)."""
    return fmt(value, places(value))


def agrees(stated: Decimal, computed: Decimal, n_places: int) -> bool:
    """Equal at ``n_places`` decimals, 四舍五入."""
    return round_half_up(stated, n_places) == round_half_up(computed, n_places)


def severity_of(stated: Decimal, computed: Decimal, n_places: int) -> Severity:
    """An error, or a warning when the gap is one unit of the last shown digit (尾数误差)."""
    if n_places > 0 and abs(stated - computed) <= step(n_places):
        return "warning"
    return "error"


def finding(rule: str, severity: Severity, where: str, expected: Decimal | str | None,
            actual: Decimal | str | None, message: str | Phrase) -> Finding:
    """A form finding; a message worded as a phrase keeps it, so a page says it in its
    language (its Chinese is the message every other caller prints)."""
    if isinstance(message, Phrase):
        return Finding(rule, severity, where, expected, actual, str(message), message)
    return Finding(rule, severity, where, expected, actual, message)


def listed(parts: list[Phrase]) -> str | Phrase:
    """Phrases one after another, as ``"，".join`` writes them in Chinese (a page says the
    comma in its language too): "优 ≥ 90，良 ≥ 80"."""
    if not parts:
        return ""
    out: Phrase = parts[0]
    for part in parts[1:]:
        out = Phrase("{first}，{then}", first=out, then=part)
    return out
