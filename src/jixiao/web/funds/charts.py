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
from django.utils.translation import gettext, pgettext

from jixiao.core import next_year
from jixiao.core.dossier import Dossier, Recipient, subtree, walk_recipients
from jixiao.core.numbers import fmt
from jixiao.core.shown import recipient_agreements
from jixiao.web.funds import geo
from jixiao.web.funds.access import evaluate, fund_for, per_version
from jixiao.web.funds.models import KIND_LABELS, Fund
from jixiao.web.units import unit_label

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


def _with_unit(label: str, unit: str) -> str:
    """"资金流向（万元）" in the page's language ("Fund flow (10k yuan)")."""
    return gettext("%(label)s（%(unit)s）") % {"label": label, "unit": unit} if unit else label


def charts(fund: Fund, d: Dossier, data: dict[str, Any]) -> dict[str, Any]:
    unit = unit_label(d.fund.money_unit)
    return {"unit": unit, "sankey": sankey(d, project_budgets(fund)),
            "uses": uses(d), "scores": scores(data),
            "titles": {"sankey": _with_unit(gettext("资金流向"), unit),
                       "uses": _with_unit(gettext("分用途支出"), unit)}}


# --- the county map ---------------------------------------------------------------------------
#
# What a county can be coloured by. Every value is the core's: 分配金额 is the county's shown
# 协议数 (`core.shown.recipient_agreements`), else — as in the Sankey — the budget of its
# projects in the 项目库; 资金执行率 is `core.next_year.recipient_results` (shown spending ÷
# the money that arrived, where the dossier has both for the county); 项目执行率 is
# `core.next_year.project_results` over the 项目库; a result (考核得分 …) is a numeric
# attribute of the recipient, read by the same `recipient_results` the allocation
# calculator's 绩效因素 uses. A county without a value has none: it is drawn grey and listed.

ALLOCATED = "allocated"
EXECUTION = "execution"
PROJECT_EXECUTION = "project_execution"
RESULT = "result:"  # + the attribute's name
ADCODE_KEYS = ("adcode", "行政区划代码")  # where a county is, not a result
RATE_PLACES = 2


def _adcode(node: Recipient) -> str:
    for key in ADCODE_KEYS:
        value = node.attributes.get(key)
        if value not in (None, "", False):
            return str(value).split(".")[0]
    return ""


def _counties(d: Dossier) -> list[tuple[Recipient, str, str]]:
    """Every county of the recipient tree with its province's and city's names."""
    out: list[tuple[Recipient, str, str]] = []

    def visit(nodes: list[Recipient], province: str, city: str) -> None:
        for node in nodes:
            if node.kind == "county":
                out.append((node, province, city))
            visit(node.children, node.name if node.kind == "province" else province,
                  node.name if node.kind == "city" else city)

    visit(d.recipients, "", "")
    return out


def _maybe(value: Decimal | None) -> str | None:
    return None if value is None else _num(value)


def _rate(value: Decimal | None) -> str | None:
    return None if value is None else fmt(value, RATE_PLACES)


def county_values(
    fund: Fund, d: Dossier, counties: list[Recipient]
) -> dict[str, dict[str, str | None]]:
    """Each measure's value per county id (decimal text; None: no value), the measures in
    the order the selector offers them."""
    projects = [(p.recipient.code, p.budget, p.spent)
                for p in fund.projects.select_related("recipient")]
    budgets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code, budget, _ in projects:
        budgets[code] += budget
    with_agreements = {a.recipient for a in d.agreements}

    def allocated(node: Recipient) -> str | None:
        stated = node.stated is not None and node.stated.agreements is not None
        if stated or any(n.id in with_agreements for n in subtree(node)):
            return _num(recipient_agreements(d, node, None).value)
        budget = sum((budgets.get(n.id, ZERO) for n in subtree(node)), ZERO)
        return _num(budget) if budget else None

    executed = next_year.recipient_results(d, next_year.EXECUTION_RATE)
    by_projects = next_year.project_results(d, projects)
    out: dict[str, dict[str, str | None]] = {
        ALLOCATED: {n.id: allocated(n) for n in counties},
        EXECUTION: {n.id: _rate(executed[n.id].value) for n in counties},
        PROJECT_EXECUTION: {n.id: _rate(by_projects[n.id].value) for n in counties},
    }
    for name in next_year.measures(d)[1:]:
        if name in ADCODE_KEYS:
            continue
        found = next_year.recipient_results(d, name)
        out[RESULT + name] = {n.id: _maybe(found[n.id].value) for n in counties}
    return out


