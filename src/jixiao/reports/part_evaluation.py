"""二、自评情况: 自评分数 (表2-1), 绩效评价指标分析, 专项资金使用绩效."""

from __future__ import annotations

import fnmatch
import re

from jixiao.core import rates, shown
from jixiao.core.dossier import Budget, Spending
from jixiao.core.scoring import IndicatorScore
from jixiao.reports import display
from jixiao.reports.context import Context, sentence
from jixiao.reports.structure import Block, Chart, Column, Paragraph, Section, Series, Table

# "（见 figures econ-*）" in an indicator's evidence: list those figures from the dossier.
_SHORT_NAME = 10  # longer child names are not listed in the parent's sentence
_FIGURE_REF = re.compile(r"[（(]见\s*figures\s+([^）)]+)[）)]")
_NOT_APPLICABLE = "不适用"
# How each reverse-indicator convention (RULES §2) is named and computed, for the report.
_REVERSE = {
    "linear": (
        "线性扣减", "得分 =〔1 −（实际值 − 目标值）÷ 目标值〕× 分值，实际值达到目标值2倍时为0",
    ),
    "ratio": ("比值", "得分 = 目标值 ÷ 实际值 × 分值"),
}


def evaluation_section(ctx: Context) -> Section:
    w = ctx.w
    return Section(
        w.label("self_evaluation"),
        children=(
            Section(w.label("score"), _score_blocks(ctx)),
            Section(
                w.label("analysis"),
                children=tuple(indicator_section(ctx, n) for n in ctx.ev.scorecard.indicators),
            ),
            Section(
                w.label("performance"),
                children=(
                    Section(w.label("spending"), _spending_blocks(ctx)),
                    Section(w.label("goal_completion"), _completion_blocks(ctx)),
                ),
            ),
        ),
    )


# --- 自评分数 ------------------------------------------------------------------------


def score_rows(ctx: Context) -> list[tuple[str, ...]]:
    """表2-1's rows: 总得分 first, then each first-level indicator."""
    card = ctx.ev.scorecard
    rows: list[tuple[str, ...]] = [(
        ctx.w.label("score_total_row"), display.as_written(card.template.total),
        ctx.total().text, f"{ctx.total_rate()}%",
    )]
    for node in card.indicators:
        if not node.applicable:
            rows.append((node.name, display.as_written(node.weight), _NOT_APPLICABLE, "—"))
            continue
        rows.append((
            node.name, display.as_written(node.weight), ctx.score(node).text,
            f"{ctx.rate(node)}%",
        ))
    return rows


def _score_blocks(ctx: Context) -> tuple[Block, ...]:
    w = ctx.w
    headers = w.labels_list("score_headers")
    card = ctx.ev.scorecard
    summary = w.say(
        "score_summary", fund=ctx.fund, total=ctx.total().text, grade=ctx.grade(),
        table="[[scores]]",
    )
    table = Table(
        key="scores", caption=w.say("score_caption"),
        columns=tuple(Column(h, "center" if i == 0 else "right", 48 if i == 0 else 36)
                      for i, h in enumerate(headers)),
        rows=tuple(score_rows(ctx)),
    )
    weight_name, score_name = w.labels_list("chart_score_series")
    chart = Chart(
        key="score-chart", caption=w.say("score_chart_caption"),
        categories=tuple(n.name for n in card.indicators),
        series=(
            Series(weight_name, tuple(n.weight for n in card.indicators)),
            Series(score_name, tuple(ctx.score(n).value for n in card.indicators)),
        ),
        unit=w.label("chart_unit_score"), horizontal=False,
    )
    blocks: list[Block] = [Paragraph(summary), table]
    effective = [
        w.say("score_effective_item", **_effective_values(n), name=n.name,
              weight=display.as_written(n.weight))
        for n in card.indicators if n.applicable and n.effective_weight != n.weight
    ]
    if effective:
        blocks.append(Paragraph(w.say("score_effective", items="；".join(effective))))
    reverse = _reverse_sentence(ctx)
    if reverse:
        blocks.append(Paragraph(reverse))
    if card.rescaled:
        dropped = [n.name for n in card.walk() if not n.applicable]
        blocks.append(Paragraph(w.say(
            "score_rescaled", names=display.join(dropped),
            weight=display.computed(card.applicable_weight).removesuffix(".00"),
            total=display.as_written(card.template.total),
        )))
    adjusted = _adjustment_sentence(ctx)
    if adjusted:
        blocks.append(Paragraph(adjusted))
    blocks.append(chart)
    return tuple(blocks)


