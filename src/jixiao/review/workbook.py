"""`复核结果.xlsx`: the triage workbook.

Sheet 1 (文件一览) one row per document in triage order; sheet 2 (全部发现) every finding.
Both with a frozen header row and an autofilter. Every text is written as a string (never a
formula, a URL or a number guessed from text: a quote like "=SUM(A1)" stays text); scores
and counts are numbers so the filters sort them.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.vocabulary import SEVERITY_LABELS
from jixiao.formats import atomic
from jixiao.review.model import KIND_LABELS, STATUS_LABELS, ReviewResult

DOCUMENT_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("文件", 40), ("状态", 10), ("预算单位", 22), ("资金/项目", 28), ("年度", 7),
    ("类型", 10), ("表格类型", 20), ("所列得分", 10), ("所列等级", 9), ("重算得分", 10),
    ("重算等级", 9), ("得分差", 9), ("错误", 7), ("警告", 7), ("提示", 7), ("差异度", 9),
    ("最严重的发现 / 无法核对的原因", 70),
]
FINDING_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("文件", 40), ("预算单位", 22), ("级别", 7), ("规则", 24), ("位置", 22),
    ("原文", 60), ("应为", 14), ("实为", 14), ("说明", 70),
]


def write_workbook(result: ReviewResult, target: Path) -> Path:
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False,
               "strings_to_urls": False, "constant_memory": False}
    with atomic.atomic_path(target) as temp:
        book = xlsxwriter.Workbook(str(temp), options)
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "text_wrap": True, "valign": "top"})
        text = book.add_format({"valign": "top"})
        score = book.add_format({"num_format": "0.00", "valign": "top"})
        bad = book.add_format({"font_color": "#C00000", "valign": "top"})
        formats = {"text": text, "score": score, "bad": bad}
        _documents(book.add_worksheet("文件一览"), result, header, formats)
        _findings(book.add_worksheet("全部发现"), result, header, formats)
        book.close()
    return target


def _sheet(ws: Any, columns: list[tuple[str, int]], header: Any, rows: int) -> None:
    for c, (title, width) in enumerate(columns):
        ws.write_string(0, c, title, header)
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows, 1), len(columns) - 1)


def _put(ws: Any, r: int, c: int, value: object, formats: dict[str, Any],
         style: str | None = None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        # a cell holds a binary number; the Decimal is rounded for display first
        ws.write_number(r, c, float(value), formats[style or "score"])
    elif isinstance(value, int):
        ws.write_number(r, c, value, formats[style or "text"])
    else:
        ws.write_string(r, c, str(value), formats[style or "text"])


def _documents(ws: Any, result: ReviewResult, header: Any, formats: dict[str, Any]) -> None:
    _sheet(ws, DOCUMENT_COLUMNS, header, len(result.documents))
    for r, d in enumerate(result.documents, start=1):
        worst = d.reason if d.status == "unreadable" else d.worst
        values: list[object] = [
            r, d.file, STATUS_LABELS[d.status], d.unit, d.fund, d.year, KIND_LABELS[d.kind],
            d.form_type, d.stated_score, d.stated_grade, d.recomputed_score,
            d.recomputed_grade, d.score_gap, d.errors, d.warnings, d.infos, d.discrepancy, worst,
        ]
        for c, value in enumerate(values):
            style = "bad" if (c == 2 and d.status == "unreadable") or (c == 13 and d.errors) \
                else None
            _put(ws, r, c, value, formats, style)


def _findings(ws: Any, result: ReviewResult, header: Any, formats: dict[str, Any]) -> None:
    total = sum(len(d.findings) for d in result.documents)
    _sheet(ws, FINDING_COLUMNS, header, total)
    r = 0
    for d in result.documents:
        for f in d.findings:
            r += 1
            values: list[object] = [r, d.file, d.unit, SEVERITY_LABELS.get(f.severity, f.severity),
                                    f.rule, f.where, f.quote, f.expected, f.actual, f.message]
            for c, value in enumerate(values):
                _put(ws, r, c, value, formats, "bad" if c == 3 and f.severity == "error" else None)
