"""一、基本情况: arrangement, allocation, uses, recipients (表1-1), performance targets."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core import shown
from jixiao.core.dossier import Agreement, Indicator, agreements_at, subtree, subtree_agreements
from jixiao.reports import display
from jixiao.reports.context import Context, sentence
from jixiao.reports.structure import Align, Block, Column, Paragraph, Section, Table

_DIRECTION = {">=": "≥", "<=": "≤", "=": ""}


def opening(ctx: Context) -> tuple[Paragraph, ...]:
    f = ctx.d.fund
    basis = [b for b in f.legal_basis if "绩效自评" in b]
    base_date = display.cn_date(f.base_date.year, f.base_date.month, f.base_date.day) if (
        f.base_date
    ) else ""
    text = ctx.w.say(
        "opening", basis=display.join(basis), unit=f.budget_unit, year=f.year, fund=f.name,
        base_date=base_date,
    )
    return (Paragraph(text),)


def basic_section(ctx: Context) -> Section:
    w = ctx.w
    return Section(
        w.label("basic"),
        children=(
            Section(w.label("arrangement"), _arrangement(ctx)),
            Section(w.label("allocation"), _narrative(ctx, "allocation")),
            Section(w.label("uses"), _narrative(ctx, "uses")),
            Section(w.label("recipients"), _recipients(ctx)),
            _goals(ctx),
        ),
    )


def _narrative(ctx: Context, part: str) -> tuple[Block, ...]:
    text = ctx.narrative(part)
    return (Paragraph(text),) if text else ()


def _arrangement(ctx: Context) -> tuple[Block, ...]:
    blocks = list(_narrative(ctx, "arrangement"))
    budget = ctx.d.budget
    level = budget.level if budget else None
    agreements = agreements_at(ctx.d, level)
    by_purpose: dict[str, list[Decimal]] = defaultdict(list)
    for a in agreements:
        by_purpose[a.purpose or "其他资金"].append(a.amount)
    if agreements:
        total = display.money_sum(a.amount for a in agreements)
    elif budget is not None:
        total = budget.annual
    else:
        return tuple(blocks)
    parts = ""
    if len(by_purpose) > 1:
        parts = "、".join(
            f"{purpose}{ctx.money(display.money_sum(amounts))}{ctx.unit}"
            for purpose, amounts in by_purpose.items()
        )
    blocks.append(Paragraph(ctx.w.say(
        "arrangement_money", year=ctx.d.fund.year, level=level or "各级",
        total=ctx.money(total), unit=ctx.unit, parts=parts,
    )))
    return tuple(blocks)


def _table_level(ctx: Context) -> str | None:
    totals = ctx.d.recipient_totals
    if totals is not None and totals.level:
        return totals.level
    return ctx.d.budget.level if ctx.d.budget else None


@dataclass(frozen=True)
class RecipientRow:
    """One row of 表1-1, as figures; formatting happens when the table is built."""

    province: str
    city: str
    counties: int
    amount: Decimal
    names: str


def recipient_rows(ctx: Context) -> list[RecipientRow]:
    """表1-1: one row per helping city; counties hung directly under a province make one row."""
    d, level = ctx.d, _table_level(ctx)
    rows: list[RecipientRow] = []
    for prov in d.recipients:
        if prov.kind != "province":
            continue
        direct = [c for c in prov.children if c.kind == "county"]
        if direct:
            amount = sum(subtree_agreements(d, direct, level), Decimal(0))
            rows.append(RecipientRow(prov.name, "—", len(direct), amount,
                                     "、".join(c.name for c in direct)))
        for city in prov.children:
            if city.kind == "county":
                continue
            counties = [c for c in subtree(city) if c.kind == "county"]
            rows.append(RecipientRow(
                prov.name, city.name, int(shown.county_count(city).value),
                shown.recipient_agreements(d, city, level).value,
                "、".join(c.name for c in counties),
            ))
    return rows


def _recipients(ctx: Context) -> tuple[Block, ...]:
    w, level = ctx.w, _table_level(ctx)
    rows = recipient_rows(ctx)
    blocks: list[Block] = []
    if rows:
        counties = sum(r.counties for r in rows)
        amount = display.money_sum(r.amount for r in rows)
        provinces = list(dict.fromkeys(r.province for r in rows))
        blocks.append(Paragraph(w.say(
            "recipients_main", level=level or "", provinces=display.join(provinces),
            counties=counties, amount=ctx.money(amount), unit=ctx.unit, table="[[recipients]]",
        )))
        headers = w.labels_list("recipients_headers", unit=ctx.unit)
        aligns: tuple[Align, ...] = ("center", "center", "center", "right", "left")
        widths = (30, 22, 22, 30, 52)  # mm of the 156 mm line
        blocks.append(Table(
            key="recipients",
            caption=w.say("recipients_caption", fund=ctx.fund),
            columns=tuple(Column(h, a, wd) for h, a, wd in zip(headers, aligns, widths,
                                                                strict=True)),
            rows=tuple((r.province, r.city, str(r.counties), ctx.money(r.amount), r.names)
                       for r in rows),
            total=(w.label("total_row"), None, str(counties), ctx.money(amount), ""),
            merge_down=(0,),
        ))
    blocks.extend(_other_recipients(ctx, level))
    return tuple(blocks)


def _other_recipients(ctx: Context, level: str | None) -> list[Paragraph]:
    """Work teams and units: one sentence per purpose (工作经费 …)."""
    others = {r.id: r for r in ctx.d.recipients if r.kind in ("work_team", "unit")}
    groups: dict[str, list[Agreement]] = defaultdict(list)
    for a in agreements_at(ctx.d, level):
        if a.recipient in others:
            groups[a.purpose or "资金"].append(a)
    out = []
    for purpose, items in groups.items():
        names = display.join(list(dict.fromkeys(others[a.recipient].name for a in items)))
        amount = display.money_sum(a.amount for a in items)
        out.append(Paragraph(ctx.w.say(
            "recipients_other", names=names, purpose=purpose, amount=ctx.money(amount),
            unit=ctx.unit,
        )))
    return out


def _target_text(ind: Indicator) -> str:
    if isinstance(ind.target, Decimal):
        sign = _DIRECTION.get(ind.direction or "", "")
        return f"{ind.name}{sign}{display.as_written(ind.target)}{ind.unit or ''}"
    if ind.target:
        return ind.target.strip().rstrip("。；;")
    return "；".join(t for t in (_target_text(c) for c in ind.children) if t)


def _goal_section(ctx: Context, ind: Indicator, top: bool) -> Section | None:
    name = ind.name if ind.name.endswith("指标") or not top else f"{ind.name}指标"
    if top:
        children = tuple(s for c in ind.children if (s := _goal_section(ctx, c, False)))
        if not children:
            return None
        return Section(name, children=children, run_in=True)
    text = _target_text(ind)
    if not text:
        return None
    return Section(name, (Paragraph(ctx.w.say("goal_item", text=text)),), run_in=True)


def _goals(ctx: Context) -> Section:
    w = ctx.w
    blocks: list[Block] = []
    if ctx.d.goal is not None:
        blocks.append(Paragraph(w.say("goal_overall", text=sentence(ctx.d.goal.expected))))
    children = tuple(s for i in ctx.d.indicators if (s := _goal_section(ctx, i, True)))
    if children:
        kinds = display.join([c.title for c in children])
        blocks.append(Paragraph(w.say("goal_specific", kinds=kinds)))
    return Section(w.label("goals"), tuple(blocks), children)
