"""Dossier ⇄ rows (cosmicpython's Django appendix): `to_domain` and `load_dossier`.

Rows are what users edit one at a time or what permissions scope; everything else of the
dossier is kept, Decimal-exact, in ``Fund.blocks``.
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from jixiao.core.dossier import Dossier
from jixiao.core.dossier import Indicator as DIndicator
from jixiao.core.dossier import Recipient as DRecipient
from jixiao.core.dossier import Spending as DSpending
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.web.funds import models as m
from jixiao.web.funds.codec import decode, encode

SPLIT = ("recipients", "agreements", "arrivals", "spending", "plan_actual", "indicators")
SUBMITTING_KINDS = ("city", "county", "work_team")

# An indicator's fields that have a column; every other field of the core `Indicator` (the
# rule-specific settings: steps, lower/upper/outside, per_unit, per_occurrence, survey,
# deduction_cap, floor, step_on, equal_convention, and whatever the core adds later) goes,
# unedited, into ``Indicator.rule``. Likewise a spending's fields beyond its columns go into
# ``Spending.extra`` (carried_over). So importing never drops a field the core knows.
INDICATOR_COLUMNS = frozenset({
    "id", "name", "weight", "method", "direction", "target", "actual", "unit", "level",
    "score", "reason", "analysis", "evidence", "stated_score", "stated_rate", "applicable",
    "reverse_convention", "deductions", "children",
})
RULE_FIELDS = frozenset(DIndicator.model_fields) - INDICATOR_COLUMNS
SPENDING_COLUMNS = frozenset({
    "id", "recipient", "sources", "stated_total", "project_count", "by_use",
})
SPENDING_EXTRA = frozenset(DSpending.model_fields) - SPENDING_COLUMNS


def _value_text(value: Decimal | str | None) -> tuple[str, bool]:
    if value is None:
        return "", False
    if isinstance(value, Decimal):
        return f"{value:f}", True
    return value, False


def _value(text: str, is_number: bool) -> Decimal | str | None:
    if text == "":
        return None
    return Decimal(text) if is_number else text


# The row blocks a partial update (a 自评表 over an existing fund-year) can leave untouched.
MONEY_BLOCKS = ("agreements", "arrivals", "spending", "plan_actual")


@transaction.atomic
def load_dossier(d: Dossier, fund: m.Fund | None = None, *,
                 keep: Collection[str] = ()) -> m.Fund:
    """Write a dossier into a new fund (or replace an existing fund's data). ``keep``: blocks
    of `MONEY_BLOCKS` whose stored rows stay as they are (the same rows, ids included)
    because ``d`` holds exactly what they hold."""
    data = d.model_dump(mode="python")
    blocks = {k: encode(v) for k, v in data.items() if k not in SPLIT}
    if fund is None:
        keep = ()  # a new fund has no rows to keep
        fund = m.Fund.objects.create(
            name=d.fund.name, year=d.fund.year, budget_unit=d.fund.budget_unit, blocks=blocks
        )
    else:
        fund.name, fund.year, fund.budget_unit = d.fund.name, d.fund.year, d.fund.budget_unit
        fund.blocks = blocks
        fund.data_version = models.F("data_version") + 1  # the cached evaluation is stale
        fund.version = models.F("version") + 1  # an open budget form is stale too
        fund.save()
        fund.refresh_from_db(fields=["data_version", "version"])
        fund.indicators.all().delete()
        for block in MONEY_BLOCKS:
            if block not in keep:
                getattr(fund, block).all().delete()
    by_code = _recipients(fund, d.recipients)
    _indicators(fund, d.indicators, None)
    for n, a in enumerate(() if "agreements" in keep else d.agreements):
        m.Agreement.objects.create(
            fund=fund, recipient=by_code[a.recipient], level=a.level, amount=a.amount,
            purpose=a.purpose or "", position=n,
        )
    for n, r in enumerate(() if "arrivals" in keep else d.arrivals):
        m.Arrival.objects.create(
            fund=fund, recipient=by_code[r.recipient], amount=r.amount, date=r.date,
            document=r.document or "", position=n,
        )
    for n, s in enumerate(() if "spending" in keep else d.spending):
        row = m.Spending.objects.create(
            fund=fund, recipient=by_code[s.recipient], code=s.id, stated_total=s.stated_total,
            project_count=s.project_count,
            sources=encode([x.model_dump(mode="python") for x in s.sources]),
            extra=encode(s.model_dump(mode="python", include=set(SPENDING_EXTRA),
                                      exclude_defaults=True)),
            position=n,
        )
        for k, u in enumerate(s.by_use):
            m.UseLine.objects.create(spending=row, category=u.category, amount=u.amount,
                                     position=k)
    for n, p in enumerate(() if "plan_actual" in keep else d.plan_actual):
        m.PlanActual.objects.create(
            fund=fund, code=p.id, name=p.name, unit=p.unit or "", plan=p.plan, actual=p.actual,
            stated_rate=p.stated_rate, position=n,
        )
    return fund


def _recipients(fund: m.Fund, nodes: list[DRecipient]) -> dict[str, m.Recipient]:
    existing = {r.code: r for r in fund.recipients.all()}
    out: dict[str, m.Recipient] = {}
    counter = iter(range(10**6))

    def add(node: DRecipient, parent: m.Recipient | None) -> None:
        extra = encode({"attributes": node.attributes,
                        "stated": node.stated.model_dump(mode="python") if node.stated else None})
        row = existing.pop(node.id, None) or m.Recipient(fund=fund, code=node.id)
        row.parent, row.name, row.kind = parent, node.name, node.kind
        row.position, row.extra = next(counter), extra
        row.save()
        out[node.id] = row
        if node.kind in SUBMITTING_KINDS:
            m.Submission.objects.get_or_create(fund=fund, recipient=row)
        for child in node.children:
            add(child, row)

    for node in nodes:
        add(node, None)
    for stale in existing.values():
        stale.delete()
    return out


def _indicators(fund: m.Fund, nodes: list[DIndicator], parent: m.Indicator | None) -> None:
    for n, node in enumerate(nodes):
        target, target_num = _value_text(node.target)
        actual, actual_num = _value_text(node.actual)
        row = m.Indicator.objects.create(
            fund=fund, parent=parent, position=n, code=node.id or "", name=node.name,
            weight=node.weight, method=node.method or "", direction=node.direction or "",
            target=target, target_is_number=target_num, actual=actual,
            actual_is_number=actual_num, unit=node.unit or "", level=node.level or "",
            score=node.score, reason=node.reason or "", analysis=node.analysis or "",
            evidence=node.evidence or "", stated_score=node.stated_score,
            stated_rate=node.stated_rate, applicable=node.applicable,
            reverse_convention=node.reverse_convention or "",
            deductions=encode([x.model_dump(mode="python") for x in node.deductions]),
            rule=encode(node.model_dump(mode="python", include=set(RULE_FIELDS),
                                        exclude_defaults=True)),
        )
        _indicators(fund, node.children, row)


def indicator_dict(row: m.Indicator, children: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": row.code or None, "name": row.name, "weight": row.weight,
        "method": row.method or None, "direction": row.direction or None,
        "target": _value(row.target, row.target_is_number),
        "actual": _value(row.actual, row.actual_is_number),
        "unit": row.unit or None, "level": row.level or None, "score": row.score,
        "reason": row.reason or None, "analysis": row.analysis or None,
        "evidence": row.evidence or None, "stated_score": row.stated_score,
        "stated_rate": row.stated_rate, "applicable": row.applicable,
        "reverse_convention": row.reverse_convention or None,
        "deductions": decode(row.deductions), "children": children,
    }
    out.update(rule_settings(row))
    return out


def rule_settings(row: m.Indicator) -> dict[str, Any]:
    """The indicator's rule-specific settings (Decimals restored); validated with the dossier."""
    rule = decode(row.rule) if isinstance(row.rule, dict) else {}
    return {k: v for k, v in rule.items() if k in RULE_FIELDS}


def dossier_data(fund: m.Fund) -> dict[str, Any]:
    """The fund as plain data (Decimals included) ready for `Dossier.model_validate`."""
    data: dict[str, Any] = decode(fund.blocks)
    recipients = list(fund.recipients.all())
    kids: dict[int | None, list[m.Recipient]] = {}
    for r in recipients:
        kids.setdefault(r.parent_id, []).append(r)

    def rec(r: m.Recipient) -> dict[str, Any]:
        extra = decode(r.extra)
        out: dict[str, Any] = {"id": r.code, "name": r.name, "kind": r.kind,
                               "attributes": extra.get("attributes") or {},
                               "children": [rec(c) for c in kids.get(r.id, [])]}
        if extra.get("stated"):
            out["stated"] = extra["stated"]
        return out

    data["recipients"] = [rec(r) for r in kids.get(None, [])]
    codes = {r.id: r.code for r in recipients}
    indicators = list(fund.indicators.all())
    ikids: dict[int | None, list[m.Indicator]] = {}
    for i in indicators:
        ikids.setdefault(i.parent_id, []).append(i)

    def ind(i: m.Indicator) -> dict[str, Any]:
        return indicator_dict(i, [ind(c) for c in ikids.get(i.id, [])])

    data["indicators"] = [ind(i) for i in ikids.get(None, [])]
    data["agreements"] = [
        {"recipient": codes[a.recipient_id], "level": a.level, "amount": a.amount,
         "purpose": a.purpose or None} for a in fund.agreements.all()
    ]
    data["arrivals"] = [
        {"recipient": codes[a.recipient_id], "amount": a.amount, "date": a.date,
         "document": a.document or None} for a in fund.arrivals.all()
    ]
    data["spending"] = [
        {**_spending_extra(s),
         "id": s.code, "recipient": codes[s.recipient_id], "sources": decode(s.sources),
         "stated_total": s.stated_total, "project_count": s.project_count,
         "by_use": [{"category": u.category, "amount": u.amount} for u in s.uses.all()]}
        for s in fund.spending.prefetch_related("uses")
    ]
    data["plan_actual"] = [
        {"id": p.code, "name": p.name, "unit": p.unit or None, "plan": p.plan,
         "actual": p.actual, "stated_rate": p.stated_rate} for p in fund.plan_actual.all()
    ]
    return data


def _spending_extra(row: m.Spending) -> dict[str, Any]:
    extra = decode(row.extra) if isinstance(row.extra, dict) else {}
    return {k: v for k, v in extra.items() if k in SPENDING_EXTRA}


def to_domain(fund: m.Fund) -> Dossier:
    """Rebuild the fund's dossier; raises InputError (in Chinese, with the field) if the rows
    no longer make a valid dossier."""
    return parse_dossier(dossier_data(fund), file=str(fund))
