"""Terminal rendering of an Evaluation (rich tables; plain text when not a terminal)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from rich.console import Console, ConsoleOptions
from rich.segment import Segment
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


def _finding_parts(
    findings: tuple[Finding, ...], dossier: Dossier | None
) -> Iterator[tuple[str, str, str, str, str]]:
    """(label, its style, where, message, rule) of each finding; located by name when the
    dossier is given."""
    locate = Locator(dossier) if dossier is not None else None
    for f in findings:
        label, style = SEVERITY.get(f.severity, (f.severity, ""))
        where = locate(f.where, f.rule) if locate is not None else f.where
        yield label, style, where, f.message, f.rule


def _finding_text(label: str, style: str, where: str, message: str, rule: str) -> Text:
    line = Text()
    line.append(f"[{label}] ", style=style)
    line.append(f"{where}  ", style="bold")
    line.append(message)
    line.append(f"  〔{rule}〕", style="dim")
    return line


def finding_lines(findings: tuple[Finding, ...], dossier: Dossier | None = None) -> list[Text]:
    """One finding per line (readable in any terminal width, easy to grep); located by name
    ("贵州省 · 分用途支出") when the dossier is given (`--json` keeps the path)."""
    return [_finding_text(*parts) for parts in _finding_parts(findings, dossier)]


# --- printing many findings without styles -------------------------------------------------
#
# `console.print(line)` per finding costs rich about 0.2 ms (options, wrapping, cell widths
# character by character, segments, cropping): 0.5 s for 2,683 findings. Where nothing is
# styled (output to a file or a pipe: no colour system), the bytes rich writes for a line are
# its plain text cut where rich's word wrap cuts it (`rich._wrap.divide_line`), one "\n"
# after each piece. Those lines are wrapped here the same way and written in one piece; a
# line with characters rich treats apart (control characters, tabs, line breaks, joiners)
# is printed by rich as before.


class _CellWidths(dict[str, int]):
    """A character's width in terminal cells, as rich counts it, asked of rich once."""

    def __missing__(self, character: str) -> int:
        width = self[character] = cell_len(character)
        return width


_CELLS = _CellWidths()
# What rich treats apart: control codes it strips or expands (\r, \x07, tabs …), line breaks,
# and the zero-width joiner and variation selector, which change a neighbour's width.
_UNUSUAL = re.compile("[\x00-\x1f\x7f-\x9f\u200d\ufe0f]")
_WORD = re.compile(r"\s*\S+\s*")  # = rich._wrap.re_word
_TRAILING = re.compile(r"\s+$")  # = rich.text._re_whitespace


def _cells(text: str) -> int:
    """`rich.cells.cell_len` of a text without `_UNUSUAL` characters (where it is the sum of
    the characters' widths; printable ASCII is one cell each)."""
    return len(text) if text.isascii() else sum(map(_CELLS.__getitem__, text))


def _wrapped(text: str, width: int) -> str | None:
    """What rich writes for ``text`` (a line, printed unstyled at ``width`` with its default
    word wrap, overflow "fold"): its pieces, each stripped and cropped as rich does and ended
    by "\n"; None where the text has characters rich treats apart."""
    if _UNUSUAL.search(text):
        return None
    if len(text) <= width and _cells(text) <= width:
        return text + "\n"
    # rich._wrap.divide_line, for words no wider than the console
    breaks = [0]
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = _cells(word.rstrip())
        if width - offset >= length:
            offset += _cells(word)
        elif length > width:  # a word folded across lines: rich's own cuts
            from rich._wrap import divide_line

            breaks = [0, *divide_line(text, width, fold=True)]
            break
        elif offset and start:
            breaks.append(start)
            offset = _cells(word)
    breaks.append(len(text))
    pieces = []
    for a, b in pairwise(breaks):
        piece = text[a:b]
        if len(piece) > width:  # Text.rstrip_end: spaces beyond the width, in characters
            spaces = _TRAILING.search(piece)
            if spaces is not None:
                piece = piece[:len(piece) - min(len(spaces.group()), len(piece) - width)]
        if _cells(piece) > width:  # Text.truncate, overflow "fold"
            piece = set_cell_size(piece, width)
        pieces.append(piece)
    return "\n".join(pieces) + "\n"


class _Written:
    """Text already laid out, written as it is."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        yield Segment(self.text)


def _unstyled(console: Console) -> int | None:
    """The width rich wraps a printed line at, where its output is the plain text: no colour
    system (a file or a pipe), nothing recorded, no console style, soft wrap and justify
    off; None otherwise."""
    options = console.options
    if (console.color_system is not None or console.record or console.style is not None
            or console.soft_wrap or console.is_jupyter or options.no_wrap
            or options.justify not in (None, "default") or options.overflow not in (None, "fold")):
        return None
    return options.max_width


def print_finding_lines(
    console: Console, findings: tuple[Finding, ...], dossier: Dossier | None = None
) -> None:
    """`console.print` of each of `finding_lines`, the same bytes: unstyled lines are laid
    out here and written at once."""
    width = _unstyled(console)
    done: list[str] = []
    for parts in _finding_parts(findings, dossier):
        label, _, where, message, rule = parts
        text = (None if width is None
                else _wrapped(f"[{label}] {where}  {message}  〔{rule}〕", width))
        if text is not None:
            done.append(text)
            continue
        _flush(console, done)
        console.print(_finding_text(*parts))
    _flush(console, done)


def _flush(console: Console, done: list[str]) -> None:
    if done:
        console.print(_Written("".join(done)), crop=False)  # every line fits the width
        done.clear()


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
        print_finding_lines(console, ev.findings, ev.dossier)
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
        print_finding_lines(console, tuple(review.findings))
    else:
        console.print("核对未发现问题。")
    counts = "，".join(
        f"{SEVERITY[s][0]} {review.count(s)} 项" for s in ("error", "warning", "info")
    )
    console.print(f"核对：{counts}。", highlight=False)
