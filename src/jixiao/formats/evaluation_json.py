"""An Evaluation as the JSON contract of `jixiao evaluate --json` (documented in the README).

Numbers are decimal strings, exact and rounded half-up where a display precision applies,
so no float ever carries money or scores.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.checks import Finding
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.core.scoring import IndicatorScore

CONTRACT_VERSION = 1


def _num(value: Decimal | None, n_places: int = 2) -> str | None:
    return None if value is None else fmt(value, n_places)


def _value(value: Decimal | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return fmt_natural(value) if abs(value.as_tuple().exponent) <= 6 else fmt(value, 6)


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "rule": f.rule, "severity": f.severity, "where": f.where,
        "expected": _value(f.expected), "actual": _value(f.actual), "message": f.message,
    }


def _indicator(node: IndicatorScore) -> dict[str, Any]:
    return {
        "path": node.path, "name": node.name, "level": node.level,
        "weight": fmt_natural(node.weight), "score": _num(node.score),
        "stated_score": _value(node.stated_score), "rate": _num(node.rate),
        "stated_rate": _value(node.stated_rate), "method": node.method,
        "applicable": node.applicable,
        "effective_weight": fmt_natural(node.effective_weight),
        "completion": _num(node.completion),
        "reverse_convention": node.source.reverse_convention if node.source else None,
        "notes": list(node.notes),
    }


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    d = ev.dossier
    card = ev.scorecard
    return {
        "version": CONTRACT_VERSION,
        "fund": {
            "name": d.fund.name, "year": d.fund.year, "budget_unit": d.fund.budget_unit,
            "base_date": d.fund.base_date.isoformat() if d.fund.base_date else None,
            "money_unit": d.fund.money_unit,
        },
        "template": {"id": card.template.id, "name": card.template.name},
        "total": {
            "weight": fmt_natural(card.template.total),
            "score": _num(card.score),
            "stated_score": _value(d.evaluation.stated_total),
            "rate": _num(card.rate),
            "grade": card.grade,
            "stated_grade": d.evaluation.stated_grade,
            "rescaled": card.rescaled,
        },
        "conventions": {
            "reverse": d.scoring.reverse, "equal": d.scoring.equal,
            "explain_over": _value(d.scoring.explain_over),
        },
        "indicators": [_indicator(n) for n in card.walk()],
        "findings": [finding_dict(f) for f in ev.findings],
        "summary": {s: ev.count(s) for s in ("error", "warning", "info")},
    }
