"""A 自评表 (self-evaluation form) imported over an existing fund-year.

The form holds only part of a dossier: the indicators with their targets, actuals and scores,
the headline money (项目资金), the overall goal, the stated total and grade, 加分/减分 rows and
the problems and measures written as deductions. Everything else — recipients, agreements,
arrivals, spending by use, plan/actual lines, figures, allocations, the narrative, the fund's
legal basis — is absent from the form, not emptied by it, so the stored values are kept.
Within what the form holds, the details it does not carry (an indicator's id, evidence and
stated rate, the reason apart from the analysis, a problem's detail and amount, the budget's
level) are kept where the form shows the same thing as before.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.dossier import Dossier
from jixiao.core.numbers import convert
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.web.funds import mapping
from jixiao.web.funds import models as m

BUDGET_AMOUNTS = ("initial", "annual", "arrived", "executed")


def same(a: Any, b: Any) -> bool:
    """Equal values, numbers compared by value (13.40 is 13.4)."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return bool(a == b)


def merge_form(fund: m.Fund, form: Dossier) -> Dossier:
    """The fund's stored dossier with what ``form`` holds written over it (see the module).
    Raises InputError when the result is not a valid dossier."""
    old = mapping.dossier_data(fund)
    new = form.model_dump(mode="python")
    out = dict(old)
    old_fund = dict(old.get("fund") or {})
    out["fund"] = _fund(old_fund, new["fund"])
    out["narrative"] = {**(old.get("narrative") or {}), **new["narrative"]}
    out["template"] = new["template"]
    out["adjustments"] = new["adjustments"]
    for key in ("goal", "grade_bands"):
        if new[key] is not None:
            out[key] = new[key]
    out["scoring"] = {**(old.get("scoring") or {}),
                      **form.scoring.model_dump(mode="python", exclude_defaults=True)}
    if new["budget"] is not None:
        unit = old_fund.get("money_unit") or new["fund"]["money_unit"]
        out["budget"] = _budget(old.get("budget"), new["budget"], new["fund"]["money_unit"],
                                unit)
    out["evaluation"] = _evaluation(old.get("evaluation") or {}, new["evaluation"])
    problem_ids = _append_new(old.get("problems") or [], new["problems"], "P", out, "problems")
    improvements = [{**i, "problems": [problem_ids.get(p, p) for p in i["problems"]]}
                    for i in new["improvements"]]
    _append_new(old.get("improvements") or [], improvements, "M", out, "improvements")
    before = {path: node for node, path in _walk(old.get("indicators") or [])}
    out["indicators"] = new["indicators"]
    for node, path in reversed(_walk(out["indicators"])):  # children before their parent
        _keep_indicator_details(node, before.get(path))
        for d in node.get("deductions") or []:
            if d.get("problem"):
                d["problem"] = problem_ids.get(d["problem"], d["problem"])
    return parse_dossier(out, file=str(fund))


def _walk(nodes: list[dict[str, Any]], parent: str = ""
          ) -> list[tuple[dict[str, Any], str]]:
    found: list[tuple[dict[str, Any], str]] = []
    for node in nodes:
        path = f"{parent}/{node['name']}" if parent else node["name"]
        found.append((node, path))
        found.extend(_walk(node.get("children") or [], path))
    return found


def _fund(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = {**old, "name": new["name"], "year": new["year"]}
    out.setdefault("money_unit", new["money_unit"])
    # The form's 主管部门 shows the department, else the budget unit: the same text as
    # written means unchanged; another text is the new department and budget unit.
    if new.get("department") != (old.get("department") or old.get("budget_unit")):
        out["department"], out["budget_unit"] = new.get("department"), new["budget_unit"]
    if new.get("implementer"):
        out["implementer"] = new["implementer"]
    return out


def _budget(old: dict[str, Any] | None, new: dict[str, Any], unit: str, to_unit: str
            ) -> dict[str, Any]:
    out = dict(new)
    if unit != to_unit:  # the stored money rows keep their unit: the form's amounts follow it
        def conv(row: dict[str, Any]) -> dict[str, Any]:
            return {k: (convert(v, unit, to_unit) if k in BUDGET_AMOUNTS and v is not None
                        else v) for k, v in row.items()}
        out = conv(out)
        out["rows"] = [conv(r) for r in out.get("rows") or []]
    if old and out.get("level") is None:  # not on the form
        out["level"] = old.get("level")
    return out


def _evaluation(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    out = dict(new)
    if out.get("stated_rate") is None and same(old.get("stated_total"), out.get("stated_total")):
        out["stated_rate"] = old.get("stated_rate")  # not on the form; still true
    return out


def _append_new(old: list[dict[str, Any]], new: list[dict[str, Any]], prefix: str,
                out: dict[str, Any], key: str) -> dict[str, str]:
    """Keep the stored items (the form shows only some, without their details); add the
    form's items whose title is new, under ids not yet used. Returns form id → kept id."""
    by_title = {item["title"]: item["id"] for item in old}
    used = {item["id"] for item in old}
    ids: dict[str, str] = {}
    added = []
    n = 0
    for item in new:
        if item["title"] in by_title:
            ids[item["id"]] = by_title[item["title"]]
            continue
        n += 1
        while f"{prefix}{n}" in used:
            n += 1
        ids[item["id"]] = f"{prefix}{n}"
        used.add(ids[item["id"]])
        by_title[item["title"]] = ids[item["id"]]
        added.append({**item, "id": ids[item["id"]]})
    out[key] = [*old, *added]
    return ids


def _keep_indicator_details(node: dict[str, Any], old: dict[str, Any] | None) -> None:
    if old is None:
        return
    for key in ("id", "evidence"):
        if node.get(key) is None:
            node[key] = old.get(key)
    if node.get("stated_rate") is None and all(
            same(node.get(k), old.get(k)) for k in ("target", "actual")):
        node["stated_rate"] = old.get("stated_rate")
    # A parent's stated score is written only when it is not its children's sum: kept while
    # it still is that sum.
    children = node.get("children") or []
    if node.get("stated_score") is None and children and old.get("stated_score") is not None:
        scores = [c.get("stated_score") for c in children]
        if None not in scores and sum(scores, Decimal(0)) == old["stated_score"]:
            node["stated_score"] = old["stated_score"]
    # One column holds both texts: the analysis, else the reason, as the form was written.
    if (node.get("analysis") or None) == (old.get("analysis") or old.get("reason") or None):
        node["reason"], node["analysis"] = old.get("reason"), old.get("analysis")
