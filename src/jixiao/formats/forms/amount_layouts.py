"""Amount blocks without a header row naming the kinds of figure (`amounts.py` reads
those that have one). Each layout and its rule:

- **total and parts side by side** (`side_by_side_totals`): a header "资金总额 | 其中：财政拨款 |
  其他资金" with the figures in the row below: the total equals the sum of the parts;
- **a 合计 column** (`column_totals`): "单位 | 合计 | 中央资金 | 省级资金" or "中央 | 省级 | 市县 |
  合计", one line per county or per kind of figure: on each row the 合计 cell equals the sum
  of the parts (rows naming a 率 are left out);
- **sources as columns** (`rate_rows`): 资金情况 written sideways, one row per kind of figure
  (预算数 / 执行数 / 执行率, 到位数 / 到位率): each column's rate is checked from its own
  figures;
- **label and figure pairs** (`label_value_totals`, 绩效目标表 / 申报表): "年度资金总额： | 200"
  with "其中：财政拨款 | 150", "其他资金 | 50" below: the parts add up to the total.

A new layout of this kind is one more function here, called from `review_sheets`; a new
word for a kind of figure goes to `labels.AMOUNT_ROLES`.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.numbers import HUNDRED, fmt, places
from jixiao.core.phrases import Phrase, template, word
from jixiao.formats.forms.amounts import column_role, is_section, is_total_label
from jixiao.formats.forms.cells import Sheet, is_blank, label, number, percent_value, text
from jixiao.formats.forms.findings import agrees, finding, severity_of, shown
from jixiao.formats.forms.labels import PART_PREFIX

# A stated total against the items written below it (其中) or above it (its sources).
_PARTS_BELOW = template("{what}：所列 {stated}，其中各项（{names}）之和为 {sum}"
                        "（{parts}），两者不符")
_PARTS_ABOVE = template("{what}：所列 {stated}，以上各项（{names}）之和为 {sum}"
                        "（{parts}），两者不符")


def side_by_side_totals(sheet: Sheet) -> list[tuple[int, list[Finding]]]:
    """A total and its parts written side by side: a header row "资金总额 | 其中：财政拨款 |
    其他资金" with the figures in the row below. The total equals the sum of the parts.
    Returns (header row, findings) for each such block."""
    out: list[tuple[int, list[Finding]]] = []
    for r in range(len(sheet.rows) - 1):
        for c in range(sheet.width(r) - 1):
            head = text(sheet.cell(r, c))
            first_part = text(sheet.cell(r, c + 1))
            if not is_total_label(head) or not first_part.startswith(PART_PREFIX) \
                    or number(sheet.cell(r, c)) is not None:
                continue
            cols = [c + 1]
            for k in range(c + 2, sheet.width(r)):
                cell = sheet.cell(r, k)
                if is_blank(cell) or number(cell) is not None or is_total_label(text(cell)):
                    break
                if text(cell).startswith(PART_PREFIX):
                    cols = []  # a nested 其中: which columns add up to the total is unsure
                    break
                cols.append(k)
            below = r + 1
            stated = number(sheet.cell(below, c))
            values = [number(sheet.cell(below, k)) for k in cols]
            present = [v.value for v in values if v is not None]
            if stated is None or len(present) < 2:
                continue
            got = sum(present, Decimal(0))
            n = max(places(v) for v in [stated.value, *present])
            found: list[Finding] = []
            if not agrees(stated.value, got, n):
                names = "、".join(label(sheet.cell(r, k)) or text(sheet.cell(r, k))
                                 for k in cols)
                found.append(finding(
                    "form.total", severity_of(stated.value, got, n), sheet.ref(below, c), got,
                    stated.value, Phrase(_PARTS_BELOW, what=label(head) or head,
                                         stated=shown(stated.value), names=names,
                                         sum=fmt(got, n),
                                         parts="+".join(shown(v) for v in present)),
                ))
            out.append((r, found))
    return out


_NOT_A_PART = ("序号", "编号", "行次", "排名", "年度", "年份")


def column_totals(sheet: Sheet) -> list[tuple[int, list[Finding]]]:
    """A 合计 column beside the columns it adds up, row by row: "单位 | 合计 | 中央资金 |
    省级资金" or "中央 | 省级 | 市县 | 合计". On each row below holding figures, the 合计 cell
    equals the sum of the parts (rows naming a 率 are skipped). Returns (header, findings)."""
    out: list[tuple[int, list[Finding]]] = []
    for r in range(len(sheet.rows) - 1):
        for c in range(sheet.width(r)):
            head = text(sheet.cell(r, c))
            if not is_total_label(head) or number(sheet.cell(r, c)) is not None:
                continue
            if text(sheet.cell(r, c + 1)).startswith(PART_PREFIX):
                continue  # 资金总额 | 其中：…: side_by_side_totals
            for step_ in (1, -1):
                cols = _part_columns(sheet, r, c, step_)
                if len(cols) >= 2:
                    out.append((r, _check_rows(sheet, r, c, cols)))
                    break
    return out


def _part_columns(sheet: Sheet, r: int, c: int, step_: int) -> list[int]:
    cols: list[int] = []
    k = c + step_
    while 0 <= k < sheet.width(r):
        cell = sheet.cell(r, k)
        name = label(cell)
        if is_blank(cell) or number(cell) is not None or is_total_label(text(cell)) \
                or name in _NOT_A_PART or "率" in name or number(sheet.cell(r + 1, k)) is None \
                or text(cell).startswith(PART_PREFIX):
            return cols if not text(cell).startswith(PART_PREFIX) else []  # nested 其中: unsure
        cols.append(k)
        k += step_
    return cols


def _check_rows(sheet: Sheet, r: int, c: int, cols: list[int]) -> list[Finding]:
    out: list[Finding] = []
    names = "、".join(label(sheet.cell(r, k)) for k in cols)
    for row in range(r + 1, min(r + 60, len(sheet.rows))):
        stated = number(sheet.cell(row, c))
        if stated is None:
            if is_blank(sheet.cell(row, c)):
                continue
            break
        if stated.percent or any("率" in text(sheet.cell(row, k)) for k in range(c)):
            continue
        values = [number(sheet.cell(row, k)) for k in cols]
        if any(v is not None and v.percent for v in values):
            continue
        present = [v.value for v in values if v is not None]
        if len(present) < 2:
            continue
        got = sum(present, Decimal(0))
        n = max(places(v) for v in [stated.value, *present])
        if agrees(stated.value, got, n):
            continue
        out.append(finding(
            "form.total", severity_of(stated.value, got, n), sheet.ref(row, c), got,
            stated.value, Phrase("第{row}行 {what}：所列 {stated}，{names} 之和为 {sum}"
                                 "（{parts}），两者不符", row=str(row + 1),
                                 what=label(sheet.cell(r, c)),
                                 stated=shown(stated.value), names=names, sum=fmt(got, n),
                                 parts="+".join(shown(v) for v in present)),
        ))
    return out


def _row_name(sheet: Sheet, r: int) -> tuple[int, str] | None:
    """The label of a row written sideways: its first text cell (in the first three columns)
    with a figure somewhere right of it."""
    for c in range(min(3, sheet.width(r))):
        value = sheet.cell(r, c)
        if is_blank(value):
            continue
        if number(value) is not None:
            return None
        if any(number(sheet.cell(r, k)) is not None for k in range(c + 1, sheet.width(r))):
            return c, label(value)
        return None
    return None


def rate_rows(sheet: Sheet) -> list[tuple[int, list[Finding]]]:
    """资金情况 written sideways: the sources are columns (中央 | 省级 | 市县 | 合计) and each
    kind of figure is a row (预算数 / 执行数 / 执行率, or 到位数 / 到位率). Each column's
    stated rate is checked against its own 执行数 ÷ 预算数 (到位数 ÷ 预算数), at the precision
    written. Returns (rate row, findings) for each such block."""
    out: list[tuple[int, list[Finding]]] = []
    for r in range(1, len(sheet.rows)):
        found = _row_name(sheet, r)
        if found is None:
            continue
        first, name = found
        role = column_role(name)
        if role not in ("rate", "arrival_rate"):
            continue
        need = "executed" if role == "rate" else "arrived"
        above: dict[str, tuple[int, str]] = {}
        for k in range(r - 1, max(-1, r - 6), -1):
            got = _row_name(sheet, k)
            if got is None:
                continue
            kind = column_role(got[1])
            if kind in (need, "annual", "initial", "arrived") and kind not in above:
                above[kind] = (k, got[1])
        budget = above.get("annual") or above.get("initial")
        spent = above.get(need)
        if budget is None or spent is None:
            continue
        bases = [b for b in (above.get("annual"), above.get("initial"),
                             above.get("arrived") if need != "arrived" else None) if b]
        found_here: list[Finding] = []
        for c in range(first + 1, sheet.width(r)):
            stated = percent_value(sheet.cell(r, c))
            b, e = number(sheet.cell(budget[0], c)), number(sheet.cell(spent[0], c))
            if stated is None or b is None or e is None or b.value == 0 or b.percent:
                continue
            computed = e.value / b.value * HUNDRED
            n = places(stated)
            if any(agrees(stated, e.value / x.value * HUNDRED, n) for k, _ in bases
                   if (x := number(sheet.cell(k, c))) is not None and x.value != 0):
                continue  # the rate of one of the bases the form lists (全年 / 年初 / 到位)
            head = next((label(sheet.cell(k, c)) for k in range(min(budget[0], spent[0]) - 1,
                                                                max(-1, budget[0] - 4), -1)
                         if label(sheet.cell(k, c)) and number(sheet.cell(k, c)) is None), "")
            found_here.append(finding(
                "form.rate", severity_of(stated, computed, n), sheet.ref(r, c), computed, stated,
                Phrase("{what}：所列 {stated}%，按{spent} {executed} ÷ {budget} {base} 计算为 "
                       "{computed}%", what=f"{head} {name}".lstrip(), stated=shown(stated),
                       spent=spent[1], executed=shown(e.value), budget=budget[1],
                       base=shown(b.value), computed=fmt(computed)),
            ))
        out.append((r, found_here))
    return out


def _value_right(sheet: Sheet, r: int, c: int) -> int | None:
    """The column of the figure written right of a label (blank merged cells between)."""
    for k in range(c + 1, min(c + 4, sheet.width(r))):
        value = sheet.cell(r, k)
        if is_blank(value):
            continue
        return k if number(value) is not None else None
    return None


_MONEY_WORDS = ("资金", "拨款", "预算", "收入", "补助", "配套", "自筹", "中央", "省", "市", "县",
                "财政", "基金", "结转", "其他")


def _parts_above(sheet: Sheet, r: int, c: int, v: int,
                 covered: set[int]) -> list[tuple[int, str, Decimal]]:
    """The rows right above a total, each a money source named in column c with its figure
    in column v (every one named as money: 中央资金, 省级配套 …)."""
    parts: list[tuple[int, str, Decimal]] = []
    for k in range(r - 1, max(-1, r - 13), -1):
        name_cell = sheet.cell(k, c)
        name = label(name_cell)
        item = number(sheet.cell(k, v))
        if k in covered or not name or number(name_cell) is not None or item is None \
                or is_total_label(text(name_cell)) or not any(w in name for w in _MONEY_WORDS):
            break
        if name.startswith(PART_PREFIX):
            return []  # the 其中 rows of a total above: not this total's parts
        parts.append((k, name, item.value))
    return parts[::-1]


def label_value_totals(sheet: Sheet, covered: set[int]) -> list[tuple[int, list[Finding]]]:
    """Totals written as label and figure pairs, without a column header (绩效目标表 /
    申报表): "年度资金总额： | 200" with "其中：财政拨款 | 150", "其他资金 | 50" below, the
    labels in the same column and the figures in the same column (several such pairs may
    stand side by side: 中期资金总额 | 年度资金总额). With two parts or more, their sum
    equals the total; a single 其中 part cannot exceed it. Rows of amount tables
    (``covered``) are left to those. Returns (total row, findings) for each block."""
    out: list[tuple[int, list[Finding]]] = []
    for r in range(len(sheet.rows)):
        if r in covered:
            continue
        for c in range(sheet.width(r)):
            head = sheet.cell(r, c)
            if not isinstance(head, str) or not is_total_label(head):
                continue
            v = _value_right(sheet, r, c)
            if v is None:
                continue
            stated = number(sheet.cell(r, v))
            parts: list[tuple[int, str, Decimal]] = []
            k = r + 1
            while k < len(sheet.rows) and k - r <= 12 and k not in covered:
                name_cell = sheet.cell(k, c)
                name = label(name_cell)
                if not name or number(name_cell) is not None or is_total_label(text(name_cell)) \
                        or is_section(sheet, k) or name.startswith("按"):
                    break
                item = number(sheet.cell(k, v))
                if item is None and not is_blank(sheet.cell(k, v)):
                    break
                if item is not None:
                    parts.append((k, name, item.value))
                k += 1
            if stated is None:
                continue
            follow = True
            if not parts or (not text(sheet.cell(r + 1, c)).startswith(PART_PREFIX) and (
                    len(parts) < 2 or not all(any(w in p[1] for w in _MONEY_WORDS)
                                              for p in parts))):
                # nothing below, or rows that are not named as parts of the money: a 合计
                # at the foot of its sources ("中央资金 | 100", "省级资金 | 50", "合计 | 150")
                parts, follow = _parts_above(sheet, r, c, v, covered), False
                if len(parts) < 2:
                    if "资金" in label(head) or "总额" in label(head):
                        out.append((r, []))  # a money total: read, nothing to add up
                    continue
            present = [p[2] for p in parts]
            got = sum(present, Decimal(0))
            n = max(places(x) for x in [stated.value, *present])
            found: list[Finding] = []
            if (len(parts) >= 2 and not agrees(stated.value, got, n)) or \
                    (len(parts) == 1 and got > stated.value):
                found.append(finding(
                    "form.total", severity_of(stated.value, got, n), sheet.ref(r, v), got,
                    stated.value, Phrase(_PARTS_BELOW if follow else _PARTS_ABOVE,
                                         what=label(head) or word("合计"),
                                         stated=shown(stated.value),
                                         names="、".join(p[1] for p in parts),
                                         sum=fmt(got, n),
                                         parts="+".join(shown(x) for x in present)),
                ))
            out.append((r, found))
    return out
