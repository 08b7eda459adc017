"""What re-importing a dossier would change in an existing fund-year: a short summary for the
confirmation page and the audit entry (indicators added/removed/changed, money rows, totals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from jixiao.core.dossier import Dossier, walk_indicators

# The indicator fields a reader compares; the rest (rule settings, texts) count as "changed".
COMPARED = ("weight", "method", "direction", "target", "actual", "unit", "level", "score")
SHOWN = 50  # changed indicators listed at most; the count is always complete


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _indicators(d: Dossier) -> dict[str, dict[str, str]]:
    return {path: {f: _text(getattr(ind, f)) for f in COMPARED}
            for ind, path, _ in walk_indicators(d.indicators)}


def _money(d: Dossier) -> list[tuple[str, int, Decimal]]:
    spent = [u.amount for s in d.spending for u in s.by_use]
    return [
        (gettext("协议数"), len(d.agreements), sum((a.amount for a in d.agreements), Decimal(0))),
        (gettext("资金到位"), len(d.arrivals), sum((a.amount for a in d.arrivals), Decimal(0))),
        (gettext("分用途支出"), len(spent), sum(spent, Decimal(0))),
    ]


def diff(old: Dossier, new: Dossier) -> dict[str, Any]:
    """The change from ``old`` to ``new`` as plain data (JSON-ready, strings only)."""
    before, after = _indicators(old), _indicators(new)
    changed = []
    for path, values in after.items():
        was = before.get(path)
        if was is None or was == values:
            continue
        changed.append({"path": path, "fields": [
            {"field": f, "old": was[f], "new": values[f]} for f in COMPARED if was[f] != values[f]
        ]})
    money = [
        {"kind": kind, "old_rows": n0, "new_rows": n1, "old": f"{t0:f}", "new": f"{t1:f}"}
        for (kind, n0, t0), (_, n1, t1) in zip(_money(old), _money(new), strict=True)
        if (n0, t0) != (n1, t1)
    ]
    return {
        "added": [p for p in after if p not in before],
        "removed": [p for p in before if p not in after],
        "changed_count": len(changed),
        "changed": changed[:SHOWN],
        "money": money,
        "budget_unit": ([old.fund.budget_unit, new.fund.budget_unit]
                        if old.fund.budget_unit != new.fund.budget_unit else []),
        "identical": old.model_dump() == new.model_dump(),
    }
