"""The format-free report: sections, paragraphs, tables, charts.

Renderers (docx, html) only lay this structure out. Heading numbers (一、（一）1.（1）一是)
and table and figure numbers (表1-1, 图2-1) are assigned here by position, never typed, so they
cannot skip or repeat. Text may refer to a table, figure or section by key with a token
``[[key]]``; `number_report` replaces it with the number that object was given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from jixiao.core.numbers import cn_numeral

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class Paragraph:
    text: str
    align: Align | None = None  # None: justified body text with a first-line indent


@dataclass(frozen=True)
class Column:
    title: str
    align: Align = "center"
    width: int = 1  # relative width (the builders use mm of the 156 mm type area)


@dataclass(frozen=True)
class Table:
    key: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    total: tuple[str | None, ...] | None = None  # None cell: merged into the cell on its left
    merge_down: tuple[int, ...] = ()  # columns whose equal neighbouring cells merge vertically
    number: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    caption: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str
    horizontal: bool = True
    number: str = ""


Block = Paragraph | Table | Chart


@dataclass(frozen=True)
class Section:
    """A numbered heading and what follows it. A run-in section's heading opens its first
    paragraph ("1.过程。该指标……"), as indicator analyses are written."""

    title: str
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    key: str = ""
    run_in: bool = False
    depth: int = 1
    number: str = ""

    @property
    def heading(self) -> str:
        return f"{self.number}{self.title}"


@dataclass(frozen=True)
class Appendix:
    label: str  # 附件
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Report:
    title: str
    title_lines: tuple[str, ...]
    meta: tuple[str, ...]
    opening: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    signature: str
    appendix: Appendix | None = None
    chart_note: str = ""  # said where a chart cannot be drawn (no CJK font)


def heading_number(depth: int, n: int) -> str:
    """The 公文 sequence: 一、 → （一） → 1. → （1） → 一是; deeper levels use ①."""
    if depth == 1:
        return f"{cn_numeral(n)}、"
    if depth == 2:
        return f"（{cn_numeral(n)}）"
    if depth == 3:
        return f"{n}."
    if depth == 4:
        return f"（{n}）"
    if depth == 5:
        return f"{cn_numeral(n)}是"
    return chr(0x2460 + n - 1) if n <= 20 else f"({n})"


_TOKEN = re.compile(r"\[\[([^\[\]]+)\]\]")


class _Numberer:
    def __init__(self) -> None:
        self.refs: dict[str, str] = {}
        self.tables = 0
        self.charts = 0

    def section(self, s: Section, depth: int, n: int, top: int) -> Section:
        number = heading_number(depth, n)
        if s.key:
            self.refs[s.key] = number.rstrip("、.")
        blocks = tuple(self.block(b, top) for b in s.blocks)
        children = tuple(
            self.section(c, depth + 1, i, top) for i, c in enumerate(s.children, start=1)
        )
        return replace(s, number=number, depth=depth, blocks=blocks, children=children)

    def block(self, b: Block, top: int) -> Block:
        if isinstance(b, Table):
            self.tables += 1
            number = f"表{top}-{self.tables}"
            self.refs[b.key] = number
            return replace(b, number=number)
        if isinstance(b, Chart):
            self.charts += 1
            number = f"图{top}-{self.charts}"
            self.refs[b.key] = number
            return replace(b, number=number)
        return b

    def resolve(self, text: str) -> str:
        return _TOKEN.sub(lambda m: self.refs.get(m.group(1), m.group(0)), text)

    def resolve_block(self, b: Block) -> Block:
        if isinstance(b, Paragraph):
            return replace(b, text=self.resolve(b.text))
        if isinstance(b, Table):
            return replace(b, caption=self.resolve(b.caption))
        return replace(b, caption=self.resolve(b.caption))

    def resolve_section(self, s: Section) -> Section:
        return replace(
            s,
            title=self.resolve(s.title),
            blocks=tuple(self.resolve_block(b) for b in s.blocks),
            children=tuple(self.resolve_section(c) for c in s.children),
        )


def prune(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Drop sections with nothing under them (no narrative, no data), so that the numbers
    assigned afterwards run on without a gap."""
    out = []
    for s in sections:
        children = prune(s.children)
        if s.blocks or children:
            out.append(replace(s, children=children))
    return tuple(out)


def number_report(report: Report) -> Report:
    """Drop empty sections, number headings, tables and charts by position, and resolve
    ``[[key]]`` references.

    Tables and charts are numbered within each top-level section (表1-1, 表2-1, 表2-2 …);
    the appendix's tables are numbered 附表1, 附表2 ….
    """
    nb = _Numberer()
    sections = []
    for top, s in enumerate(prune(report.sections), start=1):
        nb.tables = nb.charts = 0
        sections.append(nb.section(s, 1, top, top))
    appendix = report.appendix
    if appendix is not None:
        blocks = []
        count = 0
        for b in appendix.blocks:
            if isinstance(b, Table):
                count += 1
                nb.refs[b.key] = f"附表{count}"
                b = replace(b, number=f"附表{count}")
            blocks.append(b)
        appendix = replace(appendix, blocks=tuple(nb.resolve_block(b) for b in blocks))
    return replace(
        report,
        sections=tuple(nb.resolve_section(s) for s in sections),
        opening=tuple(replace(p, text=nb.resolve(p.text)) for p in report.opening),
        appendix=appendix,
    )


def walk(sections: tuple[Section, ...]) -> list[Section]:
    """Every section, depth first."""
    out: list[Section] = []
    for s in sections:
        out.append(s)
        out.extend(walk(s.children))
    return out
