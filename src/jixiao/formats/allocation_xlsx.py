"""The allocation sheet (分配表) with live formulas, and the plain CSV of an allocation.

The sheet holds the parameters (T, b, n, precision, weights) in cells, the factor table, and
formulas that reproduce the computation from them — normalized shares, weighted share, base,
factor amount, exact amount — so a finance office can audit it in Excel or WPS. The rounded
amount is a value next to the exact one: largest-remainder rounding is not a cell formula.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from jixiao.core.allocation import AllocationResult, AllocationSpec
from jixiao.core.numbers import places
from jixiao.formats.atomic import atomic_open, write_bytes

_RISKY = ("=", "+", "-", "@", "\t", "\r")
_DIRECTION = {"positive": "正向", "inverse": "逆向（取倒数）"}
EXTRA_PLACES = 6  # exact amounts show this many places beyond the precision


def escape_cell(text: str) -> str:
    """A text cell that a spreadsheet would read as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(_RISKY) else text


def _money_format(n_places: int) -> str:
    return "#,##0" + ("." + "0" * n_places if n_places else "")


def write_allocation_xlsx(
    spec: AllocationSpec, result: AllocationResult, path: str | Path, *, cached_values: bool = True
) -> None:
    """Write the auditable allocation sheet. ``cached_values=False`` leaves formula results to
    the spreadsheet (used to prove that a recalculation alone reproduces the numbers)."""
    factors, recipients, allocs = spec.factors, spec.recipients, result.allocations
    n, k_count = len(recipients), len(factors)
    n_places = places(spec.precision)
    inverse = [k for k, f in enumerate(factors) if f.direction == "inverse"]
    has_floor = any(r.floor is not None for r in recipients)
    has_cap = any(r.cap is not None for r in recipients)

    buffer = BytesIO()  # built in memory, then written atomically: never a half-written file
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("分配表")
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                          "align": "center", "valign": "vcenter"})
    cell = wb.add_format({"border": 1})
    money = wb.add_format({"border": 1, "num_format": _money_format(n_places)})
    exact_fmt = wb.add_format({"border": 1, "num_format": _money_format(n_places + EXTRA_PLACES)})
    share_fmt = wb.add_format({"border": 1, "num_format": "0.0000%"})
    number = wb.add_format({"border": 1, "num_format": "General"})
    total_money = wb.add_format({"border": 1, "bold": True, "num_format": _money_format(n_places)})
    note = wb.add_format({"italic": True, "font_color": "#595959"})

    def cached(value: Decimal | float | int | None) -> float | None:
        return float(value) if cached_values and value is not None else None

    # Columns of the factor table.
    c_values = 3
    c_recip = c_values + k_count  # one reciprocal column per inverse factor
    recip_col = {k: c_recip + j for j, k in enumerate(inverse)}
    c_shares = c_recip + len(inverse)
    c_weighted = c_shares + k_count
    has_coef = result.coefficients  # 政策系数 as a multiplier on the weighted share
    c_coef, c_adjusted = c_weighted + 1, c_weighted + 2
    c_base = c_weighted + 1 + 2 * has_coef
    c_factor = c_base + 1
    c_next = c_factor + 1
    c_floor = c_next if has_floor else None
    c_next += has_floor
    c_cap = c_next if has_cap else None
    c_next += has_cap
    c_exact, c_amount = c_next, c_next + 1

    # Title and parameters.
    heading = escape_cell(spec.name) + " " if spec.name else ""
    ws.write_string(0, 0, f"{heading}因素法分配表（单位：{spec.unit}）", title)
    ws.write_string(1, 0, "本表由 jixiao 生成：除“分配金额（取整）”外，各列均为公式，可在 "
                    "Excel 或 WPS 中复核。", note)
    ws.write_row(3, 0, ["参数", "数值", "说明"], head)
    first, last = 17, 16 + n  # data rows, 1-based
    names = f"$B${first}:$B${last}"
    params = [
        ("分配总额 T", float(spec.total), None, money, spec.unit),
        ("基数比例 b", float(spec.base_share), None, number, "b×T 平均分配给各对象"),
        ("对象个数 n", n, f"=COUNTA({names})", number, "名称列中的对象数"),
        ("取整精度", float(spec.precision), None, number, f"{spec.unit}，按最大余数法取整"),
        ("每个对象基数 b×T/n", None, "=B6*B5/B7", exact_fmt, ""),
        ("因素分配总额 (1−b)×T", None, "=(1-B6)*B5", exact_fmt, "按因素加权占比分配"),
    ]
    base_value = allocs[0].base
    pool = spec.total * (1 - spec.base_share)
    cached_params = [None, None, n, None, base_value, pool]
    if result.bounded:
        params.append(("调整后因素分配额 P′", float(result.factor_pool), None, exact_fmt,
                       "设有保底/上限时由程序精确求解，使精确金额合计等于分配总额"))
        cached_params.append(None)
    for j, (label, value, formula, fmt, remark) in enumerate(params):
        row = 4 + j
        ws.write_string(row, 0, label, bold)
        if formula is None:
            ws.write_number(row, 1, value, fmt)
        else:
            ws.write_formula(row, 1, formula, fmt, cached(cached_params[j]))
        ws.write_string(row, 2, remark)
    pool_cell, base_cell, adjusted_cell = "$B$10", "$B$9", "$B$11"

    # Factor attributes, aligned with the value columns; the weights row feeds the formulas.
    for row, label in ((12, "因素类别"), (13, "方向"), (14, "权重")):
        ws.write_string(row, 2, label, head)
    for k, f in enumerate(factors):
        ws.write_string(12, c_values + k, f.category, cell)
        ws.write_string(13, c_values + k, _DIRECTION[f.direction], cell)
        ws.write_number(14, c_values + k, float(f.weight), number)
    weights = (
        f"${xl_col_to_name(c_values)}$15:${xl_col_to_name(c_values + k_count - 1)}$15"
    )

    # Header.
    header = ["序号", "名称", "代码"]
    header += [escape_cell(f.name) for f in factors]
    header += [f"1/{factors[k].name}" for k in inverse]
    header += [f"占比：{f.name}" for f in factors]
    header += ["加权占比"] + ["政策系数", "调整后占比"] * has_coef + ["基数", "因素分配"]
    header += ["保底"] * has_floor + ["上限"] * has_cap
    header += ["分配金额（精确）", "分配金额（取整）"]
    ws.write_row(15, 0, header, head)
    ws.set_row(15, 32)

    sum_row = last + 1  # 1-based row of 合计
    for i, (r, a) in enumerate(zip(recipients, allocs, strict=True)):
        row, er = 16 + i, first + i
        ws.write_number(row, 0, i + 1, cell)
        ws.write_string(row, 1, escape_cell(r.name), cell)
        ws.write_string(row, 2, escape_cell(r.code or ""), cell)
        for k, f in enumerate(factors):
            ws.write_number(row, c_values + k, float(r.values[f.name]), number)
        for k in inverse:
            ref = xl_rowcol_to_cell(row, c_values + k)
            ws.write_formula(row, recip_col[k], f"=1/{ref}", number,
                             cached(1 / float(r.values[factors[k].name])))
        for k, f in enumerate(factors):
            col = recip_col.get(k, c_values + k)
            ref, total = xl_rowcol_to_cell(row, col), f"{xl_col_to_name(col)}${sum_row}"
            # IF: only a zero-weight factor may have an all-zero column (its shares are 0).
            ws.write_formula(row, c_shares + k, f"=IF({total}=0,0,{ref}/{total})", share_fmt,
                             cached(a.shares[f.name]))
        shares = f"{xl_col_to_name(c_shares)}{er}:{xl_col_to_name(c_shares + k_count - 1)}{er}"
        ws.write_formula(row, c_weighted, f"=SUMPRODUCT({weights},{shares})", share_fmt,
                         cached(a.weighted_share))
        ws.write_formula(row, c_base, f"={base_cell}", exact_fmt, cached(a.base))
        weighted_ref = xl_rowcol_to_cell(row, c_weighted)
        share = a.weighted_share
        if has_coef:
            coef = r.coefficient if r.coefficient is not None else Decimal(1)
            ws.write_number(row, c_coef, float(coef), number)
            col_w, col_c = xl_col_to_name(c_weighted), xl_col_to_name(c_coef)
            product = (f"SUMPRODUCT(${col_w}${first}:${col_w}${last},"
                       f"${col_c}${first}:${col_c}${last})")
            ws.write_formula(row, c_adjusted,
                             f"={weighted_ref}*{xl_rowcol_to_cell(row, c_coef)}/{product}",
                             share_fmt, cached(a.adjusted_share))
            weighted_ref = xl_rowcol_to_cell(row, c_adjusted)
            share = a.adjusted_share if a.adjusted_share is not None else share
        factor_value = a.factor_amount if not result.bounded else pool * share
        ws.write_formula(row, c_factor, f"={pool_cell}*{weighted_ref}", exact_fmt,
                         cached(factor_value))
        base_ref, factor_ref = xl_rowcol_to_cell(row, c_base), xl_rowcol_to_cell(row, c_factor)
        if result.bounded:
            formula = f"{base_ref}+{adjusted_cell}*{weighted_ref}"
            if c_floor is not None:
                if r.floor is not None:
                    ws.write_number(row, c_floor, float(r.floor), money)
                    formula = f"MAX({formula},{xl_rowcol_to_cell(row, c_floor)})"
                else:
                    ws.write_blank(row, c_floor, None, cell)
            if c_cap is not None:
                if r.cap is not None:
                    ws.write_number(row, c_cap, float(r.cap), money)
                    formula = f"MIN({formula},{xl_rowcol_to_cell(row, c_cap)})"
                else:
                    ws.write_blank(row, c_cap, None, cell)
        else:
            formula = f"{base_ref}+{factor_ref}"
        ws.write_formula(row, c_exact, f"={formula}", exact_fmt, cached(a.exact))
        ws.write_number(row, c_amount, float(a.amount), money)

    # 合计 row.
    srow = sum_row - 1
    ws.write_string(srow, 1, "合计", head)
    ws.write_blank(srow, 0, None, head)
    ws.write_blank(srow, 2, None, head)
    sums: dict[int, tuple[object, Decimal | float]] = {
        c_weighted: (share_fmt, Decimal(1)),
        c_base: (total_money, base_value * n),
        c_factor: (total_money, pool),
        c_exact: (total_money, spec.total),
        c_amount: (total_money, spec.total),
    }
    if has_coef:
        sums[c_adjusted] = (share_fmt, Decimal(1))
    for k in range(k_count):
        sums[c_values + k] = (number, sum((r.values[factors[k].name] for r in recipients),
                                          Decimal(0)))
        sums[c_shares + k] = (share_fmt, Decimal(1))
    for k in inverse:
        reciprocals = sum(1 / float(r.values[factors[k].name]) for r in recipients)
        sums[recip_col[k]] = (number, reciprocals)
    for c_sum, bound in ((c_floor, "floor"), (c_cap, "cap")):
        if c_sum is not None:
            values = (getattr(r, bound) for r in recipients)
            sums[c_sum] = (total_money, sum((v for v in values if v is not None), Decimal(0)))
    for col, (fmt, sum_value) in sorted(sums.items()):
        name = xl_col_to_name(col)
        ws.write_formula(srow, col, f"=SUM({name}{first}:{name}{last})", fmt, cached(sum_value))

    # Notes.
    notes = [
        "注：1. 占比 = 对象数值 ÷ 该因素合计；逆向因素先取倒数（1/数值）再计算占比。",
        "2. 加权占比 = Σ 权重 × 占比；因素分配 = (1−b)×T × 加权占比；基数 = b×T/n。",
        f"3. 分配金额（取整）按最大余数法取整到 {spec.precision:f}{spec.unit}：各对象精确金额先按"
        "精度向下取整，差额按余数从大到小每个对象补一个精度单位（余数相同按表中顺序），"
        "合计与分配总额分毫不差。",
    ]
    if has_coef:
        notes.append(
            f"{len(notes) + 1}. 政策系数：调整后占比 = 加权占比 × 政策系数 ÷ "
            "Σ(加权占比 × 政策系数)；因素分配 = (1−b)×T × 调整后占比。"
        )
    if result.bounded:
        notes.append(
            f"{len(notes) + 1}. 设有保底/上限：分配金额（精确）= "
            "MIN(MAX(基数 + P′×加权占比, 保底), 上限)；"
            "未触及保底/上限的对象按因素分配额的比例分担调整，P′ 使合计等于分配总额。"
        )
    for j, text in enumerate(notes):
        ws.write_string(sum_row + 1 + j, 0, text, note)

    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 18)
    ws.set_column(2, 2, 10)
    ws.set_column(c_values, c_amount, 14)
    ws.freeze_panes(16, 2)
    wb.close()
    write_bytes(path, buffer.getvalue())


def write_allocation_csv(result: AllocationResult, path: str | Path) -> None:
    """One row per recipient; UTF-8 with BOM so Excel opens it with the right characters."""
    names = [f.name for f in result.factors]
    header = ["名称", "代码", "基数", "因素分配", "分配金额（精确）", "分配金额", "加权占比"]
    header += [f"占比：{name}" for name in names]
    with atomic_open(path, encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(escape_cell(h) for h in header)
        for a in result.allocations:
            writer.writerow([
                escape_cell(a.name), escape_cell(a.code or ""),
                f"{a.base:f}", f"{a.factor_amount:f}", f"{a.exact:f}", f"{a.amount:f}",
                f"{a.weighted_share:f}", *(f"{a.shares[name]:f}" for name in names),
            ])
