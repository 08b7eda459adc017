"""`--annotate OUT.docx`: a copy of a Word report with each finding as a comment (批注).

python-docx ≥ 1.2 writes comments (`Document.add_comment`). A finding on a paragraph is
anchored to that paragraph's runs; one in a table to the first paragraph of its cell (or of
the row's first cell). Paragraphs are found by the `source` index the reader recorded, so the
annotated copy is the original file with comments added, nothing else changed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.audit.audit import AuditResult
from jixiao.audit.text import Document
from jixiao.core.vocabulary import SEVERITY_LABELS
from jixiao.formats.atomic import atomic_path
from jixiao.formats.errors import InputError, Problem

if TYPE_CHECKING:
    from docx.table import _Cell

_LABEL = SEVERITY_LABELS


def annotate_docx(doc: Document, result: AuditResult, source: Path, out: Path) -> int:
    """Write ``out`` with one comment per finding; returns how many comments were placed."""
    if doc.kind != "docx":
        raise InputError([Problem("--annotate 只能用于 Word 报告（.docx）", file=str(source))])
    import docx

    word = docx.Document(str(source))
    if not hasattr(word, "add_comment"):
        raise InputError([Problem("写批注需要 python-docx 1.2 或更高版本", file=str(source))])
    paragraphs = {p.index: p.source for p in doc.paragraphs if p.source is not None}
    tables = {t.index: t.source for t in doc.tables if t.source is not None}
    placed = 0
    for f in result.findings:
        target = None
        loc = f.location
        if "paragraph" in loc and loc["paragraph"] in paragraphs:
            target = word.paragraphs[paragraphs[loc["paragraph"]]]
        elif "table" in loc and loc["table"] in tables:
            table = word.tables[tables[loc["table"]]]
            row = table.rows[min(loc.get("row", 1), len(table.rows)) - 1]
            cells = _distinct(row.cells)
            cell = cells[min(loc.get("cell", 1), len(cells)) - 1]
            target = cell.paragraphs[0]
        if target is None:
            continue
        runs = target.runs or [target.add_run("")]
        text = f"[{_LABEL.get(f.finding.severity, f.finding.severity)}] {f.finding.message}" \
               f"（规则 {f.finding.rule}）"
        word.add_comment(runs, text=text, author="jixiao", initials="JX")
        placed += 1
    with atomic_path(out, make_parent=True) as temp:
        word.save(str(temp))
    return placed


def _distinct(cells: list[_Cell]) -> list[_Cell]:
    seen: set[int] = set()
    out: list[_Cell] = []
    for c in cells:
        if id(c._tc) not in seen:
            seen.add(id(c._tc))
            out.append(c)
    return out
