"""What re-importing a dossier would change in an existing fund-year: for the confirmation
page and the audit entry, every changed figure with its label, before → after (indicator
fields, the budget block, plan-vs-actual rows, money rows, the stated evaluation), plus the
indicators added/removed and the money rows' counts and totals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from jixiao.core.dossier import Dossier, walk_indicators, walk_recipients

# The indicator fields a reader compares (rule settings count only in `other`). The stated
# rate is not listed: a 自评表 does not carry it, and drops it with a changed target.
COMPARED = ("weight", "method", "direction", "target", "actual", "unit", "level", "score",
            "stated_score", "applicable", "reason", "analysis", "evidence")
# Their names on the page (the 自评表's column headers; the rest as the indicator form).
LABELS: dict[str, Promise] = {
    "weight": gettext_lazy("分值"), "method": gettext_lazy("计分方法"),
    "direction": gettext_lazy("指标性质"), "target": gettext_lazy("年度指标值"),
    "actual": gettext_lazy("实际完成值"), "unit": gettext_lazy("度量单位"),
    "level": gettext_lazy("等级"), "score": gettext_lazy("得分"),
    "stated_score": gettext_lazy("报告所列得分"),
    "applicable": gettext_lazy("适用"), "reason": gettext_lazy("得分理由"),
    "analysis": gettext_lazy("偏差原因分析及改进措施"), "evidence": gettext_lazy("佐证材料"),
}
SHOWN = 50  # changed indicators listed at most; the count is always complete
FIGURES_SHOWN = 200  # other changed figures listed at most; the count is always complete

BUDGET: tuple[tuple[str, Promise], ...] = (
    ("initial", gettext_lazy("年初预算数")), ("annual", gettext_lazy("全年预算数")),
    ("arrived", gettext_lazy("到位数")), ("executed", gettext_lazy("执行数")),
    ("stated_execution_rate", gettext_lazy("报告所列执行率")),
    ("stated_arrival_rate", gettext_lazy("报告所列到位率")),
    ("level", gettext_lazy("协议层级")),
)
# What the execution rate is taken over (Budget.basis), said as its amount's label.
BASIS = {"annual": BUDGET[1][1], "arrived": BUDGET[2][1]}
BUDGET_ROW: tuple[tuple[str, Promise], ...] = (*BUDGET[:2], ("executed", BUDGET[3][1]))
PLAN: tuple[tuple[str, Promise], ...] = (
    ("name", gettext_lazy("名称")), ("unit", gettext_lazy("度量单位")),
    ("plan", gettext_lazy("计划")), ("actual", gettext_lazy("实际")),
    ("stated_rate", gettext_lazy("报告所列完成率")),
)
SPENDING: tuple[tuple[str, Promise], ...] = (
    ("stated_total", gettext_lazy("报告所列支出合计")),
    ("carried_over", gettext_lazy("结转结余")), ("project_count", gettext_lazy("项目个数")),
)
EVALUATION: tuple[tuple[str, Promise], ...] = (
    ("stated_total", gettext_lazy("绩效自评得分")), ("stated_rate", gettext_lazy("报告所列得分率")),
    ("stated_grade", gettext_lazy("绩效等级")),
)
SEP = " · "


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def _indicators(d: Dossier) -> dict[str, dict[str, Any]]:
    return {path: {f: getattr(ind, f) for f in COMPARED}
            for ind, path, _ in walk_indicators(d.indicators)}


def _number(a: Any) -> bool:
    return isinstance(a, int | Decimal) and not isinstance(a, bool)


def _same(a: Any, b: Any) -> bool:
    """Numbers by value: 13.40 and 13.4 are one number, not a change; a number and a text
    that reads the same are not."""
    if _number(a) and _number(b):
        return bool(a == b)
    return bool(a == b) and type(a) is type(b)


class _Figures:
    """The changed figures outside the indicators, in the dossier's order."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def compare(self, where: Iterable[str], label: Any, old: Any, new: Any) -> None:
        if not _same(old, new):
            self.rows.append({"kind": SEP.join([*where, str(label)]), "old": _text(old),
                              "new": _text(new)})

    def fields(self, where: list[str], fields: Iterable[tuple[str, Promise]], old: Any,
               new: Any) -> None:
        for key, label in fields:
            self.compare(where, label, getattr(old, key, None) if old is not None else None,
                         getattr(new, key, None) if new is not None else None)


def _keyed(items: Iterable[Any], key: Any) -> dict[tuple[Any, ...], Any]:
    """Rows by their key, the n-th row of a repeated key as (key, n)."""
    seen: Counter[Any] = Counter()
    out = {}
    for item in items:
        k = key(item)
        seen[k] += 1
        out[(k, seen[k])] = item
    return out


