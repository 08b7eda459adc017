"""The 其中 rows of the fund-year's budget (the dossier's `BudgetRow`: 当年财政拨款, 上年结转资金,
其他资金 …) as the 预算 page edits them.

A row is posted as ``row-<n>-item`` and one field per money column (``row-<n>-annual`` …).
A row left wholly blank is dropped, which is how a row is removed. Each figure is a
non-negative Decimal kept exactly as typed; no row, and no sum of rows, may exceed the total it
is part of: such a save is refused with a message naming the rows and the figures."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused
from jixiao.web.units import unit_label

# The money columns a 其中 row has, each part of the budget's field of the same name.
COLUMNS = ("initial", "annual", "executed")
COLUMN_LABELS = {"initial": gettext_lazy("年初预算数"), "annual": gettext_lazy("全年预算数"),
                 "executed": gettext_lazy("全年执行数")}
ITEM_LABEL = pgettext_lazy("budget row", "项目")
MAX_ROWS = 20  # far beyond any 项目资金 table (three rows in the standard 自评表)
BLANK_ROWS = 2  # empty rows the page offers for new entries
MAX_ITEM = 100
KEY = re.compile(r"^row-(\d{1,2})-(item|initial|annual|executed)$")


def key(index: int, field: str) -> str:
    return f"row-{index}-{field}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def flatten(rows: Any) -> dict[str, str]:
    """Stored rows as the form's fields."""
    out: dict[str, str] = {}
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if not isinstance(row, Mapping):
            continue
        for field in ("item", *COLUMNS):
            out[key(index, field)] = _text(row.get(field))
    return out


def posted_fields(posted: Mapping[str, Any]) -> dict[str, str]:
    """The row fields of a POST, as text (each cut to a length no figure or name needs)."""
    out: dict[str, str] = {}
    for name, value in posted.items():
        found = KEY.match(name)
        if found and int(found.group(1)) < MAX_ROWS:
            out[name] = str(value)[:200]
    return out


def count(values: Mapping[str, str]) -> int:
    """How many rows the fields hold (the highest index + 1)."""
    indices = [int(m.group(1)) for m in map(KEY.match, values) if m]
    return max(indices) + 1 if indices else 0


def slots(values: Mapping[str, str], editable: bool = True) -> list[dict[str, Any]]:
    """The rows the page shows: those the fields hold, then (to edit) `BLANK_ROWS` empty ones."""
    shown = min(count(values) + (BLANK_ROWS if editable else 0), MAX_ROWS)
    return [{"index": i, "item": values.get(key(i, "item"), ""),
             "cells": [{"name": key(i, c), "column": c, "label": COLUMN_LABELS[c],
                        "value": values.get(key(i, c), "")} for c in COLUMNS]}
            for i in range(shown)]


def field_label(name: str, values: Mapping[str, str]) -> str:
    """A row field's name for people: 其中第 2 行（上年结转资金）· 全年预算数."""
    found = KEY.match(name)
    if not found:
        return name
    index, field = int(found.group(1)), found.group(2)
    item = values.get(key(index, "item"), "").strip()
    column = ITEM_LABEL if field == "item" else COLUMN_LABELS[field]
    return _row_name(index, item) + " · " + str(column)


def _row_name(index: int, item: str) -> str:
    if item:
        return gettext("其中第 %(n)d 行（%(item)s）") % {"n": index + 1, "item": item}
    return gettext("其中第 %(n)d 行") % {"n": index + 1}


def parse(posted: Mapping[str, Any], totals: Mapping[str, Decimal | None],
          unit: str) -> list[dict[str, Any]]:
    """The posted rows read and checked against ``totals`` (the budget's own figures by
    column), or `Refused` naming the first bad row and its figures."""
    fields = posted_fields(posted)
    rows: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for index in range(count(fields)):
        item = inputs.text(fields.get(key(index, "item"), ""), _row_name(index, ""))
        texts = {c: fields.get(key(index, c), "").strip() for c in COLUMNS}
        if not item and not any(texts.values()):
            continue  # a blank row: dropped
        name = _row_name(index, item)
        if not item:
            raise Refused(Code.REQUIRED, gettext(
                "%(row)s：请填写项目名称（如 当年财政拨款、上年结转资金）") % {"row": name})
        if len(item) > MAX_ITEM:
            raise Refused(Code.INVALID_VALUE, gettext("%(row)s：项目名称过长（最多 %(n)d 个字）")
                          % {"row": _row_name(index, ""), "n": MAX_ITEM})
        if item in seen:
            raise Refused(Code.INVALID_VALUE, gettext("%(row)s：与第 %(other)d 行重复")
                          % {"row": name, "other": seen[item] + 1})
        seen[item] = index
        row: dict[str, Any] = {"item": item}
        for column in COLUMNS:
            label = f"{name}{COLUMN_LABELS[column]}"
            number = inputs.decimal(label, texts[column], required=False)
            if number is not None and number < 0:
                raise Refused(Code.INVALID_VALUE,
                              gettext("%(field)s：不能为负数") % {"field": label})
            if number is not None:
                row[column] = number
        rows.append(row)
    for column in COLUMNS:
        _within_total(rows, column, totals.get(column), unit)
    return rows


def _within_total(rows: list[dict[str, Any]], column: str, total: Decimal | None,
                  unit: str) -> None:
    """No row and no sum of rows above the column's total; parts without a total refused."""
    parts = [(r["item"], r[column]) for r in rows if column in r]
    if not parts:
        return
    label = str(COLUMN_LABELS[column])
    if total is None:
        raise Refused(Code.REQUIRED, gettext(
            "其中各行填了%(field)s，但%(field)s（合计）为空：请先填写%(field)s")
            % {"field": label})
    for item, amount in parts:
        if amount > total:
            raise Refused(Code.OUT_OF_RANGE, gettext(
                "其中「%(item)s」的%(field)s %(part)s %(unit)s 超过了%(field)s %(total)s "
                "%(unit)s") % {"item": item, "field": label, "part": f"{amount:f}",
                               "total": f"{total:f}", "unit": unit_label(unit)})
    summed = sum((amount for _, amount in parts), Decimal(0))
    if summed > total:
        listed = "、".join(f"{item} {amount:f}" for item, amount in parts)
        raise Refused(Code.OUT_OF_RANGE, gettext(
            "其中各行的%(field)s之和 %(sum)s %(unit)s（%(rows)s）超过了%(field)s %(total)s "
            "%(unit)s") % {"field": label, "sum": f"{summed:f}", "rows": listed,
                           "total": f"{total:f}", "unit": unit_label(unit)})


def audit_changes(before: Any, after: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """The rows' changes for the audit entry, by row name and column: a row added has no
    before, a row removed no after."""
    def cells(rows: Any) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, Mapping):
                for column in COLUMNS:
                    name = gettext("其中「%(item)s」%(field)s") % {
                        "item": row.get("item", ""), "field": COLUMN_LABELS[column]}
                    out[name] = _text(row.get(column)) or None  # exact: 60000 ≠ 60000.00
        return out

    old, new = cells(before), cells(after)
    changed = [name for name in {**old, **new} if old.get(name) != new.get(name)]
    return {n: old.get(n) for n in changed}, {n: new.get(n) for n in changed}
