"""三、存在的问题; 四、改进意见; the 数据核对 appendix listing every check finding."""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.checks import RULES
from jixiao.core.dossier import Problem, walk_indicators
from jixiao.core.locations import Locator
from jixiao.reports import display
from jixiao.reports.context import Context, sentence
from jixiao.reports.structure import Appendix, Block, Column, Paragraph, Section, Table


def _deductions_for(ctx: Context, problem: Problem) -> list[tuple[str, Decimal]]:
    """(indicator name, points) of every deduction that names this problem."""
    out = []
    for ind, _, _ in walk_indicators(ctx.d.indicators):
        for ded in ind.deductions:
            if ded.problem == problem.id:
                out.append((ind.name, ded.points))
    return out


def problems_section(ctx: Context) -> Section:
    w = ctx.w
    children = []
    for p in ctx.d.problems:
        parts = []
        if p.detail:
            parts.append(sentence(p.detail))
        if p.amount is not None and (not p.detail or ctx.money(p.amount) not in p.detail):
            parts.append(w.say("problem_amount", amount=ctx.money(p.amount), unit=ctx.unit))
        for name, points in _deductions_for(ctx, p):
            if f"扣{display.as_written(points)}分" in (p.detail or ""):
                continue
            parts.append(w.say(
                "problem_indicator", indicator=name, points=display.as_written(points)
            ))
        blocks = (Paragraph("".join(parts)),) if parts else ()
        children.append(Section(p.title.rstrip("。；"), blocks, key=f"problem:{p.id}"))
    blocks_none = () if children else (Paragraph(w.say("problems_none")),)
    return Section(w.label("problems"), blocks_none, tuple(children))


def improvements_section(ctx: Context) -> Section:
    w = ctx.w
    known = {p.id for p in ctx.d.problems}
    children = []
    for m in ctx.d.improvements:
        parts = [sentence(m.summary)] if m.summary else []
        refs = [f"[[problem:{pid}]]" for pid in m.problems if pid in known]
        if refs:
            parts.append(w.say("improvement_targets", refs="、".join(refs)))
        blocks = (Paragraph("".join(parts)),) if parts else ()
        children.append(Section(m.title.rstrip("。；"), blocks, key=f"measure:{m.id}"))
    blocks_none = () if children else (Paragraph(w.say("improvements_none")),)
    return Section(w.label("improvements"), blocks_none, tuple(children))


def findings_rows(ctx: Context) -> list[tuple[str, ...]]:
    """序号, 级别, 核对规则, 位置, 核对发现: the place in the dossier's own names, never a path
    where the dossier names the thing (`jixiao.core.locations`)."""
    severity = ctx.w.mapping("severity")
    rows: list[tuple[str, ...]] = []
    locate = Locator(ctx.d)
    for n, f in enumerate(ctx.ev.findings, start=1):
        rule = RULES.get(f.rule) or ("自定义规则" if f.rule.startswith("custom.") else f.rule)
        place = locate(f.where, f.rule)
        rows.append((str(n), severity.get(f.severity, f.severity), rule, place, f.message))
    return rows


def appendix(ctx: Context) -> Appendix:
    w, ev = ctx.w, ctx.ev
    card = ev.scorecard
    blocks: list[Block] = [Paragraph(w.say("appendix_basis"))]
    blocks.append(Paragraph(w.say(
        "appendix_total", computed=display.computed(card.score), computed_grade=card.grade,
        stated=ctx.total().text, stated_grade=ctx.grade(),
        total_stated=ctx.total_stated, grade_stated=ctx.grade_stated, rescaled=card.rescaled,
    )))
    if ev.findings:
        blocks.append(Paragraph(w.say(
            "appendix_counts", errors=ev.count("error"), warnings=ev.count("warning"),
            infos=ev.count("info"), table="[[findings]]",
        )))
        headers = w.labels_list("findings_headers")
        blocks.append(Table(
            key="findings", caption=w.say("appendix_caption"),
            columns=(Column(headers[0], "center", 11), Column(headers[1], "center", 13),
                     Column(headers[2], "left", 32), Column(w.label("findings_place"), "left", 36),
                     Column(headers[3], "left", 64)),
            rows=tuple(findings_rows(ctx)),
        ))
    else:
        blocks.append(Paragraph(w.say("appendix_none")))
    return Appendix(w.label("attachment"), w.label("appendix_title"), tuple(blocks))
