"""The report as one self-contained, printable HTML page (``templates/report.html.j2``).

No external resource: CSS is inline, charts are ``data:`` URIs, fonts come from the reader's
machine through a 仿宋/黑体/楷体 stack that ends in the Noto CJK fonts. Jinja2 autoescapes
every text.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, select_autoescape

from jixiao.formats.atomic import write_text
from jixiao.formats.errors import InputError, Problem
from jixiao.reports.structure import Block, Paragraph, Report, Table, walk
from jixiao.reports.wording import DEFAULT_DIR

TEMPLATE = "report.html.j2"


@dataclass(frozen=True)
class Cell:
    text: str
    align: str
    rowspan: int = 1
    colspan: int = 1


def grid(t: Table) -> list[list[Cell]]:
    """Body rows (and the 合计 row) as cells with rowspan/colspan; covered cells left out."""
    rows = [list(r) for r in t.rows]
    spans = [[1] * len(t.columns) for _ in rows]
    for col in t.merge_down:
        start = 0
        for i in range(1, len(rows) + 1):
            if i < len(rows) and rows[i][col] == rows[start][col]:
                spans[i][col] = 0
                continue
            spans[start][col] = i - start
            start = i
    out = [
        [Cell(text, t.columns[c].align, rowspan=spans[r][c])
         for c, text in enumerate(row) if spans[r][c]]
        for r, row in enumerate(rows)
    ]
    if t.total:
        cells: list[Cell] = []
        for c, text in enumerate(t.total):
            if text is None and cells:
                last = cells[-1]
                cells[-1] = Cell(last.text, last.align, colspan=last.colspan + 1)
            else:
                cells.append(Cell(text or "", "center" if c == 0 else t.columns[c].align))
        out.append(cells)
    return out


def _kind(b: Block) -> str:
    if isinstance(b, Paragraph):
        return "paragraph"
    return "table" if isinstance(b, Table) else "chart"


def _tables(report: Report) -> list[Table]:
    blocks = [b for s in walk(report.sections) for b in s.blocks]
    if report.appendix is not None:
        blocks.extend(report.appendix.blocks)
    return [b for b in blocks if isinstance(b, Table)]


def render_html(
    report: Report, images: Mapping[str, bytes | None], templates_dir: Path | None = None
) -> str:
    folder = templates_dir or DEFAULT_DIR
    if not (folder / TEMPLATE).exists():
        folder = DEFAULT_DIR  # a wording-only override keeps the bundled page layout
    env = Environment(
        loader=FileSystemLoader(str(folder)), autoescape=select_autoescape(["html", "j2"]),
        undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False,
    )
    env.globals["kind"] = _kind
    tables = _tables(report)
    uris = {
        key: "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else None
        for key, png in images.items()
    }
    try:
        return env.get_template(TEMPLATE).render(
            report=report,
            grids={t.key: grid(t) for t in tables},
            widths={t.key: sum(c.width for c in t.columns) or 1 for t in tables},
            images=uris,
        )
    except TemplateError as err:
        raise InputError([Problem(f"HTML 模板有误：{err}", file=str(folder / TEMPLATE))]) from None


def write_html(report: Report, path: Path, images: Mapping[str, bytes | None],
               templates_dir: Path | None = None) -> Path:
    return write_text(path, render_html(report, images, templates_dir), make_parent=True)
