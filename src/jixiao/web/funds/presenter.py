"""An Evaluation shaped for the templates and charts. Formatting and grouping only: every
score, rate and grade comes from `jixiao.services.evaluate` via `evaluation_dict`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core import vocabulary
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.formats.evaluation_json import evaluation_dict
from jixiao.web.funds.models import Fund, Indicator

METHODS = vocabulary.METHOD_LABELS
SEVERITY = vocabulary.SEVERITY_LABELS
TYPE_LABELS = vocabulary.TRANSACTION_TYPE_LABELS


def _text(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return fmt_natural(value) if isinstance(value, Decimal) else value


def indicator_paths(fund: Fund) -> dict[str, Indicator]:
    rows = list(fund.indicators.all())
    by_id = {r.id: r for r in rows}
    out: dict[str, Indicator] = {}
    for r in rows:
        names: list[str] = []
        node: Indicator | None = r
        while node is not None:
            names.append(node.name)
            node = by_id.get(node.parent_id) if node.parent_id else None
        out["/".join(reversed(names))] = r
    return out


def dashboard(fund: Fund, ev: Evaluation) -> dict[str, Any]:
    data = evaluation_dict(ev)
    rows = indicator_paths(fund)
    sources = {n.path: n for n in ev.scorecard.walk()}
    tree = []
    for item in data["indicators"]:
        node = sources[item["path"]]
        src = node.source
        tree.append({
            **item,
            "row": rows.get(item["path"]),
            "method_label": METHODS.get(item["method"] or "", ""),
            "target": _text(src.target) if src else "",
            "actual": _text(src.actual) if src else "",
            "unit": (src.unit or "") if src else "",
            "notes": "；".join(node.notes),
            "indent": (item["level"] - 1) * 1.5,
        })
    findings = [{**f, "severity_label": SEVERITY.get(f["severity"], f["severity"])}
                for f in data["findings"]]
    return {"ev": data, "tree": tree, "top": [t for t in tree if t["level"] == 1],
            "findings": findings, "charts": charts(fund, ev, data)}


def _num(value: Decimal) -> str:
    return f"{value:f}"


def charts(fund: Fund, ev: Evaluation, data: dict[str, Any]) -> dict[str, Any]:
    """Chart series: fund flow (Sankey), spending by use, score by indicator."""
    d = ev.dossier
    names = {r.id: r.name for r in fund.recipients.all()}
    by_code = {r.code: r for r in fund.recipients.all()}
    links: list[dict[str, str]] = []
    nodes: set[str] = set()
    origin = d.fund.budget_unit

    def link(source: str, target: str, value: Decimal) -> None:
        if value > 0:
            nodes.update((source, target))
            links.append({"source": source, "target": target, "value": _num(value)})

    for a in d.arrivals:
        link(origin, by_code[a.recipient].name, a.amount)
    per_city: dict[str, Decimal] = {}
    for g in d.agreements:
        r = by_code[g.recipient]
        if r.kind == "city" and r.parent_id:
            per_city[g.recipient] = per_city.get(g.recipient, Decimal(0)) + g.amount
    for code, amount in per_city.items():
        r = by_code[code]
        assert r.parent_id is not None  # per_city holds cities with a parent only
        link(names[r.parent_id], r.name, amount)
    per_county: dict[int, Decimal] = {}
    for p in fund.projects.select_related("recipient"):
        if p.recipient.kind == "county":
            per_county[p.recipient_id] = per_county.get(p.recipient_id, Decimal(0)) + p.budget
    for rid, amount in per_county.items():
        county = next(r for r in by_code.values() if r.id == rid)
        if county.parent_id:
            link(names[county.parent_id], county.name, amount)
    uses: dict[str, dict[str, str]] = {}
    categories: list[str] = []
    for s in d.spending:
        for u in s.by_use:
            if u.category not in categories:
                categories.append(u.category)
            uses.setdefault(by_code[s.recipient].name, {})[u.category] = _num(u.amount)
    leaves = [i for i in data["indicators"] if not any(
        j["path"].startswith(i["path"] + "/") for j in data["indicators"])]
    return {
        "unit": d.fund.money_unit,
        "sankey": {"nodes": [{"name": n} for n in sorted(nodes)], "links": links},
        "uses": {"categories": categories,
                 "series": [{"name": k, "values": [v.get(c) for c in categories]}
                            for k, v in uses.items()]},
        "scores": {"names": [i["name"] for i in leaves],
                   "weights": [i["weight"] for i in leaves],
                   "scores": [i["score"] for i in leaves]},
    }


def payment_execution(job: Any) -> dict[str, Any] | None:
    """The dashboard's 台账执行情况 from a finished import's stored summary (formatting only)."""
    if job is None or not job.result:
        return None
    data = job.result
    return {
        "job": job,
        "rows": data["rows"],
        "unit": data.get("execution_unit", ""),
        "totals": [{**t, "amount": fmt(Decimal(t["amount"]))} for t in data["totals"]],
        "by_type": [
            {"type": TYPE_LABELS.get(k, k), "amount": fmt(Decimal(v))}
            for k, v in data["by_type"].items()
        ],
        "execution": [
            {**r, "budget": fmt(Decimal(r["budget"])), "executed": fmt(Decimal(r["executed"])),
             "rate": fmt(Decimal(r["rate"])) if r["rate"] is not None else "—"}
            for r in data["execution"]
        ],
        "findings": [
            {**f, "severity_label": SEVERITY.get(f["severity"], f["severity"])}
            for f in data["findings"]
        ],
    }

