"""Spreadsheet cells that cannot become formulas (CSV/formula injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def cell(value: object) -> str:
    """Text as a spreadsheet shows it; text that starts like a formula gets a leading '."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS):
        return "'" + text
    return text


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8


def xlsx_bytes(sheet: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_urls": False})
    ws = book.add_worksheet(sheet[:31])
    bold = book.add_format({"bold": True})
    for c, h in enumerate(header):
        ws.write_string(0, c, cell(h), bold)
    ws.freeze_panes(1, 0)  # the header stays in view while scrolling
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            ws.write_string(r, c, cell(v))
    book.close()
    return buf.getvalue()