def _pairs(old: dict[Any, Any], new: dict[Any, Any]) -> list[tuple[Any, Any, Any]]:
    """(key, old, new) for every key of either, old order first, then the new keys."""
    return [(k, old.get(k), new.get(k)) for k in [*old, *(k for k in new if k not in old)]]


def _figures(old: Dossier, new: Dossier) -> list[dict[str, str]]:
    out = _Figures()
    names = {r.id: r.name for d in (new, old) for r, _ in walk_recipients(d.recipients)}

    def who(rid: str) -> str:
        return names.get(rid, rid)

    budget = str(gettext_lazy("预算"))
    if old.budget is not None or new.budget is not None:
        out.fields([budget], BUDGET, old.budget, new.budget)
        basis = [BASIS.get(b.basis, b.basis) if b is not None else None
                 for b in (old.budget, new.budget)]
        out.compare([budget], gettext_lazy("执行率口径"), *(
            str(b) if b is not None else None for b in basis))
        rows = _pairs(_keyed(old.budget.rows if old.budget else [], lambda r: r.item),
                      _keyed(new.budget.rows if new.budget else [], lambda r: r.item))
        for (item, _), a, b in rows:
            out.fields([budget, item], BUDGET_ROW, a, b)
    plan = str(gettext_lazy("计划完成"))
    for _, a, b in _pairs({p.id: p for p in old.plan_actual}, {p.id: p for p in new.plan_actual}):
        out.fields([plan, (b or a).name], PLAN, a, b)
    amount = [("amount", gettext_lazy("金额"))]
    agreed = str(gettext_lazy("协议数"))
    for (key, _), a, b in _pairs(
            _keyed(old.agreements, lambda r: (r.recipient, r.level, r.purpose)),
            _keyed(new.agreements, lambda r: (r.recipient, r.level, r.purpose))):
        out.fields([agreed, who(key[0]), *(p for p in key[1:] if p)], amount, a, b)
    arrived = str(gettext_lazy("资金到位"))
    for (key, _), a, b in _pairs(_keyed(old.arrivals, lambda r: (r.recipient, r.date)),
                                 _keyed(new.arrivals, lambda r: (r.recipient, r.date))):
        out.fields([arrived, who(key[0]), *([str(key[1])] if key[1] else [])], amount, a, b)
    spent = str(gettext_lazy("分用途支出"))
    for _, a, b in _pairs({s.id: s for s in old.spending}, {s.id: s for s in new.spending}):
        where = [spent, who((b or a).recipient)]
        out.fields(where, SPENDING, a, b)
        uses = _pairs(_keyed(a.by_use if a else [], lambda u: u.category),
                      _keyed(b.by_use if b else [], lambda u: u.category))
        for (category, _), u0, u1 in uses:
            out.fields([*where, category], amount, u0, u1)
    evaluation = str(gettext_lazy("自评结论"))
    out.fields([evaluation], EVALUATION, old.evaluation, new.evaluation)
    figure = str(gettext_lazy("数据"))
    for _, a, b in _pairs({f.id: f for f in old.figures}, {f.id: f for f in new.figures}):
        out.fields([figure, (b or a).label], [("value", gettext_lazy("数值"))], a, b)
    return out.rows


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
        if n0 != n1 or t0 != t1
    ]
    figures = _figures(old, new)
    added = [p for p in after if p not in before]
    removed = [p for p in before if p not in after]
    budget_unit = ([old.fund.budget_unit, new.fund.budget_unit]
                   if old.fund.budget_unit != new.fund.budget_unit else [])
    identical = old.model_dump() == new.model_dump()
    return {
        "added": added,
        "removed": removed,
        "changed_count": len(changed),
        "changed": changed[:SHOWN],
        "money": money,
        "figures_count": len(figures),
        "figures": figures[:FIGURES_SHOWN],
        "budget_unit": budget_unit,
        "identical": identical,
        # Something changed that no row above shows (texts, rule settings, recipients…).
        "other": not identical and not (changed or added or removed or money or figures
                                         or budget_unit),
    }


def removed_recipients(fund: Any, new: Dossier) -> dict[str, Any]:
    """The fund's recipients ``new`` no longer has: updating removes them with their 报送
    records, projects and roles, which the confirmation must say plainly."""
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
    labels the field), nothing the trail would show as a bare flag. The changed figures
    outside the indicators follow the money rows' totals, each as its label, old and new."""
    out = {k: v for k, v in changes.items()
           if k not in ("identical", "changed", "figures", "figures_count", "other")}
    if "changed" in changes:
        out["changed"] = [{"path": c["path"], "field": f["field"], "old": f["old"],
                           "new": f["new"]} for c in changes["changed"] for f in c["fields"]]
    if changes.get("figures"):
        out["money"] = [*changes.get("money", []), *changes["figures"]]
    if not changes.get("unreadable"):
        out.pop("unreadable", None)
    return out