def county_map(fund: Fund, d: Dossier) -> dict[str, Any]:
    """The fund's counties matched to outlines, with each measure's value; the reason for each
    one not matched. ``features`` is a GeoJSON FeatureCollection of the matched ones only;
    ``measures`` the measures at least one matched county has a value of. Language-free (it is
    kept per data version): `map_summary` adds the words."""
    counties = _counties(d)
    result: dict[str, Any] = {"available": geo.available(), "install": geo.INSTALL_HINT,
                              "matched": [], "unmatched": [], "measures": [],
                              "features": {"type": "FeatureCollection", "features": []}}
    if not counties:
        result["empty"] = "no-counties"
        return result
    if not geo.available():
        result["empty"] = "no-package"
        return result
    values = county_values(fund, d, [node for node, _, _ in counties])
    features = []
    for node, province, city in counties:
        found = geo.find(node.name, province, city, _adcode(node))
        if isinstance(found, str):
            result["unmatched"].append({"name": node.name, "province": province,
                                        "reason": found})
            continue
        own = {key: by_county[node.id] for key, by_county in values.items()}
        result["matched"].append({"name": node.name, "adcode": found.adcode,
                                  "place": f"{found.province}{found.city}{found.district}",
                                  **own})
        features.append({"type": "Feature", "id": found.adcode,
                         "properties": {"name": node.name, "adcode": found.adcode,
                                        "recipient": node.id, **own},
                         "geometry": geo.geometry(found)})
    result["features"]["features"] = features
    result["measures"] = [key for key in values
                          if any(row[key] is not None for row in result["matched"])]
    result["empty"] = "" if features else "no-match"
    return result


def measure_words(key: str, money_unit: str) -> tuple[str, str]:
    """A measure's label and unit in the page's language (a result's name is data)."""
    if key == ALLOCATED:
        return gettext("分配金额"), unit_label(money_unit)
    if key == EXECUTION:
        return gettext("资金执行率（支出 ÷ 到位）"), "%"
    if key == PROJECT_EXECUTION:
        return gettext("项目执行率（项目库）"), "%"
    return key.removeprefix(RESULT), ""


def _map_key() -> str:
    """The map's cache key: with or without outlines; v2 since it holds every measure."""
    return f"county-map-v2-{int(geo.available())}"


def map_summary(fund: Fund, d: Dossier) -> dict[str, Any]:
    """What the dashboard shows beside the map: everything but the outlines, and for each
    measure its label, unit and the counties without a value (drawn grey, listed as 无数据)."""
    full = per_version(fund, _map_key(), lambda: county_map(fund, d))
    summary = {k: v for k, v in full.items() if k != "features"}
    measures = []
    for key in full["measures"]:
        label, unit = measure_words(key, d.fund.money_unit)
        measures.append({"key": key, "label": label, "unit": unit,
                         "legend": _with_unit(label, unit),
                         "missing": [row["name"] for row in full["matched"]
                                     if row[key] is None]})
    summary["measures"] = measures
    return summary


def map_data(request: HttpRequest, pk: int) -> JsonResponse:
    """GET: the GeoJSON FeatureCollection of the fund's counties (kept per data version), with
    the recipients that could not be placed under ``unmatched``."""
    fund = fund_for(request.user, pk)
    ev, _ = evaluate(fund)
    if ev is None:
        body: dict[str, Any] = {"type": "FeatureCollection", "features": [], "unmatched": []}
        return JsonResponse(body)
    full = per_version(fund, _map_key(), lambda: county_map(fund, ev.dossier))
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
        "map": gettext("受援县分布"), "none": gettext("无数据"),
        "separator": pgettext("between a name and its value", "："),
    }