def _adjustment_sentence(ctx: Context) -> str:
    """加分、减分 and 一票否决, said after the score table (whose rows add up to the score
    before them); empty when there are none."""
    card, adjustments = ctx.ev.scorecard, ctx.ev.dossier.adjustments
    if not adjustments:
        return ""

    def reasons(kind: str) -> str:
        return display.join([a.reason for a in adjustments if a.kind == kind])

    vetoes = reasons("veto")
    return ctx.w.say(
        "score_adjustments",
        base=display.computed(card.base_score) if card.base_score is not None else "",
        bonus=display.as_written(card.bonus) if card.bonus else "", bonus_reasons=reasons("bonus"),
        penalty=display.as_written(card.penalty) if card.penalty else "",
        penalty_reasons=reasons("penalty"), total=display.computed(card.score),
        veto=vetoes, veto_grade=card.veto_grade or "",
    )


def _effective_values(node: IndicatorScore) -> dict[str, str]:
    """The weight left out and the weight that counts, when some indicator below does not
    apply (the 得分率 is on the latter); empty strings otherwise."""
    if not node.applicable or node.effective_weight == node.weight:
        return {"effective": "", "excluded": ""}
    return {
        "effective": display.as_written(node.effective_weight),
        "excluded": display.as_written(node.weight - node.effective_weight),
    }


def _reverse_sentence(ctx: Context) -> str:
    """How reverse (≤) indicators were scored, when there are any: a convention is a choice
    (RULES §2), so the report says which one."""
    used: list[str] = []
    for node in ctx.ev.scorecard.walk():
        ind = node.source
        if ind is None or not node.applicable or node.children:
            continue
        if ind.method != "quantitative" or ind.direction != "<=":
            continue
        convention = ind.reverse_convention or ctx.d.scoring.reverse
        if convention in _REVERSE and convention not in used:
            used.append(convention)
    if not used:
        return ""
    return ctx.w.say(
        "reverse_convention",
        convention="、".join(_REVERSE[c][0] for c in used),
        formula="；".join(_REVERSE[c][1] for c in used),
    )


# --- 绩效评价指标分析 ---------------------------------------------------------------------


def _figures_text(ctx: Context, pattern: str) -> str:
    items = [
        f"{f.label}{display.as_written(f.value)}{f.unit}"
        for f in ctx.d.figures if fnmatch.fnmatchcase(f.id, pattern.strip())
    ]
    return ctx.w.say("key_figures", items="；".join(items)) if items else ""


def _evidence(ctx: Context, text: str | None) -> str:
    if not text:
        return ""
    extra = [_figures_text(ctx, m.group(1)) for m in _FIGURE_REF.finditer(text)]
    body = sentence(_FIGURE_REF.sub("", text).strip())
    return body + "".join(e for e in extra if e)


def indicator_text(ctx: Context, node: IndicatorScore) -> str:
    """The paragraph under an indicator: weight, score and 得分率, then the reasons."""
    w = ctx.w
    if not node.applicable:
        return w.say("indicator_not_applicable")
    shown = ctx.score(node)
    values = dict(weight=display.as_written(node.weight), score=shown.text, rate=ctx.rate(node))
    if node.children:
        values.update(_effective_values(node))
        names = [c.name for c in node.children if c.applicable]
        short = len(names) > 1 and all(len(n) <= _SHORT_NAME for n in names)
        return w.say(
            "indicator_parent", aspects=display.join(names) if short else "",
            count=display.cn_count(len(names)), **values,
        )
    parts = [w.say("indicator_leaf", **values)]
    source = node.source
    if source is None:
        return parts[0]
    parts.append(_evidence(ctx, source.evidence))
    for ded in source.deductions:
        parts.append(w.say(
            "deduction", reason=sentence(ded.reason).rstrip("。"),
            points=display.as_written(ded.points),
        ))
    if shown.value < node.weight and not source.deductions:
        parts.append(w.say(
            "shortfall", lost=display.computed(node.weight - shown.value),
            reason=(source.reason or "").strip().rstrip("。"),
        ))
    elif source.reason:
        parts.append(sentence(source.reason))
    if source.analysis:
        parts.append(sentence(source.analysis))
    return "".join(p for p in parts if p)


def indicator_section(ctx: Context, node: IndicatorScore) -> Section:
    return Section(
        node.name,
        (Paragraph(indicator_text(ctx, node)),),
        tuple(indicator_section(ctx, c) for c in node.children),
        run_in=True,
    )


# --- 专项资金使用绩效 ---------------------------------------------------------------------


