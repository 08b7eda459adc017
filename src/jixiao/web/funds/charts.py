"""The dashboard's charts as data: the fund flow (Sankey, one column per level), spending by
use, scores, and the county map (GeoJSON of the fund's own counties). Amounts are exact decimal
strings; each chart that has nothing to draw carries the reason (``empty``) instead.

The Sankey's flows are the money the dossier states, nothing inferred: sources (协议数 by level
of government: 省级、市级…) → each level of the recipient tree (受援省/工作队 → 帮扶市 → 县; a
county's amount is its own 协议数, else its projects' budgets from the 项目库) → use categories
(分用途支出, drawn from a recipient with no money passed further down). Every drawn node's
in-flow equals its out-flow: what a level passes down short of what it got is a node 未落实到下级,
what it spends short of its sources goes to 未支出/结转, and spending beyond the sources comes
from a node 支出超出来源, so a gap the checks find is seen in the picture too.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext

from jixiao.core.dossier import Dossier, Recipient, walk_recipients
from jixiao.core.numbers import fmt, percent
from jixiao.web.funds import geo
from jixiao.web.funds.access import evaluate, fund_for, per_version
from jixiao.web.funds.models import KIND_LABELS, Fund

ZERO = Decimal(0)


def _num(value: Decimal) -> str:
    return f"{value:f}"


class _Flows:
    """Nodes (unique names, each in one column) and links, added up per pair."""

    def __init__(self) -> None:
        self.depth: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.links: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)

    def node(self, name: str, depth: int, kind: str) -> str:
        shown = name
        n = 2
        while shown in self.depth and (self.depth[shown], self.kind[shown]) != (depth, kind):
            shown = f"{name}（{n}）"
            n += 1
        self.depth[shown], self.kind[shown] = depth, kind
        return shown

    def link(self, source: str, target: str, value: Decimal) -> None:
        if value > 0:
            self.links[(source, target)] += value


def _source_label(level: str) -> str:
    """"省级资金": the source column's node for one level of government."""
    known = {"中央": gettext("中央资金"), "省级": gettext("省级资金"), "市级": gettext("市级资金"),
             "县级": gettext("县级资金"), "其他": gettext("其他资金")}
    return known.get(level) or gettext("%(level)s资金") % {"level": level}


def _tree_depths(d: Dossier) -> dict[str, int]:
    depths: dict[str, int] = {}

    def visit(nodes: list[Recipient], depth: int) -> None:
        for node in nodes:
            depths[node.id] = depth
            visit(node.children, depth + 1)

    visit(d.recipients, 1)
    return depths


