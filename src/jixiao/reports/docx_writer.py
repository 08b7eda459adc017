"""The report as a Word document in 公文 style (python-docx); layout only, no figures computed.

Headings of depth 1–3 use Word's built-in Heading 1–3 styles (so the navigation pane and a
table of contents work); a run-in section opens its first paragraph with its heading. Tables
have borders, a bold repeated header row and a 合计 row; charts are PNG pictures with a caption;
page numbers are "— 1 —" PAGE fields, right on odd pages and left on even ones.

Styles are applied by id through oxml: python-docx resolves a style *name* by scanning every
style of the template, which made a report take half a second.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from jixiao.formats.atomic import atomic_path
from jixiao.reports import docx_style as st
from jixiao.reports.structure import Block, Chart, Paragraph, Report, Section, Table

_ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}
_STYLES = (
    st.S_TITLE, st.S_META, st.S_CAPTION, st.S_TABLE, st.S_FIGURE, st.S_ATTACHMENT,
    st.S_SIGNATURE, st.S_FOOTER, "Heading 1", "Heading 2", "Heading 3", "Table Grid",
)


def write_docx(report: Report, path: Path, images: Mapping[str, bytes | None]) -> Path:
    doc = new_document()
    st.page_setup(doc)
    st.install_styles(doc)
    w = _Writer(doc, images, report.chart_note)
    _page_numbers(doc, w.ids[st.S_FOOTER])
    props = doc.core_properties
    props.title = report.title
    props.author = report.signature
    props.language = "zh-CN"

    title = w.add("", st.S_TITLE)
    for i, line in enumerate(report.title_lines):
        run = title.add_run(line)
        if i < len(report.title_lines) - 1:
            run.add_break()
    w.add("", st.S_META)
    for line in report.meta:
        w.add(line, st.S_META)
    for p in report.opening:
        w.paragraph(p)
    for section in report.sections:
        w.section(section)
    # The attachment note and the signature stay together on one page.
    w.add("", st.S_META).paragraph_format.keep_with_next = True
    if report.appendix is not None:
        note = w.add(f"{report.appendix.label}：{report.appendix.title}")
        note.paragraph_format.keep_with_next = True
        w.add("", st.S_META).paragraph_format.keep_with_next = True
    w.add(report.signature, st.S_SIGNATURE)
    if report.appendix is not None:
        w.add("", st.S_META).add_run().add_break(WD_BREAK.PAGE)
        w.add(report.appendix.label, st.S_ATTACHMENT)
        w.add(report.appendix.title, st.S_TITLE)
        w.add("", st.S_META)
        for block in report.appendix.blocks:
            w.block(block)
    with atomic_path(path, make_parent=True) as temp:
        doc.save(str(temp))
    return path


def _set_style(para: DocxParagraph, style_id: str) -> None:
    para._p.get_or_add_pPr().style = style_id


class _Writer:
    def __init__(self, doc: Document, images: Mapping[str, bytes | None], note: str) -> None:
        self.doc = doc
        self.images = images
        self.note = note
        by_name = {s.name: s.style_id for s in doc.styles}
        self.ids = {name: by_name[name] for name in _STYLES}

    def add(self, text: str = "", style: str | None = None) -> DocxParagraph:
        para = self.doc.add_paragraph(text)
        if style is not None:
            _set_style(para, self.ids[style])
        return para

    def paragraph(self, p: Paragraph) -> DocxParagraph:
        para = self.add(p.text)
        if p.align is not None:
            para.alignment = _ALIGN[p.align]
            para.paragraph_format.first_line_indent = Pt(0)
        return para

    def section(self, s: Section) -> None:
        blocks = list(s.blocks)
        if s.run_in:
            para = self.add()
            lead = para.add_run(f"{s.heading}。")
            lead.bold = s.depth == 3
            first = blocks[0] if blocks else None
            if isinstance(first, Paragraph):
                para.add_run(first.text)
                blocks.pop(0)
        elif s.depth <= 3:
            self.add(s.heading, f"Heading {s.depth}")
        else:
            self.add(s.heading)
        for block in blocks:
            self.block(block)
        for child in s.children:
            self.section(child)

    def block(self, b: Block) -> None:
        if isinstance(b, Paragraph):
            self.paragraph(b)
        elif isinstance(b, Table):
            self.table(b)
        else:
            self.chart(b)

    def chart(self, c: Chart) -> None:
        png = self.images.get(c.key)
        if png is None:
            if self.note:
                self.add(f"{c.number} {c.caption}{self.note}")
            return
        self.add("", st.S_FIGURE).add_run().add_picture(io.BytesIO(png), width=Mm(150))
        caption = self.add(f"{c.number} {c.caption}", st.S_CAPTION)
        caption.paragraph_format.keep_with_next = False

    def table(self, t: Table) -> None:
        self.add(f"{t.number} {t.caption}", st.S_CAPTION)
        n_rows = 1 + len(t.rows) + (1 if t.total else 0)
        table = self.doc.add_table(rows=n_rows, cols=len(t.columns))
        table._tbl.tblPr.style = self.ids["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        # Cells straight from the XML: python-docx's table.cell() rebuilds the grid each call.
        cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
        _widths(table, cells, t)
        cell_style = self.ids[st.S_TABLE]
        for i, col in enumerate(t.columns):
            _fill(cells[0][i], col.title, "center", cell_style, bold=True)
        _repeat_header(table)
        for r, row in enumerate(t.rows, start=1):
            for i, text in enumerate(row):
                _fill(cells[r][i], text, t.columns[i].align, cell_style)
        for merged in t.merge_down:
            _merge_down(cells, t, merged)
        if t.total:
            _total_row(cells[-1], t, cell_style)
        spacer = self.add("", st.S_TABLE)
        spacer.paragraph_format.space_after = Pt(6)


def _widths(table: DocxTable, cells: list[list[_Cell]], t: Table) -> None:
    units = sum(c.width for c in t.columns)
    for i, col in enumerate(t.columns):
        width = Mm(st.TEXT_WIDTH_MM * col.width / units)
        table.columns[i].width = width
        for row in cells:
            row[i].width = width


def _fill(cell: _Cell, text: str, align: str, style_id: str, bold: bool = False) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    para = cell.paragraphs[0]
    _set_style(para, style_id)
    para.alignment = _ALIGN[align]
    run = para.add_run(text)
    if bold:
        run.bold = True


def _repeat_header(table: DocxTable) -> None:
    """Repeat the header row on every page; never split a row across pages."""
    for n, tr in enumerate(table._tbl.tr_lst):
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if n == 0:
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            trpr.append(header)


def _drop_extra_paragraphs(cell: _Cell) -> None:
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)


def _merge_down(cells: list[list[_Cell]], t: Table, col: int) -> None:
    """Merge runs of equal cells in a column (the province beside its cities)."""
    rows = t.rows
    start = 0
    for i in range(1, len(rows) + 1):
        if i < len(rows) and rows[i][col] == rows[start][col]:
            continue
        if i - 1 > start:
            for k in range(start + 2, i + 1):
                cells[k][col].paragraphs[0].clear()
            _drop_extra_paragraphs(cells[start + 1][col].merge(cells[i][col]))
        start = i


def _total_row(row: list[_Cell], t: Table, style_id: str) -> None:
    assert t.total is not None
    for i, text in enumerate(t.total):
        if text is not None:
            _fill(row[i], text, "center" if i == 0 else t.columns[i].align, style_id, bold=True)
    i = 0
    while i < len(t.total):
        j = i + 1
        while j < len(t.total) and t.total[j] is None:
            j += 1
        if j - 1 > i:
            _drop_extra_paragraphs(row[i].merge(row[j - 1]))
        i = j


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None),
                       ("text", "1"), ("end", None)):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)


def _page_numbers(doc: Document, style_id: str) -> None:
    """"— 1 —": odd pages right, even pages left, one character in from the margin."""
    section = doc.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        _set_style(para, style_id)
        para.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            para.paragraph_format.right_indent = Pt(14)
        else:
            para.paragraph_format.left_indent = Pt(14)
        para.add_run("— ")
        _field(para, " PAGE ")
        para.add_run(" —")
