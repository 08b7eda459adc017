"""Tables: a 合计 / 总计 / 总得分 row against the column sums, 得分率 against 得分 ÷ 分值.

Row 1 is the header. A total row is one whose first non-empty cell is 合计, 总计, 总得分 or
总分; it may come first (表2-1) or last (表1-1). Rows are aligned to the right, because a
total row's label usually spans the first columns ("合计" over 省区 and 帮扶市); columns are
only summed when

- every data row has the same number of cells (no ragged grid, no second header row),
- the total cell and every data cell of that column hold one plain number,
- the header of the column is not a rate (率, %), and
- no row is a "其中" sub-row (nested sums are not guessed).

Rates: a column headed 得分率 is checked row by row against the 得分 and 分值 columns, or
against the weight the text says a row's rate is computed on ("“产出指标”……按25分计算", as
when indicators below it do not apply).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal

from jixiao.audit.claims import Claim, at_table
from jixiao.audit.figures import finest, number_only
from jixiao.audit.text import Table
from jixiao.core.checks import Comparison
from jixiao.core.numbers import HUNDRED, places
from jixiao.core.phrases import Phrase, Said, template

_TOTAL_LABELS = ("合计", "总计", "总得分", "总分")
RESCALED = re.compile(r"折算为\s*(?:\d+\s*分制|百分制)")
# "加分1分（机制创新…）": a bonus point added to the indicators' sum to make the total.
_BONUS = re.compile(r"加分(?:为|共|合计)?\s*(\d+(?:\.\d+)?)\s*分")


def stated_bonus(texts: Iterator[str]) -> Decimal | None:
    """The bonus the text states it added to the total ("加分1分"), when it states one value
    (however often); None when it states none or several (then no total takes one)."""
    values = {Decimal(m.group(1)) for t in texts for m in _BONUS.finditer(t)}
    return values.pop() if len(values) == 1 else None


def with_bonus(parts: Decimal, stated: Decimal, bonus: Decimal | None) -> Decimal:
    """What a total of ``parts`` should read: the parts plus the stated bonus when that is
    exactly what the total reads, else the parts alone (a bonus never hides another gap)."""
    if bonus is not None and bonus > 0 and parts + bonus == stated:
        return parts + bonus
    return parts
_DECLARED_BASE = re.compile(r"“([^”]{1,30})”[^。；“]{0,40}?按(\d+(?:\.\d+)?)分计算")


def declared_bases(texts: Iterator[str]) -> dict[str, Decimal]:
    """Indicator name → the weight its rate is declared to be computed on."""
    return {m.group(1): Decimal(m.group(2)) for t in texts for m in _DECLARED_BASE.finditer(t)}


def _label(row: tuple[str, ...]) -> str:
    return next((c for c in row if c.strip()), "").replace(" ", "")


def _quoted(t: Table) -> str:
    """What a quote of a table row starts with: the table's caption as the report writes it,
    or nothing (the finding's location numbers a table without one; a quote holds only the
    report's own words)."""
    cap = t.caption.strip()
    return cap[:30] + " " if cap.startswith("表") else ""


def _titled(t: Table) -> str | Phrase:
    """The table as a described figure's parameter: the caption as written, or the table's
    number in words a catalogue may translate."""
    cap = t.caption.strip()
    return cap[:30] if cap.startswith("表") else Phrase("表格 {n}", n=str(t.index))


def table_claims(
    t: Table, bases: Mapping[str, Decimal] | None = None, rescaled: bool = False,
    bonus: Decimal | None = None,
) -> Iterator[Claim]:
    """Total rows and score rates; a score table's total is not summed when the text says the
    total was rescaled (折算) from the applicable weights, and its 得分 total may include the
    bonus the text states (``bonus``, `stated_bonus`)."""
    header = [c.replace(" ", "") for c in t.rows[0]] if t.rows else []
    if not (rescaled and "分值" in header and "得分" in header):
        yield from _total_rows(t, bonus)
    yield from _score_rates(t, bases or {})


def _total_rows(t: Table, bonus: Decimal | None = None) -> Iterator[Claim]:
    if len(t.rows) < 4:
        return
    header = t.rows[0]
    body = list(enumerate(t.rows[1:], start=2))
    totals = [(i, r) for i, r in body if _label(r) in _TOTAL_LABELS]
    if len(totals) != 1:
        return
    total_at, total = totals[0]
    data = [(i, r) for i, r in body if i != total_at]
    if len(data) < 2 or any(_label(r).startswith("其中") for _, r in data):
        return
    width = len(data[0][1])
    if any(len(r) != width for _, r in data) or len(header) != width or len(total) > width:
        return
    offset = width - len(total)
    for k in range(1, len(total)):
        col = k + offset
        head = header[col]
        stated = number_only(total[k])
        if stated is None or "率" in head or "%" in head or "％" in head or "%" in total[k]:
            continue
        values = [number_only(r[col]) for _, r in data]
        if any(v is None for v in values):
            continue
        known = [v for v in values if v is not None]
        rows = sum(known, Decimal(0))
        expected = with_bonus(rows, stated, bonus) if "得分" in head else rows
        said = (template("{table}“{row}”行“{column}”列（各行之和）") if expected == rows
                else template("{table}“{row}”行“{column}”列（各行之和加文中所列加分）"))
        yield Claim(
            Comparison("table.total", t.where(total_at, col + 1),
                       Said((said, {"table": _titled(t), "row": _label(total), "column": head})),
                       expected, stated, places=finest([stated, *known])),
            f"{_quoted(t)}{_label(total)}：{head} {total[k]}", at_table(t, total_at, col + 1),
        )


def _score_rates(t: Table, bases: Mapping[str, Decimal]) -> Iterator[Claim]:
    header = [c.replace(" ", "") for c in t.rows[0]]
    try:
        w_col, s_col, r_col = header.index("分值"), header.index("得分"), header.index("得分率")
    except ValueError:
        return
    for i, row in enumerate(t.rows[1:], start=2):
        if len(row) != len(header):
            continue
        weight, score, rate = (number_only(row[c]) for c in (w_col, s_col, r_col))
        weight = bases.get(_label(row), weight)
        if weight is None or score is None or rate is None or weight == 0:
            continue
        yield Claim(
            Comparison("rate.stated", t.where(i, r_col + 1),
                       Said((template("{table}“{row}”的得分率（{score} ÷ {weight}）"),
                             {"table": _titled(t), "row": _label(row), "score": str(score),
                              "weight": str(weight)})),
                       score * HUNDRED / weight, rate, places=places(rate), unit="%"),
            f"{_quoted(t)}{_label(row)}：分值 {row[w_col]}，得分 {row[s_col]}，"
            f"得分率 {row[r_col]}", at_table(t, i, r_col + 1),
        )


def table_total_score(t: Table) -> tuple[Decimal, int] | None:
    """The 总得分 of a score table (header 分值/得分) and its row, for the prose total."""
    header = [c.replace(" ", "") for c in t.rows[0]]
    if "得分" not in header or "分值" not in header:
        return None
    col = header.index("得分")
    for i, row in enumerate(t.rows[1:], start=2):
        if _label(row) in ("总得分", "总分", "合计") and len(row) == len(header):
            value = number_only(row[col])
            if value is not None:
                return value, i
    return None