def sankey(d: Dossier, project_budgets: dict[str, Decimal]) -> dict[str, Any]:
    """Nodes with their column (``depth``), links, the columns' labels and notes."""
    flows = _Flows()
    depths = _tree_depths(d)
    by_recipient: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for a in d.agreements:
        by_recipient[a.recipient][a.level] += a.amount
    spent: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for s in d.spending:
        for u in s.by_use:
            spent[s.recipient][u.category] += u.amount

    def levels_in(node: Recipient) -> dict[str, Decimal]:
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        stack = [node]
        while stack:
            n = stack.pop()
            for level, amount in by_recipient.get(n.id, {}).items():
                out[level] += amount
            stack.extend(n.children)
        if not any(out.values()):
            budgets = sum((project_budgets.get(n.id, ZERO) for n, _ in walk_recipients([node])),
                          ZERO)
            if budgets > 0:
                out[gettext("项目库预算")] = budgets
        return out

    def inflow(node: Recipient) -> Decimal:
        return sum(levels_in(node).values(), ZERO)

    names: dict[str, str] = {}
    drawn: list[tuple[Recipient, Decimal]] = []
    uses_above: list[str] = []

    def visit(node: Recipient, amount: Decimal) -> None:
        depth = depths[node.id]
        names[node.id] = flows.node(node.name, depth, "recipient")
        drawn.append((node, amount))
        for child in node.children:
            value = inflow(child)
            if value > 0:
                visit(child, value)

    for top in d.recipients:
        value = inflow(top)
        if value <= 0:
            continue
        visit(top, value)
        for level, amount in levels_in(top).items():
            label = level if level == gettext("项目库预算") else _source_label(level)
            flows.link(flows.node(label, 0, "source"), names[top.id], amount)
    if not drawn:
        return {"nodes": [], "links": [], "columns": [], "notes": [], "empty": "flows"}
    last = max(depths[n.id] for n, _ in drawn)
    uses_depth = last + 1
    for node, amount in drawn:
        here = names[node.id]
        passed = ZERO
        for child in node.children:
            if child.id in names:
                value = inflow(child)
                flows.link(here, names[child.id], value)
                passed += value
        if passed > 0:
            if node.id in spent:
                uses_above.append(node.name)
            gap = amount - passed
            below = depths[node.id] + 1
            if gap > 0:
                flows.link(here, flows.node(gettext("未落实到下级"), below, "gap"), gap)
            elif gap < 0:
                flows.link(flows.node(gettext("超出上级安排"), 0, "gap"), here, -gap)
            continue
        uses = spent.get(node.id)
        if not uses:
            continue
        for category, value in uses.items():
            flows.link(here, flows.node(category, uses_depth, "use"), value)
        gap = amount - sum(uses.values(), ZERO)
        if gap > 0:
            flows.link(here, flows.node(gettext("未支出/结转"), uses_depth, "gap"), gap)
        elif gap < 0:
            flows.link(flows.node(gettext("支出超出来源"), 0, "gap"), here, -gap)
    kinds: dict[int, list[str]] = defaultdict(list)
    for node, _ in drawn:
        label = str(KIND_LABELS.get(node.kind, node.kind))
        if label not in kinds[depths[node.id]]:
            kinds[depths[node.id]].append(label)
    columns = [gettext("资金来源"), *("、".join(kinds[k]) for k in range(1, last + 1))]
    if any(kind == "use" for kind in flows.kind.values()):
        columns.append(gettext("用途"))
    used = {name for pair in flows.links for name in pair}
    return {
        "nodes": [{"name": n, "depth": flows.depth[n], "kind": flows.kind[n]}
                  for n in sorted(flows.depth, key=lambda n: flows.depth[n]) if n in used],
        "links": [{"source": s, "target": t, "value": _num(v)}
                  for (s, t), v in flows.links.items()],
        "columns": columns,
        "notes": uses_above,
        "empty": "",
    }


def uses(d: Dossier) -> dict[str, Any]:
    names = {r.id: r.name for r, _ in walk_recipients(d.recipients)}
    table: dict[str, dict[str, str]] = {}
    categories: list[str] = []
    for s in d.spending:
        for u in s.by_use:
            if u.category not in categories:
                categories.append(u.category)
            table.setdefault(names.get(s.recipient, s.recipient), {})[u.category] = _num(u.amount)
    return {"categories": categories,
            "series": [{"name": k, "values": [v.get(c) for c in categories]}
                       for k, v in table.items()],
            "empty": "" if categories else "uses"}


def scores(data: dict[str, Any]) -> dict[str, Any]:
    items = data["indicators"]
    leaves = [i for i in items if not any(j["path"].startswith(i["path"] + "/") for j in items)]
    shown = [i for i in leaves if i["score"] is not None]
    return {"names": [i["name"] for i in shown], "weights": [i["weight"] for i in shown],
            "scores": [i["score"] for i in shown], "empty": "" if shown else "scores"}


def project_budgets(fund: Fund) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in fund.projects.select_related("recipient"):
        out[p.recipient.code] += p.budget
    return dict(out)


def charts(fund: Fund, d: Dossier, data: dict[str, Any]) -> dict[str, Any]:
    return {"unit": d.fund.money_unit, "sankey": sankey(d, project_budgets(fund)),
            "uses": uses(d), "scores": scores(data)}


# --- the county map ---------------------------------------------------------------------------


