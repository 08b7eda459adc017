"""Terminal rendering of an Evaluation (rich tables; plain text when not a terminal)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.core import shown
from jixiao.core.checks import Finding
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation
from jixiao.core.locations import Locator
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.core.scoring import IndicatorScore
from jixiao.core.vocabulary import METHOD_LABELS, SEVERITIES, SEVERITY_LABELS

if TYPE_CHECKING:
    from jixiao.formats.forms import FormReview

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY = {s: (SEVERITY_LABELS[s], _STYLE[s]) for s in SEVERITIES}


def table_2_1(ev: Evaluation) -> Table:
    """表2-1 一级指标自评得分情况表, computed."""
    card = ev.scorecard
    table = Table(title="表2-1 一级指标自评得分情况表", title_justify="left")
    for header in ("一级指标（评价因素）", "分值", "得分", "得分率"):
        table.add_column(header, justify="left" if header.startswith("一级") else "right")
    table.add_row("总得分", fmt_natural(card.template.total), fmt(card.score), f"{fmt(card.rate)}%",
                  style="bold")
    for node in card.indicators:
        if node.applicable:
            table.add_row(node.name, _weight(node), fmt(node.score), f"{fmt(node.rate)}%")
        else:
            table.add_row(node.name, fmt_natural(node.weight), "不适用", "—", style="dim")
    if card.rescaled:
        table.caption = (
            f"有不适用的指标：适用指标分值合计 {fmt_natural(card.applicable_weight)}，"
            f"得分 {fmt(card.raw_score)}，按 {fmt_natural(card.template.total)} 分折算为 "
            f"{fmt(card.score)}"
        )
    return table


def _weight(node: IndicatorScore) -> str:
    """The weight, and the weight that counts when indicators below it are not applicable."""
    if node.effective_weight == node.weight:
        return fmt_natural(node.weight)
    return f"{fmt_natural(node.weight)}（计 {fmt_natural(node.effective_weight)}）"


def conventions_line(ev: Evaluation) -> str | None:
    """The scoring conventions in force, when the dossier has indicators they affect."""
    leaves = [n.source for n in ev.scorecard.walk() if n.source is not None and not n.children]
    words = []
    reverse = [s for s in leaves if s.method == "quantitative" and s.direction == "<="]
    if reverse:
        used = {s.reverse_convention or ev.dossier.scoring.reverse for s in reverse}
        names = {
            "linear": "线性（超出部分按比例扣分，超出一倍得 0 分）",
            "ratio": "比值（目标值 ÷ 实际值）",
        }
        ordered = sorted(used, key=lambda u: u or "")
        words.append("反向指标按" + "、".join(names.get(u or "", str(u)) for u in ordered)
                     + "计分")
    if any(s.method == "quantitative" and s.direction == "=" for s in leaves):
        equal = {"zero": "不相等得 0 分", "proportional": "按偏离比例扣分", "ratio": "按完成率计分"}
        words.append("等于型指标" + equal[ev.dossier.scoring.equal])
    return "计分口径：" + "；".join(words) + "。" if words else None


def indicator_tree(ev: Evaluation) -> Table:
    table = Table(title="指标得分（计算值 / 报告所列）", title_justify="left")
    conventions = conventions_line(ev)
    if conventions:
        table.caption = conventions
    for header in ("指标", "分值", "得分", "所列得分", "得分率", "评分方法"):
        table.add_column(header, justify="left" if header in ("指标", "评分方法") else "right")
    methods: dict[str | None, str] = {None: "汇总"}
    methods.update(METHOD_LABELS)
    for node in ev.scorecard.walk():
        stated = fmt(node.stated_score) if node.stated_score is not None else "—"
        differs = node.stated_score is not None and fmt(node.stated_score) != fmt(node.score)
        table.add_row(
            "  " * (node.level - 1) + node.name, _weight(node),
            fmt(node.score) if node.applicable else "不适用",
            Text(stated, style="bold red" if differs else ""),
            f"{fmt(node.rate)}%" if node.applicable else "—",
            methods.get(node.method, node.method or ""),
            style="" if node.applicable else "dim",
        )
    return table


def finding_lines(findings: tuple[Finding, ...], dossier: Dossier | None = None) -> list[Text]:
    """One finding per line (readable in any terminal width, easy to grep); located by name
    ("贵州省 · 分用途支出") when the dossier is given (`--json` keeps the path)."""
    lines = []
    locate = Locator(dossier) if dossier is not None else None
    for f in findings:
        label, style = SEVERITY.get(f.severity, (f.severity, ""))
        line = Text()
        line.append(f"[{label}] ", style=style)
        where = locate(f.where, f.rule) if locate is not None else f.where
        line.append(f"{where}  ", style="bold")
        line.append(f.message)
        line.append(f"  〔{f.rule}〕", style="dim")
        lines.append(line)
    return lines


def summary_line(ev: Evaluation) -> str:
    card = ev.scorecard
    total, grade = shown.total(ev), shown.grade(ev)
    line = f"计算总得分 {fmt(card.score)}，等级「{card.grade}」"
    if total.stated:
        line += f"；报告所列 {fmt(total.value)}"
        if grade.stated:
            line += f"，「{grade.grade}」"
    elif total.value != card.score:
        line += f"；按所列分项得分合计 {fmt(total.value)}，「{grade.grade}」"
    counts = "，".join(f"{SEVERITY[s][0]} {ev.count(s)} 项" for s in ("error", "warning", "info"))
    return f"{line}。核对：{counts}。"


def print_evaluation(console: Console, ev: Evaluation) -> None:
    fund = ev.dossier.fund
    console.print(Text(f"{fund.year}年 {fund.name}（{fund.budget_unit}）", style="bold"))
    console.print(f"权重模板：{ev.scorecard.template.name}")
    console.print(table_2_1(ev))
    console.print(indicator_tree(ev))
    print_findings(console, ev)


def print_findings(console: Console, ev: Evaluation) -> None:
    if ev.findings:
        console.print(Text(f"核对发现（{len(ev.findings)} 项）", style="italic"))
        for line in finding_lines(ev.findings, ev.dossier):
            console.print(line)
    else:
        console.print("核对未发现问题。")
    console.print(summary_line(ev))


def print_review(console: Console, review: FormReview) -> None:
    """A form judged without a score: its type, the blocks read, and the findings."""
    console.print(Text(f"{review.kind}：{review.file}", style="bold"))
    console.print(f"读到的表格：{'；'.join(review.blocks)}", highlight=False)
    console.print("得分：无（此表未按标准自评表计分，只核对表内各项关系）", highlight=False)
    if review.findings:
        console.print(Text(f"核对发现（{len(review.findings)} 项）", style="italic"))
        for line in finding_lines(tuple(review.findings)):
            console.print(line)
    else:
        console.print("核对未发现问题。")
    counts = "，".join(
        f"{SEVERITY[s][0]} {review.count(s)} 项" for s in ("error", "warning", "info")
    )
    console.print(f"核对：{counts}。", highlight=False)
