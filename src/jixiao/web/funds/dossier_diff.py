"""What re-importing a dossier would change in an existing fund-year: a short summary for the
confirmation page and the audit entry (indicators added/removed/changed, money rows, totals)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from jixiao.core.dossier import Dossier, walk_indicators

# The indicator fields a reader compares; the rest (rule settings, texts) count as "changed".
COMPARED = ("weight", "method", "direction", "target", "actual", "unit", "level", "score")
# Their names on the page (the 自评表's column headers).
LABELS: dict[str, Promise] = {
    "weight": gettext_lazy("分值"), "method": gettext_lazy("计分方法"),
    "direction": gettext_lazy("指标性质"), "target": gettext_lazy("年度指标值"),
    "actual": gettext_lazy("实际完成值"), "unit": gettext_lazy("度量单位"),
    "level": gettext_lazy("等级"), "score": gettext_lazy("得分"),
}
SHOWN = 50  # changed indicators listed at most; the count is always complete


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _indicators(d: Dossier) -> dict[str, dict[str, Any]]:
    return {path: {f: getattr(ind, f) for f in COMPARED}
            for ind, path, _ in walk_indicators(d.indicators)}


def _same(a: Any, b: Any) -> bool:
    """Numbers by value: 13.40 and 13.4 are one number, not a change."""
    return bool(a == b) and type(a) is type(b)


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
        if was is None:
            continue
        fields = [{"field": f, "label": str(LABELS[f]), "old": _text(was[f]),
                   "new": _text(values[f])} for f in COMPARED if not _same(was[f], values[f])]
        if fields:
            changed.append({"path": path, "fields": fields})
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


def removed_recipients(fund: Any, new: Dossier) -> dict[str, Any]:
    """The fund's recipients ``new`` no longer has: updating removes them with their 报送
    records, projects and roles, which the confirmation must say plainly."""
    from jixiao.core.dossier import walk_recipients
    from jixiao.web.accounts.models import Membership

    kept = {r.id for r, _ in walk_recipients(new.recipients)}
    gone = fund.recipients.exclude(code__in=kept)
    if not gone.exists():
        return {}
    return {"recipients_removed": [r.name for r in gone.order_by("position")],
            "removed_submissions": fund.submissions.filter(recipient__in=gone).count(),
            "removed_projects": fund.projects.filter(recipient__in=gone).count(),
            "removed_roles": Membership.objects.filter(recipient__in=gone).count()}


def audit_summary(changes: dict[str, Any]) -> dict[str, Any]:
    """The change summary as the audit entry keeps it: one row per changed field (the trail
    labels the field), nothing the trail would show as a bare flag."""
    out = {k: v for k, v in changes.items() if k not in ("identical", "changed")}
    if "changed" in changes:
        out["changed"] = [{"path": c["path"], "field": f["field"], "old": f["old"],
                           "new": f["new"]} for c in changes["changed"] for f in c["fields"]]
    if not changes.get("unreadable"):
        out.pop("unreadable", None)
    return out