def _spending_table(ctx: Context, s: Spending) -> Table:
    w = ctx.w
    total = display.money_sum(u.amount for u in s.by_use)
    rows = tuple(
        (u.category, ctx.money(u.amount), f"{display.rate(rates.share(u.amount, total))}%")
        for u in s.by_use
    )
    headers = w.labels_list("spending_headers", unit=ctx.unit)
    return Table(
        key=f"spending:{s.id}",
        caption=w.say("spending_caption", recipient=ctx.recipient_name(s.recipient)),
        columns=(Column(headers[0], "left", 96), Column(headers[1], "right", 34),
                 Column(headers[2], "right", 26)),
        rows=rows,
        total=(w.label("total_row"), ctx.money(total), "100%" if total else "—"),
    )


def _spending_charts(ctx: Context) -> list[Chart]:
    """One chart per group of recipients that share the same use categories (≥ 3 of them)."""
    groups: dict[tuple[str, ...], list[Spending]] = {}
    for s in ctx.d.spending:
        cats = tuple(u.category for u in s.by_use)
        if len(cats) >= 3:
            groups.setdefault(cats, []).append(s)
    charts = []
    for n, (cats, items) in enumerate(groups.items(), start=1):
        names = [ctx.recipient_name(s.recipient) for s in items]
        charts.append(Chart(
            key=f"spending-chart-{n}",
            caption=ctx.w.say("spending_chart_caption", recipients=display.join(names)),
            categories=cats,
            series=tuple(
                Series(name, tuple(u.amount for u in s.by_use))
                for name, s in zip(names, items, strict=True)
            ),
            unit=ctx.unit,
        ))
    return charts


def _execution_text(b: Budget) -> str:
    """支出率 as shown: stated as written, else computed to 2 places."""
    figure = shown.execution(b)
    if figure is None:
        return "—"
    return display.as_written(figure.value) if figure.stated else display.rate(figure.value)


def _spending_blocks(ctx: Context) -> tuple[Block, ...]:
    w, d = ctx.w, ctx.d
    blocks: list[Block] = []
    if d.budget is not None:
        b = d.budget
        # The rate's denominator, with its own label: never the annual budget called 到位.
        if b.basis == "arrived":
            base_label, base = w.label("budget_arrived"), b.arrived
        else:
            base_label, base = w.label("budget_annual"), b.annual
        date = (
            display.cn_date(d.fund.base_date.year, d.fund.base_date.month, d.fund.base_date.day)
            if d.fund.base_date else f"{d.fund.year}年底"
        )
        extra = {"arrived": ctx.money(b.arrived)} if b.basis == "arrived" else {}
        blocks.append(Paragraph(w.say(
            "funds_spent", date=date, fund=f"{d.fund.year}年{ctx.fund}",
            base_label=base_label, base=ctx.money(base) if base is not None else "—",
            executed=ctx.money(b.executed), unit=ctx.unit,
            rate=_execution_text(b), **extra,
        )))
    for s in d.spending:
        sources = [f"{x.label}{ctx.money(x.amount)}{ctx.unit}" for x in s.sources]
        total = shown.spending_total(s).value
        if s.by_use:
            blocks.append(Paragraph(w.say(
                "spending_paragraph", recipient=ctx.recipient_name(s.recipient),
                sources=display.join(sources) or "—", total=ctx.money(total), unit=ctx.unit,
                projects=s.project_count or "", table=f"[[spending:{s.id}]]",
            )))
            blocks.append(_spending_table(ctx, s))
    blocks.extend(_spending_charts(ctx))
    return tuple(blocks)


def _completion_blocks(ctx: Context) -> tuple[Block, ...]:
    w, d = ctx.w, ctx.d
    blocks: list[Block] = []
    if d.goal is not None and d.goal.achieved:
        blocks.append(Paragraph(sentence(d.goal.achieved)))
    text = ctx.narrative("performance")
    if text:
        blocks.append(Paragraph(text))
    if d.plan_actual:
        blocks.append(Paragraph(w.say("plan_actual_intro", table="[[plan-actual]]")))
        headers = w.labels_list("plan_actual_headers")
        rows = tuple(
            (
                m.name, f"{display.as_written(m.plan)}{m.unit or ''}",
                f"{display.as_written(m.actual)}{m.unit or ''}",
                f"{display.rate(rates.plan_completion(m.plan, m.actual))}%",
            )
            for m in d.plan_actual
        )
        blocks.append(Table(
            key="plan-actual", caption=w.say("plan_actual_caption"),
            columns=(Column(headers[0], "left", 72), Column(headers[1], "right", 28),
                     Column(headers[2], "right", 28), Column(headers[3], "right", 28)),
            rows=rows,
        ))
    return tuple(blocks)
