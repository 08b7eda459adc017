"""From one fund-year to the next: what a new year starts from, and how last year's results
feed next year's money.

A fund runs for several years (the seed's 5年过渡期), and last year's problems are this year's
targets. ``next_year`` turns a fund-year's dossier data (the plain data of
``Dossier.model_dump(mode="python")``) into the data of the following year:

* kept: the fund (year + 1), the weight template, grade bands and scoring conventions, the
  overall goal's expectation, the recipient tree (with its attributes, e.g. 重点帮扶县), the
  indicator tree with every name, weight, method, direction, target, unit and rule setting,
  and the custom rules;
* cleared: what is measured or stated in a year — each indicator's actual value, survey
  counts, 达成档次, score, reasons, deductions, occurrences, analysis, evidence and stated
  score/rate; the stated evaluation, adjustments, narrative, figures, the recipients' stated
  totals; and the year's money (agreements, arrivals, budget, spending, plan-vs-actual,
  allocations), problems and improvements (open problems continue in the rectification ledger,
  not in the dossier).

Such a year is not yet measurable: its quantitative leaves have no actual value, so it is not a
valid `Dossier` until they are filled. ``unfilled`` names those leaves, and ``with_stand_ins``
fills a copy with stand-in measurements so that everything *else* can be validated while the
year is being filled in; the stand-ins are never shown or stored.

``recipient_results`` reads a fund-year's per-recipient results (资金执行率, or a numeric
recipient attribute such as a 考核得分), and ``project_results`` the 项目执行率 of the
projects each recipient recorded, so that the allocation calculator can use them as a
绩效因素 column (``fill_factor``): results feed next year's money.

Pure Python, no I/O: the CLI (`jixiao next-year`) and the web share it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from jixiao.core import rates
from jixiao.core.dossier import Dossier, Recipient, subtree
from jixiao.core.shown import spending_total

# An indicator's fields measured or stated in a year: cleared (to None, or to the default).
CLEARED_INDICATOR: dict[str, Any] = {
    "actual": None, "survey": None, "level": None, "score": None, "reason": None,
    "deductions": [], "analysis": None, "evidence": None, "stated_score": None,
    "stated_rate": None,
}
# Top-level blocks of a year's money, statements and findings: not carried into the next year.
CLEARED_BLOCKS: dict[str, Any] = {
    "narrative": {}, "recipient_totals": None, "agreements": [], "arrivals": [],
    "budget": None, "spending": [], "plan_actual": [], "figures": [], "allocations": [],
    "evaluation": {}, "adjustments": [], "problems": [], "improvements": [],
}
# Methods whose leaves need a measurement before the year can be scored.
MEASURED = ("quantitative", "stepped", "range")
EXECUTION_RATE = "资金执行率"
PROJECT_EXECUTION = "项目执行率"  # of the 项目库 the web keeps per recipient


def _leaves(nodes: list[dict[str, Any]], parent: str = "") -> Iterator[tuple[dict[str, Any], str]]:
    for node in nodes:
        path = f"{parent}/{node.get('name')}" if parent else str(node.get("name"))
        children = node.get("children") or []
        if children:
            yield from _leaves(children, path)
        else:
            yield node, path


def walk(nodes: list[dict[str, Any]], parent: str = "") -> Iterator[tuple[dict[str, Any], str]]:
    """Every indicator node of plain dossier data with its path (名称/名称/…), parents first."""
    for node in nodes:
        path = f"{parent}/{node.get('name')}" if parent else str(node.get("name"))
        yield node, path
        yield from walk(node.get("children") or [], path)


def next_year(data: Mapping[str, Any], year: int | None = None) -> dict[str, Any]:
    """The data of the fund-year after ``data`` (or of ``year``): see the module docstring.
    ``data`` is left unchanged."""
    out = copy.deepcopy(dict(data))
    fund = dict(out.get("fund") or {})
    fund["year"] = year if year is not None else int(fund.get("year") or 0) + 1
    fund["base_date"] = None
    out["fund"] = fund
    for key, empty in CLEARED_BLOCKS.items():
        if key in out:
            out[key] = copy.deepcopy(empty)
    goal = out.get("goal")
    if isinstance(goal, dict):
        out["goal"] = {**goal, "achieved": None}
    for node, _ in walk(out.get("indicators") or []):
        for key, empty in CLEARED_INDICATOR.items():
            if key in node:
                node[key] = copy.deepcopy(empty)
        for occurrence in node.get("per_occurrence") or []:
            if isinstance(occurrence, dict):
                occurrence["count"] = 0
    _clear_stated(out.get("recipients") or [])
    return out


def _clear_stated(nodes: list[dict[str, Any]]) -> None:
    for node in nodes:
        if isinstance(node, dict):
            node["stated"] = None
            _clear_stated(node.get("children") or [])


def _is_number(value: object) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _missing(node: dict[str, Any], data: Mapping[str, Any]) -> bool:
    method = node.get("method")
    if method in MEASURED:
        return node.get("survey") is None and node.get("actual") is None
    if method == "qualitative":
        return node.get("level") is None
    if method == "manual":
        return node.get("score") is None
    if method == "execution":
        return data.get("budget") is None
    return False


def unfilled(data: Mapping[str, Any]) -> list[str]:
    """Paths of the leaves still waiting for this year's measurement: no actual value (or
    survey) for a measured method, no 达成档次 for a qualitative one, no score for a manual
    one, no budget for one scored by budget execution. A deduction leaf is never unfilled:
    without deductions it keeps its full weight."""
    return [path for node, path in _leaves(data.get("indicators") or []) if _missing(node, data)]


def with_stand_ins(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` whose unfilled leaves carry stand-in measurements (the target, the
    range's lower bound, 达成, the full weight, a budget of 1 executed 0), so that a
    validation of the copy judges everything but the missing measurements. Never shown."""
    out = copy.deepcopy(dict(data))
    for node, _ in _leaves(out.get("indicators") or []):
        if not _missing(node, out):
            continue
        method = node.get("method")
        if method in MEASURED:
            target, lower = node.get("target"), node.get("lower")
            node["actual"] = (target if _is_number(target)
                              else lower if _is_number(lower) else Decimal(0))
        elif method == "qualitative":
            node["level"] = "达成"
        elif method == "manual":
            node["score"] = node.get("weight")
        elif method == "execution":
            out["budget"] = {"annual": Decimal(1), "executed": Decimal(0)}
    return out