def _adcode(node: Recipient) -> str:
    for key in ("adcode", "行政区划代码"):
        value = node.attributes.get(key)
        if value not in (None, "", False):
            return str(value).split(".")[0]
    return ""


def county_map(fund: Fund, d: Dossier) -> dict[str, Any]:
    """The fund's counties matched to outlines, with their measures; the reason for each one
    not matched. ``features`` is a GeoJSON FeatureCollection of the matched ones only."""
    counties: list[tuple[Recipient, str, str]] = []

    def visit(nodes: list[Recipient], province: str, city: str) -> None:
        for node in nodes:
            if node.kind == "county":
                counties.append((node, province, city))
            visit(node.children, node.name if node.kind == "province" else province,
                  node.name if node.kind == "city" else city)

    visit(d.recipients, "", "")
    result: dict[str, Any] = {"available": geo.available(), "install": geo.INSTALL_HINT,
                              "matched": [], "unmatched": [], "measures": [],
                              "features": {"type": "FeatureCollection", "features": []}}
    if not counties:
        result["empty"] = "no-counties"
        return result
    if not geo.available():
        result["empty"] = "no-package"
        return result
    agreed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in d.agreements:
        agreed[a.recipient] += a.amount
    budget: dict[str, Decimal] = defaultdict(lambda: ZERO)
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in fund.projects.select_related("recipient"):
        budget[p.recipient.code] += p.budget
        spent[p.recipient.code] += p.spent
    features = []
    for node, province, city in counties:
        found = geo.find(node.name, province, city, _adcode(node))
        if isinstance(found, str):
            result["unmatched"].append({"name": node.name, "province": province,
                                        "reason": found})
            continue
        allocated = agreed.get(node.id) or budget.get(node.id)
        rate = percent(spent[node.id], budget[node.id]) if budget.get(node.id) else None
        values = {"allocated": _num(allocated) if allocated else None,
                  "spent": _num(spent[node.id]) if node.id in spent else None,
                  "rate": fmt(rate) if rate is not None else None}
        result["matched"].append({"name": node.name, "adcode": found.adcode,
                                  "place": f"{found.province}{found.city}{found.district}",
                                  **values})
        features.append({"type": "Feature", "id": found.adcode,
                         "properties": {"name": node.name, "adcode": found.adcode,
                                        "recipient": node.id, **values},
                         "geometry": geo.geometry(found)})
    result["features"]["features"] = features
    result["measures"] = [m for m in ("allocated", "spent", "rate")
                          if any(row[m] is not None for row in result["matched"])]
    result["empty"] = "" if features else "no-match"
    return result


def map_summary(fund: Fund, d: Dossier) -> dict[str, Any]:
    """What the dashboard shows beside the map: everything but the outlines."""
    full = per_version(fund, f"county-map-{int(geo.available())}", lambda: county_map(fund, d))
    return {k: v for k, v in full.items() if k != "features"}


def map_data(request: HttpRequest, pk: int) -> JsonResponse:
    """GET: the GeoJSON FeatureCollection of the fund's counties (kept per data version), with
    the recipients that could not be placed under ``unmatched``."""
    fund = fund_for(request.user, pk)
    ev, _ = evaluate(fund)
    if ev is None:
        body: dict[str, Any] = {"type": "FeatureCollection", "features": [], "unmatched": []}
        return JsonResponse(body)
    full = per_version(fund, f"county-map-{int(geo.available())}",
                       lambda: county_map(fund, ev.dossier))
    body = {**full["features"], "unmatched": full["unmatched"], "measures": full["measures"]}
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False,
                                                     "separators": (",", ":")})
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    return response


def labels() -> dict[str, str]:
    """The charts' words in the page's language (the drawing script has none of its own)."""
    return {
        "sankey": gettext("资金流向"), "uses": gettext("分用途支出"),
        "scores": gettext("各指标得分与分值"), "weight": gettext("分值"), "score": gettext("得分"),
        "map": gettext("受援县分布"), "allocated": gettext("安排资金"), "spent": gettext("已支出"),
        "rate": gettext("执行率（%）"), "none": gettext("无数据"),
    }
