"""Amounts written inside label cells under an amount table's total row:

    按收入性质分：            按支出性质分：
    其中：一般公共预算：1873.66万元   其中：基本支出：1768.16万元
    政府性基金拨款：               项目支出：2985.5万元

Each group (a "按…分" cell and the "name：amount" cells below it in the same column, or a
run of such cells starting with 其中) is a breakdown of the total. Its sum must equal one of
the total row's figures (年初预算数, 全年预算数, 执行数 …): a sum above all of them is an
error; a sum that matches none but stays below is a warning (a part may be left blank)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.dossier import Severity
from jixiao.core.phrases import Phrase, word
from jixiao.formats.forms.amounts import AmountTable
from jixiao.formats.forms.cells import label, number, text
from jixiao.formats.forms.findings import finding, shown
from jixiao.formats.forms.labels import ADDITIVE_ROLES, PART_PREFIX

_ITEM = re.compile(r"^(?:其中[:：])?([^:：\d]{1,20})[:：](?:(\d+(?:\.\d+)?)(万元|元|亿元)?)?$")
_GROUP = re.compile(r"^按.{1,8}分[:：]?$")


def _total_figures(table: AmountTable) -> tuple[int, dict[str, Decimal]] | None:
    for row in table.rows:
        if row.total or table.header_total:
            figures = {head: value for c, (role, head) in table.columns.items()
                       if role in ADDITIVE_ROLES and (value := row.value(c)) is not None}
            if figures:
                return row.r, figures
    return None


def check_label_amounts(table: AmountTable) -> list[Finding]:
    found = _total_figures(table)
    if found is None or not table.rows:
        return []
    total_r, totals = found
    sheet = table.sheet
    last = table.rows[-1].r
    out: list[Finding] = []
    for c in range(max((sheet.width(r) for r in range(total_r, last + 1)), default=0)):
        group: list[tuple[str, Decimal | None, int]] = []
        name = ""
        for r in range(total_r + 1, last + 2):
            cell = text(sheet.cell(r, c)) if r <= last else ""
            item = _ITEM.match(cell) if cell and number(sheet.cell(r, c)) is None else None
            starts = bool(cell) and (_GROUP.match(cell) is not None
                                     or (item is not None and cell.startswith(PART_PREFIX)))
            if group and (starts or item is None):
                out += _judge(table, name, group, totals)
                group, name = [], ""
            if cell and _GROUP.match(cell):
                name = label(cell)
                continue
            if item is not None and (group or name or cell.startswith(PART_PREFIX)):
                if item.group(3) not in (None, "万元"):
                    group, name = [], ""  # another unit than the table's: not compared
                    continue
                value = Decimal(item.group(2)) if item.group(2) else None
                group.append((item.group(1), value, r))
    return out


def _judge(table: AmountTable, name: str, group: list[tuple[str, Decimal | None, int]],
           totals: dict[str, Decimal]) -> list[Finding]:
    present = [(n, v, r) for n, v, r in group if v is not None]
    if len(present) < 2:
        return []
    got = sum((v for _, v, _ in present), Decimal(0))
    if any(got == t for t in totals.values()):
        return []
    severity: Severity = "error" if got > max(totals.values()) else "warning"
    stated = "、".join(f"{head} {shown(v)}" for head, v in totals.items())
    parts = "+".join(f"{n} {shown(v)}" for n, v, _ in present)
    r = present[0][2]
    where = table.sheet.ref(r)
    return [finding(
        "form.label_sum", severity, where, got, max(totals.values()),
        Phrase("{name}：文字所列各项 {parts} = {sum}万元，与年度资金总额（{stated}）均不符",
               name=name or word("其中"), parts=parts, sum=shown(got), stated=stated),
    )]