# --- results feed next year's money ----------------------------------------------------------


@dataclass(frozen=True)
class RecipientResult:
    """One recipient's result in a fund-year, for a 绩效因素 column."""

    code: str
    name: str
    value: Decimal | None  # None: no result (e.g. nothing arrived, so no 执行率)


def measures(d: Dossier) -> list[str]:
    """What can be read per recipient: 资金执行率, then every numeric recipient attribute."""
    names: list[str] = []
    stack = list(d.recipients)
    while stack:
        node = stack.pop(0)
        for key, value in node.attributes.items():
            if _is_number(value) and key not in names:
                names.append(key)
        stack.extend(node.children)
    return [EXECUTION_RATE, *names]


def _all(nodes: list[Recipient]) -> Iterator[Recipient]:
    for node in nodes:
        yield node
        yield from _all(node.children)


def recipient_results(d: Dossier, measure: str = EXECUTION_RATE) -> dict[str, RecipientResult]:
    """Each recipient's result by its id: 资金执行率 = the shown spending of its subtree ÷ the
    money that arrived in its subtree (percent, exact), or the recipient's numeric attribute
    named ``measure``."""
    out: dict[str, RecipientResult] = {}
    for node in _all(d.recipients):
        value: Decimal | None
        if measure == EXECUTION_RATE:
            ids = {n.id for n in subtree(node)}
            arrived = sum((a.amount for a in d.arrivals if a.recipient in ids), Decimal(0))
            spent = sum((spending_total(s).value for s in d.spending if s.recipient in ids),
                        Decimal(0))
            has_spending = any(s.recipient in ids for s in d.spending)
            value = rates.execution(spent, arrived) if arrived and has_spending else None
        else:
            raw = node.attributes.get(measure)
            value = Decimal(raw) if isinstance(raw, Decimal | int) and not isinstance(
                raw, bool) else None
        out[node.id] = RecipientResult(node.id, node.name, value)
    return out


def project_results(
    d: Dossier, projects: Iterable[tuple[str, Decimal, Decimal]]
) -> dict[str, RecipientResult]:
    """Each recipient's 项目执行率 by its id: the spending ÷ the budget of the projects
    (项目库: recipient id, budget, spent) in its subtree, percent, exact; None without a
    project budget."""
    budget: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for rid, b, s in projects:
        budget[rid] = budget.get(rid, Decimal(0)) + b
        spent[rid] = spent.get(rid, Decimal(0)) + s
    out: dict[str, RecipientResult] = {}
    for node in _all(d.recipients):
        ids = [n.id for n in subtree(node)]
        total = sum((budget.get(i, Decimal(0)) for i in ids), Decimal(0))
        used = sum((spent.get(i, Decimal(0)) for i in ids), Decimal(0))
        value = rates.execution(used, total) if total else None
        out[node.id] = RecipientResult(node.id, node.name, value)
    return out


def fill_factor(
    recipients: list[dict[str, Any]], factor: str, results: Mapping[str, RecipientResult],
    notes: list[tuple[int, str]] | None = None,
) -> list[tuple[int, str]]:
    """Write each allocation recipient's result into its ``values[factor]`` (in place),
    matched by code, else by name. Returns (row index, message) for every recipient without
    a result; a value already given for the factor is kept, and said in ``notes`` (row index,
    message) when the fund-year has no result for it or another one."""
    by_name: dict[str, RecipientResult] = {}
    for result in results.values():
        by_name.setdefault(result.name, result)
    errors: list[tuple[int, str]] = []
    for i, row in enumerate(recipients):
        values = row.setdefault("values", {})
        if not isinstance(values, dict):
            continue
        code, name = row.get("code"), row.get("name")
        found = results.get(str(code)) if code else None
        if found is None:
            found = by_name.get(str(name))
        given = values.get(factor)
        if given not in (None, ""):
            if notes is not None and (found is None or found.value != given):
                notes.append((i, f"「{name}」沿用方案所列的 {given}" + (
                    "（不在所选资金年度的受益对象中）" if found is None else
                    "（所选资金年度没有可用的结果）" if found.value is None else
                    f"（所选资金年度的结果为 {found.value}）")))
            continue
        if found is None:
            errors.append((i, f"「{name}」不在所选资金年度的受益对象中，无法取得其评价结果"))
        elif found.value is None:
            errors.append((i, f"「{name}」在所选资金年度没有「{factor}」可用的结果"))
        else:
            values[factor] = found.value
    return errors
