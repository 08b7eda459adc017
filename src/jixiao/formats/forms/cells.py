"""Cells of a received form as text and numbers: tolerant of what real forms hold.

Full-width digits and letters (NFKC), traditional characters, thousands separators,
"≥50个", "<=5300元/户", "100%", "4753.66万元", a number cell that Excel stores as a double
(15 significant digits, as `form_xlsx.excel_decimal`), and cells pasted from text that hold
several numbers ("30;30;29.99").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core.numbers import to_decimal
from jixiao.core.phrases import Phrase
from jixiao.formats.form_xlsx import _load_sheets, _split_sign, excel_decimal
from jixiao.formats.forms.labels import BLANK_MARKS, TRADITIONAL

_SIMPLIFIED = {TRADITIONAL[i]: TRADITIONAL[i + 1] for i in range(0, len(TRADITIONAL) - 1, 2)}
_TABLE = str.maketrans(_SIMPLIFIED)


def text(value: object) -> str:
    """A cell as comparable text: NFKC, simplified characters, no whitespace."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float | int):
        return f"{excel_decimal(value):f}"
    raw = unicodedata.normalize("NFKC", str(value)).translate(_TABLE)
    return re.sub(r"\s+", "", raw)


def label(value: object) -> str:
    """A label as compared: `text` without parenthesised parts and trailing colons."""
    plain = re.sub(r"\([^()]*\)?", "", text(value))
    return plain.strip(":;,.*、")


def is_blank(value: object) -> bool:
    return text(value) in BLANK_MARKS


@dataclass(frozen=True)
class Number:
    """A figure read from a cell: its value (as written: places kept), direction, unit."""

    value: Decimal
    unit: str = ""
    direction: str | None = None
    from_cell: bool = False  # a number cell (Excel double), not text

    @property
    def percent(self) -> bool:
        return self.unit.startswith("%") or self.unit == "百分比"


_NUM = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_LEADING = re.compile(rf"^({_NUM})(.*)$")


def number(value: object) -> Number | None:
    """The one figure a cell holds, or None (text, blank, or several figures)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return Number(excel_decimal(value), from_cell=True)
    raw = text(value)
    direction, rest = _split_sign(raw)
    match = _LEADING.match(rest)
    if not match:
        return None
    unit = match.group(2)
    if re.search(r"[\d、:;,，。()]", unit) or len(unit) > 6:
        return None  # "30;30;29.99", "2022.1-12", a sentence: not one figure
    parsed = to_decimal(match.group(1).replace(",", ""))
    if parsed is None:
        return None
    return Number(parsed, unit, direction)


def numbers(value: object) -> list[Decimal]:
    """Every figure of a cell pasted from text: "30;30;29.99" → [30, 30, 29.99]."""
    one = number(value)
    if one is not None:
        return [one.value]
    found = []
    for part in re.split(r"[;；、/]", text(value)):
        item = number(part)
        if item is None:
            return []
        found.append(item.value)
    return found


def percent_value(value: object) -> Decimal | None:
    """A rate cell as a percentage: "86.2%" → 86.2; a number cell ≤ 1.5 is a fraction."""
    item = number(value)
    if item is None:
        return None
    if item.from_cell and abs(item.value) <= Decimal("1.5") and item.value != 0:
        return excel_decimal(float(item.value * 100))
    return item.value


@dataclass
class Sheet:
    """One worksheet; row r is Excel row r + 1."""

    file: str
    name: str
    rows: list[list[Any]]

    def cell(self, r: int, c: int) -> Any:
        if r < 0 or r >= len(self.rows) or c < 0 or c >= len(self.rows[r]):
            return ""
        return self.rows[r][c]

    def width(self, r: int) -> int:
        return len(self.rows[r]) if 0 <= r < len(self.rows) else 0

    def ref(self, r: int, c: int | None = None) -> str:
        """Where a row ("Sheet1!第3行") or a cell ("Sheet1!C3") is, as findings store it."""
        if c is None:
            return str(self.row_place(r))
        letters = ""
        n = c + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return f"{self.name}!{letters}{r + 1}"

    def row_place(self, r: int) -> Phrase:
        """Row r as a phrase ("Sheet1!第3行"; a page says "Sheet1!row 3"): its Chinese is
        `ref` of the row. The sheet's name is data; a cell's reference ("Sheet1!C3") says
        the same in every language, so it stays text."""
        return Phrase("{sheet}!第{row}行", sheet=self.name, row=str(r + 1))


def load(path: Path) -> list[Sheet]:
    """Every worksheet of the workbook (InputError when it cannot be opened at all)."""
    return [Sheet(g.file, g.sheet, g.rows) for g in _load_sheets(path)]


def mentions(sheet: Sheet, word: str) -> bool:
    """Whether any text cell of the sheet holds ``word`` (e.g. 加分: a form with bonus points
    may score above 100)."""
    return any(isinstance(v, str) and word in text(v) for row in sheet.rows for v in row)
